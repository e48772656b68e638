"""The plans, in one table. Everything plan-dependent reads from here."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from functions.common.errors import InvalidRequest


@dataclass(frozen=True)
class Plan:
    name: str
    requests_per_minute: int
    burst: int
    max_active_keys: int
    max_concurrent_jobs: int
    monthly_credits: int

    def public(self) -> dict:
        return asdict(self)


PLANS: dict[str, Plan] = {
    p.name: p
    for p in (
        #     name       req/min burst keys concurrent monthly
        Plan("free", 15, 5, 5, 1, 50),
        Plan("creator", 120, 30, 20, 5, 1_000),
        Plan("studio", 600, 100, 50, 20, 5_000),
    )
}


def plan_named(name: str) -> Plan:
    try:
        return PLANS[name]
    except KeyError:
        raise InvalidRequest(f"Unknown plan {name!r}.", {"field": "plan", "allowed": sorted(PLANS)}) from None
