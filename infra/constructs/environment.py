"""How a function finds and may touch the product's resources.

A function's ``Needs`` (the "needs" column of docs/architecture.md) produces both its IAM grants and
its environment variables, so a function never gets a permission without the variable that names the
resource, and never learns the name of a resource it may not use.
"""
from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import CfnElement, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.acknowledgments import acknowledge
from infra.resources import (
    ASSET_PREFIX,
    BUCKET_ENV_VAR,
    EVENT_BUS_ENV_VAR,
    TABLES,
    UPLOAD_PREFIX,
    function_environment_names,
)

_TABLE_DEFS = {t.name: t for t in TABLES}


@dataclass(frozen=True)
class Needs:
    read_write_tables: tuple[str, ...] = ()
    read_tables: tuple[str, ...] = ()
    # S3 object actions, only ever on keys under ASSET_PREFIX.
    asset_actions: tuple[str, ...] = ()
    # S3 object actions on keys under UPLOAD_PREFIX (users' uploads, which expire).
    upload_actions: tuple[str, ...] = ()
    # s3:ListBucket, only for keys under ASSET_PREFIX (deleting a job lists its files).
    list_assets: bool = False
    # Queues the function sends to, by environment variable (e.g. "JOBS_QUEUE_URL").
    send_queues: tuple[str, ...] = ()
    put_events: bool = False

    def environment_names(self) -> list[str]:
        names = [_TABLE_DEFS[t].env_var for t in (*self.read_write_tables, *self.read_tables)]
        if self.asset_actions or self.upload_actions or self.list_assets:
            names.append(BUCKET_ENV_VAR)
        names += self.send_queues
        if self.put_events:
            names.append(EVENT_BUS_ENV_VAR)
        return sorted(set(names))


class ResourceDirectory:
    """Every resource a function can be pointed at, keyed by the environment variable that names it."""

    def __init__(self) -> None:
        self.tables: dict[str, dynamodb.Table] = {}
        self.queues: dict[str, sqs.IQueue] = {}
        self.bucket: s3.IBucket | None = None
        self.event_bus: events.IEventBus | None = None

    def value(self, env_var: str) -> str:
        for table_name, table in self.tables.items():
            if _TABLE_DEFS[table_name].env_var == env_var:
                return table.table_name
        if env_var in self.queues:
            return self.queues[env_var].queue_url
        if env_var == BUCKET_ENV_VAR and self.bucket is not None:
            return self.bucket.bucket_name
        if env_var == EVENT_BUS_ENV_VAR and self.event_bus is not None:
            return self.event_bus.event_bus_name
        raise KeyError(f"no resource provides {env_var}")

    def check_complete(self) -> None:
        """Fail synthesis when infra/resources.py names a resource this stack does not build."""
        missing = []
        for name in function_environment_names():
            try:
                self.value(name)
            except KeyError:
                missing.append(name)
        if missing:
            raise ValueError(f"the stack builds no resource for {missing}")

    def environment_for(self, needs: Needs) -> dict[str, str]:
        return {name: self.value(name) for name in needs.environment_names()}

    def grant(self, role: iam.Role, needs: Needs) -> None:
        for name in needs.read_write_tables:
            self.tables[name].grant_read_write_data(role)
            self._acknowledge_index_access(role, name)
        for name in needs.read_tables:
            self.tables[name].grant_read_data(role)
            self._acknowledge_index_access(role, name)
        for prefix, actions in ((ASSET_PREFIX, needs.asset_actions), (UPLOAD_PREFIX, needs.upload_actions)):
            if not actions:
                continue
            assert self.bucket is not None
            # Explicit object actions instead of bucket.grant_read/grant_put: those add s3:List*,
            # s3:GetBucket* and tagging/retention actions nobody here uses.
            role.add_to_principal_policy(iam.PolicyStatement(
                actions=sorted(actions), resources=[self.bucket.arn_for_objects(f"{prefix}*")],
            ))
            acknowledge(
                role, f"AwsSolutions-IAM5[Resource::<{_logical_id(self.bucket)}.Arn>/{prefix}*]",
                f"Object keys are per job or upload and unknown at deploy time; access is confined to the "
                f"{prefix} prefix of the one assets bucket, with only the listed object actions.",
            )
        if needs.list_assets:
            assert self.bucket is not None
            role.add_to_principal_policy(iam.PolicyStatement(
                actions=["s3:ListBucket"],
                resources=[self.bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": [f"{ASSET_PREFIX}*"]}},
            ))
        for env_var in needs.send_queues:
            self.queues[env_var].grant_send_messages(role)
        if needs.put_events:
            assert self.event_bus is not None
            self.event_bus.grant_put_events_to(role)

    def _acknowledge_index_access(self, role: iam.Role, table_name: str) -> None:
        if not _TABLE_DEFS[table_name].indexes:
            return
        acknowledge(
            role, f"AwsSolutions-IAM5[Resource::<{_logical_id(self.tables[table_name])}.Arn>/index/*]",
            f"Queries on the secondary indexes of the {table_name} table need the index ARNs; the "
            "wildcard covers only that table's own indexes.",
        )


def _logical_id(construct: Construct) -> str:
    stack = Stack.of(construct)
    default_child = construct.node.default_child
    assert isinstance(default_child, CfnElement)
    return stack.resolve(stack.get_logical_id(default_child))
