"""A job's webhook, end to end under moto: worker → EventBridge rule → SQS → dispatcher → a real
receiver on loopback that verifies the Standard Webhooks signature."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from functions.webhooks.dispatcher import MAX_ATTEMPTS, RETRY_DELAYS_SECONDS


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/pixelforge"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def submit(stack, key, url, **extra):
    body = {"prompt": "polished marble", "size": 32, "seed": 1, "webhook_url": url, **extra}
    status, _, job = stack.call("POST", "/v1/textures", key=key, body=body)
    assert status == 202, job
    return job


def test_completed_job_delivers_a_signed_webhook_and_lists_the_attempt(stack, receiver):
    _, key = stack.account()
    secret = stack.call("GET", "/v1/webhooks/secret", key=key)[2]["secret"]
    assert secret.startswith("whsec_")
    job = submit(stack, key, receiver.url)
    stack.run_worker()
    assert stack.poller("WEBHOOKS_QUEUE_URL").poll_once() == 1

    assert len(receiver.requests) == 1
    delivery = receiver.requests[0]
    payload = Webhook(secret).verify(delivery["body"], delivery["headers"])
    assert payload["type"] == "job.completed"
    assert payload["data"]["id"] == job["id"] and payload["data"]["status"] == "completed"
    assert {a["name"] for a in payload["data"]["assets"]} >= {"basecolor.png", "material.json"}

    status, _, listed = stack.call("GET", f"/v1/jobs/{job['id']}/deliveries", key=key)
    assert status == 200
    [attempt] = listed["deliveries"]
    assert attempt["ok"] is True and attempt["status_code"] == 200 and attempt["event_type"] == "job.completed"


def test_a_rotated_secret_signs_later_deliveries(stack, receiver):
    _, key = stack.account()
    old = stack.call("GET", "/v1/webhooks/secret", key=key)[2]["secret"]
    new = stack.call("POST", "/v1/webhooks/secret/rotate", key=key)[2]["secret"]
    assert new != old and new.startswith("whsec_")
    submit(stack, key, receiver.url)
    stack.run_worker()
    stack.poller("WEBHOOKS_QUEUE_URL").poll_once()
    delivery = receiver.requests[0]
    Webhook(new).verify(delivery["body"], delivery["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(delivery["body"], delivery["headers"])


def test_a_failing_receiver_is_retried_with_backoff_then_dead_lettered(stack, receiver, monkeypatch):
    from functions.webhooks import handler as webhook_handler

    scheduled = []
    real_schedule = webhook_handler._schedule_retry

    def schedule_now(b, message, delay_seconds):
        # SQS would hold the retry for its delay; record the delay and make it visible at once.
        scheduled.append(delay_seconds)
        real_schedule(b, message, 0)

    monkeypatch.setattr(webhook_handler, "_schedule_retry", schedule_now)
    _, key = stack.account()
    receiver.status = 500
    job = submit(stack, key, receiver.url)
    stack.run_worker()
    poller = stack.poller("WEBHOOKS_QUEUE_URL")
    for _ in range(MAX_ATTEMPTS):
        assert poller.poll_once() == 1
    assert poller.poll_once() == 0
    assert len(receiver.requests) == MAX_ATTEMPTS >= 5
    assert scheduled == list(RETRY_DELAYS_SECONDS[: MAX_ATTEMPTS - 1])
    assert scheduled[:3] == [5, 25, 125]
    assert stack.queue_depth("WEBHOOKS_DLQ_URL") == 1
    listed = stack.call("GET", f"/v1/jobs/{job['id']}/deliveries", key=key)[2]["deliveries"]
    assert [d["attempt"] for d in listed] == list(range(1, MAX_ATTEMPTS + 1))
    assert all(not d["ok"] and d["status_code"] == 500 for d in listed)
    # every retry carries the same webhook-id so a receiver can de-duplicate
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1


def test_jobs_without_a_webhook_send_nothing(stack, receiver):
    _, key = stack.account()
    stack.call("POST", "/v1/textures", key=key, body={"prompt": "sand", "size": 32})
    stack.run_worker()
    assert stack.queue_depth("WEBHOOKS_QUEUE_URL") == 0


def test_webhook_urls_are_checked_when_submitted(stack):
    _, key = stack.account()
    before = stack.call("GET", "/v1/balance", key=key)[2]["total"]
    for url in ["http://10.0.0.5/hook", "https://169.254.169.254/latest", "ftp://example.com/x",
                "https://user:pw@example.com/", "http://[::ffff:10.0.0.1]/"]:
        status, _, err = stack.call("POST", "/v1/textures", key=key,
                                    body={"prompt": "sand", "size": 32, "webhook_url": url})
        assert (status, err["code"], err["details"]["field"]) == (400, "invalid_request", "webhook_url"), url
    assert stack.call("GET", "/v1/balance", key=key)[2]["total"] == before
    assert stack.call("GET", "/v1/jobs", key=key)[2]["jobs"] == []
