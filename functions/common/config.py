"""Where each resource is, read once from the environment (see docs/architecture.md)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

TABLE_NAMES = ("accounts", "api_keys", "jobs", "ledger", "rate_limits", "idempotency", "deliveries", "projects")


@dataclass(frozen=True)
class Settings:
    tables: dict[str, str]
    jobs_queue_url: str
    jobs_dlq_url: str
    webhooks_queue_url: str
    webhooks_dlq_url: str
    assets_bucket: str
    event_bus: str
    stage: str          # "local" or "aws"
    key_mode: str       # "test" or "live": the prefix of keys this deployment issues by default

    @property
    def is_local(self) -> bool:
        return self.stage == "local"

    def table(self, name: str) -> str:
        return self.tables[name]


@cache
def settings() -> Settings:
    env = os.environ
    return Settings(
        tables={name: env.get(f"{name.upper()}_TABLE", "") for name in TABLE_NAMES},
        jobs_queue_url=env.get("JOBS_QUEUE_URL", ""),
        jobs_dlq_url=env.get("JOBS_DLQ_URL", ""),
        webhooks_queue_url=env.get("WEBHOOKS_QUEUE_URL", ""),
        webhooks_dlq_url=env.get("WEBHOOKS_DLQ_URL", ""),
        assets_bucket=env.get("ASSETS_BUCKET", ""),
        event_bus=env.get("EVENT_BUS_NAME", ""),
        stage=env.get("PIXELFORGE_STAGE", "aws"),
        key_mode=env.get("PIXELFORGE_KEY_MODE", "live"),
    )
