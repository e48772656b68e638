"""What a caller sees of a job. Download URLs are presigned fresh on every read."""
from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from functions.common.clock import iso, parse_iso, utcnow

DOWNLOAD_URL_SECONDS = 3600
# Images inlined (base64) for jobs that ask for it: small sprites, not whole sheets.
INLINE_MAX_BYTES = 512 * 1024


def asset_key(account_id: str, job_id: str, name: str) -> str:
    return f"assets/{account_id}/{job_id}/{name}"


def job_prefix(account_id: str, job_id: str) -> str:
    return f"assets/{account_id}/{job_id}/"


def presign(s3, bucket: str, key: str, *, seconds: int = DOWNLOAD_URL_SECONDS) -> str:
    return s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=seconds)


def _ms_between(start: str | None, end: str | None) -> int | None:
    if not start or not end:
        return None
    return int((parse_iso(end) - parse_iso(start)) / timedelta(milliseconds=1))


def timings(job: dict[str, Any]) -> dict[str, int | None]:
    return {
        "queued_ms": _ms_between(job.get("created_at"), job.get("started_at")),
        "render_ms": job.get("render_ms"),
        "total_ms": _ms_between(job.get("created_at"), job.get("finished_at")),
    }


def inline_images(job: dict[str, Any], *, s3, bucket: str) -> dict[str, str]:
    return {a["name"]: base64.b64encode(s3.get_object(Bucket=bucket, Key=a["key"])["Body"].read()).decode()
            for a in job.get("assets") or []
            if a["content_type"] == "image/png" and a["bytes"] <= INLINE_MAX_BYTES}


def public_job(job: dict[str, Any], *, s3, bucket: str, now: datetime | None = None,
               with_inline: bool = False) -> dict[str, Any]:
    """The job as a caller sees it. `with_inline` (single-job answers only) adds the PNGs as base64 when
    the job asked for them with `inline`."""
    now = now or utcnow()
    expires = iso(now + timedelta(seconds=DOWNLOAD_URL_SECONDS))
    assets = []
    for asset in job.get("assets") or []:
        assets.append({
            "name": asset["name"], "format": asset["format"], "content_type": asset["content_type"],
            "width": asset.get("width"), "height": asset.get("height"), "bytes": asset["bytes"],
            "url": presign(s3, bucket, asset["key"]), "url_expires_at": expires,
            "download": f"/v1/jobs/{job['job_id']}/files/{asset['name']}",
        })
    return {
        "id": job["job_id"],
        "type": job["type"],
        "status": job["status"],
        "progress": 1.0 if job["status"] == "completed" else float(job.get("progress", 0)),
        "cost": int(job["cost"]),
        "refunded": bool(job.get("refunded", False)),
        "created_at": job["created_at"],
        "started_at": job.get("started_at"),
        "finished_at": job.get("finished_at"),
        "timings": timings(job),
        "attempts": int(job.get("attempts", 0)),
        # where a conversion's source is stored is ours to know; which job or upload it was is shown
        "request": {k: v for k, v in job["params"].items() if k != "source_key"},
        "interpretation": job.get("interpretation", {}),
        "assets": assets,
        "error": job.get("error"),
        "webhook_url": job.get("webhook_url"),
        **({"chained_jobs": job["chained_jobs"]} if job.get("chained_jobs") else {}),
        **({"inline": inline_images(job, s3=s3, bucket=bucket)}
           if with_inline and job["status"] == "completed" and job["params"].get("inline") else {}),
    }
