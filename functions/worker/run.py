"""One job, start to finish, on a worker: claim it, render, store the files, complete, announce."""
from __future__ import annotations

import json
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


def run_job(b: Backends, job_id: str, *, lease_seconds: int, now: Callable[[], datetime] = utcnow,
            part: str | None = None, fan_out: bool = False) -> str:
    if part is not None:
        return _run_part(b, job_id, part, now=now)
    job = store.start_processing(b.ddb, b.tables["jobs"], job_id, now=now(), lease_seconds=lease_seconds)
    if job is None:
        current = store.get_job(b.ddb, b.tables["jobs"], job_id)
        if current is not None and current["status"] == "processing":
            raise JobInFlight(job_id)
        logger.info("duplicate or stale job message", extra={"job_id": job_id,
                                                               "status": current and current["status"]})
        return "skipped"
    logger.append_keys(job_id=job_id, account_id=job["account_id"])
    asset_type = ASSET_TYPES[job["type"]]
    parts = asset_type.parts(job["params"]) if fan_out and asset_type.parts else []
    if parts:
        # Each part (an animation's direction) renders in its own invocation; the last one assembles.
        store.begin_parts(b.ddb, b.tables["jobs"], job_id, parts)
        for name in parts:
            b.sqs.send_message(QueueUrl=b.settings.jobs_queue_url,
                               MessageBody=json.dumps({"job_id": job_id, "part": name}))
        logger.info("job fanned out", extra={"parts": len(parts)})
        return "fanned_out"
    try:
        result, render_ms = _render(b, job)
    except RenderFailed as failure:
        return _fail(b, job, code=failure.code, message=failure.message, now=now())
    return _complete(b, job, result, render_ms, now=now)


def _complete(b: Backends, job: dict[str, Any], result: RenderResult, render_ms: int, *,
              now: Callable[[], datetime]) -> str:
    job_id = job["job_id"]
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


def part_key(job: dict[str, Any], part: str) -> str:
    return f"{job_prefix(job['account_id'], job['job_id'])}_parts/{part}.bin"


def _run_part(b: Backends, job_id: str, part: str, *, now: Callable[[], datetime]) -> str:
    job = store.get_job(b.ddb, b.tables["jobs"], job_id)
    if job is None or job["status"] != "processing":
        return "skipped"  # failed, cancelled or deleted meanwhile: nothing to add to
    logger.append_keys(job_id=job_id, account_id=job["account_id"], part=part)
    asset_type = ASSET_TYPES[job["type"]]
    started = time.perf_counter()
    try:
        data = asset_type.part_function()(part=part, **job["params"])
    except RenderFailed as failure:
        return _fail(b, job, code=failure.code, message=failure.message, now=now())
    b.s3.put_object(Bucket=b.settings.assets_bucket, Key=part_key(job, part), Body=data)
    updated = store.part_done(b.ddb, b.tables["jobs"], job_id, part,
                              render_ms=int((time.perf_counter() - started) * 1000))
    if updated is None or len(updated.get("parts_done") or ()) < int(updated["parts_total"]):
        return "part_done"
    if not store.claim_assembly(b.ddb, b.tables["jobs"], job_id):
        return "part_done"
    names = asset_type.parts(job["params"])
    parts = {name: b.s3.get_object(Bucket=b.settings.assets_bucket, Key=part_key(job, name))["Body"].read()
             for name in names}
    started = time.perf_counter()
    try:
        result = asset_type.assemble_function()(parts=parts, **job["params"])
    except RenderFailed as failure:
        return _fail(b, job, code=failure.code, message=failure.message, now=now())
    render_ms = int(updated.get("parts_render_ms", 0)) + int((time.perf_counter() - started) * 1000)
    b.s3.delete_objects(Bucket=b.settings.assets_bucket,
                        Delete={"Objects": [{"Key": part_key(job, name)} for name in names], "Quiet": True})
    return _complete(b, job, result, render_ms, now=now)


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
