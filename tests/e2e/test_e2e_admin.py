"""The operator CLI against the running local stack, and what its accounts see over HTTP: plans, credits,
keys, revocation, rate limits."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pixelforge_e2e import Client, Stack

Cli = Callable[..., dict[str, Any]]


def test_cli_accounts_credits_plans_and_keys(stack: Stack, cli: Cli) -> None:
    created = cli("create-account", "--plan", "free", "--credits", "3", "--name", "e2e-operator")
    assert created["account_id"].startswith("acct_")
    assert created["api_key"].startswith("pf_test_")
    assert created["plan"] == "free" and created["credits"] == 3
    account_id = created["account_id"]
    user = Client(stack.base_url, created["api_key"], patient=True)  # the free plan's burst is 5

    me = user.get("/v1/me")
    assert me.status_code == 200, me.text
    assert me.json()["account_id"] == account_id
    assert me.json()["plan"]["name"] == "free"
    assert me.json()["balance"]["total"] == 50 + 3
    assert me.json()["balance"]["purchased"] == 3

    granted = cli("grant", account_id, "--credits", "40", "--note", "e2e top-up")
    assert granted["purchased_balance"] == 43
    balance = user.get("/v1/balance").json()
    assert (balance["purchased"], balance["total"]) == (43, 50 + 43)
    assert any(e["kind"] == "grant" and e["amount"] == 40 and e["note"] == "e2e top-up" for e in user.ledger())

    moved = cli("set-plan", account_id, "--plan", "creator")
    assert moved["plan"] == "creator"
    me = user.get("/v1/me").json()
    assert me["plan"]["name"] == "creator"
    assert me["balance"]["monthly_allotment"] == 1000
    assert me["balance"]["total"] == 1000 + 43
    assert sum(e["amount"] for e in user.ledger()) == me["balance"]["total"]  # every change is in the ledger

    second = cli("create-key", account_id, "--name", "e2e-second")
    assert second["api_key"].startswith("pf_test_") and second["api_key"] != created["api_key"]
    other = Client(stack.base_url, second["api_key"], patient=True)
    response = other.get("/v1/me")
    assert response.status_code == 200, response.text
    assert response.json()["account_id"] == account_id
    assert response.json()["key"]["id"] == second["id"]
    assert second["id"] in {k["id"] for k in user.get("/v1/keys").json()["keys"]}

    revoked = user.delete(f"/v1/keys/{second['id']}")
    assert revoked.status_code == 204, revoked.text
    for _ in range(2):
        response = other.get("/v1/me")
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "api_key_revoked"
    assert user.get("/v1/me").status_code == 200  # the other key still works


def test_free_plan_rate_limit(stack: Stack, cli: Cli) -> None:
    created = cli("create-account", "--plan", "free")
    user = Client(stack.base_url, created["api_key"])
    limits = user.get("/v1/limits").json()["rate_limit"]
    assert limits == {"requests_per_minute": 15, "burst": 5}

    # /v1/limits above was the first of the burst of five.
    responses = []
    started = time.monotonic()
    for _ in range(5):
        responses.append(user.get("/v1/me"))
    elapsed = time.monotonic() - started
    assert elapsed < 4, "too slow to be a burst: a token came back meanwhile"  # one token per 4 s
    assert [r.status_code for r in responses[:4]] == [200] * 4, [r.text for r in responses]
    for r in responses[:4]:
        assert r.headers.get("X-RateLimit-Limit"), r.headers

    limited = responses[4]
    assert limited.status_code == 429, limited.text
    body = limited.json()
    assert body["code"] == "rate_limited"
    assert set(body) == {"code", "message", "details", "request_id"}
    retry_after = int(limited.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert limited.headers["X-RateLimit-Limit"]
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["X-RateLimit-Reset"]) >= 0

    # Waiting as told is enough.
    time.sleep(retry_after)
    again = user.get("/v1/me")
    assert again.status_code == 200, again.text
