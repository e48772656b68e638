"""Standard Webhooks secrets and signature headers."""
from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from functions.webhooks.signing import new_webhook_secret, signature_headers


def test_secret_format():
    secret = new_webhook_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    assert new_webhook_secret() != secret


def test_headers_verify_with_the_library():
    secret = new_webhook_secret()
    body = b'{"type":"job.completed","data":{"id":"job_1","name":"caf\xc3\xa9"}}'
    now = datetime.now(UTC)
    headers = signature_headers(secret, message_id="evt_1", timestamp=now, body=body)
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-id"] == "evt_1"
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers)["data"]["name"] == "café"


def test_tampering_or_another_secret_fails():
    secret = new_webhook_secret()
    body = b'{"a":1}'
    headers = signature_headers(secret, message_id="evt_1", timestamp=datetime.now(UTC), body=body)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"a":2}', headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, {**headers, "webhook-id": "evt_2"})


def test_non_utc_and_naive_timestamps_mean_the_same_instant():
    secret = new_webhook_secret()
    body = b"{}"
    instant = datetime.now(UTC).replace(microsecond=0)
    utc = signature_headers(secret, message_id="m", timestamp=instant, body=body)
    plus5 = signature_headers(secret, message_id="m", timestamp=instant.astimezone(timezone(timedelta(hours=5))),
                              body=body)
    naive = signature_headers(secret, message_id="m", timestamp=instant.replace(tzinfo=None), body=body)
    assert utc == plus5 == naive
    Webhook(secret).verify(body, plus5)
