"""The credit arithmetic, property-tested: whatever happens, the ledger sums to the balance."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from functions.accounts import ledger
from functions.accounts.ledger import Balance
from functions.common.errors import InsufficientCredits

START = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
ALLOTMENT = 50

operations = st.lists(st.one_of(
    st.tuples(st.just("grant"), st.integers(1, 500)),
    st.tuples(st.just("debit"), st.integers(0, 80)),
    st.tuples(st.just("refund"), st.integers(0, 50)),
    st.tuples(st.just("days"), st.integers(1, 45)),
), max_size=60)


@settings(max_examples=300, deadline=None)
@given(operations, st.integers(0, 200))
def test_ledger_always_sums_to_the_balance_and_nothing_goes_negative(ops, initial):
    now = START
    balance = Balance(monthly_remaining=ALLOTMENT, purchased=0, renews_at=ledger.first_renewal(START))
    entries = [ledger.Change("monthly_grant", ALLOTMENT, 0)]
    if initial:
        entries.append(ledger.grant(initial))
        balance = ledger.apply(balance, entries[-1])
    debits: list[tuple[ledger.Change, datetime]] = []  # outstanding, with the period they were made in
    for op, n in ops:
        balance, renewals = ledger.renew(balance, allotment=ALLOTMENT, now=now)
        entries += renewals
        if op == "grant":
            change = ledger.grant(n)
            balance = ledger.apply(balance, change)
            entries.append(change)
        elif op == "debit":
            before = balance
            if n > balance.total:
                with pytest.raises(InsufficientCredits):
                    ledger.debit(balance, n)
                continue
            balance, change = ledger.debit(balance, n)
            entries.append(change)
            debits.append((change, before.renews_at))
            # monthly credits are spent first
            assert -change.monthly == min(n, before.monthly_remaining)
            assert balance.total == before.total - n
        elif op == "refund" and debits:
            change, period = debits.pop(n % len(debits))  # popped: a debit is refunded at most once
            before = balance
            refund = ledger.refund_of(change, debited_in_period=period, balance=balance)
            balance = ledger.apply(balance, refund)
            entries.append(refund)
            assert refund.amount == -change.amount  # exactly what was taken comes back
            assert balance.total == before.total + refund.amount
        elif op == "days":
            now += timedelta(days=n)
        assert balance.monthly_remaining >= 0 and balance.purchased >= 0
        assert balance.monthly_remaining <= ALLOTMENT
        assert sum(e.amount for e in entries) == balance.total


@given(st.integers(0, 50), st.integers(0, 100), st.integers(0, 150))
def test_a_refund_after_the_month_turned_comes_back_as_purchased_credits(monthly, purchased, cost):
    balance = Balance(monthly, purchased, renews_at=START + timedelta(days=1))
    if cost > balance.total:
        return
    after, debit = ledger.debit(balance, cost)
    renewed, _ = ledger.renew(after, allotment=ALLOTMENT, now=START + timedelta(days=2))
    refund = ledger.refund_of(debit, debited_in_period=balance.renews_at, balance=renewed)
    assert refund.monthly == 0 and refund.purchased == cost
    restored = ledger.apply(renewed, refund)
    assert restored.monthly_remaining == ALLOTMENT and restored.purchased == after.purchased + cost


def test_renewal_dates_clamp_to_short_months_and_catch_up():
    assert ledger.next_month(datetime(2026, 1, 31, tzinfo=UTC)) == datetime(2026, 2, 28, tzinfo=UTC)
    assert ledger.next_month(datetime(2026, 12, 15, tzinfo=UTC)) == datetime(2027, 1, 15, tzinfo=UTC)
    balance = Balance(3, 7, renews_at=datetime(2026, 2, 1, tzinfo=UTC))
    renewed, changes = ledger.renew(balance, allotment=50, now=datetime(2026, 5, 10, tzinfo=UTC))
    assert renewed.renews_at == datetime(2026, 6, 1, tzinfo=UTC)
    assert [(c.kind, c.amount) for c in changes] == [("monthly_expiry", -3), ("monthly_grant", 50)]
    assert renewed.purchased == 7  # purchased credits never expire


def test_insufficient_credits_says_what_it_costs_and_what_there_is():
    with pytest.raises(InsufficientCredits) as info:
        ledger.debit(Balance(1, 2, renews_at=START), 4)
    assert info.value.details == {"cost": 4, "balance": 3}
