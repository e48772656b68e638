"""cdk-nag AwsSolutions: no unacknowledged findings, and no acknowledgment that hides nothing."""
from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from aws_cdk import aws_s3 as s3
from cdk_nag import AwsSolutionsChecks
from pixelforge_synth import new_app, synthesized

from infra.app import build_app
from infra.constructs import acknowledgments
from infra.stack import STACK_NAME, PixelForgeStack


def findings(app) -> list[tuple[str, str, str]]:
    """(rule id, severity, construct path) of every unacknowledged finding."""
    report = AwsSolutionsChecks(app).validate_scope(app)
    return [(v.rule_name, v.severity, r.construct_path)
            for v in report.violations for r in v.violating_resources]


def test_pixelforge_has_no_unacknowledged_findings():
    assert findings(synthesized().app) == []


def test_every_acknowledgment_hides_a_real_finding(monkeypatch):
    acknowledged = synthesized().acknowledgments
    assert acknowledged, "the stack acknowledges nothing: is the acknowledgment helper still used?"
    ignore = SimpleNamespace(of=lambda scope: SimpleNamespace(acknowledge=lambda *rules: None))
    monkeypatch.setattr(acknowledgments, "Validations", ignore)
    with tempfile.TemporaryDirectory() as outdir:
        app = new_app(outdir)
        PixelForgeStack(app)
        found = findings(app)

    for path, rule_id, _reason in acknowledged:
        assert any(rule == rule_id and (where == path or where.startswith(path + "/"))
                   for rule, _, where in found), f"{rule_id} acknowledged on {path} but never reported"
    # ...and nothing is reported without acknowledgments that the acknowledgments do not cover.
    for rule, _, where in found:
        assert any(rule == rule_id and (where == path or where.startswith(path + "/"))
                   for path, rule_id, _ in acknowledged), (rule, where)


def test_acknowledgments_carry_reasons():
    for path, rule_id, reason in synthesized().acknowledgments:
        assert rule_id.startswith("AwsSolutions-"), rule_id
        assert len(reason.split()) >= 8, (path, rule_id, reason)


def test_an_unacknowledged_finding_fails_synthesis():
    with tempfile.TemporaryDirectory() as outdir:
        app = build_app(new_app(outdir))
        stack = app.node.find_child(STACK_NAME)
        s3.Bucket(stack, "CarelessBucket")  # no TLS policy, no access logs
        with pytest.raises(Exception, match="AwsSolutions-S10"):
            app.synth()
        report = (Path(outdir) / "validation-report.json").read_text()
    assert "CarelessBucket" in report and "AwsSolutions-S1" in report
    assert "PixelForge/Data" not in report, "only the careless bucket should be reported"
