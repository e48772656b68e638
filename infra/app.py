"""CDK entry point, run by the CDK CLI through cdk.json (`.venv/bin/python -m infra.app`).

From the repo root, after `make install` created .venv:
    npx aws-cdk@2 synth                      # builds the layers with pip (network), checks cdk-nag
    npx aws-cdk@2 bootstrap && npx aws-cdk@2 deploy PixelForge
"""
from __future__ import annotations

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from infra.stack import PixelForgeStack


def build_app(app: App | None = None) -> App:
    app = app or App()
    PixelForgeStack(app)
    # cdk-nag 3 is a policy-validation plugin: findings that are not acknowledged fail synthesis.
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


if __name__ == "__main__":
    build_app().synth()
