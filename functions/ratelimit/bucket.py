"""Token bucket, pure: `burst` tokens at most, refilled at the plan's requests per minute."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class BucketState:
    tokens: float
    updated: float  # epoch seconds


@dataclass(frozen=True)
class Decision:
    allowed: bool
    state: BucketState
    limit: int            # requests per minute, for X-RateLimit-Limit
    remaining: int        # whole tokens left after this request
    reset_seconds: int    # until the bucket is full again
    retry_after: int      # seconds to wait when refused (0 when allowed)


def take(state: BucketState | None, *, now: float, per_minute: int, burst: int) -> Decision:
    rate = per_minute / 60.0
    tokens = burst if state is None else min(burst, state.tokens + max(0.0, now - state.updated) * rate)
    allowed = tokens >= 1.0
    if allowed:
        tokens -= 1.0
    new_state = BucketState(tokens=tokens, updated=now)
    return Decision(
        allowed=allowed, state=new_state, limit=per_minute, remaining=int(math.floor(tokens)),
        reset_seconds=int(math.ceil((burst - tokens) / rate)),
        retry_after=0 if allowed else max(1, int(math.ceil((1.0 - tokens) / rate))),
    )
