"""Credit arithmetic, pure: how a debit splits, how a refund returns, when the month renews.

Monthly credits are spent before purchased ones. A refund goes back to the buckets its debit
came from; if the month renewed in between, the monthly share comes back as purchased credits,
because the monthly bucket it came from no longer exists and the caller must not lose it.
Every change of balance is one ledger entry, so the sum of an account's entries is its balance.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from functions.common.errors import InsufficientCredits


@dataclass(frozen=True)
class Balance:
    monthly_remaining: int
    purchased: int
    renews_at: datetime

    @property
    def total(self) -> int:
        return self.monthly_remaining + self.purchased


@dataclass(frozen=True)
class Change:
    """One ledger entry's effect: how much each bucket moved (signed)."""
    kind: str            # monthly_grant | monthly_expiry | grant | debit | refund
    monthly: int
    purchased: int

    @property
    def amount(self) -> int:
        return self.monthly + self.purchased


def next_month(moment: datetime) -> datetime:
    """Same day next month, clamped to the month's length (Jan 31 -> Feb 28)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def first_renewal(created: datetime) -> datetime:
    return next_month(created.astimezone(UTC))


def renew(balance: Balance, *, allotment: int, now: datetime) -> tuple[Balance, list[Change]]:
    """Roll the monthly bucket forward to the period containing `now`: unused monthly credits expire."""
    changes: list[Change] = []
    renews_at = balance.renews_at
    if now < renews_at:
        return balance, changes
    while renews_at <= now:
        renews_at = next_month(renews_at)
    if balance.monthly_remaining:
        changes.append(Change("monthly_expiry", -balance.monthly_remaining, 0))
    if allotment:
        changes.append(Change("monthly_grant", allotment, 0))
    return replace(balance, monthly_remaining=allotment, renews_at=renews_at), changes


def debit(balance: Balance, cost: int) -> tuple[Balance, Change]:
    if cost < 0:
        raise ValueError("cost must not be negative")
    if cost > balance.total:
        raise InsufficientCredits(
            f"This job costs {cost} credits and the balance is {balance.total}.",
            {"cost": cost, "balance": balance.total},
        )
    from_monthly = min(cost, balance.monthly_remaining)
    from_purchased = cost - from_monthly
    change = Change("debit", -from_monthly, -from_purchased)
    return apply(balance, change), change


def refund_of(debit_change: Change, *, debited_in_period: datetime, balance: Balance) -> Change:
    """The refund for a debit. The debit's period is identified by the renewal date it was made under."""
    monthly, purchased = -debit_change.monthly, -debit_change.purchased
    if debited_in_period != balance.renews_at:
        monthly, purchased = 0, monthly + purchased
    return Change("refund", monthly, purchased)


def grant(amount: int) -> Change:
    if amount <= 0:
        raise ValueError("a grant must be positive")
    return Change("grant", 0, amount)


def apply(balance: Balance, change: Change) -> Balance:
    return replace(balance, monthly_remaining=balance.monthly_remaining + change.monthly,
                   purchased=balance.purchased + change.purchased)
