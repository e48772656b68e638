"""POST/GET /v1/keys, DELETE /v1/keys/{id}."""
from __future__ import annotations

from typing import Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, ConfigDict, Field

from functions.accounts import api_keys
from functions.api.context import backends, json_response
from functions.common.clock import utcnow

router = Router()


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    name: str | None = Field(None, max_length=100, description="A label to tell keys apart.")
    mode: Literal["live", "test"] | None = Field(None, description="Defaults to this deployment's mode.")


@router.post("/v1/keys", summary="Create an API key (shown once)")
def create_key(request: KeyRequest | None = None):
    b = backends(router)
    request = request or KeyRequest()
    secret, record = api_keys.create_key(b.ddb, b.tables, router.context["account"],
                                         mode=request.mode or b.settings.key_mode, name=request.name, now=utcnow())
    return json_response(201, dict(record, key=secret,
                                   warning="Store this key now: it is not shown again."))


@router.get("/v1/keys", summary="List API keys")
def list_keys() -> dict:
    b = backends(router)
    items = api_keys.list_keys(b.ddb, b.tables["api_keys"], router.context["account"]["account_id"])
    return {"keys": [api_keys.public_key(i) for i in items]}


@router.delete("/v1/keys/<key_id>", summary="Revoke an API key")
def revoke_key(key_id: str):
    b = backends(router)
    api_keys.revoke_key(b.ddb, b.tables, router.context["account"]["account_id"], key_id, now=utcnow())
    return Response(status_code=204, body="")
