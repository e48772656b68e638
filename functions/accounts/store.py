"""Accounts and their ledger in DynamoDB. Every function takes the boto3 client as an argument.

Balances change only by a versioned read-modify-write of the account item in the same transaction
that writes the ledger entry, so the ledger and the balance cannot disagree.
"""
from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from functions.accounts import ledger
from functions.accounts.ledger import Balance, Change
from functions.accounts.plans import plan_named
from functions.common.clock import iso, parse_iso
from functions.common.dynamo import cancellation_codes, from_item, to_item, values
from functions.common.errors import NotFound

T = TypeVar("T")


class VersionConflict(Exception):
    """Someone changed the account between our read and our write: read again and retry."""


def new_account_id() -> str:
    return f"acct_{uuid.uuid4().hex[:20]}"


def retry_on_conflict(operation: Callable[[], T], *, attempts: int = 12) -> T:
    for attempt in range(attempts):
        try:
            return operation()
        except VersionConflict:
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0, 0.005 * (2 ** min(attempt, 6))))
    raise AssertionError("unreachable")


def is_conflict(error: ClientError, *, account_index: int | None) -> bool:
    """A cancelled transaction is a retryable conflict when the account's version check (or a
    concurrent transaction) is what stopped it."""
    code = error.response["Error"]["Code"]
    if code == "TransactionConflictException":
        return True
    if code != "TransactionCanceledException":
        return False
    reasons = cancellation_codes(error)
    if "TransactionConflict" in reasons:
        return True
    return account_index is not None and len(reasons) > account_index and \
        reasons[account_index] == "ConditionalCheckFailed"


def get_account(ddb, table: str, account_id: str) -> dict[str, Any]:
    item = from_item(ddb.get_item(TableName=table, Key={"account_id": {"S": account_id}},
                                  ConsistentRead=True).get("Item"))
    if item is None:
        raise NotFound("No such account.", {"account_id": account_id})
    return item


def balance_of(account: dict[str, Any]) -> Balance:
    return Balance(monthly_remaining=int(account["monthly_remaining"]),
                   purchased=int(account["purchased_balance"]),
                   renews_at=parse_iso(account["renews_at"]))


def renewed(account: dict[str, Any], now: datetime) -> tuple[Balance, list[Change]]:
    allotment = plan_named(account["plan"]).monthly_credits
    return ledger.renew(balance_of(account), allotment=allotment, now=now)


def ledger_entry(table: str, account_id: str, change: Change, now: datetime, *,
                 job_id: str | None = None, note: str | None = None) -> dict[str, Any]:
    entry = {
        "account_id": account_id,
        "entry_id": f"{iso(now)}#{uuid.uuid4().hex[:12]}",
        "kind": change.kind,
        "amount": change.amount,
        "monthly": change.monthly,
        "purchased": change.purchased,
        "job_id": job_id,
        "note": note,
        "at": iso(now),
    }
    return {"Put": {"TableName": table, "Item": to_item(entry),
                    "ConditionExpression": "attribute_not_exists(entry_id)"}}


def versioned_update(table: str, account: dict[str, Any], balance: Balance, *,
                     counters: dict[str, int] | None = None, sets: dict[str, Any] | None = None,
                     condition: str | None = None, condition_values: dict[str, Any] | None = None
                     ) -> dict[str, Any]:
    """Write a new balance (and counter moves) only if the account is still the version we read."""
    assignments = ["monthly_remaining = :m", "purchased_balance = :p", "renews_at = :r", "version = :next"]
    vals: dict[str, Any] = {":m": balance.monthly_remaining, ":p": balance.purchased,
                            ":r": iso(balance.renews_at), ":v": int(account["version"]),
                            ":next": int(account["version"]) + 1}
    names: dict[str, str] = {}
    for i, (name, delta) in enumerate((counters or {}).items()):
        names[f"#c{i}"] = name
        assignments.append(f"#c{i} = #c{i} + :c{i}")
        vals[f":c{i}"] = delta
    for i, (name, value) in enumerate((sets or {}).items()):
        names[f"#s{i}"] = name
        assignments.append(f"#s{i} = :s{i}")
        vals[f":s{i}"] = value
    cond = "version = :v" + (f" AND ({condition})" if condition else "")
    vals.update(condition_values or {})
    update = {"TableName": table, "Key": {"account_id": {"S": account["account_id"]}},
              "UpdateExpression": "SET " + ", ".join(assignments),
              "ConditionExpression": cond, "ExpressionAttributeValues": values(vals)}
    if names:
        update["ExpressionAttributeNames"] = names
    return {"Update": update}


