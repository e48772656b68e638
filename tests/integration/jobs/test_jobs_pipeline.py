"""Submit → worker → completed, through the real handlers, under moto."""
from __future__ import annotations

import json
from unittest import mock

TEXTURE = {"prompt": "mossy red brick wall", "size": 32, "seed": 7}


def balance(stack, key) -> int:
    return stack.call("GET", "/v1/balance", key=key)[2]["total"]


def test_texture_job_completes_with_downloadable_assets(stack):
    _, key = stack.account(credits=10)
    before = balance(stack, key)
    status, headers, job = stack.call("POST", "/v1/textures", key=key, body=TEXTURE)
    assert status == 202 and job["status"] == "queued"
    assert headers["Location"] == f"/v1/jobs/{job['id']}"
    assert job["interpretation"]["family"] == "brick"
    assert balance(stack, key) == before - job["cost"]

    assert stack.run_worker() == 1
    status, _, done = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)
    assert done["status"] == "completed" and done["progress"] == 1.0
    names = {a["name"] for a in done["assets"]}
    assert {"basecolor.png", "normal.png", "roughness.png", "metallic.png", "height.png", "ao.png",
            "preview.png", "material.json"} <= names
    png = next(a for a in done["assets"] if a["name"] == "basecolor.png")
    assert (png["width"], png["height"], png["format"]) == (32, 32, "png") and png["bytes"] > 0
    assert "X-Amz-Signature" in png["url"] or "Signature" in png["url"]
    assert done["timings"]["render_ms"] is not None and done["timings"]["total_ms"] >= 0

    # The download URL is a real presigned GET of the stored object.
    s3 = stack.backends.s3
    object_key = f"assets/{done_account(stack, key)}/{job['id']}/basecolor.png"
    stored = s3.get_object(Bucket=stack.env["ASSETS_BUCKET"], Key=object_key)
    assert stored["Body"].read()[:8] == b"\x89PNG\r\n\x1a\n"

    status, headers, _ = stack.call("GET", f"/v1/jobs/{job['id']}/files/basecolor.png", key=key)
    assert status == 302 and headers["Location"].startswith("http")
    status, _, err = stack.call("GET", f"/v1/jobs/{job['id']}/files/nope.png", key=key)
    assert status == 404 and "basecolor.png" in err["details"]["files"]


def done_account(stack, key) -> str:
    return stack.call("GET", "/v1/me", key=key)[2]["account_id"]


def test_another_account_cannot_see_or_touch_a_job(stack):
    _, owner = stack.account()
    _, stranger = stack.account()
    job = stack.call("POST", "/v1/textures", key=owner, body=TEXTURE)[2]
    for method, path in [("GET", f"/v1/jobs/{job['id']}"), ("POST", f"/v1/jobs/{job['id']}/cancel"),
                         ("DELETE", f"/v1/jobs/{job['id']}"), ("GET", f"/v1/jobs/{job['id']}/files/basecolor.png"),
                         ("GET", f"/v1/jobs/{job['id']}/deliveries")]:
        status, _, err = stack.call(method, path, key=stranger)
        assert (status, err["code"]) == (404, "not_found"), path
    assert stack.call("GET", f"/v1/jobs/{job['id']}", key=owner)[2]["status"] == "queued"


def test_duplicate_delivery_renders_once_and_charges_once(stack):
    _, key = stack.account(credits=10)
    job = stack.call("POST", "/v1/textures", key=key, body=TEXTURE)[2]
    # SQS is at-least-once: deliver the same message a second time.
    stack.backends.sqs.send_message(QueueUrl=stack.env["JOBS_QUEUE_URL"], MessageBody=json.dumps({"job_id": job["id"]}))
    from functions.textures import render as texture_render

    with mock.patch.object(texture_render, "render_texture_set", wraps=texture_render.render_texture_set) as spy:
        assert stack.run_worker() == 2
    assert spy.call_count == 1
    assert stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]["status"] == "completed"
    debits = [e for e in stack.call("GET", "/v1/ledger", key=key)[2]["entries"] if e["kind"] == "debit"]
    assert len(debits) == 1 and debits[0]["job_id"] == job["id"]


def test_a_worker_that_dies_is_retried_then_the_job_fails_and_is_refunded_once(stack, monkeypatch):
    _, key = stack.account(credits=10)
    before = balance(stack, key)
    job = stack.call("POST", "/v1/textures", key=key, body=TEXTURE)[2]

    from functions.worker import handler as worker_handler

    monkeypatch.setattr(worker_handler, "LEASE_SECONDS", 0)  # a dead worker's lease has run out at once
    from functions.textures import render as texture_render

    monkeypatch.setattr(texture_render, "render_texture_set", mock.Mock(side_effect=MemoryError("killed")))
    sqs = stack.backends.sqs
    # A crashed invocation's message comes back when its visibility runs out: make that at once.
    sqs.set_queue_attributes(QueueUrl=stack.env["JOBS_QUEUE_URL"], Attributes={"VisibilityTimeout": "0"})
    worker = stack.poller("JOBS_QUEUE_URL")
    for attempt in range(1, 4):
        assert worker.poll_once() == 1
        current = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
        assert current["status"] == "processing" and current["attempts"] == attempt
    # After maxReceiveCount (3) the next receive moves the message to the DLQ instead.
    assert worker.poll_once() == 0
    assert stack.queue_depth("JOBS_DLQ_URL") == 1
    dead = stack.poller("JOBS_DLQ_URL")
    assert dead.poll_once() == 1
    failed = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert failed["status"] == "failed" and failed["refunded"] is True
    assert failed["error"]["code"] == "render_failed"
    assert balance(stack, key) == before
    # A second copy of the dead letter changes nothing: refunded exactly once.
    sqs.send_message(QueueUrl=stack.env["JOBS_DLQ_URL"], MessageBody=json.dumps({"job_id": job["id"]}))
    assert dead.poll_once() == 1
    assert balance(stack, key) == before
    refunds = [e for e in stack.call("GET", "/v1/ledger", key=key)[2]["entries"] if e["kind"] == "refund"]
    assert len(refunds) == 1


