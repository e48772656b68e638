"""API keys in DynamoDB: created against the plan's cap, looked up by hash, revoked for good."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from functions.accounts import keys
from functions.accounts.plans import plan_named
from functions.common.clock import iso, parse_iso
from functions.common.dynamo import cancellation_codes, from_item, to_item, values
from functions.common.errors import ApiKeyRevoked, InvalidApiKey, KeyLimitReached, NotFound

# Writing last_used_at on every request would double the cost of auth; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def public_key(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["key_id"], "name": item.get("name"), "mode": item["mode"], "prefix": item["prefix"],
        "last_four": item["last_four"], "status": item["status"], "created_at": item["created_at"],
        "last_used_at": item.get("last_used_at"), "revoked_at": item.get("revoked_at"),
    }


def create_key(ddb, tables: dict[str, str], account: dict[str, Any], *, mode: str, name: str | None,
               now: datetime) -> tuple[str, dict[str, Any]]:
    """Returns the key itself (to show once) and its public record."""
    secret = keys.new_key(mode)
    cap = plan_named(account["plan"]).max_active_keys
    item = {
        "key_hash": keys.hash_key(secret), "key_id": f"key_{uuid.uuid4().hex[:20]}",
        "account_id": account["account_id"], "name": name, "mode": mode,
        "prefix": keys.display_prefix(secret), "last_four": keys.last_four(secret),
        "status": "active", "created_at": iso(now),
    }
    try:
        ddb.transact_write_items(TransactItems=[
            {"Update": {"TableName": tables["accounts"], "Key": {"account_id": {"S": account["account_id"]}},
                        "UpdateExpression": "SET active_keys = active_keys + :one",
                        "ConditionExpression": "attribute_exists(account_id) AND active_keys < :cap",
                        "ExpressionAttributeValues": values({":one": 1, ":cap": cap})}},
            {"Put": {"TableName": tables["api_keys"], "Item": to_item(item),
                     "ConditionExpression": "attribute_not_exists(key_hash)"}},
        ])
    except ClientError as error:
        if cancellation_codes(error)[:1] == ["ConditionalCheckFailed"]:
            raise KeyLimitReached(
                f"The {account['plan']} plan allows {cap} active keys; revoke one first.",
                {"max_active_keys": cap}) from error
        raise
    return secret, public_key(item)


def authenticate(ddb, table: str, presented: str | None, *, now: datetime) -> dict[str, Any]:
    if not presented or not keys.looks_like_key(presented):
        raise InvalidApiKey("Send a valid API key as 'Authorization: Bearer pf_...'.")
    item = from_item(ddb.get_item(TableName=table, Key={"key_hash": {"S": keys.hash_key(presented)}})
                     .get("Item"))
    if item is None:
        raise InvalidApiKey("This API key is not recognised.")
    if item["status"] != "active":
        raise ApiKeyRevoked("This API key was revoked.", {"key_id": item["key_id"]})
    last_used = item.get("last_used_at")
    if last_used is None or now - parse_iso(last_used) >= LAST_USED_RESOLUTION:
        ddb.update_item(TableName=table, Key={"key_hash": {"S": item["key_hash"]}},
                        UpdateExpression="SET last_used_at = :t", ExpressionAttributeValues=values({":t": iso(now)}))
        item["last_used_at"] = iso(now)
    return item


def list_keys(ddb, table: str, account_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table, "IndexName": "by_account",
                              "KeyConditionExpression": "account_id = :a",
                              "ExpressionAttributeValues": values({":a": account_id}), "ScanIndexForward": False}
    while True:
        page = ddb.query(**kwargs)
        items += [from_item(i) for i in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def revoke_key(ddb, tables: dict[str, str], account_id: str, key_id: str, *, now: datetime) -> None:
    match = next((k for k in list_keys(ddb, tables["api_keys"], account_id) if k["key_id"] == key_id), None)
    if match is None:
        raise NotFound("No such API key.", {"key_id": key_id})
    if match["status"] != "active":
        return
    try:
        ddb.transact_write_items(TransactItems=[
            {"Update": {"TableName": tables["api_keys"], "Key": {"key_hash": {"S": match["key_hash"]}},
                        "UpdateExpression": "SET #s = :revoked, revoked_at = :t",
                        "ConditionExpression": "#s = :active AND account_id = :a",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": values({":revoked": "revoked", ":active": "active",
                                                             ":t": iso(now), ":a": account_id})}},
            {"Update": {"TableName": tables["accounts"], "Key": {"account_id": {"S": account_id}},
                        "UpdateExpression": "SET active_keys = active_keys - :one",
                        "ExpressionAttributeValues": values({":one": 1})}},
        ])
    except ClientError as error:
        if cancellation_codes(error)[:1] == ["ConditionalCheckFailed"]:
            return  # revoked concurrently: the outcome the caller asked for
        raise