def transact(ddb, items: list[dict[str, Any]], *, account_index: int | None) -> None:
    try:
        ddb.transact_write_items(TransactItems=items)
    except ClientError as error:
        if is_conflict(error, account_index=account_index):
            raise VersionConflict() from error
        raise


def create_account(ddb, tables: dict[str, str], *, plan: str, credits: int, now: datetime,
                   name: str | None = None, webhook_secret: str, account_id: str | None = None
                   ) -> dict[str, Any]:
    chosen = plan_named(plan)
    account_id = account_id or new_account_id()
    account = {
        "account_id": account_id, "plan": chosen.name, "name": name,
        "monthly_remaining": chosen.monthly_credits, "purchased_balance": credits,
        "renews_at": iso(ledger.first_renewal(now)), "active_jobs": 0, "active_keys": 0,
        "webhook_secret": webhook_secret, "created_at": iso(now), "version": 0,
    }
    items = [{"Put": {"TableName": tables["accounts"], "Item": to_item(account),
                      "ConditionExpression": "attribute_not_exists(account_id)"}}]
    if chosen.monthly_credits:
        items.append(ledger_entry(tables["ledger"], account_id,
                                  Change("monthly_grant", chosen.monthly_credits, 0), now))
    if credits:
        items.append(ledger_entry(tables["ledger"], account_id, ledger.grant(credits), now,
                                  note="initial credits"))
    ddb.transact_write_items(TransactItems=items)
    return account


def grant_credits(ddb, tables: dict[str, str], account_id: str, amount: int, *, now: datetime,
                  note: str | None = None) -> dict[str, Any]:
    change = ledger.grant(amount)

    def attempt() -> dict[str, Any]:
        account = get_account(ddb, tables["accounts"], account_id)
        balance, renewals = renewed(account, now)
        balance = ledger.apply(balance, change)
        items = [versioned_update(tables["accounts"], account, balance)]
        items += [ledger_entry(tables["ledger"], account_id, c, now) for c in renewals]
        items.append(ledger_entry(tables["ledger"], account_id, change, now, note=note))
        transact(ddb, items, account_index=0)
        return get_account(ddb, tables["accounts"], account_id)

    return retry_on_conflict(attempt)


def set_plan(ddb, tables: dict[str, str], account_id: str, plan: str, *, now: datetime) -> dict[str, Any]:
    """Change plan now. This month's monthly credits become the new allotment less what was already
    spent this month, so an upgrade helps at once and a downgrade cannot go below zero."""
    new = plan_named(plan)

    def attempt() -> dict[str, Any]:
        account = get_account(ddb, tables["accounts"], account_id)
        balance, renewals = renewed(account, now)
        old_allotment = plan_named(account["plan"]).monthly_credits
        spent = max(0, old_allotment - balance.monthly_remaining)
        target = max(0, new.monthly_credits - spent)
        change = Change("plan_change", target - balance.monthly_remaining, 0)
        balance = ledger.apply(balance, change)
        items = [versioned_update(tables["accounts"], account, balance, sets={"plan": new.name})]
        items += [ledger_entry(tables["ledger"], account_id, c, now) for c in renewals]
        if change.amount:
            items.append(ledger_entry(tables["ledger"], account_id, change, now,
                                      note=f"plan {account['plan']} -> {new.name}"))
        transact(ddb, items, account_index=0)
        return get_account(ddb, tables["accounts"], account_id)

    return retry_on_conflict(attempt)


def list_ledger(ddb, table: str, account_id: str, *, limit: int, cursor: dict | None) -> tuple[list[dict], dict | None]:
    kwargs: dict[str, Any] = {
        "TableName": table, "KeyConditionExpression": "account_id = :a",
        "ExpressionAttributeValues": values({":a": account_id}), "ScanIndexForward": False, "Limit": limit,
    }
    if cursor:
        kwargs["ExclusiveStartKey"] = cursor
    page = ddb.query(**kwargs)
    return [from_item(i) for i in page.get("Items", [])], page.get("LastEvaluatedKey")


def all_ledger_entries(ddb, table: str, account_id: str) -> list[dict]:
    entries: list[dict] = []
    cursor = None
    while True:
        page, cursor = list_ledger(ddb, table, account_id, limit=500, cursor=cursor)
        entries += page
        if not cursor:
            return entries


def set_webhook_secret(ddb, table: str, account_id: str, secret: str) -> None:
    ddb.update_item(TableName=table, Key={"account_id": {"S": account_id}},
                    UpdateExpression="SET webhook_secret = :s",
                    ConditionExpression="attribute_exists(account_id)",
                    ExpressionAttributeValues=values({":s": secret}))
