"""Plain dicts in and out of DynamoDB's typed JSON, so logic modules never see the wire format."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _to_dynamo_value(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        # nested None stays (as NULL): render parameters rely on every key being there
        return {k: _to_dynamo_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_dynamo_value(v) for v in value]
    return value


def _from_dynamo_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo_value(v) for v in value]
    if isinstance(value, set):
        return {_from_dynamo_value(v) for v in value}
    return value


def to_item(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(_to_dynamo_value(v)) for k, v in data.items() if v is not None}


def to_value(value: Any) -> dict[str, Any]:
    return _serializer.serialize(_to_dynamo_value(value))


def values(mapping: dict[str, Any]) -> dict[str, Any]:
    """ExpressionAttributeValues from plain Python values."""
    return {k: to_value(v) for k, v in mapping.items()}


def from_item(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {k: _from_dynamo_value(_deserializer.deserialize(v)) for k, v in item.items()}


def cancellation_codes(error: Exception) -> list[str]:
    """Per-item reasons of a cancelled TransactWriteItems, in request order ('None' where the item was fine)."""
    reasons = getattr(error, "response", {}).get("CancellationReasons", [])
    return [r.get("Code", "None") for r in reasons]
