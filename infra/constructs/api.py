"""The HTTP API: the api function behind an API Gateway REST API that proxies every path to it."""
from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.constructs.acknowledgments import acknowledge
from infra.constructs.environment import Needs, ResourceDirectory
from infra.constructs.layers import Layers
from infra.constructs.service_function import LOG_RETENTION, ServiceFunction
from infra.resources import QueueDef

# API Gateway's integration limit; the function must answer before the gateway gives up.
API_TIMEOUT = Duration.seconds(29)
API_MEMORY_MB = 1024
# The routes carry their own version (/v1/...), so the stage name is not part of the API's
# contract: <ApiUrl>v1/health reaches the function with path "/v1/health".
STAGE_NAME = "api"
# A backstop against floods; per-account limits are enforced by the function (rate_limits table).
THROTTLE_RATE_PER_SECOND = 100
THROTTLE_BURST = 200



def api_needs(jobs_queue: QueueDef) -> Needs:
    return Needs(
        read_write_tables=("accounts", "api_keys", "jobs", "ledger", "rate_limits", "idempotency", "projects"),
        read_tables=("deliveries",),
        asset_actions=("s3:GetObject", "s3:DeleteObject"),  # presigned downloads, job deletion
        # presigned POSTs are signed with this role (PutObject); GET /v1/uploads/{id} heads the object
        upload_actions=("s3:GetObject", "s3:PutObject"),
        list_assets=True,  # job deletion lists assets/<account>/<job>/ before deleting
        send_queues=(jobs_queue.env_var,),
        put_events=True,  # cancel announces job.cancelled
    )


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        jobs_queue: QueueDef,
        directory: ResourceDirectory,
        code: lambda_.Code,
        layers: Layers,
    ) -> None:
        super().__init__(scope, construct_id)
        self.handler = ServiceFunction(
            self, "Handler",
            service_name="api",
            handler="functions.api.handler.handler",
            description="PixelForge HTTP API: routing, API key auth, jobs, accounts",
            code=code,
            layers=[layers.runtime],
            timeout=API_TIMEOUT,
            memory_size=API_MEMORY_MB,
            needs=api_needs(jobs_queue),
            directory=directory,
        )

        self.access_logs = logs.LogGroup(
            self, "AccessLogs", retention=LOG_RETENTION, removal_policy=RemovalPolicy.DESTROY,
        )
        self.rest_api = apigateway.LambdaRestApi(
            self, "RestApi",
            description="PixelForge API",
            handler=self.handler.function,
            proxy=True,  # ANY on / and on /{proxy+}: the function does the routing
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            # Stage logging needs the account-level CloudWatch role; a fresh account has none.
            cloud_watch_role=True,
            deploy_options=apigateway.StageOptions(
                stage_name=STAGE_NAME,
                tracing_enabled=True,
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # request bodies carry API keys and webhook secrets
                metrics_enabled=True,
                access_log_destination=apigateway.LogGroupLogDestination(self.access_logs),
                access_log_format=apigateway.AccessLogFormat.json_with_standard_fields(
                    caller=False, http_method=True, ip=True, protocol=True, request_time=True,
                    resource_path=True, response_length=True, status=True, user=False,
                ),
                throttling_rate_limit=THROTTLE_RATE_PER_SECOND,
                throttling_burst_limit=THROTTLE_BURST,
            ),
        )
        # LambdaRestApi adds an "Endpoint" output with a generated name; the stack's ApiUrl replaces it.
        self.rest_api.node.try_remove_child("Endpoint")
        self.url = self.rest_api.url

        auth_reason = (
            "Clients authenticate with PixelForge API keys (Authorization: Bearer); the api function "
            "verifies the key hash against the api_keys table on every request, so the gateway has "
            "no authorizer and there are no Cognito users."
        )
        acknowledge(self.rest_api, "AwsSolutions-APIG4", auth_reason)
        acknowledge(self.rest_api, "AwsSolutions-COG4", auth_reason)
        acknowledge(
            self.rest_api, "AwsSolutions-APIG2",
            "Every route is a proxy to the api function, which validates each request body with "
            "pydantic and returns the product's own error format; gateway validation would duplicate it.",
        )
        acknowledge(
            self.rest_api, "AwsSolutions-APIG3",
            "Self-hosted deployments choose their own edge protection; abuse is bounded by per-key rate "
            "limits in the function and by stage throttling, and a WAF web ACL can be attached later.",
        )
        acknowledge(
            self.rest_api, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
            "service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
            "The account-level API Gateway logging role uses the AWS-managed policy made for it; it "
            "only allows writing to CloudWatch Logs.",
        )
