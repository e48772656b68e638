from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from functions.ratelimit.bucket import take


def test_a_full_bucket_allows_the_burst_then_refuses():
    state, decisions = None, []
    for _ in range(6):
        d = take(state, now=100.0, per_minute=15, burst=5)
        decisions.append(d)
        state = d.state
    assert [d.allowed for d in decisions] == [True] * 5 + [False]
    assert [d.remaining for d in decisions[:5]] == [4, 3, 2, 1, 0]
    assert decisions[-1].retry_after == 4  # one token every 4 s at 15 a minute
    assert decisions[-1].limit == 15


def test_tokens_come_back_at_the_plan_rate_and_never_past_the_burst():
    d = take(None, now=0.0, per_minute=60, burst=3)
    for _ in range(2):
        d = take(d.state, now=0.0, per_minute=60, burst=3)
    assert d.remaining == 0
    d = take(d.state, now=2.0, per_minute=60, burst=3)  # two tokens back, one spent
    assert d.allowed and d.remaining == 1
    d = take(d.state, now=10_000.0, per_minute=60, burst=3)
    assert d.remaining == 2  # capped at the burst (3), one spent


@given(st.lists(st.floats(0, 5), min_size=1, max_size=200), st.integers(1, 600), st.integers(1, 100))
def test_never_more_than_burst_plus_rate_times_elapsed(gaps, per_minute, burst):
    now, state, allowed = 0.0, None, 0
    for gap in gaps:
        now += gap
        d = take(state, now=now, per_minute=per_minute, burst=burst)
        state = d.state
        allowed += d.allowed
        assert d.remaining >= 0 and (d.allowed or d.retry_after >= 1)
    assert allowed <= burst + now * per_minute / 60 + 1e-6
