"""API key material: made from 32 random bytes, stored only as a SHA-256 hash, shown once."""
from __future__ import annotations

import hashlib
import secrets

KEY_PREFIXES = ("pf_live_", "pf_test_")


def new_key(mode: str) -> str:
    if mode not in ("live", "test"):
        raise ValueError(f"unknown key mode {mode!r}")
    # token_urlsafe(32) encodes 32 random bytes: 256 bits, well past brute force.
    return f"pf_{mode}_{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> str:
    # A fast hash is right for high-entropy random keys (no dictionary to attack); it keeps auth cheap.
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_key(text: str) -> bool:
    return text.startswith(KEY_PREFIXES) and 40 <= len(text) <= 100


def display_prefix(key: str) -> str:
    return key[: len("pf_live_") + 4]


def last_four(key: str) -> str:
    return key[-4:]
