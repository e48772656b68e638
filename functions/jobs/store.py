"""Jobs in DynamoDB. A job's status moves only by conditional writes on the status it was read in;
terminal moves change the account (active job count, refund) and the ledger in the same transaction,
so a job is charged once and refunded at most once, whatever is retried or duplicated.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from functions.accounts import ledger
from functions.accounts.ledger import Change
from functions.accounts.plans import plan_named
from functions.accounts.store import (
    VersionConflict,
    get_account,
    is_conflict,
    ledger_entry,
    renewed,
    retry_on_conflict,
    transact,
    versioned_update,
)
from functions.common.clock import iso, parse_iso
from functions.common.dynamo import cancellation_codes, from_item, to_item, to_value, values
from functions.common.errors import ConcurrencyLimited, NotFound
from functions.common.pagination import decode_cursor, encode_cursor

ACTIVE = ("queued", "processing")
TERMINAL = ("completed", "failed", "cancelled")
STATUSES = ACTIVE + TERMINAL


class JobStateChanged(Exception):
    """The job was no longer in the status a transition expected (finished, cancelled or deleted)."""


def get_job(ddb, table: str, job_id: str, *, consistent: bool = True) -> dict[str, Any] | None:
    return from_item(ddb.get_item(TableName=table, Key={"job_id": {"S": job_id}},
                                  ConsistentRead=consistent).get("Item"))


def get_owned_job(ddb, table: str, job_id: str, account_id: str) -> dict[str, Any]:
    """404 for missing and for not yours alike: a caller learns nothing about other accounts' jobs."""
    job = get_job(ddb, table, job_id) if job_id.startswith("job_") else None
    if job is None or job["account_id"] != account_id:
        raise NotFound("No such job.", {"job_id": job_id})
    return job


def create_with_debit(ddb, tables: dict[str, str], job: dict[str, Any], *, now: datetime) -> tuple[dict, bool]:
    """Create the job and charge its cost in one transaction. Returns (job, created); created is False
    when a job with this id already existed (a replayed idempotent submit): nothing is charged again."""
    cost = int(job["cost"])

    def attempt() -> tuple[dict, bool]:
        account = get_account(ddb, tables["accounts"], job["account_id"])
        cap = plan_named(account["plan"]).max_concurrent_jobs
        if int(account["active_jobs"]) >= cap:
            raise ConcurrencyLimited(
                f"The {account['plan']} plan runs {cap} job(s) at a time; wait for one to finish.",
                {"max_concurrent_jobs": cap, "active_jobs": int(account["active_jobs"])},
                headers={"Retry-After": "2"})
        balance, renewals = renewed(account, now)
        balance, change = ledger.debit(balance, cost)
        record = dict(job, charge={"monthly": -change.monthly, "purchased": -change.purchased,
                                   "period": iso(balance.renews_at)})
        items = [
            versioned_update(tables["accounts"], account, balance, counters={"active_jobs": 1},
                             condition="active_jobs < :cap", condition_values={":cap": cap}),
            {"Put": {"TableName": tables["jobs"], "Item": to_item(record),
                     "ConditionExpression": "attribute_not_exists(job_id)"}},
        ]
        items += [ledger_entry(tables["ledger"], account["account_id"], c, now) for c in renewals]
        items.append(ledger_entry(tables["ledger"], account["account_id"], change, now, job_id=job["job_id"]))
        try:
            transact(ddb, items, account_index=0)
        except ClientError as error:
            if cancellation_codes(error)[1:2] == ["ConditionalCheckFailed"]:
                existing = get_job(ddb, tables["jobs"], job["job_id"])
                if existing is not None:
                    return existing, False
            raise
        return record, True

    return retry_on_conflict(attempt)


