"""Job events on the EventBridge bus; the webhook rule forwards those of jobs with a webhook."""
from __future__ import annotations

import json
import uuid
from typing import Any

EVENT_SOURCE = "pixelforge.jobs"


def job_event(job: dict[str, Any]) -> dict[str, Any]:
    status = job["status"]
    return {
        "Source": EVENT_SOURCE,
        "DetailType": f"job.{status}",
        "Detail": json.dumps({
            "job_id": job["job_id"], "account_id": job["account_id"], "type": job["type"], "status": status,
            "has_webhook": bool(job.get("webhook_url")), "event_id": f"evt_{uuid.uuid4().hex}",
        }),
    }


def publish(events, bus: str, job: dict[str, Any]) -> None:
    entry = dict(job_event(job), EventBusName=bus)
    result = events.put_events(Entries=[entry])
    if result.get("FailedEntryCount"):
        raise RuntimeError(f"EventBridge refused the event for {job['job_id']}: {result['Entries']}")
