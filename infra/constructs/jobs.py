"""Rendering: the jobs queue and its DLQ, the worker, the jobs dead-letter function and their alarms."""
from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from constructs import Construct

from infra.constructs.environment import Needs, ResourceDirectory
from infra.constructs.layers import Layers
from infra.constructs.queue_pair import QueueWithDeadLetter
from infra.constructs.service_function import ServiceFunction
from infra.resources import QueueDef

WORKER_TIMEOUT = Duration.seconds(120)
WORKER_MEMORY_MB = 2048  # numpy renders are CPU-bound; Lambda CPU scales with memory
# Caps parallel renders (and spend) without reserving account concurrency, which new accounts lack.
WORKER_MAX_CONCURRENCY = 10
DEAD_LETTER_TIMEOUT = Duration.seconds(30)

def worker_needs(queue: QueueDef) -> Needs:
    return Needs(
        read_write_tables=("jobs", "accounts", "ledger"),
        # conversions read another job's file; fanned-out jobs write, read and then delete their parts
        asset_actions=("s3:DeleteObject", "s3:GetObject", "s3:PutObject"),
        upload_actions=("s3:GetObject",),  # jobs made from a user's upload read it
        send_queues=(queue.env_var,),  # a job split into parts sends one message per part
        put_events=True,
    )
DEAD_LETTER_NEEDS = Needs(
    read_write_tables=("jobs", "accounts", "ledger"),
    put_events=True,
)


class Jobs(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        queue: QueueDef,
        directory: ResourceDirectory,
        code: lambda_.Code,
        layers: Layers,
    ) -> None:
        super().__init__(scope, construct_id)
        self.queues = QueueWithDeadLetter(
            self, "Queues",
            definition=queue,
            consumer_timeout=WORKER_TIMEOUT,
            dead_letter_consumer_timeout=DEAD_LETTER_TIMEOUT,
            directory=directory,
        )

        self.worker = ServiceFunction(
            self, "Worker",
            service_name="worker",
            handler="functions.worker.handler.handler",
            description="Renders one queued job into assets/ and announces the result",
            code=code,
            layers=[layers.runtime, layers.render],
            timeout=WORKER_TIMEOUT,
            memory_size=WORKER_MEMORY_MB,
            needs=worker_needs(queue),
            directory=directory,
        )
        # One job per invocation: a render is long, and a failure must retry only that job.
        self.worker.function.add_event_source(event_sources.SqsEventSource(
            self.queues.queue,
            batch_size=1,
            report_batch_item_failures=True,
            max_concurrency=WORKER_MAX_CONCURRENCY,
        ))

        self.dead_letter = ServiceFunction(
            self, "DeadLetter",
            service_name="jobs-dead-letter",
            handler="functions.worker.dead_letter.handler",
            description="Fails and refunds jobs whose rendering kept failing",
            code=code,
            layers=[layers.runtime],
            timeout=DEAD_LETTER_TIMEOUT,
            memory_size=512,
            needs=DEAD_LETTER_NEEDS,
            directory=directory,
        )
        self.dead_letter.function.add_event_source(event_sources.SqsEventSource(
            self.queues.dead_letter_queue,
            batch_size=10,
            report_batch_item_failures=True,
        ))

        # Crashes and timeouts (not per-job failures, which the handler reports as batch item failures)
        # mean the worker itself is broken; retries would hide that until the DLQ fills.
        self.worker_errors_alarm = cloudwatch.Alarm(
            self, "WorkerErrorsAlarm",
            alarm_description="The worker function raised errors",
            metric=self.worker.function.metric_errors(period=Duration.minutes(5), statistic="Sum"),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
