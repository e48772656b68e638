"""Job routes: list, get, cancel, delete, file redirects, webhook deliveries, and job submission."""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

from functions.api.context import backends, json_response
from functions.common.clock import utcnow
from functions.common.errors import NotFound
from functions.common.observability import metrics
from functions.idempotency.store import job_id_for
from functions.jobs import service, store
from functions.jobs.asset_types import ASSET_TYPES
from functions.jobs.views import presign, public_job
from functions.webhooks.deliveries import list_deliveries

router = Router()
PREFER_WAIT = re.compile(r"(?:^|[,;\s])wait=(\d+)")


def prefer_wait_seconds(header: str | None) -> int | None:
    match = PREFER_WAIT.search(header or "")
    return min(int(match.group(1)), service.MAX_WAIT_SECONDS) if match else None


def submit_job(app: Router, job_type: str, request: Any):
    """Every POST that makes an asset ends here: charge, enqueue, optionally wait (Prefer: wait=N)."""
    return job_response(app, create_job(app, job_type, request))


def create_job(app: Router, job_type: str, request: Any, *, part: str = "") -> dict:
    """Charge and enqueue one job. Under an Idempotency-Key its id derives from the key (and `part`, for
    the several jobs one request makes), so a retried request never creates or charges a job twice."""
    b = backends(app)
    record = app.context.get("idempotency_record")
    job, created = service.submit(b, account_id=app.context["account"]["account_id"], job_type=job_type,
                                  request=request, now=utcnow(), job_id=job_id_for(record + part) if record else None)
    if created:
        metrics.add_metric(name="JobsSubmitted", unit=MetricUnit.Count, value=1)
    return job


def job_response(app: Router, job: dict):
    b = backends(app)
    headers = {"Location": f"/v1/jobs/{job['job_id']}"}
    wait = prefer_wait_seconds(app.current_event.headers.get("prefer") or app.current_event.headers.get("Prefer"))
    if wait:
        job = service.wait_for_finish(b, job["job_id"], seconds=wait) or job
        headers["Preference-Applied"] = f"wait={wait}"
    status = 200 if job["status"] in store.TERMINAL else 202
    return json_response(status, public_job(job, s3=b.s3, bucket=b.settings.assets_bucket, with_inline=True),
                         headers)


def _owned(job_id: str) -> dict:
    b = backends(router)
    return store.get_owned_job(b.ddb, b.tables["jobs"], job_id, router.context["account"]["account_id"])


@router.get("/v1/jobs", summary="List your jobs, newest first")
def list_jobs(
    status: Annotated[Literal["queued", "processing", "completed", "failed", "cancelled"] | None, Query()] = None,
    type: Annotated[Literal[tuple(ASSET_TYPES)] | None, Query()] = None,  # noqa: A002 - the public name
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query()] = None,
) -> dict:
    b = backends(router)
    items, next_cursor = store.list_jobs(b.ddb, b.tables["jobs"], router.context["account"]["account_id"],
                                         limit=limit, cursor=cursor, status=status, job_type=type)
    return {"jobs": [public_job(j, s3=b.s3, bucket=b.settings.assets_bucket) for j in items],
            "next_cursor": next_cursor}


@router.get("/v1/jobs/<job_id>", summary="A job: status, progress, cost, timings, assets")
def get_job(job_id: str) -> dict:
    b = backends(router)
    return public_job(_owned(job_id), s3=b.s3, bucket=b.settings.assets_bucket, with_inline=True)


@router.post("/v1/jobs/<job_id>/cancel", summary="Cancel a queued or running job and refund it")
def cancel_job(job_id: str) -> dict:
    b = backends(router)
    job = service.cancel(b, account_id=router.context["account"]["account_id"], job_id=job_id, now=utcnow())
    return public_job(job, s3=b.s3, bucket=b.settings.assets_bucket)


@router.delete("/v1/jobs/<job_id>", summary="Delete a job and its files")
def delete_job(job_id: str):
    service.delete(backends(router), account_id=router.context["account"]["account_id"], job_id=job_id,
                   now=utcnow())
    return Response(status_code=204, body="")


@router.get("/v1/jobs/<job_id>/files/<name>", summary="Redirect to a fresh download URL for one file")
def job_file(job_id: str, name: str):
    b = backends(router)
    job = _owned(job_id)
    asset = next((a for a in job.get("assets") or [] if a["name"] == name), None)
    if asset is None:
        raise NotFound("This job has no such file.", {"job_id": job_id, "name": name,
                                                      "files": [a["name"] for a in job.get("assets") or []]})
    location = presign(b.s3, b.settings.assets_bucket, asset["key"])
    return Response(status_code=302, body="", headers={"Location": location, "Cache-Control": "no-store"})


@router.get("/v1/jobs/<job_id>/deliveries", summary="Every webhook delivery attempt for a job")
def job_deliveries(job_id: str) -> dict:
    b = backends(router)
    _owned(job_id)
    return {"deliveries": list_deliveries(b.ddb, b.tables["deliveries"], job_id)}
