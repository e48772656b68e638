"""Every AWS resource the product needs, described once.

The CDK stack (infra/stack.py) and the local stack (infra/local.py) both build from these
definitions, so the deployed and the local product cannot drift apart. Functions never import
this module: they find each resource through the environment variable named here.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str | None = None


@dataclass(frozen=True)
class TableDef:
    name: str
    partition_key: str
    sort_key: str | None = None
    ttl_attribute: str | None = None
    indexes: tuple[Index, ...] = ()

    @property
    def env_var(self) -> str:
        return f"{self.name.upper()}_TABLE"


@dataclass(frozen=True)
class QueueDef:
    name: str
    max_receive_count: int
    # Local loops poll with a short visibility so a crashed render is retried in seconds;
    # on AWS the visibility is derived from the consuming function's timeout.
    local_visibility_seconds: int
    dead_letter_env_var: str = field(default="")

    @property
    def env_var(self) -> str:
        return f"{self.name.upper()}_QUEUE_URL"

    @property
    def dlq_env_var(self) -> str:
        return f"{self.name.upper()}_DLQ_URL"


TABLES: tuple[TableDef, ...] = (
    # plan, monthly and purchased credits, active job and key counters, webhook secret
    TableDef("accounts", "account_id"),
    # looked up by the SHA-256 of the presented key; listed per account
    TableDef("api_keys", "key_hash", indexes=(Index("by_account", "account_id", "created_at"),)),
    TableDef("jobs", "job_id", ttl_attribute="expires_at",
             indexes=(Index("by_account", "account_id", "created_at"),
                      # sparse: only published ASCII assets carry `gallery`, so only they are listed
                      Index("gallery", "gallery", "published_at"))),
    # entry_id = "<iso time>#<uuid>" so a query returns the ledger in order
    TableDef("ledger", "account_id", "entry_id"),
    TableDef("rate_limits", "bucket_id", ttl_attribute="expires_at"),
    TableDef("idempotency", "idempotency_id", ttl_attribute="expires_at"),
    TableDef("deliveries", "job_id", "delivery_id", ttl_attribute="expires_at"),
    # a project ("prj_...") and its library entries ("prj_...#asset#<time>#<job>#<variant>") per account
    TableDef("projects", "account_id", "item_id"),
)

QUEUES: tuple[QueueDef, ...] = (
    QueueDef("jobs", max_receive_count=3, local_visibility_seconds=5),
    QueueDef("webhooks", max_receive_count=5, local_visibility_seconds=5),
)

BUCKET_ENV_VAR = "ASSETS_BUCKET"
EVENT_BUS_ENV_VAR = "EVENT_BUS_NAME"
EVENT_SOURCE = "pixelforge.jobs"
JOB_EVENT_TYPES = ("job.completed", "job.failed", "job.cancelled")
# Only events of jobs that asked for a webhook reach the webhook queue.
WEBHOOK_RULE_PATTERN = {
    "source": [EVENT_SOURCE],
    "detail-type": list(JOB_EVENT_TYPES),
    "detail": {"has_webhook": [True]},
}

# S3 key prefixes and how long objects under them live (days). Assets stay until deleted.
ASSET_PREFIX = "assets/"
UPLOAD_PREFIX = "uploads/"
TEMPORARY_PREFIXES = {UPLOAD_PREFIX: 2, "tmp/": 1}


def output_key(env_var: str) -> str:
    """CloudFormation output name for a function environment variable: ACCOUNTS_TABLE -> AccountsTable.

    The operator CLI reads a deployed stack's outputs back into the same environment variables.
    """
    return "".join(part.capitalize() for part in env_var.split("_"))


def function_environment_names() -> list[str]:
    names = [t.env_var for t in TABLES]
    for q in QUEUES:
        names += [q.env_var, q.dlq_env_var]
    return names + [BUCKET_ENV_VAR, EVENT_BUS_ENV_VAR]
