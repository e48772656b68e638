"""PRODUCT BUGS found by the end-to-end tier. Each test here FAILS on purpose until the product is fixed;
the docstring says what a user sees and what they should see. Do not mark them xfail: fix the product."""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from pixelforge_e2e import Client, Stack


def test_product_bug_concurrency_limited_submit_cannot_be_retried_with_its_idempotency_key(
        stack: Stack, cli: Callable[..., dict[str, Any]]) -> None:
    """PRODUCT BUG (functions/api/context.py, _idempotent, `except ApiError` branch ~line 126): a submit refused
    with 429 concurrency_limited ("Retry-After: 2", "wait for one to finish") is stored as the idempotent answer.
    Retrying the same request with the same Idempotency-Key, as the client should after the running job finished,
    replays the 429 for 24 h (without the Retry-After header, which the replay drops), so the job can never be
    submitted under that key. A 429 invites a retry: it must not be stored (nor should any refusal that says
    to retry later); the retry should be accepted (202) and charged once."""
    user = Client(stack.base_url, cli("create-account", "--plan", "free")["api_key"], patient=True)
    running = user.post("/v1/textures", {"prompt": "rusty metal plate", "size": 128, "seed": 1})
    assert running.status_code == 202, running.text

    key = f"e2e-{uuid.uuid4()}"
    body = {"prompt": "rusty metal plate", "size": 32, "seed": 2}
    refused = user.post("/v1/textures", body, headers={"Idempotency-Key": key})
    assert refused.status_code == 429 and refused.json()["code"] == "concurrency_limited", refused.text
    retry_after = int(refused.headers["Retry-After"])

    assert user.wait_for_job(running.json()["id"], interval=1.0)["status"] == "completed"
    time.sleep(retry_after)
    retried = user.post("/v1/textures", body, headers={"Idempotency-Key": key})
    assert retried.status_code == 202, (
        f"retry after the running job finished got {retried.status_code} "
        f"(Idempotent-Replayed: {retried.headers.get('Idempotent-Replayed')}): {retried.text}")


def test_product_bug_invalid_json_body_error_names_a_number_as_the_field(client: Client) -> None:
    """PRODUCT BUG (functions/api/errors.py, _field_name / validation_details): a body that is not JSON gets
    400 invalid_request with message "The request is not valid: 19: the body is not valid JSON." and
    details.fields[0].field == "19": the JSON parser's error position (loc ("body", 19)) leaks in as a field
    name. It should name the field "body": "The request is not valid: body: the body is not valid JSON."."""
    response = client.request("POST", "/v1/textures", data=b'{"prompt": "brick",',
                              headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "invalid_request"
    assert [f["field"] for f in body["details"]["fields"]] == ["body"], body
