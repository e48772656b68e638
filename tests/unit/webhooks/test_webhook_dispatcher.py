"""The dispatcher: payload, signing, recording, retry schedule, dead-lettering."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from functions.webhooks.dispatcher import MAX_ATTEMPTS, RETRY_DELAYS_SECONDS, WebhookTarget, dispatch
from functions.webhooks.sender import Attempt
from functions.webhooks.signing import new_webhook_secret

SECRET = new_webhook_secret()
URL = "https://hooks.example.com/pixelforge?token=abc"
PAYLOAD = {"id": "job_1", "status": "completed", "assets": []}
OK = Attempt(status_code=200, latency_ms=12, error=None, ok=True)
FAIL = Attempt(status_code=500, latency_ms=30, error="HTTP 500", ok=False)


def envelope(event_type="job.completed", event_id="evt_123", **detail):
    return {
        "version": "0", "id": "eb-envelope-id", "detail-type": event_type, "source": "pixelforge.jobs",
        "time": "2026-01-02T03:04:05Z",
        "detail": {"job_id": "job_1", "account_id": "acct_1", "status": "completed", "has_webhook": True,
                   "event_id": event_id, **detail},
    }


class Harness:
    def __init__(self, results=None, target=WebhookTarget(URL, SECRET, PAYLOAD), start=None):
        self.results = list(results or [])
        self.target = target
        self.clock = start or datetime.now(UTC)
        self.sent: list[tuple[str, bytes, dict]] = []
        self.recorded: list[dict] = []
        self.retries: list[tuple[dict, int]] = []
        self.dead: list[dict] = []
        self.loaded: list[tuple[str, str]] = []

    def load_target(self, job_id, account_id):
        self.loaded.append((job_id, account_id))
        return self.target

    def send(self, url, body, headers):
        self.sent.append((url, body, headers))
        return self.results.pop(0) if self.results else FAIL

    def record(self, **fields):
        self.recorded.append(fields)

    def schedule_retry(self, message, delay):
        self.retries.append((message, delay))

    def dead_letter(self, message):
        self.dead.append(message)

    def now(self):
        return self.clock

    def run(self, message):
        dispatch(message, load_target=self.load_target, send=self.send, record=self.record,
                 schedule_retry=self.schedule_retry, dead_letter=self.dead_letter, now=self.now)

    def run_until_done(self, message, limit=20):
        """Dispatch, then each scheduled retry in turn (advancing the clock by its delay)."""
        for _ in range(limit):
            before = len(self.retries)
            self.run(message)
            if len(self.retries) == before:
                return
            message, delay = self.retries[-1]
            self.clock += timedelta(seconds=delay)
        raise AssertionError("never finished")


def test_successful_delivery_is_signed_recorded_and_final():
    h = Harness([OK])
    h.run(envelope())
    assert h.loaded == [("job_1", "acct_1")]
    [(url, body, headers)] = h.sent
    assert url == URL
    assert Webhook(SECRET).verify(body, headers) == {
        "type": "job.completed", "timestamp": "2026-01-02T03:04:05Z", "data": PAYLOAD}
    assert headers["webhook-id"] == "evt_123"
    assert headers["webhook-timestamp"] == str(int(h.clock.timestamp()))
    [rec] = h.recorded
    assert rec == {"job_id": "job_1", "account_id": "acct_1", "event_id": "evt_123",
                   "event_type": "job.completed", "attempt_number": 1, "attempt": OK,
                   "url_host": "hooks.example.com", "at": h.clock, "next_retry_at": None}
    assert h.retries == [] and h.dead == []


@pytest.mark.parametrize("event_type", ["job.completed", "job.failed", "job.cancelled"])
def test_event_type_is_the_payload_type(event_type):
    h = Harness([OK])
    h.run(envelope(event_type))
    assert json.loads(h.sent[0][1])["type"] == event_type


def test_retry_schedule_then_dead_letter():
    assert RETRY_DELAYS_SECONDS[:3] == (5, 25, 125)
    assert MAX_ATTEMPTS >= 5
    h = Harness()
    first = envelope()
    h.run_until_done(first)
    assert len(h.sent) == MAX_ATTEMPTS == 8
    assert [delay for _, delay in h.retries] == [5, 25, 125, 625, 900, 900, 900]
    assert all(delay <= 900 for _, delay in h.retries)  # the SQS maximum
    assert [m["attempt"] for m, _ in h.retries] == list(range(2, 9))
    assert all(m["event"] == first for m, _ in h.retries)
    assert [r["attempt_number"] for r in h.recorded] == list(range(1, 9))
    for rec, (_, delay) in zip(h.recorded, h.retries, strict=False):
        assert rec["next_retry_at"] == rec["at"] + timedelta(seconds=delay)
    assert h.recorded[-1]["next_retry_at"] is None
    assert h.dead == [h.retries[-1][0]]  # the message of the last attempt


def test_webhook_id_is_stable_across_retries():
    h = Harness()
    h.run_until_done(envelope(event_id="evt_stable"))
    ids = {headers["webhook-id"] for _, _, headers in h.sent}
    timestamps = [headers["webhook-timestamp"] for _, _, headers in h.sent]
    assert ids == {"evt_stable"}
    assert len(set(timestamps)) == len(timestamps)  # each attempt is signed at its own time
    assert {r["event_id"] for r in h.recorded} == {"evt_stable"}


def test_event_id_falls_back_to_the_envelope_id():
    h = Harness([OK])
    message = envelope()
    del message["detail"]["event_id"]
    h.run(message)
    assert h.sent[0][2]["webhook-id"] == "eb-envelope-id"


def test_every_retry_signature_verifies():
    h = Harness([FAIL, FAIL, OK])
    h.run_until_done(envelope())
    assert len(h.sent) == 3 and h.dead == []
    for _, body, headers in h.sent:
        ts = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
        expected = Webhook(SECRET).sign(headers["webhook-id"], ts, body.decode())
        assert headers["webhook-signature"] == expected
    assert [r["attempt"].ok for r in h.recorded] == [False, False, True]


def test_stops_after_success_on_a_retry():
    h = Harness([FAIL, OK])
    h.run_until_done(envelope())
    assert len(h.sent) == 2 and len(h.retries) == 1 and h.dead == []


def test_last_attempt_from_a_retry_wrapper_dead_letters_that_message():
    h = Harness([FAIL])
    message = {"event": envelope(), "attempt": MAX_ATTEMPTS}
    h.run(message)
    assert h.retries == [] and h.dead == [message]
    assert h.recorded[0]["attempt_number"] == MAX_ATTEMPTS


def test_dropped_when_there_is_no_target():
    h = Harness([OK], target=None)
    h.run(envelope())
    assert h.loaded == [("job_1", "acct_1")]
    assert h.sent == [] and h.recorded == [] and h.retries == [] and h.dead == []


@pytest.mark.parametrize("message", [
    {},
    {"detail-type": "job.completed"},
    {"id": "x", "detail-type": "job.exploded", "detail": {"job_id": "j", "account_id": "a"}},
    {"id": "x", "detail-type": "job.completed", "detail": {"account_id": "a"}},
    {"event": {"id": "x"}, "attempt": 2},
    {"event": envelope(), "attempt": "zero"},
])
def test_malformed_messages_are_dead_lettered_without_sending(message):
    h = Harness([OK])
    h.run(message)
    assert h.sent == [] and h.dead == [message]


def test_a_failing_recorder_does_not_cause_a_second_post():
    h = Harness([FAIL])

    def broken_record(**fields):
        raise RuntimeError("ddb down")

    dispatch(envelope(), load_target=h.load_target, send=h.send, record=broken_record,
             schedule_retry=h.schedule_retry, dead_letter=h.dead_letter, now=h.now)
    assert len(h.sent) == 1 and len(h.retries) == 1


def test_a_failing_retry_schedule_propagates_so_the_queue_redelivers():
    h = Harness([FAIL])

    def broken_schedule(message, delay):
        raise RuntimeError("sqs down")

    with pytest.raises(RuntimeError):
        dispatch(envelope(), load_target=h.load_target, send=h.send, record=h.record,
                 schedule_retry=broken_schedule, dead_letter=h.dead_letter, now=h.now)


def test_decimal_payload_values_are_json():
    from decimal import Decimal
    h = Harness([OK], target=WebhookTarget(URL, SECRET, {"cost": Decimal("3"), "ratio": Decimal("0.5")}))
    h.run(envelope())
    assert json.loads(h.sent[0][1])["data"] == {"cost": 3, "ratio": 0.5}
