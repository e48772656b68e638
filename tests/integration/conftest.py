"""Handlers under moto: every resource from infra/resources.py, created in moto's in-process mock."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from moto import mock_aws

from infra.local import LambdaContext, QueuePoller, api_event, create_resources, local_environment


@dataclass
class Stack:
    """The product under moto, driven the way API Gateway and Lambda's SQS pollers would drive it."""
    backends: Any
    env: dict[str, str]

    def call(self, method: str, path: str, *, key: str | None = None, body: Any = None,
             headers: dict[str, str] | None = None, raw: str | None = None) -> tuple[int, dict, Any]:
        from functions.api.handler import handler

        hdrs = dict(headers or {})
        if key:
            hdrs["Authorization"] = f"Bearer {key}"
        data = raw.encode() if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        if data and "Content-Type" not in hdrs:
            hdrs["Content-Type"] = "application/json"
        result = handler(api_event(method, path, hdrs, data, "127.0.0.1"), LambdaContext("api"))
        out_headers = dict(result.get("headers") or {})
        out_headers.update({k: v[-1] for k, v in (result.get("multiValueHeaders") or {}).items()})
        text = result.get("body") or ""
        try:
            payload = json.loads(text) if text else None
        except ValueError:
            payload = text
        return int(result["statusCode"]), out_headers, payload

    def poller(self, queue: str) -> QueuePoller:
        from functions.webhooks.handler import handler as webhook_handler
        from functions.worker.dead_letter import handler as dead_letter_handler
        from functions.worker.handler import handler as worker_handler

        handler = {"JOBS_QUEUE_URL": worker_handler, "JOBS_DLQ_URL": dead_letter_handler,
                   "WEBHOOKS_QUEUE_URL": webhook_handler}[queue]
        return QueuePoller(self.backends.sqs, self.env[queue], handler, f"test-{queue}",
                           batch_size=10 if queue == "WEBHOOKS_QUEUE_URL" else 1)

    def run_worker(self, *, max_rounds: int = 20) -> int:
        """Process queued jobs until the queue is empty; returns how many messages were handled."""
        poller, handled = self.poller("JOBS_QUEUE_URL"), 0
        for _ in range(max_rounds):
            n = poller.poll_once()
            if not n:
                break
            handled += n
        return handled

    def download(self, asset: dict) -> bytes:
        """What an asset's presigned URL points at (path-style or virtual-host style)."""
        bucket = self.env["ASSETS_BUCKET"]
        path = urlsplit(asset["url"]).path.lstrip("/")
        key = path[len(bucket) + 1:] if path.startswith(bucket + "/") else path
        return self.backends.s3.get_object(Bucket=bucket, Key=key)["Body"].read()

    def queue_depth(self, queue: str) -> int:
        attrs = self.backends.sqs.get_queue_attributes(
            QueueUrl=self.env[queue],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])

    def account(self, *, plan: str = "creator", credits: int = 100) -> tuple[dict, str]:
        from functions.accounts.service import create_account_with_key

        return create_account_with_key(self.backends, plan=plan, credits=credits, name="test", mode="test")


@pytest.fixture
def stack(monkeypatch) -> Iterator[Stack]:
    from functions.common import aws, config
    from functions.common.backends import Backends

    with mock_aws():
        env = local_environment(None)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
        config.settings.cache_clear()
        aws.reset_clients()
        clients = {name: aws.client(name) for name in ("dynamodb", "sqs", "s3", "events")}
        env = create_resources(clients, env)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        config.settings.cache_clear()
        yield Stack(backends=Backends.from_environment(), env=env)
    config.settings.cache_clear()
    aws.reset_clients()
