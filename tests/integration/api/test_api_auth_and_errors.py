"""Keys, auth, errors, idempotency and rate limits through the real API handler under moto."""
from __future__ import annotations

import json

from functions.accounts.keys import hash_key

TEXTURE = {"prompt": "cracked grey stone", "size": 32, "seed": 3}


def test_missing_unknown_and_revoked_keys(stack):
    status, _, err = stack.call("GET", "/v1/me")
    assert (status, err["code"]) == (401, "invalid_api_key")
    assert set(err) == {"code", "message", "details", "request_id"}
    status, _, err = stack.call("GET", "/v1/me", key="pf_test_" + "A" * 43)
    assert (status, err["code"]) == (401, "invalid_api_key")

    _, key = stack.account()
    status, _, created = stack.call("POST", "/v1/keys", key=key, body={"name": "build server"})
    assert status == 201 and created["key"].startswith("pf_test_") and len(created["key"]) >= 8 + 43
    assert created["last_four"] == created["key"][-4:]
    listed = stack.call("GET", "/v1/keys", key=key)[2]["keys"]
    assert {k["id"] for k in listed} >= {created["id"]}
    assert all("key" not in k for k in listed)  # shown once, never again
    assert stack.call("GET", "/v1/me", key=created["key"])[0] == 200

    assert stack.call("DELETE", f"/v1/keys/{created['id']}", key=key)[0] == 204
    status, _, err = stack.call("GET", "/v1/me", key=created["key"])
    assert (status, err["code"]) == (403, "api_key_revoked")
    revoked = next(k for k in stack.call("GET", "/v1/keys", key=key)[2]["keys"] if k["id"] == created["id"])
    assert revoked["status"] == "revoked" and revoked["revoked_at"]


def test_keys_are_stored_only_as_hashes(stack):
    _, key = stack.account()
    items = stack.backends.ddb.scan(TableName=stack.env["API_KEYS_TABLE"])["Items"]
    dump = json.dumps(items)
    assert key not in dump and key[8:] not in dump
    assert hash_key(key) in dump


def test_key_cap_per_plan_and_other_accounts_keys_are_invisible(stack):
    _, key = stack.account(plan="creator")
    for _ in range(19):  # the first key plus nineteen more: the creator plan's twenty
        assert stack.call("POST", "/v1/keys", key=key, body={})[0] == 201
    status, _, err = stack.call("POST", "/v1/keys", key=key, body={})
    assert (status, err["code"], err["details"]["max_active_keys"]) == (409, "key_limit_reached", 20)
    _, other = stack.account()
    my_key_id = stack.call("GET", "/v1/keys", key=key)[2]["keys"][0]["id"]
    status, _, err = stack.call("DELETE", f"/v1/keys/{my_key_id}", key=other)
    assert (status, err["code"]) == (404, "not_found")


def test_validation_errors_name_each_bad_field_and_cost_nothing(stack):
    _, key = stack.account(credits=10)
    before = stack.call("GET", "/v1/balance", key=key)[2]
    cases = [
        ({"prompt": "ok brick", "size": 100}, {"size"}),
        ({"prompt": "ok brick", "size": 4096}, {"size"}),
        ({"prompt": "no"}, {"prompt"}),
        ({"size": 64}, {"prompt"}),
        ({"prompt": "brick", "maps": ["albedo"]}, {"maps.0"}),
        ({"prompt": "brick", "maps": ["normal", "normal"]}, {"maps"}),
        ({"prompt": "brick", "seed": -1}, {"seed"}),
        ({"prompt": "brick", "pixel_art": "yes"}, {"pixel_art"}),
        ({"prompt": "brick", "colour": "red", "style": "x"}, {"colour", "style"}),
    ]
    for body, fields in cases:
        status, _, err = stack.call("POST", "/v1/textures", key=key, body=body)
        assert status == 400 and err["code"] == "invalid_request", body
        assert {f["field"] for f in err["details"]["fields"]} == fields, (body, err)
        for field in fields:
            assert field.split(".")[0] in err["message"]
    status, _, err = stack.call("POST", "/v1/textures", key=key, raw='{"prompt": "brick",')
    assert (status, err["code"], err["details"]["fields"][0]["field"]) == (400, "invalid_request", "body")
    status, _, err = stack.call("POST", "/v1/textures", key=key, raw="prompt=brick",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, err["code"]) == (415, "unsupported_media_type")
    status, _, err = stack.call("POST", "/v1/textures", key=key, body={"prompt": "x" * 300_000})
    assert (status, err["code"]) == (413, "payload_too_large")
    assert stack.call("GET", "/v1/balance", key=key)[2] == before
    assert stack.call("GET", "/v1/jobs", key=key)[2]["jobs"] == []
    assert stack.queue_depth("JOBS_QUEUE_URL") == 0


