"""The HTTP API: one Powertools resolver, a router per capability, one middleware around them all."""
from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from functions.api.errors import to_response
from functions.api.routes import (
    account,
    animations,
    ascii,
    jobs,
    keys,
    projects,
    sprites,
    textures,
    uploads,
    webhooks,
)
from functions.common.errors import ApiError, MethodNotAllowed, NotFound

TITLE = "PixelForge API"
VERSION = "1.0.0"
DESCRIPTION = (
    "Game assets on request. Authenticate with `Authorization: Bearer pf_...`. Jobs are asynchronous: "
    "submit, then poll `GET /v1/jobs/{id}`, send `Prefer: wait=N`, or receive a signed webhook. "
    "Every error is `{code, message, details, request_id}`."
)


def build_app() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True)
    for module in (account, keys, jobs, projects, sprites, textures, uploads, webhooks, ascii, animations):
        app.include_router(module.router)

    @app.get("/v1/health", summary="Liveness, without auth")
    def health() -> dict:
        return {"status": "ok", "version": VERSION}

    @app.get("/v1/openapi.json", summary="This API's OpenAPI 3.1 document", include_in_schema=False)
    def openapi():
        return Response(status_code=200, content_type="application/json",
                        body=app.get_openapi_json_schema(title=TITLE, version=VERSION, description=DESCRIPTION))

    app.enable_swagger(path="/v1/docs", title=TITLE, version=VERSION, description=DESCRIPTION)

    @app.not_found
    def not_found(_: Exception):
        path = app.current_event.path
        allowed = sorted({r.method for r in app._static_routes + app._dynamic_routes if r.rule.match(path)})
        if allowed:
            error = MethodNotAllowed(f"{app.current_event.http_method} is not allowed here; use {', '.join(allowed)}.",
                                     {"path": path, "allowed": allowed}, headers={"Allow": ", ".join(allowed)})
            return to_response(error, app.context["request_id"])
        return to_response(NotFound("No such route.", {"path": path}), app.context["request_id"])

    @app.exception_handler([ApiError, RequestValidationError])
    def api_error(error: Exception):
        return to_response(error, app.context["request_id"])

    return app



def resolver(app: APIGatewayRestResolver, lambda_context):
    """(event, context values) -> proxy result, for functions.api.context.handle_request."""
    def resolve(event: dict, values: dict) -> dict:
        app.append_context(**values)
        return app.resolve(event, lambda_context)
    return resolve
