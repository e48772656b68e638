"""The delivery log: one item per webhook attempt, listed per job (GET /v1/jobs/{id}/deliveries).

Deliveries table: partition key ``job_id``, sort key ``delivery_id`` =
``<UTC time, microseconds>#<event id>#<attempt>#<random>`` so a query returns attempts oldest first;
items expire (``expires_at``) after 30 days.
``ddb`` is a boto3 DynamoDB *client*.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from functions.webhooks.sender import Attempt

RETENTION = timedelta(days=30)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso(value: datetime) -> str:
    # fixed width, so the strings sort in time order
    return _utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_attempt(ddb, table: str, *, job_id: str, account_id: str, event_id: str, event_type: str,
                   attempt_number: int, attempt: Attempt, url_host: str, at: datetime,
                   next_retry_at: datetime | None) -> None:
    at_iso = _iso(at)
    item: dict[str, dict[str, Any]] = {
        "job_id": {"S": job_id},
        "delivery_id": {"S": f"{at_iso}#{event_id}#{attempt_number:03d}#{uuid.uuid4().hex[:12]}"},
        "account_id": {"S": account_id},
        "event_id": {"S": event_id},
        "event_type": {"S": event_type},
        "attempt": {"N": str(int(attempt_number))},
        "latency_ms": {"N": str(int(attempt.latency_ms))},
        "ok": {"BOOL": bool(attempt.ok)},
        "url_host": {"S": url_host},
        "at": {"S": at_iso},
        "expires_at": {"N": str(int((_utc(at) + RETENTION).timestamp()))},
        "status_code": (
            {"NULL": True} if attempt.status_code is None else {"N": str(int(attempt.status_code))}
        ),
        "error": {"NULL": True} if attempt.error is None else {"S": attempt.error},
        "next_retry_at": {"NULL": True} if next_retry_at is None else {"S": _iso(next_retry_at)},
    }
    ddb.put_item(TableName=table, Item=item)


def _value(attr: dict[str, Any] | None) -> Any:
    if not attr or "NULL" in attr:
        return None
    if "N" in attr:
        return int(attr["N"])
    if "BOOL" in attr:
        return attr["BOOL"]
    return attr.get("S")


def list_deliveries(ddb, table: str, job_id: str) -> list[dict]:
    """Every recorded attempt for ``job_id``, oldest first, as JSON-ready dicts."""
    out: list[dict] = []
    kwargs: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "job_id = :j",
        "ExpressionAttributeValues": {":j": {"S": job_id}},
        "ScanIndexForward": True,
    }
    while True:
        page = ddb.query(**kwargs)
        for item in page.get("Items", []):
            out.append({
                "event_id": _value(item.get("event_id")),
                "event_type": _value(item.get("event_type")),
                "attempt": _value(item.get("attempt")),
                "status_code": _value(item.get("status_code")),
                "latency_ms": _value(item.get("latency_ms")),
                "error": _value(item.get("error")),
                "ok": bool(_value(item.get("ok"))),
                "at": _value(item.get("at")),
                "next_retry_at": _value(item.get("next_retry_at")),
            })
        if "LastEvaluatedKey" not in page:
            return out
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
