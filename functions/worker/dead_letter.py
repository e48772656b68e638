"""Lambda: SQS jobs DLQ → fail the job and refund it, exactly once."""
from __future__ import annotations

import json

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from functions.common.backends import Backends
from functions.common.observability import logger, metrics, tracer
from functions.worker.run import fail_after_retries


def _record(record) -> None:
    fail_after_retries(Backends.from_environment(), json.loads(record.body)["job_id"])


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event, context):
    # one processor per call: it holds per-batch state, and the local stack calls from several threads
    processor = BatchProcessor(event_type=EventType.SQS)
    return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
