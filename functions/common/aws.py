"""boto3 clients, made once per process (a Lambda cold start) and handed to data-access code.

Locally AWS_ENDPOINT_URL points every client at the embedded moto server; boto3 reads it itself.
"""
from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Checksums only where an API requires them: botocore's default CRC32 of every upload is computed in
# Python and costs more than the upload itself for our small assets; TLS already guards the transfer.
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10,
                 max_pool_connections=32, request_checksum_calculation="when_required",
                 response_checksum_validation="when_required")


@cache
def client(service: str) -> Any:
    return boto3.client(service, config=_CONFIG)


def reset_clients() -> None:
    """Forget cached clients (tests switch moto contexts)."""
    client.cache_clear()