def test_unknown_route_is_a_json_404_and_a_wrong_verb_a_405(stack):
    _, key = stack.account()
    status, _, err = stack.call("GET", "/v1/sprites-of-doom", key=key)
    assert (status, err["code"]) == (404, "not_found") and err["request_id"]
    status, headers, err = stack.call("PUT", "/v1/textures", key=key, body={})
    assert (status, err["code"], headers["Allow"]) == (405, "method_not_allowed", "POST")
    status, headers, err = stack.call("PATCH", "/v1/jobs/job_x", key=key, body={})
    assert status == 405 and err["details"]["allowed"] == ["DELETE", "GET"]


def test_internal_errors_show_no_internals(stack, monkeypatch):
    from functions.jobs import service

    def explode(*args, **kwargs):
        raise RuntimeError("connection string postgres://admin:hunter2@db")

    monkeypatch.setattr(service, "submit", explode)
    _, key = stack.account()
    status, _, err = stack.call("POST", "/v1/textures", key=key, body=TEXTURE)
    assert (status, err["code"]) == (500, "internal_error")
    assert "hunter2" not in json.dumps(err) and "Traceback" not in json.dumps(err)


def test_same_idempotency_key_and_body_gives_the_same_job_and_one_charge(stack):
    _, key = stack.account(credits=10)
    before = stack.call("GET", "/v1/balance", key=key)[2]["total"]
    headers = {"Idempotency-Key": "order-42"}
    s1, _, first = stack.call("POST", "/v1/textures", key=key, body=TEXTURE, headers=headers)
    s2, h2, second = stack.call("POST", "/v1/textures", key=key, body=dict(reversed(TEXTURE.items())),
                                headers=headers)
    assert s1 == s2 == 202 and first["id"] == second["id"] and h2.get("Idempotent-Replayed") == "true"
    assert stack.call("GET", "/v1/balance", key=key)[2]["total"] == before - first["cost"]
    assert len(stack.call("GET", "/v1/jobs", key=key)[2]["jobs"]) == 1
    status, _, err = stack.call("POST", "/v1/textures", key=key, body=dict(TEXTURE, seed=4), headers=headers)
    assert (status, err["code"]) == (409, "idempotency_mismatch")
    # keys are per account: another account's same key is its own
    _, other = stack.account(credits=10)
    s3, _, third = stack.call("POST", "/v1/textures", key=other, body=TEXTURE, headers=headers)
    assert s3 == 202 and third["id"] != first["id"]


def test_an_idempotent_refusal_is_replayed_too(stack):
    _, key = stack.account(plan="free", credits=0)
    b = stack.backends
    me = stack.call("GET", "/v1/me", key=key)[2]["account_id"]
    b.ddb.update_item(TableName=b.tables["accounts"], Key={"account_id": {"S": me}},
                      UpdateExpression="SET monthly_remaining = :z", ExpressionAttributeValues={":z": {"N": "0"}})
    headers = {"Idempotency-Key": "k1"}
    assert stack.call("POST", "/v1/textures", key=key, body=TEXTURE, headers=headers)[0] == 402
    # topping up does not turn the recorded answer into a charge: the same request gets the same answer
    from functions.accounts.service import grant

    grant(b, me, 10)
    status, headers_out, err = stack.call("POST", "/v1/textures", key=key, body=TEXTURE, headers=headers)
    assert status == 402 and headers_out.get("Idempotent-Replayed") == "true"
    assert stack.call("GET", "/v1/balance", key=key)[2]["total"] == 10


