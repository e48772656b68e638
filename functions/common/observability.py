"""Powertools Logger, Metrics and Tracer, shared by every function."""
from __future__ import annotations

import warnings

from aws_lambda_powertools import Logger, Metrics, Tracer

# Most invocations publish no metric (a GET, an empty poll); that is expected, not worth a warning.
warnings.filterwarnings("ignore", message="No application metrics to publish")

# Never log credentials: the Authorization header and anything that looks like a key or secret.
REDACTED_HEADERS = frozenset({"authorization", "cookie", "x-api-key"})

logger = Logger(service="pixelforge")
metrics = Metrics(namespace="PixelForge", service="pixelforge")
tracer = Tracer(service="pixelforge")


def safe_headers(headers: dict[str, str] | None) -> dict[str, str]:
    return {k: ("[redacted]" if k.lower() in REDACTED_HEADERS else v) for k, v in (headers or {}).items()}
