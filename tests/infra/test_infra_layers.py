"""The layers' requirements and the local bundler that builds them without Docker."""
from __future__ import annotations

import re
import subprocess
import tempfile
import tomllib
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from pixelforge_synth import REPO_ROOT, cdk_json_context

from infra.constructs import layers as layers_module
from infra.constructs.layers import LAYERS_DIR, Layers, PipLocalBundler, pip_install_command


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            found[re.sub(r"\[.*\]", "", name).lower()] = version
    return found


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    return {re.sub(r"\[.*\]", "", d.split("==")[0]).lower(): d.split("==")[1] for d in project["dependencies"]}


@pytest.mark.parametrize(("layer", "packages"), [
    ("runtime", ["aws-lambda-powertools", "pydantic", "standardwebhooks", "boto3"]),
    ("render", ["numpy", "pillow"]),
])
def test_layer_pins_match_the_project_dependencies(layer, packages):
    layer_pins = pins(LAYERS_DIR / layer / "requirements.txt")
    project = pyproject_pins()
    for package in packages:
        assert layer_pins[package] == project[package], package


def test_runtime_layer_keeps_the_tracer_extra():
    assert "aws-lambda-powertools[tracer]==" in (LAYERS_DIR / "runtime" / "requirements.txt").read_text()


def test_pip_command_targets_lambda_arm64_python():
    command = pip_install_command(Path("req.txt"), Path("/out/python"), python="python3")
    joined = " ".join(command)
    assert "--platform manylinux2014_aarch64" in joined
    assert "--platform manylinux_2_28_aarch64" in joined  # numpy and Pillow aarch64 wheels
    assert "--implementation cp" in joined
    assert "--python-version 3.12" in joined
    assert "--only-binary=:all:" in command
    assert command[-2:] == ["--target", "/out/python"]


def _fake_pip(calls):
    def run(command, check):
        calls.append(command)
        target = Path(command[command.index("--target") + 1])
        target.mkdir(parents=True)
        (target / "installed.py").write_text("")
        return subprocess.CompletedProcess(command, 0)
    return run


def test_local_bundler_installs_into_the_python_directory(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(layers_module.subprocess, "run", _fake_pip(calls))
    assert PipLocalBundler(LAYERS_DIR / "runtime").try_bundle(str(tmp_path)) is True
    [command] = calls
    assert command[command.index("-r") + 1] == str(LAYERS_DIR / "runtime" / "requirements.txt")
    assert (tmp_path / "python" / "installed.py").is_file()


def test_cdk_calls_the_local_bundler_when_bundling_is_on(monkeypatch):
    """The counterpart of the stack test that synthesis with bundling off never runs pip."""
    calls = []
    monkeypatch.setattr(layers_module.subprocess, "run", _fake_pip(calls))
    with tempfile.TemporaryDirectory() as outdir:
        app = App(context={**cdk_json_context(), "aws:cdk:bundling-stacks": ["**"]}, outdir=outdir)
        Layers(Stack(app, "LayersOnly"), "Layers")
        app.synth()
    assert sorted(Path(c[c.index("-r") + 1]).parent.name for c in calls) == ["render", "runtime"]
