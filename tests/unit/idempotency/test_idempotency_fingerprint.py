from __future__ import annotations

import pytest

from functions.common.errors import InvalidRequest
from functions.idempotency.store import fingerprint, job_id_for, record_id


def test_the_same_json_in_another_layout_is_the_same_request():
    a = fingerprint("POST", "/v1/textures", '{"prompt": "brick", "size": 64}')
    b = fingerprint("POST", "/v1/textures", '{"size":64,"prompt":"brick"}')
    assert a == b
    assert a != fingerprint("POST", "/v1/textures", '{"size":128,"prompt":"brick"}')
    assert a != fingerprint("POST", "/v1/keys", '{"prompt": "brick", "size": 64}')


def test_keys_are_scoped_to_the_account_and_bounded():
    assert record_id("acct_a", "k") != record_id("acct_b", "k")
    assert job_id_for(record_id("acct_a", "k")) != job_id_for(record_id("acct_b", "k"))
    for bad in ["", "x" * 256, "tab\there"]:
        with pytest.raises(InvalidRequest):
            record_id("acct_a", bad)
