"""The one place exceptions become HTTP responses: {"code", "message", "details", "request_id"}."""
from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from functions.common.errors import ApiError
from functions.common.observability import logger


def error_body(code: str, message: str, details: dict[str, Any], request_id: str) -> str:
    return json.dumps({"code": code, "message": message, "details": details, "request_id": request_id})


def _field_name(loc: tuple | list, kind: str) -> str:
    if kind == "json_invalid":
        return "body"  # its loc carries the parser's character position, not a field
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_details(errors: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    fields = []
    for err in errors:
        kind = err.get("type", "")
        message = err.get("msg", "invalid")
        if kind == "extra_forbidden":
            message = "unknown field"
        elif kind == "json_invalid":
            message = "the body is not valid JSON"
        elif kind == "missing":
            message = "this field is required"
        fields.append({"field": _field_name(err.get("loc", ()), kind), "message": message, "type": kind})
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return f"The request is not valid: {summary}.", {"fields": fields}


def describe(error: Exception, request_id: str) -> tuple[int, str, dict[str, str]]:
    """(status, JSON body, headers) for any exception."""
    if isinstance(error, ApiError):
        status, code, message, details, headers = error.status, error.code, error.message, error.details, error.headers
    elif isinstance(error, RequestValidationError):
        status, code, headers = 400, "invalid_request", {}
        message, details = validation_details(list(error.errors()))
    else:
        # Never show a stack trace or an exception text to the caller: it can carry internals.
        logger.exception("unhandled error", extra={"request_id": request_id})
        status, code, message, details, headers = 500, "internal_error", "Something went wrong on our side.", {}, {}
    return status, error_body(code, message, details, request_id), dict(headers)


def to_response(error: Exception, request_id: str) -> Response:
    status, body, headers = describe(error, request_id)
    return Response(status_code=status, content_type="application/json", body=body, headers=headers)


def to_proxy_result(error: Exception, request_id: str) -> dict[str, Any]:
    status, body, headers = describe(error, request_id)
    return {"statusCode": status, "headers": dict(headers, **{"Content-Type": "application/json"}), "body": body,
            "isBase64Encoded": False}