def test_cancel_refunds_once_and_a_finished_job_is_not_cancellable(stack):
    _, key = stack.account(credits=10)
    before = balance(stack, key)
    job = stack.call("POST", "/v1/textures", key=key, body=TEXTURE)[2]
    status, _, cancelled = stack.call("POST", f"/v1/jobs/{job['id']}/cancel", key=key)
    assert status == 200 and cancelled["status"] == "cancelled" and cancelled["refunded"] is True
    assert balance(stack, key) == before
    status, _, err = stack.call("POST", f"/v1/jobs/{job['id']}/cancel", key=key)
    assert (status, err["code"]) == (409, "not_cancellable")
    assert balance(stack, key) == before
    # The worker then finds a cancelled job and renders nothing.
    stack.run_worker()
    assert stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]["assets"] == []


def test_delete_removes_files_and_the_job(stack):
    account, key = stack.account(credits=10)
    job = stack.call("POST", "/v1/textures", key=key, body=TEXTURE)[2]
    stack.run_worker()
    prefix = f"assets/{account['account_id']}/{job['id']}/"
    s3 = stack.backends.s3
    assert s3.list_objects_v2(Bucket=stack.env["ASSETS_BUCKET"], Prefix=prefix).get("KeyCount", 0) >= 8
    status, _, _ = stack.call("DELETE", f"/v1/jobs/{job['id']}", key=key)
    assert status == 204
    assert s3.list_objects_v2(Bucket=stack.env["ASSETS_BUCKET"], Prefix=prefix).get("KeyCount", 0) == 0
    assert stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[0] == 404


def test_402_when_the_balance_is_short_queues_nothing_and_costs_nothing(stack):
    account, key = stack.account(plan="free", credits=0)
    b = stack.backends
    b.ddb.update_item(TableName=b.tables["accounts"], Key={"account_id": {"S": account["account_id"]}},
                      UpdateExpression="SET monthly_remaining = :one", ExpressionAttributeValues={":one": {"N": "1"}})
    depth = stack.queue_depth("JOBS_QUEUE_URL")
    status, _, err = stack.call("POST", "/v1/textures", key=key, body=TEXTURE)
    assert (status, err["code"]) == (402, "insufficient_credits")
    assert err["details"] == {"cost": 2, "balance": 1}
    assert stack.queue_depth("JOBS_QUEUE_URL") == depth
    assert stack.call("GET", "/v1/jobs", key=key)[2]["jobs"] == []
    assert [e["kind"] for e in stack.call("GET", "/v1/ledger", key=key)[2]["entries"]] == ["monthly_grant"]


def test_concurrency_cap_answers_429_and_frees_up_when_a_job_finishes(stack):
    _, key = stack.account(plan="free", credits=10)
    assert stack.call("POST", "/v1/textures", key=key, body=TEXTURE)[0] == 202
    status, headers, err = stack.call("POST", "/v1/textures", key=key, body=TEXTURE)
    assert (status, err["code"]) == (429, "concurrency_limited") and "Retry-After" in headers
    stack.run_worker()
    assert stack.call("POST", "/v1/textures", key=key, body=TEXTURE)[0] == 202


def test_list_jobs_newest_first_with_cursor_and_filters(stack):
    _, key = stack.account(plan="studio", credits=100)
    ids = [stack.call("POST", "/v1/textures", key=key, body=dict(TEXTURE, seed=i))[2]["id"] for i in range(5)]
    stack.call("POST", f"/v1/jobs/{ids[1]}/cancel", key=key)
    page1 = stack.call("GET", "/v1/jobs?limit=2", key=key)[2]
    assert [j["id"] for j in page1["jobs"]] == ids[::-1][:2] and page1["next_cursor"]
    page2 = stack.call("GET", f"/v1/jobs?limit=2&cursor={page1['next_cursor']}", key=key)[2]
    assert [j["id"] for j in page2["jobs"]] == ids[::-1][2:4]
    cancelled = stack.call("GET", "/v1/jobs?status=cancelled", key=key)[2]["jobs"]
    assert [j["id"] for j in cancelled] == [ids[1]]
    assert stack.call("GET", "/v1/jobs?type=texture&limit=100", key=key)[2]["jobs"][-1]["id"] == ids[0]
    status, _, err = stack.call("GET", "/v1/jobs?status=weird", key=key)
    assert status == 400 and err["details"]["fields"][0]["field"] == "status"
    # another account's cursor is refused rather than followed
    _, other = stack.account()
    status, _, err = stack.call("GET", f"/v1/jobs?cursor={page1['next_cursor']}", key=other)
    assert (status, err["details"]["field"]) == (400, "cursor")


def test_prefer_wait_returns_the_finished_job(stack, monkeypatch):
    """The worker runs in another process on AWS; here a thread plays it while the API waits."""
    import threading

    _, key = stack.account(credits=10)
    runner = threading.Timer(0.2, stack.run_worker)
    runner.start()
    status, headers, job = stack.call("POST", "/v1/textures", key=key, body=TEXTURE, headers={"Prefer": "wait=10"})
    runner.join()
    assert status == 200 and job["status"] == "completed" and headers["Preference-Applied"] == "wait=10"
