"""Lambda: SQS jobs queue → render. Failed records go back to the queue (partial batch response)."""
from __future__ import annotations

import json
import os

from functions.common.backends import Backends
from functions.common.sqs_handler import sqs_batch_handler
from functions.worker.run import run_job

# The lease outlives one render but not the queue's visibility, so a dead worker's job is retried.
LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "150"))


def _record(record) -> None:
    run_job(Backends.from_environment(), json.loads(record.body)["job_id"], lease_seconds=LEASE_SECONDS)


handler = sqs_batch_handler(_record)
