"""An SQS queue with its dead-letter queue and an alarm on that DLQ, built from a QueueDef."""
from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.environment import ResourceDirectory
from infra.resources import QueueDef

DLQ_RETENTION = Duration.days(14)
# Lambda needs a message hidden for the whole time a consumer may hold it, with slack for retries
# inside the batch window; AWS recommends six times the function timeout.
VISIBILITY_PER_TIMEOUT = 6


def visibility_for(consumer_timeout: Duration) -> Duration:
    return Duration.seconds(VISIBILITY_PER_TIMEOUT * consumer_timeout.to_seconds())


class QueueWithDeadLetter(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        definition: QueueDef,
        consumer_timeout: Duration,
        dead_letter_consumer_timeout: Duration | None = None,
        directory: ResourceDirectory,
    ) -> None:
        super().__init__(scope, construct_id)
        self.definition = definition
        self.dead_letter_queue = sqs.Queue(
            self, "DeadLetterQueue",
            retention_period=DLQ_RETENTION,
            visibility_timeout=visibility_for(dead_letter_consumer_timeout or Duration.seconds(30)),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        self.queue = sqs.Queue(
            self, "Queue",
            visibility_timeout=visibility_for(consumer_timeout),
            # SSE-SQS rather than a customer key: EventBridge can deliver to it without a key policy.
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letter_queue, max_receive_count=definition.max_receive_count,
            ),
        )
        directory.queues[definition.env_var] = self.queue
        directory.queues[definition.dlq_env_var] = self.dead_letter_queue

        # Anything in a DLQ is a job or a delivery a customer is waiting for: page on the first one.
        self.dead_letter_alarm = cloudwatch.Alarm(
            self, "DeadLetterAlarm",
            alarm_description=f"Messages are waiting in the {definition.name} dead-letter queue",
            metric=self.dead_letter_queue.metric_approximate_number_of_messages_visible(
                period=Duration.minutes(1), statistic="Maximum",
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
