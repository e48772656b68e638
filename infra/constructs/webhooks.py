"""Webhook delivery: the bus rule, the webhooks queue and its DLQ, and the dispatcher."""
from __future__ import annotations

from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from constructs import Construct

from infra.constructs.environment import Needs, ResourceDirectory
from infra.constructs.layers import Layers
from infra.constructs.queue_pair import QueueWithDeadLetter
from infra.constructs.service_function import ServiceFunction
from infra.resources import WEBHOOK_RULE_PATTERN, QueueDef

# A batch of 5 webhooks at up to 10 s each (the sender's timeout) must fit in one invocation.
DISPATCHER_TIMEOUT = Duration.seconds(60)
DISPATCHER_BATCH_SIZE = 5


def dispatcher_needs(queue: QueueDef) -> Needs:
    return Needs(
        read_tables=("accounts", "jobs"),
        read_write_tables=("deliveries",),
        asset_actions=("s3:GetObject",),  # presigned download links in the payload
        # Retries are delayed re-sends to the queue; exhausted deliveries go to the DLQ by hand.
        send_queues=(queue.env_var, queue.dlq_env_var),
    )


# EventPattern keyword for each key of an EventBridge pattern; an unknown key fails synthesis
# instead of being dropped from the deployed rule.
_PATTERN_FIELDS = {
    "source": "source",
    "detail-type": "detail_type",
    "detail": "detail",
    "account": "account",
    "region": "region",
    "resources": "resources",
    "id": "id",
    "time": "time",
    "version": "version",
}


def event_pattern(pattern: dict[str, Any]) -> events.EventPattern:
    return events.EventPattern(**{_PATTERN_FIELDS[key]: value for key, value in pattern.items()})


class Webhooks(Construct):
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
            self, "Queues", definition=queue, consumer_timeout=DISPATCHER_TIMEOUT, directory=directory,
        )

        assert directory.event_bus is not None
        self.rule = events.Rule(
            self, "JobEventsWithWebhook",
            description="Job events of jobs that asked for a webhook go to the webhooks queue",
            event_bus=directory.event_bus,
            event_pattern=event_pattern(WEBHOOK_RULE_PATTERN),
            targets=[targets.SqsQueue(self.queues.queue)],
        )

        self.dispatcher = ServiceFunction(
            self, "Dispatcher",
            service_name="webhook-dispatcher",
            handler="functions.webhooks.handler.handler",
            description="POSTs signed job events to customers' webhook URLs",
            code=code,
            layers=[layers.runtime],
            timeout=DISPATCHER_TIMEOUT,
            memory_size=512,
            needs=dispatcher_needs(queue),
            directory=directory,
        )
        self.dispatcher.function.add_event_source(event_sources.SqsEventSource(
            self.queues.queue,
            batch_size=DISPATCHER_BATCH_SIZE,
            report_batch_item_failures=True,
        ))
