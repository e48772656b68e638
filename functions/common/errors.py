"""Every failure a caller can see, as one exception type per public error code.

Business logic raises these; the API maps them to HTTP in exactly one place
(functions/api/errors.py). Nothing else turns exceptions into responses.
"""
from __future__ import annotations

from typing import Any


class ApiError(Exception):
    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, details: dict[str, Any] | None = None, *,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


class InvalidRequest(ApiError):
    status, code = 400, "invalid_request"


class InvalidApiKey(ApiError):
    status, code = 401, "invalid_api_key"


class InsufficientCredits(ApiError):
    status, code = 402, "insufficient_credits"


class ApiKeyRevoked(ApiError):
    status, code = 403, "api_key_revoked"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class MethodNotAllowed(ApiError):
    status, code = 405, "method_not_allowed"


class NotCancellable(ApiError):
    status, code = 409, "not_cancellable"


class IdempotencyMismatch(ApiError):
    status, code = 409, "idempotency_mismatch"


class IdempotencyInProgress(ApiError):
    status, code = 409, "idempotency_in_progress"


class Conflict(ApiError):
    status, code = 409, "conflict"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(ApiError):
    status, code = 415, "unsupported_media_type"


class UnprocessableSource(ApiError):
    status, code = 422, "unsupported_source"


class RateLimited(ApiError):
    status, code = 429, "rate_limited"


class ConcurrencyLimited(ApiError):
    status, code = 429, "concurrency_limited"


class KeyLimitReached(ApiError):
    status, code = 409, "key_limit_reached"


class RenderFailed(Exception):
    """A worker-side failure with a public code (e.g. unsupported_media); the job fails and is refunded."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
