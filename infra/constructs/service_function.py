"""A PixelForge Lambda function: same runtime, tracing, logging and environment conventions everywhere."""
from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, IgnoreMode, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.constructs.acknowledgments import acknowledge
from infra.constructs.environment import Needs, ResourceDirectory

REPO_ROOT = Path(__file__).resolve().parents[2]

# The layers are built for this interpreter (pip --python-version); change both together.
PYTHON_VERSION = "3.12"
RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64

METRICS_NAMESPACE = "PixelForge"
STAGE = "aws"
KEY_MODE = "live"
LOG_RETENTION = logs.RetentionDays.ONE_MONTH


def functions_code() -> lambda_.Code:
    """The repo's ``functions`` package, staged with the repo root as asset root.

    Rooting the asset at the repo (not at functions/) keeps the package name in the archive, so the
    handler ``functions.api.handler.handler`` resolves to ``functions/api/handler.py`` exactly as it
    does locally.
    """
    return lambda_.Code.from_asset(
        str(REPO_ROOT),
        # gitignore semantics, unlike the default glob mode, also match dotfiles (.venv, .git).
        ignore_mode=IgnoreMode.GIT,
        exclude=["/*", "!/functions/", "__pycache__/", "*.pyc"],
    )


class ServiceFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        service_name: str,
        handler: str,
        description: str,
        code: lambda_.Code,
        layers: list[lambda_.ILayerVersion],
        timeout: Duration,
        memory_size: int,
        needs: Needs,
        directory: ResourceDirectory,
    ) -> None:
        super().__init__(scope, construct_id)
        self.needs = needs
        self.log_group = logs.LogGroup(
            self, "Logs", retention=LOG_RETENTION, removal_policy=RemovalPolicy.DESTROY,
        )
        # An own role instead of the default one: the default attaches the AWS-managed
        # AWSLambdaBasicExecutionRole (logs:* on every log group); this one may write only its own.
        self.role = iam.Role(
            self, "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"PixelForge {service_name} function",
        )
        self.log_group.grant_write(self.role)
        self.function = lambda_.Function(
            self, "Function",
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=handler,
            code=code,
            layers=layers,
            timeout=timeout,
            memory_size=memory_size,
            role=self.role,
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
            environment={
                "POWERTOOLS_SERVICE_NAME": service_name,
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                "PIXELFORGE_STAGE": STAGE,
                "PIXELFORGE_KEY_MODE": KEY_MODE,
                **directory.environment_for(needs),
            },
        )
        directory.grant(self.role, needs)
        acknowledge(
            self.role, "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions; "
            "Lambda active tracing requires them on '*'.",
        )
        acknowledge(
            self, "AwsSolutions-L1",
            f"Runtime pinned to Python {PYTHON_VERSION} because the layers are built with pip "
            "--python-version for exactly this interpreter; upgrade runtime and layers together.",
        )
