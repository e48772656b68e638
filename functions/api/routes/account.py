"""GET /v1/me, /v1/balance, /v1/limits, /v1/asset-types, /v1/ledger."""
from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from functions.accounts import store as accounts
from functions.accounts.ledger import Balance
from functions.accounts.plans import PLANS, plan_named
from functions.api.context import MAX_JSON_BODY_BYTES, backends
from functions.common.clock import iso, utcnow
from functions.common.pagination import decode_cursor, encode_cursor
from functions.idempotency.store import MAX_KEY_LENGTH
from functions.jobs.asset_types import ASSET_TYPES
from functions.jobs.service import MAX_WAIT_SECONDS
from functions.uploads.models import limits as upload_limits

router = Router()


def _balance_view(account: dict, balance: Balance) -> dict:
    allotment = plan_named(account["plan"]).monthly_credits
    return {
        "plan": account["plan"], "total": balance.total, "monthly_allotment": allotment,
        "monthly_remaining": balance.monthly_remaining, "monthly_used": max(0, allotment - balance.monthly_remaining),
        "purchased": balance.purchased, "renews_at": iso(balance.renews_at),
    }


def _current_balance(account: dict) -> Balance:
    # Shown as it stands now: a month that has turned shows its fresh allotment before the next debit writes it.
    balance, _ = accounts.renewed(account, utcnow())
    return balance


@router.get("/v1/me", summary="Your account: plan, balance, limits")
def me() -> dict:
    account = router.context["account"]
    key = router.context["api_key"]
    plan = plan_named(account["plan"])
    return {
        "account_id": account["account_id"], "name": account.get("name"), "plan": plan.public(),
        "created_at": account["created_at"], "balance": _balance_view(account, _current_balance(account)),
        "active_jobs": int(account["active_jobs"]), "active_keys": int(account["active_keys"]),
        "key": {"id": key["key_id"], "mode": key["mode"], "prefix": key["prefix"], "last_four": key["last_four"]},
    }


@router.get("/v1/balance", summary="Credit balance")
def balance() -> dict:
    account = router.context["account"]
    return _balance_view(account, _current_balance(account))


@router.get("/v1/limits", summary="Request bounds, rate limits and caps for your plan")
def limits() -> dict:
    plan = plan_named(router.context["account"]["plan"])
    return {
        "plan": plan.name,
        "rate_limit": {"requests_per_minute": plan.requests_per_minute, "burst": plan.burst},
        "max_concurrent_jobs": plan.max_concurrent_jobs,
        "max_active_keys": plan.max_active_keys,
        "request": {"max_json_body_bytes": MAX_JSON_BODY_BYTES, "max_idempotency_key_length": MAX_KEY_LENGTH,
                    "max_prefer_wait_seconds": MAX_WAIT_SECONDS},
        "uploads": upload_limits(),
        "asset_types": {name: t.description for name, t in ASSET_TYPES.items()},
        "plans": {name: p.public() for name, p in PLANS.items()},
    }


@router.get("/v1/asset-types", summary="Every kind of asset, its cost and size range")
def asset_types() -> dict:
    return {"asset_types": [dict(type=t.name, endpoint=t.endpoint, **t.description) for t in ASSET_TYPES.values()]}


@router.get("/v1/ledger", summary="Every grant, debit and refund, newest first")
def ledger(limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: Annotated[str | None, Query()] = None) -> dict:
    b = backends(router)
    account_id = router.context["account"]["account_id"]
    entries, next_key = accounts.list_ledger(b.ddb, b.tables["ledger"], account_id, limit=limit,
                                             cursor=decode_cursor(cursor, account_id))
    return {
        "entries": [{"id": e["entry_id"], "kind": e["kind"], "amount": e["amount"], "monthly": e["monthly"],
                     "purchased": e["purchased"], "job_id": e.get("job_id"), "note": e.get("note"), "at": e["at"]}
                    for e in entries],
        "next_cursor": encode_cursor(next_key),
    }