def finish(ddb, tables: dict[str, str], job_id: str, *, status: str, expected: tuple[str, ...], now: datetime,
           refund: bool, sets: dict[str, Any] | None = None, job: dict[str, Any] | None = None) -> dict[str, Any]:
    """Move a job to a terminal status; free its concurrency slot; refund it if asked. Exactly once.

    Without a refund the balance does not move, so a caller that holds the job (the worker) skips the
    reads: the status condition alone keeps the move exactly-once."""
    assert status in TERMINAL
    if not refund and job is not None:
        return _finish_without_refund(ddb, tables, job, status=status, expected=expected, now=now, sets=sets)

    def attempt() -> dict[str, Any]:
        job = get_job(ddb, tables["jobs"], job_id)
        if job is None or job["status"] not in expected:
            raise JobStateChanged(job_id)
        account = get_account(ddb, tables["accounts"], job["account_id"])
        balance, renewals = renewed(account, now)
        entries = [ledger_entry(tables["ledger"], account["account_id"], c, now) for c in renewals]
        refunded = False
        if refund and int(job.get("cost", 0)) > 0:
            charge = job["charge"]
            change = ledger.refund_of(Change("debit", -int(charge["monthly"]), -int(charge["purchased"])),
                                      debited_in_period=parse_iso(charge["period"]), balance=balance)
            balance = ledger.apply(balance, change)
            entries.append(ledger_entry(tables["ledger"], account["account_id"], change, now, job_id=job_id))
            refunded = True
        updates = dict(sets or {}, status=status, finished_at=iso(now), refunded=refunded)
        items = [versioned_update(tables["accounts"], account, balance, counters={"active_jobs": -1}),
                 _status_update(tables["jobs"], job_id, updates, expected), *entries]
        try:
            transact(ddb, items, account_index=0)
        except ClientError as error:
            if cancellation_codes(error)[1:2] == ["ConditionalCheckFailed"]:
                raise VersionConflict() from error  # the job moved meanwhile: re-read decides
            raise
        return dict(job, **updates)

    return retry_on_conflict(attempt)


def _status_update(table: str, job_id: str, updates: dict[str, Any], expected: tuple[str, ...]) -> dict[str, Any]:
    names = {f"#u{i}": k for i, k in enumerate(updates)}
    vals = {f":u{i}": v for i, v in enumerate(updates.values())}
    vals.update({f":e{i}": s for i, s in enumerate(expected)})
    return {"Update": {
        "TableName": table, "Key": {"job_id": {"S": job_id}},
        "UpdateExpression": "SET " + ", ".join(f"#u{i} = :u{i}" for i in range(len(updates))),
        "ConditionExpression": f"#st IN ({', '.join(f':e{i}' for i in range(len(expected)))})",
        "ExpressionAttributeNames": dict(names, **{"#st": "status"}),
        "ExpressionAttributeValues": values(vals),
    }}


def _finish_without_refund(ddb, tables: dict[str, str], job: dict[str, Any], *, status: str,
                           expected: tuple[str, ...], now: datetime, sets: dict[str, Any] | None) -> dict[str, Any]:
    updates = dict(sets or {}, status=status, finished_at=iso(now), refunded=False)
    items = [
        _status_update(tables["jobs"], job["job_id"], updates, expected),
        {"Update": {"TableName": tables["accounts"], "Key": {"account_id": {"S": job["account_id"]}},
                    "UpdateExpression": "SET active_jobs = active_jobs - :one",
                    "ExpressionAttributeValues": values({":one": 1})}},
    ]

    def attempt() -> dict[str, Any]:
        try:
            ddb.transact_write_items(TransactItems=items)
        except ClientError as error:
            if cancellation_codes(error)[:1] == ["ConditionalCheckFailed"]:
                raise JobStateChanged(job["job_id"]) from error
            if is_conflict(error, account_index=None):
                raise VersionConflict() from error  # another transaction touched the account: again
            raise
        return dict(job, **updates)

    return retry_on_conflict(attempt)


