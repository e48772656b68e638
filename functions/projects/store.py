"""Projects and their libraries in DynamoDB (one table: the project item and its library entries)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from functions.common.clock import iso
from functions.common.dynamo import from_item, to_item, values
from functions.common.errors import NotFound
from functions.projects.models import ProjectRequest

MAX_PROJECTS_LISTED = 200


def create_project(ddb, table: str, *, account_id: str, request: ProjectRequest, now: datetime) -> dict[str, Any]:
    project = {"account_id": account_id, "item_id": f"prj_{uuid.uuid4().hex[:20]}", "kind": "project",
               "created_at": iso(now), **request.model_dump()}
    ddb.put_item(TableName=table, Item=to_item(project), ConditionExpression="attribute_not_exists(item_id)")
    return project


def get_project(ddb, table: str, *, account_id: str, project_id: str) -> dict[str, Any]:
    item = None
    if project_id.startswith("prj_") and "#" not in project_id:
        item = from_item(ddb.get_item(TableName=table, Key={"account_id": {"S": account_id},
                                                             "item_id": {"S": project_id}}).get("Item"))
    if item is None:
        raise NotFound("No such project.", {"project_id": project_id})
    return item


def list_projects(ddb, table: str, *, account_id: str) -> list[dict[str, Any]]:
    """Newest first. Library entries share the partition, so every page is read and filtered."""
    projects: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table, "KeyConditionExpression": "account_id = :a",
                              "FilterExpression": "kind = :p",
                              "ExpressionAttributeValues": values({":a": account_id, ":p": "project"})}
    while True:
        page = ddb.query(**kwargs)
        projects += [from_item(i) for i in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return sorted(projects, key=lambda p: p["created_at"], reverse=True)[:MAX_PROJECTS_LISTED]
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def library(ddb, table: str, *, account_id: str, project_id: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {
        "TableName": table, "KeyConditionExpression": "account_id = :a AND begins_with(item_id, :p)",
        "ExpressionAttributeValues": values({":a": account_id, ":p": f"{project_id}#asset#"}),
    }
    while True:
        page = ddb.query(**kwargs)
        entries += [from_item(i) for i in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return entries
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def add_to_library(ddb, table: str, *, account_id: str, project_id: str, job_id: str, variant: int,
                   files: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    entry = {"account_id": account_id, "item_id": f"{project_id}#asset#{iso(now)}#{job_id}#{variant}",
             "kind": "library", "project_id": project_id, "job_id": job_id, "variant": variant, "files": files,
             "added_at": iso(now)}
    try:
        ddb.transact_write_items(TransactItems=[
            {"ConditionCheck": {"TableName": table, "Key": {"account_id": {"S": account_id},
                                                             "item_id": {"S": project_id}},
                                "ConditionExpression": "attribute_exists(item_id)"}},
            {"Put": {"TableName": table, "Item": to_item(entry)}},
        ])
    except ClientError as error:
        if error.response["Error"]["Code"] == "TransactionCanceledException":
            raise NotFound("No such project.", {"project_id": project_id}) from error
        raise
    return entry


def public_project(project: dict[str, Any]) -> dict[str, Any]:
    return {"id": project["item_id"], "name": project["name"], "art_style": project["art_style"],
            "resolution": project.get("resolution"), "view_angle": project.get("view_angle"),
            "palette": project.get("palette"), "created_at": project["created_at"]}
