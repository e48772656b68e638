"""Saved ASCII assets and the community gallery, on the jobs table.

An asset is its first conversion job; later versions (new settings) are jobs listed on it. Publishing
puts the asset into the table's sparse `gallery` index; unpublishing takes it out, so nothing private
can be listed. Data access takes its boto3 client as an argument.
"""
from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from functions.common.clock import iso
from functions.common.dynamo import from_item, values
from functions.common.errors import InvalidRequest, NotFound

GALLERY = "public"


def versions_of(asset: dict[str, Any]) -> list[str]:
    return [asset["job_id"], *asset.get("versions", [])]


def add_version(ddb, table: str, *, asset_id: str, account_id: str, job_id: str) -> None:
    """List the job on its asset, and mark the job as a version (so it is not an asset of its own)."""
    try:
        ddb.transact_write_items(TransactItems=[
            {"Update": {"TableName": table, "Key": {"job_id": {"S": asset_id}},
                        "UpdateExpression": "SET versions = list_append(if_not_exists(versions, :none), :new)",
                        "ConditionExpression": "account_id = :a",
                        "ExpressionAttributeValues": values({":none": [], ":new": [job_id], ":a": account_id})}},
            {"Update": {"TableName": table, "Key": {"job_id": {"S": job_id}}, "UpdateExpression": "SET asset_id = :s",
                        "ConditionExpression": "account_id = :a",
                        "ExpressionAttributeValues": values({":s": asset_id, ":a": account_id})}},
        ])
    except ClientError as error:
        if error.response["Error"]["Code"] == "TransactionCanceledException":
            raise NotFound("No such asset.", {"asset_id": asset_id}) from error
        raise


def publish(ddb, table: str, *, asset: dict[str, Any], version: dict[str, Any], now: datetime) -> dict[str, Any]:
    files = {a["name"]: a["key"] for a in version.get("assets") or [] if a["name"] in ("ascii.gif", "ascii.html")}
    published = {"job_id": version["job_id"], "files": files}
    ddb.update_item(TableName=table, Key={"job_id": {"S": asset["job_id"]}},
                    UpdateExpression="SET gallery = :g, published_at = :t, published = :p",
                    ConditionExpression="account_id = :a",
                    ExpressionAttributeValues=values({":g": GALLERY, ":t": iso(now), ":p": published,
                                                      ":a": asset["account_id"]}))
    return dict(asset, gallery=GALLERY, published_at=iso(now), published=published)


def unpublish(ddb, table: str, *, asset: dict[str, Any]) -> dict[str, Any]:
    ddb.update_item(TableName=table, Key={"job_id": {"S": asset["job_id"]}},
                    UpdateExpression="REMOVE gallery, published_at, published",
                    ConditionExpression="account_id = :a",
                    ExpressionAttributeValues=values({":a": asset["account_id"]}))
    return {k: v for k, v in asset.items() if k not in ("gallery", "published_at", "published")}


def _encode(key: dict[str, Any] | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def _decode(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if key["gallery"]["S"] != GALLERY or set(key) != {"gallery", "published_at", "job_id"}:
            raise ValueError
        return key
    except (ValueError, KeyError, TypeError):
        raise InvalidRequest("This cursor is not valid.", {"field": "cursor"}) from None


def gallery_page(ddb, table: str, *, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    kwargs: dict[str, Any] = {"TableName": table, "IndexName": "gallery", "KeyConditionExpression": "gallery = :g",
                              "ExpressionAttributeValues": values({":g": GALLERY}), "ScanIndexForward": False,
                              "Limit": limit}
    start = _decode(cursor)
    if start:
        kwargs["ExclusiveStartKey"] = start
    page = ddb.query(**kwargs)
    return [from_item(i) for i in page.get("Items", [])], _encode(page.get("LastEvaluatedKey"))