def start_processing(ddb, table: str, job_id: str, *, now: datetime, lease_seconds: int) -> dict[str, Any] | None:
    """Claim a queued job (or one whose worker died: its lease ran out). None: someone else has it,
    or it is finished, cancelled or deleted; the message is then a duplicate."""
    try:
        result = ddb.update_item(
            TableName=table, Key={"job_id": {"S": job_id}},
            UpdateExpression="SET #st = :processing, started_at = if_not_exists(started_at, :now), "
                             "lease_until = :lease, attempts = if_not_exists(attempts, :zero) + :one",
            ConditionExpression="#st = :queued OR (#st = :processing AND lease_until < :now)",
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues=values({":processing": "processing", ":queued": "queued", ":now": iso(now),
                                              ":lease": iso(now + timedelta(seconds=lease_seconds)),
                                              ":zero": 0, ":one": 1}),
            ReturnValues="ALL_NEW")
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return None
        raise
    return from_item(result["Attributes"])


def begin_parts(ddb, table: str, job_id: str, parts: list[str]) -> None:
    ddb.update_item(TableName=table, Key={"job_id": {"S": job_id}}, UpdateExpression="SET parts_total = :n",
                    ConditionExpression="#st = :processing", ExpressionAttributeNames={"#st": "status"},
                    ExpressionAttributeValues=values({":n": len(parts), ":processing": "processing"}))


def part_done(ddb, table: str, job_id: str, part: str, *, render_ms: int) -> dict[str, Any] | None:
    """Record a finished part (a set: a duplicate delivery adds nothing). None: the job left processing."""
    try:
        result = ddb.update_item(
            TableName=table, Key={"job_id": {"S": job_id}},
            UpdateExpression="ADD parts_done :part, parts_render_ms :ms",
            ConditionExpression="#st = :processing", ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues={":part": {"SS": [part]}, ":ms": {"N": str(render_ms)},
                                       ":processing": {"S": "processing"}},
            ReturnValues="ALL_NEW")
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return None
        raise
    return from_item(result["Attributes"])


def claim_assembly(ddb, table: str, job_id: str) -> bool:
    """Exactly one worker assembles a job whose parts are all done."""
    try:
        ddb.update_item(TableName=table, Key={"job_id": {"S": job_id}}, UpdateExpression="SET assembling = :t",
                        ConditionExpression="attribute_not_exists(assembling) AND #st = :processing",
                        ExpressionAttributeNames={"#st": "status"},
                        ExpressionAttributeValues=values({":t": True, ":processing": "processing"}))
        return True
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise


def set_progress(ddb, table: str, job_id: str, progress: float) -> None:
    try:
        ddb.update_item(TableName=table, Key={"job_id": {"S": job_id}}, UpdateExpression="SET progress = :p",
                        ConditionExpression="#st = :processing", ExpressionAttributeNames={"#st": "status"},
                        ExpressionAttributeValues=values({":p": round(progress, 3), ":processing": "processing"}))
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def delete_job_item(ddb, table: str, job_id: str, account_id: str) -> None:
    try:
        ddb.delete_item(TableName=table, Key={"job_id": {"S": job_id}}, ConditionExpression="account_id = :a",
                        ExpressionAttributeValues={":a": to_value(account_id)})
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def list_jobs(ddb, table: str, account_id: str, *, limit: int, cursor: str | None,
              status: str | None, job_type: str | None) -> tuple[list[dict], str | None]:
    start = decode_cursor(cursor, account_id)
    filters, vals, names = [], {":a": account_id}, {}
    if status:
        filters.append("#st = :st")
        vals[":st"], names["#st"] = status, "status"
    if job_type:
        filters.append("#ty = :ty")
        vals[":ty"], names["#ty"] = job_type, "type"
    jobs: list[dict] = []
    while True:
        kwargs: dict[str, Any] = {"TableName": table, "IndexName": "by_account",
                                  "KeyConditionExpression": "account_id = :a", "ScanIndexForward": False,
                                  "ExpressionAttributeValues": values(vals), "Limit": limit - len(jobs)}
        if filters:
            kwargs["FilterExpression"] = " AND ".join(filters)
            kwargs["ExpressionAttributeNames"] = names
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = ddb.query(**kwargs)
        jobs += [from_item(i) for i in page.get("Items", [])]
        start = page.get("LastEvaluatedKey")
        if not start or len(jobs) >= limit:
            return jobs, encode_cursor(start)
