"""Lambda: SQS jobs queue → render. Failed records go back to the queue (partial batch response)."""
from __future__ import annotations

import json
import os

from functions.common.backends import Backends
from functions.common.sqs_handler import sqs_batch_handler
from functions.worker.run import run_job

# The lease outlives one render but not the queue's visibility, so a dead worker's job is retried.
LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "150"))


def fan_out() -> bool:
    """Split jobs into parts for parallel invocations: on AWS by default (each invocation gets its own
    CPU); locally the worker threads already render an animation's directions in parallel."""
    default = "1" if os.environ.get("PIXELFORGE_STAGE", "aws") == "aws" else "0"
    return os.environ.get("PIXELFORGE_FANOUT", default) == "1"


def _record(record) -> None:
    message = json.loads(record.body)
    run_job(Backends.from_environment(), message["job_id"], lease_seconds=LEASE_SECONDS,
            part=message.get("part"), fan_out=fan_out())


handler = sqs_batch_handler(_record)
