"""Job operations as the API offers them: submit (charge + enqueue), cancel, delete, wait."""
from __future__ import annotations

import json
import secrets
import time
import uuid
from datetime import datetime
from typing import Any

from functions.common.backends import Backends
from functions.common.clock import iso, utcnow
from functions.common.errors import NotCancellable
from functions.jobs import events, store
from functions.jobs.asset_types import ASSET_TYPES
from functions.jobs.views import job_prefix
from functions.webhooks.urls import validate_webhook_url

MAX_WAIT_SECONDS = 25


def submit(b: Backends, *, account_id: str, job_type: str, request: Any, now: datetime,
           job_id: str | None = None) -> tuple[dict[str, Any], bool]:
    """Validate what the model cannot (the webhook URL), price, charge and enqueue a job.
    Returns (job, created); created is False for a replayed idempotent submit."""
    asset_type = ASSET_TYPES[job_type]
    webhook_url = getattr(request, "webhook_url", None)
    if webhook_url:
        validate_webhook_url(webhook_url, allow_loopback_http=b.settings.is_local)
    seed = request.seed if getattr(request, "seed", None) is not None else secrets.randbelow(2**31)
    params, interpretation = asset_type.prepare(request, seed)
    job = {
        "job_id": job_id or f"job_{uuid.uuid4().hex[:24]}",
        "account_id": account_id, "type": job_type, "status": "queued", "progress": 0.0,
        "params": params, "interpretation": interpretation, "cost": asset_type.cost(params),
        "project_id": getattr(request, "project_id", None),
        "created_at": iso(now), "attempts": 0, "webhook_url": webhook_url, "refunded": False,
    }
    job, created = store.create_with_debit(b.ddb, b.tables, job, now=now)
    if created:
        try:
            b.sqs.send_message(QueueUrl=b.settings.jobs_queue_url, MessageBody=json.dumps({"job_id": job["job_id"]}))
        except Exception:
            # Charged but never queued: undo the charge now rather than leave the job stuck.
            error = {"code": "internal_error", "message": "The job could not be queued."}
            store.finish(b.ddb, b.tables, job["job_id"], status="failed", expected=("queued",), now=utcnow(),
                         refund=True, sets={"error": error})
            raise
    return job, created


def cancel(b: Backends, *, account_id: str, job_id: str, now: datetime) -> dict[str, Any]:
    job = store.get_owned_job(b.ddb, b.tables["jobs"], job_id, account_id)
    if job["status"] in store.TERMINAL:
        raise NotCancellable(f"The job is already {job['status']}.", {"status": job["status"]})
    try:
        job = store.finish(b.ddb, b.tables, job_id, status="cancelled", expected=store.ACTIVE, now=now, refund=True)
    except store.JobStateChanged:
        current = store.get_owned_job(b.ddb, b.tables["jobs"], job_id, account_id)
        raise NotCancellable(f"The job is already {current['status']}.", {"status": current["status"]}) from None
    events.publish(b.events, b.settings.event_bus, job)
    return job


def delete(b: Backends, *, account_id: str, job_id: str, now: datetime) -> None:
    job = store.get_owned_job(b.ddb, b.tables["jobs"], job_id, account_id)
    if job["status"] in store.ACTIVE:
        try:
            cancel(b, account_id=account_id, job_id=job_id, now=now)
        except NotCancellable:
            pass  # it finished meanwhile; its files go below
    delete_objects(b, job_prefix(account_id, job_id))
    store.delete_job_item(b.ddb, b.tables["jobs"], job_id, account_id)


def delete_objects(b: Backends, prefix: str) -> None:
    paginator = b.s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=b.settings.assets_bucket, Prefix=prefix):
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            b.s3.delete_objects(Bucket=b.settings.assets_bucket, Delete={"Objects": keys, "Quiet": True})


def wait_for_finish(b: Backends, job_id: str, *, seconds: float, poll: float = 0.02) -> dict[str, Any]:
    """Poll until the job ends or the wait runs out. Polls stay frequent: a slow poll adds its whole
    interval to the caller's latency, and a consistent GetItem costs far less than that wait."""
    deadline = time.monotonic() + min(seconds, MAX_WAIT_SECONDS)
    while True:
        job = store.get_job(b.ddb, b.tables["jobs"], job_id)
        if job is None or job["status"] in store.TERMINAL or time.monotonic() >= deadline:
            return job
        time.sleep(min(poll, max(0.0, deadline - time.monotonic())))
        poll = min(poll * 1.25, 0.1)
