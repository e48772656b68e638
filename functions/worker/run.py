"""One job, start to finish, on a worker: claim it, render, store the files, complete, announce."""
from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from functions.common.backends import Backends
from functions.common.clock import utcnow
from functions.common.errors import RenderFailed
from functions.common.observability import logger, metrics
from functions.common.render import RenderResult
from functions.jobs import events, store
from functions.jobs.asset_types import ASSET_TYPES
from functions.jobs.service import delete_objects
from functions.jobs.views import asset_key, job_prefix
from functions.uploads.service import read_source

PROGRESS_WRITE_INTERVAL = 0.25  # seconds: progress is for humans polling, not a write per frame
UPLOAD_THREADS = 8


class JobInFlight(Exception):
    """Another worker holds this job's lease: let the message come back later instead of deleting it."""


def run_job(b: Backends, job_id: str, *, lease_seconds: int, now: Callable[[], datetime] = utcnow) -> str:
    job = store.start_processing(b.ddb, b.tables["jobs"], job_id, now=now(), lease_seconds=lease_seconds)
    if job is None:
        current = store.get_job(b.ddb, b.tables["jobs"], job_id)
        if current is not None and current["status"] == "processing":
            raise JobInFlight(job_id)
        logger.info("duplicate or stale job message", extra={"job_id": job_id,
                                                               "status": current and current["status"]})
        return "skipped"
    logger.append_keys(job_id=job_id, account_id=job["account_id"])
    try:
        result, render_ms = _render(b, job)
    except RenderFailed as failure:
        return _fail(b, job, code=failure.code, message=failure.message, now=now())
    assets = _store_files(b, job, result)
    # what the renderer found out (frames, pivots) adds to how the request was read
    interpretation = {**(job.get("interpretation") or {}), **result.interpretation}
    try:
        job = store.finish(b.ddb, b.tables, job_id, status="completed", expected=("processing",), now=now(),
                           refund=False, job=job, sets={"assets": assets, "render_ms": render_ms, "progress": 1.0,
                                                        "interpretation": interpretation})
    except store.JobStateChanged:
        delete_objects(b, job_prefix(job["account_id"], job_id))  # cancelled or deleted while rendering
        logger.info("job left processing while rendering; output discarded")
        return "discarded"
    events.publish(b.events, b.settings.event_bus, job)
    metrics.add_metric(name="JobsCompleted", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="RenderMs", unit=MetricUnit.Milliseconds, value=render_ms)
    logger.info("job completed", extra={"render_ms": render_ms, "files": len(assets)})
    return "completed"


def _render(b: Backends, job: dict[str, Any]) -> tuple[RenderResult, int]:
    render = ASSET_TYPES[job["type"]].render_function()
    last_write = [0.0]

    def progress(fraction: float) -> None:
        if time.monotonic() - last_write[0] >= PROGRESS_WRITE_INTERVAL and 0 < fraction < 1:
            last_write[0] = time.monotonic()
            store.set_progress(b.ddb, b.tables["jobs"], job["job_id"], fraction)

    inputs = dict(job["params"])
    source = read_source(b, account_id=job["account_id"], params=inputs)
    if source is not None:
        inputs["source"] = source
    started = time.perf_counter()
    result = render(**inputs, progress=progress)
    return result, int((time.perf_counter() - started) * 1000)


def _store_files(b: Backends, job: dict[str, Any], result: RenderResult) -> list[dict[str, Any]]:
    def put(f) -> dict[str, Any]:
        key = asset_key(job["account_id"], job["job_id"], f.name)
        b.s3.put_object(Bucket=b.settings.assets_bucket, Key=key, Body=f.data, ContentType=f.content_type)
        return {"name": f.name, "format": f.name.rsplit(".", 1)[-1], "content_type": f.content_type,
                "width": f.width, "height": f.height, "bytes": len(f.data), "key": key}

    # The uploads are independent and network-bound: in parallel they cost one round trip, not eight.
    with ThreadPoolExecutor(max_workers=UPLOAD_THREADS) as pool:
        return list(pool.map(put, result.files))


def _fail(b: Backends, job: dict[str, Any], *, code: str, message: str, now: datetime) -> str:
    try:
        failed = store.finish(b.ddb, b.tables, job["job_id"], status="failed", expected=store.ACTIVE, now=now,
                              refund=True, sets={"error": {"code": code, "message": message}})
    except store.JobStateChanged:
        return "discarded"
    events.publish(b.events, b.settings.event_bus, failed)
    metrics.add_metric(name="JobsFailed", unit=MetricUnit.Count, value=1)
    logger.warning("job failed", extra={"code": code})
    return "failed"


def fail_after_retries(b: Backends, job_id: str, *, now: Callable[[], datetime] = utcnow) -> str:
    """A job whose message exhausted its deliveries (the worker kept dying): fail it and refund."""
    job = store.get_job(b.ddb, b.tables["jobs"], job_id)
    if job is None or job["status"] in store.TERMINAL:
        return "skipped"
    return _fail(b, job, code="render_failed",
                 message="The render failed repeatedly; the job was stopped and its credits refunded.", now=now())
