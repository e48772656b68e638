"""The texture pipeline over real HTTP against `python -m infra.local`: submit, render, download,
webhooks, credits, determinism, idempotency, errors, cancel."""
from __future__ import annotations

import io
import json
import time
import uuid
from typing import Any

import requests
from PIL import Image
from pixelforge_e2e import Client, WebhookReceiver

ALL_MAPS = ("basecolor", "normal", "roughness", "metallic", "height", "ao")
EXPECTED_FILES = {f"{m}.png" for m in ALL_MAPS} | {"preview.png", "material.json"}
ERROR_KEYS = {"code", "message", "details", "request_id"}


def texture(**overrides: Any) -> dict[str, Any]:
    return {"prompt": "mossy red brick wall", "size": 64, "seed": 7, **overrides}


def download(url: str) -> requests.Response:
    """What a user's browser or game build does with a presigned URL: a plain GET, no API key."""
    response = requests.get(url, timeout=20)
    assert response.status_code == 200, f"{url} -> {response.status_code}: {response.text[:300]}"
    return response


def submit_and_finish(client: Client, body: dict[str, Any], *, wait: int = 20) -> dict[str, Any]:
    response = client.post("/v1/textures", body, headers={"Prefer": f"wait={wait}"})
    assert response.status_code in (200, 202), response.text
    job = response.json()
    return job if job["status"] != "queued" and job["status"] != "processing" else client.wait_for_job(job["id"])


def asset(job: dict[str, Any], name: str) -> dict[str, Any]:
    return next(a for a in job["assets"] if a["name"] == name)


def assert_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, f"expected {status} {code}, got {response.status_code}: {response.text}"
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["details"], dict), body
    assert body["request_id"], body
    assert response.headers.get("X-Request-Id") == body["request_id"]
    return body


def named_fields(body: dict[str, Any]) -> set[str]:
    """Every field an invalid_request error names, whichever shape its details take."""
    details = body["details"]
    names = {f.get("field") for f in details.get("fields", [])}
    if "field" in details:
        names.add(details["field"])
    return {n for n in names if n}


# --- 1. the full flow ---------------------------------------------------------------------------------

def test_full_flow_files_webhook_deliveries_and_credits(client: Client, webhooks: WebhookReceiver) -> None:
    hook = webhooks.url_for(client, "full-flow")
    before = client.balance()

    response = client.post("/v1/textures", texture(webhook_url=hook))
    assert response.status_code == 202, response.text
    submitted = response.json()
    job_id = submitted["id"]
    assert submitted["status"] in ("queued", "processing")
    assert response.headers["Location"] == f"/v1/jobs/{job_id}"
    assert submitted["webhook_url"] == hook
    assert submitted["cost"] == 2

    job = client.wait_for_job(job_id)
    assert job["status"] == "completed", job
    assert job["progress"] == 1.0 and job["error"] is None and job["refunded"] is False
    assert job["started_at"] and job["finished_at"] and job["timings"]["render_ms"] is not None
    assert job["request"]["maps"] == list(ALL_MAPS) and job["request"]["seed"] == 7
    assert {a["name"] for a in job["assets"]} == EXPECTED_FILES

    # Every presigned URL downloads the real file; /files/{name} redirects to the same bytes.
    for item in job["assets"]:
        data = download(item["url"]).content
        assert len(data) == item["bytes"], item["name"]
        if item["format"] == "png":
            image = Image.open(io.BytesIO(data))
            image.load()
            assert image.format == "PNG", item["name"]
            assert image.size == (64, 64) == (item["width"], item["height"]), item["name"]
        else:
            assert item["name"] == "material.json"
            material = json.loads(data)
            assert isinstance(material, dict) and material
        redirect = client.get(item["download"])
        assert redirect.status_code == 302, redirect.text
        assert redirect.headers["Location"].startswith("http")
        assert download(redirect.headers["Location"]).content == data, item["name"]

    # The webhook arrived, signed with the account's secret, and describes this job.
    event = webhooks.wait_for("full-flow", lambda e: e["type"] == "job.completed")
    assert event["data"]["id"] == job_id
    assert event["data"]["status"] == "completed"
    assert not webhooks.rejected("full-flow")

    # The delivery log shows the successful attempt (it is written right after the POST returns).
    deadline = time.monotonic() + 10
    while True:
        response = client.get(f"/v1/jobs/{job_id}/deliveries")
        assert response.status_code == 200, response.text
        deliveries = response.json()["deliveries"]
        ok = [d for d in deliveries if d.get("ok") and d.get("event_type") == "job.completed"]
        if ok or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert ok, deliveries
    assert ok[0]["status_code"] == 204 and ok[0]["attempt"] == 1

    # Charged exactly the job's cost, and the ledger says so with the job's id.
    assert client.balance() == before - job["cost"]
    debits = [e for e in client.ledger() if e["job_id"] == job_id]
    assert [(e["kind"], e["amount"]) for e in debits] == [("debit", -job["cost"])]

    # Deleting the job removes it and its files, and gives nothing back.
    after = client.balance()
    assert client.delete(f"/v1/jobs/{job_id}").status_code == 204
    assert client.get(f"/v1/jobs/{job_id}").status_code == 404
    assert requests.get(asset(job, "basecolor.png")["url"], timeout=20).status_code == 404
    assert client.balance() == after


# --- 2. determinism -----------------------------------------------------------------------------------