def test_rate_limit_headers_and_429(stack, monkeypatch):
    import types

    from functions.api import context

    # The clock stands still: on a slow machine a token could come back between requests (one per 4 s).
    monkeypatch.setattr(context, "time", types.SimpleNamespace(time=lambda: 1_900_000_000.0))
    _, key = stack.account(plan="free")  # 15 a minute, bursts of 5
    seen = []
    for _ in range(5):
        status, headers, _ = stack.call("GET", "/v1/balance", key=key)
        assert status == 200 and headers["X-RateLimit-Limit"] == "15"
        seen.append(int(headers["X-RateLimit-Remaining"]))
    assert seen == [4, 3, 2, 1, 0]
    status, headers, err = stack.call("GET", "/v1/balance", key=key)
    assert (status, err["code"]) == (429, "rate_limited")
    assert int(headers["Retry-After"]) >= 1 and headers["X-RateLimit-Remaining"] == "0"
    assert int(headers["X-RateLimit-Reset"]) > 0


def test_account_views(stack):
    account, key = stack.account(plan="creator", credits=25)
    me = stack.call("GET", "/v1/me", key=key)[2]
    assert me["account_id"] == account["account_id"] and me["plan"]["name"] == "creator"
    assert me["balance"]["total"] == 1025 and me["balance"]["monthly_remaining"] == 1000
    assert "webhook_secret" not in json.dumps(me)
    limits = stack.call("GET", "/v1/limits", key=key)[2]
    assert limits["rate_limit"] == {"requests_per_minute": 120, "burst": 30}
    assert limits["max_concurrent_jobs"] == 5 and limits["asset_types"]["texture"]["size"]["max"] == 2048
    types = stack.call("GET", "/v1/asset-types", key=key)[2]["asset_types"]
    by_type = {t["type"]: t for t in types}
    assert set(by_type) == {"texture", "sprite", "rotation", "ascii", "animation", "animation_process"}
    assert by_type["texture"]["endpoint"] == "/v1/textures" and by_type["sprite"]["cost"] == {"per_variant": 1}
    assert by_type["rotation"]["cost"] == {"4_directions": 2, "8_directions": 4}
    kinds = [e["kind"] for e in stack.call("GET", "/v1/ledger", key=key)[2]["entries"]]
    assert sorted(kinds) == ["grant", "monthly_grant"]


def test_health_and_openapi_need_no_key(stack):
    status, _, health = stack.call("GET", "/v1/health")
    assert status == 200 and health["status"] == "ok"
    status, _, spec = stack.call("GET", "/v1/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.1")
    assert "/v1/textures" in spec["paths"] and "/v1/jobs/{job_id}" in spec["paths"]
    body = spec["components"]["schemas"]["TextureRequest"]
    assert body["additionalProperties"] is False
    status, _, html = stack.call("GET", "/v1/docs")
    assert status == 200 and "swagger" in html.lower()


def test_no_key_or_secret_reaches_the_logs(stack, monkeypatch):
    import io
    import logging

    from functions.common.observability import logger
    from functions.jobs import service

    # Read what the service's logger emits, formatted exactly as it is shipped (Powertools JSON).
    sink = io.StringIO()
    capture = logging.StreamHandler(sink)
    capture.setFormatter(logger.registered_formatter)
    logging.getLogger(logger.name).addHandler(capture)
    logger.setLevel("DEBUG")
    try:
        _, key = stack.account()
        secret = stack.call("GET", "/v1/webhooks/secret", key=key)[2]["secret"]
        stack.call("POST", "/v1/keys", key=key, body={"name": "x"})
        stack.call("GET", "/v1/me", key=key + "tampered")

        def explode(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(service, "submit", explode)
        assert stack.call("POST", "/v1/textures", key=key, body=TEXTURE)[0] == 500
    finally:
        logger.setLevel("INFO")
        logging.getLogger(logger.name).removeHandler(capture)
    text = sink.getvalue()
    assert "boom" in text  # the failure itself is logged for the operator...
    assert key[8:] not in text and secret not in text  # ...but never a credential
