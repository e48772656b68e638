from __future__ import annotations

import base64

from functions.accounts import keys


def test_keys_carry_32_random_bytes_and_their_mode():
    live, test = keys.new_key("live"), keys.new_key("test")
    assert live.startswith("pf_live_") and test.startswith("pf_test_")
    raw = base64.urlsafe_b64decode(live[len("pf_live_"):] + "==")
    assert len(raw) >= 32
    assert len({keys.new_key("live") for _ in range(100)}) == 100
    assert keys.looks_like_key(live) and not keys.looks_like_key("sk_live_abc")


def test_only_a_hash_and_display_hints_are_kept():
    key = keys.new_key("test")
    digest = keys.hash_key(key)
    assert key not in digest and len(digest) == 64
    assert keys.hash_key(key) == digest
    assert keys.display_prefix(key) == key[:12] and keys.last_four(key) == key[-4:]
