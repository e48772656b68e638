"""The PixelForge stack: every resource of infra/resources.py plus the functions that use them."""
from __future__ import annotations

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infra.constructs.api import Api
from infra.constructs.data import Data
from infra.constructs.environment import ResourceDirectory
from infra.constructs.jobs import Jobs
from infra.constructs.layers import Layers
from infra.constructs.service_function import functions_code
from infra.constructs.webhooks import Webhooks
from infra.resources import QUEUES, function_environment_names, output_key

STACK_NAME = "PixelForge"


class PixelForgeStack(Stack):
    def __init__(self, scope: Construct, construct_id: str = STACK_NAME, **kwargs) -> None:
        kwargs.setdefault("description", "PixelForge: a serverless API that makes game assets on request")
        super().__init__(scope, construct_id, **kwargs)
        directory = ResourceDirectory()
        self.data = Data(self, "Data", directory=directory)
        self.layers = Layers(self, "Layers")
        code = functions_code()  # one asset shared by every function

        # Each queue of resources.py belongs to the capability that consumes it; a queue nobody
        # consumes is a mistake, so it fails synthesis rather than deploying an orphan.
        queues = {q.name: q for q in QUEUES}
        self.jobs = Jobs(self, "Jobs", queue=queues.pop("jobs"), directory=directory,
                         code=code, layers=self.layers)
        self.webhooks = Webhooks(self, "Webhooks", queue=queues.pop("webhooks"), directory=directory,
                                 code=code, layers=self.layers)
        if queues:
            raise ValueError(f"queues without a consumer in the stack: {sorted(queues)}")
        self.api = Api(self, "Api", jobs_queue=self.jobs.queues.definition, directory=directory,
                       code=code, layers=self.layers)

        directory.check_complete()
        CfnOutput(self, "ApiUrl", value=self.api.url, description="Base URL; routes start with v1/")
        # The operator CLI rebuilds a deployed stack's function environment from these.
        for env_var in function_environment_names():
            CfnOutput(self, output_key(env_var), value=directory.value(env_var), description=env_var)
