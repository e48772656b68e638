"""What runs around every request, before routing: request ids, auth, rate limits, body checks,
idempotency, and the headers every authenticated response carries.

This wraps the resolver at the event level (not as a Powertools middleware) because Powertools
validates a request before any middleware runs, and an unauthenticated caller must get 401, not a
description of what the body should have been.
"""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import Response

from functions.accounts import api_keys
from functions.accounts.plans import plan_named
from functions.accounts.store import get_account
from functions.api.errors import to_proxy_result
from functions.common.backends import Backends
from functions.common.clock import utcnow
from functions.common.errors import ApiError, PayloadTooLarge, RateLimited, UnsupportedMediaType
from functions.common.observability import logger
from functions.idempotency import store as idempotency
from functions.ratelimit.store import consume

PUBLIC_PATHS = frozenset({"/v1/health", "/v1/openapi.json", "/v1/docs", "/v1/gallery"})
MAX_JSON_BODY_BYTES = 256 * 1024
BODY_METHODS = ("POST", "PUT", "PATCH")
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

Resolve = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]  # (event, context values) -> proxy result


def request_id_of(event: dict[str, Any]) -> str:
    return (event.get("requestContext") or {}).get("requestId") or f"req_{uuid.uuid4().hex}"


def _headers(event: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in (event.get("headers") or {}).items()}


def _bearer(headers: dict[str, str]) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _check_body(event: dict[str, Any], headers: dict[str, str]) -> None:
    if event.get("httpMethod") not in BODY_METHODS:
        return
    body = event.get("body") or ""
    if len(body.encode()) > MAX_JSON_BODY_BYTES:
        raise PayloadTooLarge(f"JSON bodies are limited to {MAX_JSON_BODY_BYTES} bytes.",
                              {"max_bytes": MAX_JSON_BODY_BYTES})
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if body and content_type != "application/json":
        raise UnsupportedMediaType("Send the body as JSON with 'Content-Type: application/json'.",
                                   {"content_type": content_type or None})


def _with_headers(result: dict[str, Any], extra: dict[str, str]) -> dict[str, Any]:
    if "multiValueHeaders" in result and result["multiValueHeaders"] is not None:
        for name, value in extra.items():
            result["multiValueHeaders"][name] = [value]
    else:
        result.setdefault("headers", {}).update(extra)
    return result


def handle_request(event: dict[str, Any], b: Backends, resolve: Resolve) -> dict[str, Any]:
    request_id = request_id_of(event)
    path = event.get("path", "")
    logger.append_keys(request_id=request_id, path=path, method=event.get("httpMethod"))
    extra: dict[str, str] = {"X-Request-Id": request_id}
    try:
        if path in PUBLIC_PATHS:
            result = resolve(event, {"backends": b, "request_id": request_id})
        else:
            result = _authenticated(event, b, resolve, request_id, extra)
    except Exception as error:  # noqa: BLE001 - every failure becomes the one JSON error shape
        result = to_proxy_result(error, request_id)
    return _with_headers(result, extra)


def _authenticated(event: dict[str, Any], b: Backends, resolve: Resolve, request_id: str,
                   extra: dict[str, str]) -> dict[str, Any]:
    headers = _headers(event)
    key = api_keys.authenticate(b.ddb, b.tables["api_keys"], _bearer(headers), now=utcnow())
    account = get_account(b.ddb, b.tables["accounts"], key["account_id"])
    logger.append_keys(account_id=account["account_id"])
    plan = plan_named(account["plan"])
    decision = consume(b.ddb, b.tables["rate_limits"], account["account_id"], now=time.time(),
                       per_minute=plan.requests_per_minute, burst=plan.burst)
    extra.update({"X-RateLimit-Limit": str(decision.limit), "X-RateLimit-Remaining": str(decision.remaining),
                  "X-RateLimit-Reset": str(decision.reset_seconds)})
    if not decision.allowed:
        raise RateLimited(f"Too many requests: the {plan.name} plan allows {plan.requests_per_minute} a minute "
                          f"with bursts of {plan.burst}.", {"retry_after_seconds": decision.retry_after},
                          headers={"Retry-After": str(decision.retry_after)})
    _check_body(event, headers)
    values = {"backends": b, "request_id": request_id, "account": account, "api_key": key}
    idem_key = headers.get("idempotency-key")
    if event.get("httpMethod") == "POST" and idem_key is not None:
        return _idempotent(event, b, resolve, values, account["account_id"], idem_key)
    return resolve(event, values)


def _idempotent(event: dict[str, Any], b: Backends, resolve: Resolve, values: dict[str, Any], account_id: str,
                idem_key: str) -> dict[str, Any]:
    rid = idempotency.record_id(account_id, idem_key)
    fp = idempotency.fingerprint(event["httpMethod"], event.get("path", ""), event.get("body"))
    table = b.tables["idempotency"]
    stored = idempotency.claim(b.ddb, table, rid, fp, now=time.time())
    if stored is not None:
        return {"statusCode": stored.status, "body": stored.body, "isBase64Encoded": False,
                "headers": dict(stored.headers, **{"Content-Type": "application/json", "Idempotent-Replayed": "true"})}
    try:
        result = resolve(event, dict(values, idempotency_record=rid))
    except ApiError as error:
        # A refusal (no credits, over a limit) is an answer too: the same request gets the same answer.
        result = to_proxy_result(error, values["request_id"])
    except Exception:
        idempotency.release(b.ddb, table, rid)
        raise
    if int(result["statusCode"]) in RETRYABLE_STATUSES:
        # "Try again later" is no answer to keep: the retry this invites must be able to succeed.
        idempotency.release(b.ddb, table, rid)
        return result
    headers = dict(result.get("headers") or {})
    headers.update({k: v[-1] for k, v in (result.get("multiValueHeaders") or {}).items()})
    kept = {k: v for k, v in headers.items() if k in ("Location", "Preference-Applied")}
    idempotency.complete(b.ddb, table, rid, fp,
                         idempotency.StoredResponse(int(result["statusCode"]), result.get("body") or "", kept),
                         now=time.time())
    return result


def backends(router) -> Backends:
    return router.context["backends"]


def json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, content_type="application/json", body=json.dumps(data),
                    headers=headers or {})
