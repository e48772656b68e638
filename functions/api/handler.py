"""Lambda: API Gateway proxy → the PixelForge HTTP API."""
from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths

from functions.api.app import build_app, resolver
from functions.api.context import handle_request
from functions.common.backends import Backends
from functions.common.observability import logger, metrics, tracer

# Powertools keeps the current request on the resolver (and its routers) between calls: like a
# Lambda container, one process serves one request at a time (see infra/local.py ApiProcesses).
app = build_app()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event, context):
    return handle_request(event, Backends.from_environment(), resolver(app, context))