def test_same_seed_same_bytes_other_seed_other_bytes(client: Client) -> None:
    body = texture(prompt="weathered oak planks", size=32, seed=1234, maps=["basecolor", "normal"])
    first = submit_and_finish(client, body)
    second = submit_and_finish(client, body)
    other = submit_and_finish(client, dict(body, seed=1235))
    for job in (first, second, other):
        assert job["status"] == "completed", job
    assert first["id"] != second["id"]
    # The requested subset only (plus the preview and material that always come along).
    assert {a["name"] for a in first["assets"]} == {"basecolor.png", "normal.png", "preview.png", "material.json"}

    a, b, c = (download(asset(job, "basecolor.png")["url"]).content for job in (first, second, other))
    assert a == b, "the same request and seed must give byte-identical basecolor.png"
    assert a != c, "another seed must give another basecolor.png"


# --- 3. Prefer: wait ----------------------------------------------------------------------------------

def test_prefer_wait_answers_200_with_the_finished_job(client: Client) -> None:
    response = client.post("/v1/textures", texture(size=32), headers={"Prefer": "wait=20"})
    assert response.status_code == 200, response.text
    job = response.json()
    assert job["status"] == "completed", job
    assert response.headers.get("Preference-Applied") == "wait=20"
    assert {a["name"] for a in job["assets"]} == EXPECTED_FILES
    assert all(a["url"] for a in job["assets"])


# --- 5. idempotency -----------------------------------------------------------------------------------

def test_idempotency_key_replays_the_job_and_charges_once(client: Client) -> None:
    key = f"e2e-{uuid.uuid4()}"
    body = texture(size=32, seed=99)
    before = client.balance()

    first = client.post("/v1/textures", body, headers={"Idempotency-Key": key})
    assert first.status_code in (200, 202), first.text
    replay = client.post("/v1/textures", body, headers={"Idempotency-Key": key})
    assert replay.status_code == first.status_code, replay.text
    assert replay.json()["id"] == first.json()["id"]
    assert replay.headers.get("Idempotent-Replayed") == "true"

    job = client.wait_for_job(first.json()["id"])
    assert job["status"] == "completed"
    assert client.balance() == before - job["cost"]
    assert [e["kind"] for e in client.ledger() if e["job_id"] == job["id"]] == ["debit"]

    mismatch = client.post("/v1/textures", dict(body, seed=100), headers={"Idempotency-Key": key})
    assert_error(mismatch, 409, "idempotency_mismatch")
    assert client.balance() == before - job["cost"]


# --- 6. errors ------------------------------------------------------------------------------------

def test_errors_have_one_shape_and_cost_nothing(client: Client, anonymous: Client) -> None:
    before = client.balance()
    jobs_before = [j["id"] for j in client.get("/v1/jobs", params={"limit": 100}).json()["jobs"]]

    assert_error(anonymous.post("/v1/textures", texture()), 401, "invalid_api_key")
    assert_error(anonymous.get("/v1/balance"), 401, "invalid_api_key")
    wrong = Client(client.base_url, "pf_test_" + "x" * 43)
    assert_error(wrong.get("/v1/me"), 401, "invalid_api_key")

    for size in (100, 4096, 16, "64"):
        body = assert_error(client.post("/v1/textures", texture(size=size)), 400, "invalid_request")
        assert "size" in named_fields(body), (size, body)

    body = assert_error(client.post("/v1/textures", texture(colour="red")), 400, "invalid_request")
    assert "colour" in named_fields(body), body
    assert "colour" in body["message"]

    for url in ("http://10.0.0.1/hook", "https://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/",
                "https://169.254.169.254/latest/meta-data/"):
        body = assert_error(client.post("/v1/textures", texture(webhook_url=url)), 400, "invalid_request")
        assert "webhook_url" in named_fields(body), (url, body)

    assert_error(client.get("/v1/jobs/job_doesnotexist0000000000"), 404, "not_found")

    assert client.balance() == before
    assert [j["id"] for j in client.get("/v1/jobs", params={"limit": 100}).json()["jobs"]] == jobs_before


# --- 9. OpenAPI and docs ----------------------------------------------------------------------------

def test_openapi_document_and_docs_page(anonymous: Client) -> None:
    response = anonymous.get("/v1/openapi.json")
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["openapi"].startswith("3.1"), document["openapi"]
    assert "/v1/textures" in document["paths"]
    assert "post" in document["paths"]["/v1/textures"]

    docs = anonymous.get("/v1/docs")
    assert docs.status_code == 200
    assert docs.headers["Content-Type"].startswith("text/html")
    assert "<html" in docs.text.lower()


# --- 4. cancel (last: the cancelled 2048 px render keeps a worker busy for a while) --------------------

def test_cancel_refunds_exactly_and_announces_it(client: Client, webhooks: WebhookReceiver) -> None:
    hook = webhooks.url_for(client, "cancel")
    before = client.balance()

    response = client.post("/v1/textures", texture(size=2048, webhook_url=hook))
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert response.json()["cost"] == 8
    cancelled = client.post(f"/v1/jobs/{job_id}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    job = cancelled.json()
    assert job["status"] == "cancelled" and job["refunded"] is True, job
    assert job["finished_at"] and job["assets"] == []

    assert client.job(job_id)["status"] == "cancelled"
    assert client.balance() == before
    entries = [e for e in client.ledger() if e["job_id"] == job_id]
    assert sorted((e["kind"], e["amount"]) for e in entries) == [("debit", -8), ("refund", 8)]

    again = assert_error(client.post(f"/v1/jobs/{job_id}/cancel"), 409, "not_cancellable")
    assert again["details"].get("status") == "cancelled"

    event = webhooks.wait_for("cancel", lambda e: e["type"] == "job.cancelled")
    assert event["data"]["id"] == job_id
    assert event["data"]["status"] == "cancelled"
    assert not webhooks.rejected("cancel")
    assert client.balance() == before
