"""Operator actions on accounts: the CLI and the local stack call these."""
from __future__ import annotations

from typing import Any

from functions.accounts import api_keys
from functions.accounts import store as accounts
from functions.common.backends import Backends
from functions.common.clock import utcnow
from functions.common.errors import InvalidRequest
from functions.webhooks.signing import new_webhook_secret


def create_account(b: Backends, *, plan: str, credits: int = 0, name: str | None = None) -> dict[str, Any]:
    if credits < 0:
        raise InvalidRequest("credits must not be negative", {"field": "credits"})
    return accounts.create_account(b.ddb, b.tables, plan=plan, credits=credits, now=utcnow(), name=name,
                                   webhook_secret=new_webhook_secret())


def create_key(b: Backends, account_id: str, *, mode: str, name: str | None = None) -> tuple[str, dict[str, Any]]:
    account = accounts.get_account(b.ddb, b.tables["accounts"], account_id)
    return api_keys.create_key(b.ddb, b.tables, account, mode=mode, name=name, now=utcnow())


def create_account_with_key(b: Backends, *, plan: str, credits: int, name: str | None, mode: str
                            ) -> tuple[dict[str, Any], str]:
    account = create_account(b, plan=plan, credits=credits, name=name)
    key, _ = create_key(b, account["account_id"], mode=mode, name="default")
    return account, key


def grant(b: Backends, account_id: str, credits: int, *, note: str | None = None) -> dict[str, Any]:
    if credits <= 0:
        raise InvalidRequest("credits must be positive", {"field": "credits"})
    return accounts.grant_credits(b.ddb, b.tables, account_id, credits, now=utcnow(), note=note)


def set_plan(b: Backends, account_id: str, plan: str) -> dict[str, Any]:
    return accounts.set_plan(b.ddb, b.tables, account_id, plan, now=utcnow())
