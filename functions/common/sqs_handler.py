"""The shape every SQS-triggered Lambda here shares: Powertools context, tracing and metrics around a
partial batch response, so one failed record is retried alone."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from functions.common.observability import logger, metrics, tracer


def sqs_batch_handler(process_record: Callable[[SQSRecord], None]) -> Callable[[dict, Any], dict]:
    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler(capture_response=False)
    @metrics.log_metrics
    def handler(event: dict, context: Any) -> dict:
        # one processor per call: it holds per-batch state, and the local stack calls from several threads
        processor = BatchProcessor(event_type=EventType.SQS)
        return process_partial_response(event=event, record_handler=process_record, processor=processor,
                                        context=context)

    return handler
