"""Idempotency-Key records, as Powertools' DynamoDB persistence layer keeps them: claimed with a
conditional put before the work, completed with the response after it, dropped if the work failed
on our side so the caller may retry.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from functions.common.dynamo import from_item, to_item, values
from functions.common.errors import IdempotencyInProgress, IdempotencyMismatch, InvalidRequest

RECORD_TTL_SECONDS = 24 * 3600
# A claim older than this is taken to belong to a request that died; the key can be used again.
IN_PROGRESS_SECONDS = 60
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


def fingerprint(method: str, path: str, body: str | None) -> str:
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")) if body else ""
    except ValueError:
        canonical = body or ""
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def record_id(account_id: str, key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidRequest("Idempotency-Key must be 1-255 printable characters.",
                             {"field": "Idempotency-Key"})
    return f"{account_id}#{key}"


def claim(ddb, table: str, rid: str, fp: str, *, now: float) -> StoredResponse | None:
    """None: the caller owns the key and must do the work. A StoredResponse: replay it."""
    try:
        ddb.put_item(
            TableName=table,
            Item=to_item({"idempotency_id": rid, "fingerprint": fp, "status": "in_progress",
                          "claimed_at": now, "expires_at": int(now) + RECORD_TTL_SECONDS}),
            ConditionExpression="attribute_not_exists(idempotency_id) OR (#s = :p AND claimed_at < :stale)"
                                " OR expires_at < :now",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=values({":p": "in_progress", ":stale": now - IN_PROGRESS_SECONDS,
                                              ":now": int(now)}),
        )
        return None
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    record = from_item(ddb.get_item(TableName=table, Key={"idempotency_id": {"S": rid}},
                                    ConsistentRead=True).get("Item")) or {}
    if record.get("fingerprint") != fp:
        raise IdempotencyMismatch("This Idempotency-Key was used with a different request.",
                                  {"header": "Idempotency-Key"})
    if record.get("status") != "completed":
        raise IdempotencyInProgress("A request with this Idempotency-Key is still being processed; retry shortly.",
                                    {"header": "Idempotency-Key"}, headers={"Retry-After": "1"})
    return StoredResponse(status=int(record["response_status"]), body=record["response_body"],
                          headers=dict(record.get("response_headers") or {}))


def complete(ddb, table: str, rid: str, fp: str, response: StoredResponse, *, now: float) -> None:
    ddb.put_item(TableName=table, Item=to_item({
        "idempotency_id": rid, "fingerprint": fp, "status": "completed", "claimed_at": now,
        "expires_at": int(now) + RECORD_TTL_SECONDS, "response_status": response.status,
        "response_body": response.body, "response_headers": response.headers,
    }))


def release(ddb, table: str, rid: str) -> None:
    ddb.delete_item(TableName=table, Key={"idempotency_id": {"S": rid}})


def job_id_for(rid: str) -> str:
    """Jobs made under an idempotency key get an id derived from it, so even a request that outlived
    its claim cannot create (and charge for) a second job."""
    return "job_" + hashlib.sha256(rid.encode()).hexdigest()[:24]


def as_json(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))
