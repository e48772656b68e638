"""State: the DynamoDB tables of infra/resources.py, the assets bucket and the job event bus."""
from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.constructs.environment import ResourceDirectory
from infra.resources import TABLES, TEMPORARY_PREFIXES, TableDef

# Tables whose loss costs customers money or access: balances and the credit ledger are the
# record of what was paid for, and the key hashes are the only way customers authenticate.
# They survive a `cdk destroy` and refuse deletion. Everything else is short-lived (TTL) or
# rebuildable: jobs and deliveries expire, rate limits and idempotency records last minutes.
RETAINED_TABLES = frozenset({"accounts", "ledger", "api_keys", "projects"})

ACCESS_LOG_RETENTION = Duration.days(90)


def _attribute(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, directory: ResourceDirectory) -> None:
        super().__init__(scope, construct_id)
        self.tables = {definition.name: self._table(definition) for definition in TABLES}
        directory.tables.update(self.tables)

        self.access_logs_bucket = s3.Bucket(
            self, "AccessLogsBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,  # log delivery cannot write to KMS buckets
            enforce_ssl=True,
            minimum_tls_version=1.2,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(id="expire-access-logs", expiration=ACCESS_LOG_RETENTION)],
            removal_policy=RemovalPolicy.RETAIN,
        )

        self.assets_bucket = s3.Bucket(
            self, "AssetsBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.access_logs_bucket,
            server_access_logs_prefix="assets-bucket/",
            lifecycle_rules=[
                *(
                    s3.LifecycleRule(
                        id=f"expire-{prefix.strip('/')}", prefix=prefix, expiration=Duration.days(days),
                    )
                    for prefix, days in sorted(TEMPORARY_PREFIXES.items())
                ),
                s3.LifecycleRule(
                    id="abort-incomplete-multipart-uploads",
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                ),
            ],
            # Downloads use presigned URLs, which are the authorization; browsers may fetch them.
            cors=[s3.CorsRule(
                allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                allowed_origins=["*"],
                max_age=3600,
            )],
            # Customers' generated assets outlive a stack replacement.
            removal_policy=RemovalPolicy.RETAIN,
        )
        directory.bucket = self.assets_bucket

        self.event_bus = events.EventBus(self, "EventBus", description="PixelForge job events")
        directory.event_bus = self.event_bus

    def _table(self, definition: TableDef) -> dynamodb.Table:
        retained = definition.name in RETAINED_TABLES
        table = dynamodb.Table(
            self, f"{_pascal(definition.name)}Table",
            partition_key=_attribute(definition.partition_key),
            sort_key=_attribute(definition.sort_key) if definition.sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True,
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            time_to_live_attribute=definition.ttl_attribute,
            deletion_protection=retained,
            removal_policy=RemovalPolicy.RETAIN if retained else RemovalPolicy.DESTROY,
        )
        for index in definition.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attribute(index.partition_key),
                sort_key=_attribute(index.sort_key) if index.sort_key else None,
                projection_type=dynamodb.ProjectionType.ALL,
            )
        return table
