"""The delivery log on a DynamoDB table built from infra/resources.py (moto)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from functions.webhooks.deliveries import list_deliveries, record_attempt
from functions.webhooks.sender import Attempt
from infra.resources import TABLES

DELIVERIES = next(t for t in TABLES if t.name == "deliveries")
TABLE = "pixelforge-deliveries"
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def ddb(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("dynamodb")
        keys = [(DELIVERIES.partition_key, "HASH")] + ([(DELIVERIES.sort_key, "RANGE")] if DELIVERIES.sort_key else [])
        client.create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": n, "KeyType": k} for n, k in keys],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n, _ in keys])
        client.update_time_to_live(TableName=TABLE, TimeToLiveSpecification={
            "Enabled": True, "AttributeName": DELIVERIES.ttl_attribute})
        yield client


def rec(ddb, *, job_id="job_1", attempt_number=1, at=T0, attempt=None, next_retry_at=None,
        event_id="evt_1", event_type="job.completed"):
    record_attempt(ddb, TABLE, job_id=job_id, account_id="acct_1", event_id=event_id, event_type=event_type,
                   attempt_number=attempt_number,
                   attempt=attempt or Attempt(status_code=500, latency_ms=42, error="HTTP 500", ok=False),
                   url_host="hooks.example.com", at=at, next_retry_at=next_retry_at)


def test_table_definition_is_what_this_module_expects():
    assert (DELIVERIES.partition_key, DELIVERIES.sort_key, DELIVERIES.ttl_attribute) == \
        ("job_id", "delivery_id", "expires_at")


def test_attempts_are_listed_oldest_first(ddb):
    # written out of order, across a day boundary and a sub-second gap
    times = [T0 + timedelta(seconds=s) for s in (155, 0, 5, 30, 30.000001, 86400)]
    for n, at in sorted(enumerate(times, 1), key=lambda p: -p[0]):
        rec(ddb, attempt_number=n, at=at)
    listed = list_deliveries(ddb, TABLE, "job_1")
    assert [d["at"] for d in listed] == sorted(d["at"] for d in listed)
    assert [d["attempt"] for d in listed] == [2, 3, 4, 5, 1, 6]


def test_listed_fields_are_json_ready(ddb):
    rec(ddb, attempt_number=1, at=T0, next_retry_at=T0 + timedelta(seconds=5))
    rec(ddb, attempt_number=2, at=T0 + timedelta(seconds=6),
        attempt=Attempt(status_code=None, latency_ms=10000, error="timed out after 10s", ok=False),
        next_retry_at=T0 + timedelta(seconds=31))
    rec(ddb, attempt_number=3, at=T0 + timedelta(seconds=40),
        attempt=Attempt(status_code=204, latency_ms=7, error=None, ok=True))
    assert list_deliveries(ddb, TABLE, "job_1") == [
        {"event_id": "evt_1", "event_type": "job.completed", "attempt": 1, "status_code": 500, "latency_ms": 42,
         "error": "HTTP 500", "ok": False, "at": "2026-03-01T12:00:00.000000Z",
         "next_retry_at": "2026-03-01T12:00:05.000000Z"},
        {"event_id": "evt_1", "event_type": "job.completed", "attempt": 2, "status_code": None,
         "latency_ms": 10000, "error": "timed out after 10s", "ok": False, "at": "2026-03-01T12:00:06.000000Z",
         "next_retry_at": "2026-03-01T12:00:31.000000Z"},
        {"event_id": "evt_1", "event_type": "job.completed", "attempt": 3, "status_code": 204, "latency_ms": 7,
         "error": None, "ok": True, "at": "2026-03-01T12:00:40.000000Z", "next_retry_at": None},
    ]


def test_jobs_are_kept_apart_and_unknown_jobs_list_empty(ddb):
    rec(ddb, job_id="job_1")
    rec(ddb, job_id="job_2", event_id="evt_2", event_type="job.failed")
    assert [d["event_id"] for d in list_deliveries(ddb, TABLE, "job_1")] == ["evt_1"]
    assert [d["event_type"] for d in list_deliveries(ddb, TABLE, "job_2")] == ["job.failed"]
    assert list_deliveries(ddb, TABLE, "job_nope") == []


def test_items_expire_after_30_days_and_keep_account_and_host(ddb):
    rec(ddb, at=T0)
    [item] = ddb.scan(TableName=TABLE)["Items"]
    assert int(item["expires_at"]["N"]) == int((T0 + timedelta(days=30)).timestamp())
    assert item["account_id"]["S"] == "acct_1"
    assert item["url_host"]["S"] == "hooks.example.com"
    assert item["delivery_id"]["S"].startswith("2026-03-01T12:00:00.000000Z#evt_1#")


def test_same_instant_attempts_do_not_overwrite_each_other(ddb):
    rec(ddb, at=T0, attempt_number=1)
    rec(ddb, at=T0, attempt_number=1)
    assert len(list_deliveries(ddb, TABLE, "job_1")) == 2


def test_listing_follows_pages(ddb):
    for n in range(1, 31):
        rec(ddb, attempt_number=n, at=T0 + timedelta(seconds=n),
            attempt=Attempt(status_code=500, latency_ms=1, error="x" * 300, ok=False))
    real_query = ddb.query
    pages = []

    def small_pages(**kwargs):
        pages.append(kwargs.get("ExclusiveStartKey"))
        return real_query(**kwargs, Limit=7)

    ddb.query = small_pages
    listed = list_deliveries(ddb, TABLE, "job_1")
    assert [d["attempt"] for d in listed] == list(range(1, 31))
    assert len(pages) >= 5
