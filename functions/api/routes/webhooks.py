"""GET /v1/webhooks/secret, POST /v1/webhooks/secret/rotate: the account's signing secret."""
from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.accounts.store import set_webhook_secret
from functions.api.context import backends
from functions.webhooks.signing import new_webhook_secret

router = Router()


@router.get("/v1/webhooks/secret", summary="Your webhook signing secret (Standard Webhooks, whsec_...)")
def get_secret() -> dict:
    return {"secret": router.context["account"]["webhook_secret"],
            "scheme": "Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256)"}


@router.post("/v1/webhooks/secret/rotate", summary="Replace your webhook signing secret")
def rotate_secret() -> dict:
    b = backends(router)
    secret = new_webhook_secret()
    set_webhook_secret(b.ddb, b.tables["accounts"], router.context["account"]["account_id"], secret)
    return {"secret": secret, "note": "Deliveries from now on are signed with this secret."}
