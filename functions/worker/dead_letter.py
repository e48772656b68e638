"""Lambda: SQS jobs DLQ → fail the job and refund it, exactly once."""
from __future__ import annotations

import json

from functions.common.backends import Backends
from functions.common.sqs_handler import sqs_batch_handler
from functions.worker.run import fail_after_retries


def _record(record) -> None:
    fail_after_retries(Backends.from_environment(), json.loads(record.body)["job_id"])


handler = sqs_batch_handler(_record)
