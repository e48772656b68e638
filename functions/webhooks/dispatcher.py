"""Deliver one job event to its webhook: build, sign, send, record, then retry later or dead-letter.

Pure orchestration: every input and output is injected, so this module never touches AWS.
One call handles one attempt; a failed attempt is retried by re-queueing the event with a delay
(SQS ``DelaySeconds``), so no function ever sleeps waiting for a receiver.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from aws_lambda_powertools import Logger

from functions.webhooks.sender import Attempt
from functions.webhooks.signing import signature_headers

logger = Logger(child=True)

# Delay before attempt n+1 after attempt n failed: 5 s, 25 s, 125 s, 625 s, then the SQS maximum.
RETRY_DELAYS_SECONDS = (5, 25, 125, 625, 900, 900, 900)
MAX_ATTEMPTS = len(RETRY_DELAYS_SECONDS) + 1  # 8
SQS_MAX_DELAY_SECONDS = 900
EVENT_TYPES = ("job.completed", "job.failed", "job.cancelled")


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: str
    payload: dict


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):  # numbers read from DynamoDB
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _iso(value: datetime) -> str:
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _unwrap(message: dict) -> tuple[dict, int]:
    """(EventBridge envelope, attempt number) from either a first delivery or a retry wrapper."""
    if "event" in message and "attempt" in message:
        return message["event"], int(message["attempt"])
    return message, 1


def build_body(event_type: str, event_time: str, payload: dict) -> bytes:
    """The webhook body, Standard Webhooks style: ``{"type", "timestamp", "data"}`` as compact JSON."""
    document = {"type": event_type, "timestamp": event_time, "data": payload}
    return json.dumps(document, separators=(",", ":"), default=_json_default).encode("utf-8")


def dispatch(message: dict, *, load_target: Callable[[str, str], WebhookTarget | None],
             send: Callable[..., Attempt], record: Callable[..., None],
             schedule_retry: Callable[[dict, int], None], dead_letter: Callable[[dict], None],
             now: Callable[[], datetime]) -> None:
    """Make one delivery attempt for ``message``.

    ``send(url, body, headers) -> Attempt``; ``record(**fields)`` (the keyword arguments of
    ``deliveries.record_attempt`` after ``ddb`` and ``table``); ``schedule_retry(message, delay_s)``
    re-queues ``{"event": envelope, "attempt": n}``; ``dead_letter(message)`` after the last attempt.
    Errors from ``schedule_retry``/``dead_letter``/``load_target`` propagate, so the queue redelivers.
    """
    try:
        envelope, attempt_number = _unwrap(message)
        event_type = envelope["detail-type"]
        detail = envelope["detail"]
        job_id, account_id = str(detail["job_id"]), str(detail["account_id"])
        event_id = str(detail.get("event_id") or envelope["id"])
        if event_type not in EVENT_TYPES or attempt_number < 1:
            raise ValueError(f"unexpected event type or attempt: {event_type!r}, {attempt_number!r}")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        logger.error("Malformed webhook message; dead-lettered", extra={"error": str(exc)})
        dead_letter(message)
        return

    log = {"job_id": job_id, "account_id": account_id, "event_id": event_id, "event_type": event_type,
           "attempt": attempt_number}
    target = load_target(job_id, account_id)
    if target is None:
        logger.info("No webhook target (job gone, no URL, or account mismatch); dropped", extra=log)
        return

    sent_at = now()
    event_time = envelope.get("time") or _iso(sent_at)  # stable across retries
    body = build_body(event_type, event_time, target.payload)
    headers = signature_headers(target.secret, message_id=event_id, timestamp=sent_at, body=body)
    result = send(target.url, body, headers)
    url_host = _host(target.url)

    retry_delay: int | None = None
    if not result.ok and attempt_number < MAX_ATTEMPTS:
        retry_delay = min(RETRY_DELAYS_SECONDS[attempt_number - 1], SQS_MAX_DELAY_SECONDS)
    finished = now()
    next_retry_at = finished + timedelta(seconds=retry_delay) if retry_delay is not None else None

    log.update(host=url_host, ok=result.ok, status_code=result.status_code, latency_ms=result.latency_ms,
               error=result.error, retry_in_s=retry_delay)
    try:
        record(job_id=job_id, account_id=account_id, event_id=event_id, event_type=event_type,
               attempt_number=attempt_number, attempt=result, url_host=url_host, at=sent_at,
               next_retry_at=next_retry_at)
    except Exception:
        # The delivery itself happened; failing here would make the queue POST it again.
        logger.exception("Could not record the webhook delivery attempt", extra=log)

    if result.ok:
        logger.info("Webhook delivered", extra=log)
    elif retry_delay is not None:
        logger.warning("Webhook attempt failed; retry scheduled", extra=log)
        schedule_retry({"event": envelope, "attempt": attempt_number + 1}, retry_delay)
    else:
        logger.error("Webhook attempts exhausted; dead-lettered", extra=log)
        dead_letter(message)
