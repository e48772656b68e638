"""Synthesizes the PixelForge app once per test session, the way `cdk synth` would, minus bundling."""
from __future__ import annotations

import functools
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `.venv/bin/pytest` before the project is pip-installed
    sys.path.insert(0, str(REPO_ROOT))

from aws_cdk import App  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from infra.app import build_app  # noqa: E402
from infra.constructs import acknowledgments  # noqa: E402
from infra.constructs.layers import PipLocalBundler  # noqa: E402
from infra.stack import STACK_NAME, PixelForgeStack  # noqa: E402

# Stacks CDK bundles assets for; none, so synthesis never runs pip.
SKIP_BUNDLING = {"aws:cdk:bundling-stacks": []}


def cdk_json_context() -> dict[str, Any]:
    return json.loads((REPO_ROOT / "cdk.json").read_text())["context"]


def new_app(outdir: str) -> App:
    return App(context={**cdk_json_context(), **SKIP_BUNDLING}, outdir=outdir)


@dataclass
class Synthesized:
    app: App
    stack: PixelForgeStack
    template: Template
    resources: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]
    outdir: Path
    # (construct path, rule id, reason) of every cdk-nag acknowledgment this app made
    acknowledgments: list[tuple[str, str, str]]
    bundler_runs: list[str]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v["Type"] == resource_type}


_outdirs: list[tempfile.TemporaryDirectory] = []


@functools.cache
def synthesized() -> Synthesized:
    outdir = tempfile.TemporaryDirectory(prefix="pixelforge-cdk-")
    _outdirs.append(outdir)
    recorded_before = len(acknowledgments.RECORDED)
    bundled_before = len(PipLocalBundler.bundled)
    app = build_app(new_app(outdir.name))  # with the cdk-nag plugin, exactly as infra/app.py runs
    # Fails here, with cdk-nag's report, if any finding is unacknowledged.
    assembly = app.synth()
    stack = app.node.find_child(STACK_NAME)
    template_json = assembly.get_stack_by_name(STACK_NAME).template
    return Synthesized(
        app=app,
        stack=stack,
        template=Template.from_json(template_json),
        resources=template_json["Resources"],
        outputs=template_json.get("Outputs", {}),
        outdir=Path(outdir.name),
        acknowledgments=acknowledgments.RECORDED[recorded_before:],
        bundler_runs=PipLocalBundler.bundled[bundled_before:],
    )
