"""Webhook dispatcher Lambda: SQS webhooks queue -> dispatch() each record; partial batch failures.

Thin wiring only: the shared backends and settings -> the injected callables of ``dispatcher.dispatch``.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from functions.common.backends import Backends
from functions.common.dynamo import from_item
from functions.common.observability import logger
from functions.common.sqs_handler import sqs_batch_handler
from functions.webhooks.deliveries import record_attempt
from functions.webhooks.dispatcher import SQS_MAX_DELAY_SECONDS, WebhookTarget, dispatch
from functions.webhooks.sender import post_webhook


def load_target(b: Backends, job_id: str, account_id: str) -> WebhookTarget | None:
    """The job's webhook URL, the account's signing secret and the public job view; None to drop."""
    from functions.jobs.views import public_job

    job = from_item(b.ddb.get_item(TableName=b.tables["jobs"], Key={"job_id": {"S": job_id}},
                                   ConsistentRead=True).get("Item"))
    if job is None or job.get("account_id") != account_id or not job.get("webhook_url"):
        return None
    account = from_item(b.ddb.get_item(TableName=b.tables["accounts"], Key={"account_id": {"S": account_id}},
                                       ProjectionExpression="webhook_secret").get("Item")) or {}
    secret = account.get("webhook_secret")
    if not secret:
        logger.error("Account has no webhook secret; webhook dropped", extra={"job_id": job_id,
                                                                              "account_id": account_id})
        return None
    payload = public_job(job, s3=b.s3, bucket=b.settings.assets_bucket)
    return WebhookTarget(url=str(job["webhook_url"]), secret=secret, payload=payload)


def _schedule_retry(b: Backends, message: dict, delay_seconds: int) -> None:
    b.sqs.send_message(QueueUrl=b.settings.webhooks_queue_url, MessageBody=json.dumps(message),
                       DelaySeconds=max(0, min(int(delay_seconds), SQS_MAX_DELAY_SECONDS)))


def _dead_letter(b: Backends, message: dict) -> None:
    b.sqs.send_message(QueueUrl=b.settings.webhooks_dlq_url, MessageBody=json.dumps(message))


def _now() -> datetime:
    return datetime.now(UTC)


def record_handler(record: SQSRecord) -> None:
    b = Backends.from_environment()
    dispatch(
        json.loads(record.body),
        load_target=partial(load_target, b),
        send=partial(post_webhook, allow_loopback_http=b.settings.is_local),
        record=partial(record_attempt, b.ddb, b.tables["deliveries"]),
        schedule_retry=partial(_schedule_retry, b),
        dead_letter=partial(_dead_letter, b),
        now=_now,
    )


handler = sqs_batch_handler(record_handler)
