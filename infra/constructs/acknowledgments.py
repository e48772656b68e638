"""The one way this app acknowledges a cdk-nag finding.

Every acknowledgment goes through ``acknowledge`` so the tests can list them and prove each one is
still needed: an acknowledgment for a finding that no longer fires hides nothing today but would
silently hide a real regression tomorrow.
"""
from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

# (construct path, rule id, reason) of every acknowledgment made in this process.
RECORDED: list[tuple[str, str, str]] = []


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    if len(reason.split()) < 5:
        raise ValueError(f"acknowledging {rule_id} needs a real reason, got {reason!r}")
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))
    RECORDED.append((scope.node.path, rule_id, reason))
