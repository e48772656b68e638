"""Standard Webhooks signing (https://www.standardwebhooks.com/), through the standardwebhooks library."""
from __future__ import annotations

import base64
import math
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_webhook_secret() -> str:
    """A new signing secret: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _utc(timestamp: datetime) -> datetime:
    # Naive datetimes are taken as UTC. Aware ones are converted: Webhook.sign() only *replaces*
    # the tzinfo with UTC, which would shift any non-UTC timestamp.
    if timestamp.tzinfo is None:
        return timestamp.replace(tzinfo=UTC)
    return timestamp.astimezone(UTC)


def signature_headers(secret: str, *, message_id: str, timestamp: datetime, body: bytes) -> dict[str, str]:
    """The ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` headers for ``body``.

    ``body`` must be the exact bytes sent (UTF-8). Never log the result's signature.
    """
    ts = _utc(timestamp)
    signature = Webhook(secret).sign(message_id, ts, body.decode("utf-8"))
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(math.floor(ts.timestamp())),
        "webhook-signature": signature,
    }
