"""The two Lambda layers and the pip-based local bundler that builds them without Docker."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import jsii
from aws_cdk import BundlingOptions, IgnoreMode, ILocalBundling, RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.constructs.service_function import ARCHITECTURE, PYTHON_VERSION, REPO_ROOT, RUNTIME

LAYERS_DIR = REPO_ROOT / "layers"
# Lambda's Python 3.12+ runtimes run on Amazon Linux 2023 (glibc 2.34), so manylinux_2_28 wheels
# load there too; newer numpy/Pillow releases publish aarch64 wheels only under that tag.
PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_28_aarch64")


def pip_install_command(requirements: Path, target: Path, python: str = sys.executable) -> list[str]:
    # --no-compile: the host interpreter would write .pyc files for its own version, not 3.12.
    command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
               "-r", str(requirements)]
    for platform in PLATFORMS:
        command += ["--platform", platform]
    return command + [
        "--implementation", "cp",
        "--python-version", PYTHON_VERSION,
        "--only-binary=:all:",
        "--target", str(target),
    ]


@jsii.implements(ILocalBundling)
class PipLocalBundler:
    """Installs a layer's requirements.txt for Lambda's platform with the pip of this interpreter.

    Cross-platform wheels (``--platform``/``--only-binary``) make this work on any host, so no Docker.
    Returning False hands over to the Docker image of the BundlingOptions, as CDK's contract says.
    """

    # Every output directory this process bundled into; the tests use it to prove that synthesis
    # with bundling switched off never runs pip.
    bundled: list[str] = []

    def __init__(self, source: Path) -> None:
        self.source = source

    def try_bundle(self, output_dir: str, *, image=None) -> bool:
        if importlib.util.find_spec("pip") is None:
            return False
        PipLocalBundler.bundled.append(output_dir)
        target = Path(output_dir) / "python"
        subprocess.run(pip_install_command(self.source / "requirements.txt", target), check=True)
        return True


def layer_code(name: str) -> lambda_.Code:
    source = LAYERS_DIR / name
    return lambda_.Code.from_asset(
        str(source),
        ignore_mode=IgnoreMode.GIT,
        exclude=["/*", "!/requirements.txt"],
        bundling=BundlingOptions(
            # Only used when local bundling declines; same install inside the SAM build image.
            image=RUNTIME.bundling_image,
            platform="linux/arm64",
            # The same pip command as the local bundler; being part of the bundling options, its
            # flags are part of the asset hash, so changing them rebuilds and re-uploads the layer.
            command=pip_install_command(
                Path("requirements.txt"), Path("/asset-output/python"), python="python",
            ),
            local=PipLocalBundler(source),
        ),
    )


class Layers(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.runtime = self._layer("Runtime", "runtime", "Powertools, pydantic, standardwebhooks")
        self.render = self._layer("Render", "render", "numpy, Pillow and the noise library")

    def _layer(self, construct_id: str, name: str, description: str) -> lambda_.LayerVersion:
        return lambda_.LayerVersion(
            self, construct_id,
            code=layer_code(name),
            description=f"PixelForge {name} layer: {description}",
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            # Old versions stay so a rollback of the functions still finds the layer it used.
            removal_policy=RemovalPolicy.RETAIN,
        )
