"""Lambda: SQS jobs queue → render. Failed records go back to the queue (partial batch response)."""
from __future__ import annotations

import json
import os

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from functions.common.backends import Backends
from functions.common.observability import logger, metrics, tracer
from functions.worker.run import run_job

# The lease outlives one render but not the queue's visibility, so a dead worker's job is retried.
LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "150"))


def _record(record) -> None:
    run_job(Backends.from_environment(), json.loads(record.body)["job_id"], lease_seconds=LEASE_SECONDS)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event, context):
    # one processor per call: it holds per-batch state, and the local stack calls from several threads
    processor = BatchProcessor(event_type=EventType.SQS)
    return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
