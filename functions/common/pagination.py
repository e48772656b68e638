"""Opaque cursors over DynamoDB keys. A cursor names its account and is refused for any other."""
from __future__ import annotations

import base64
import json
from typing import Any

from functions.common.errors import InvalidRequest


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def decode_cursor(cursor: str | None, account_id: str) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        owner = key["account_id"]["S"]
    except (ValueError, KeyError, TypeError):
        raise InvalidRequest("This cursor is not valid.", {"field": "cursor"}) from None
    if owner != account_id:
        raise InvalidRequest("This cursor is not valid.", {"field": "cursor"})
    return key
