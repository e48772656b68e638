# Everything a user or CI needs; each target installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: install browser-tools serve test test-unit test-integration test-infra test-e2e lint synth deploy bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# Phaser, for the test that loads our atlas with Phaser's own loader in headless Chromium (needs Node;
# the test is skipped where Chromium or Node is missing, and required in CI).
tests/browser/node_modules/.installed: tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the Phaser loader test will be skipped"; fi

browser-tools: tests/browser/node_modules/.installed

serve: install  ## the whole product on 127.0.0.1:$${PORT:-8080}
	$(BIN)/python -m infra.local

test: install browser-tools  ## every tier: unit, integration, infra, e2e
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

test-unit: install
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

test-integration: install
	$(BIN)/pytest tests/integration $(PYTEST_ARGS)

test-infra: install
	$(BIN)/pytest tests/infra $(PYTEST_ARGS)

test-e2e: install
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

synth: install  ## CloudFormation template into cdk.out/ (needs Node for the CDK CLI)
	npx --yes aws-cdk@2 synth

deploy: install  ## to the AWS account in your environment
	npx --yes aws-cdk@2 deploy

bench: install  ## prints figures; asserts nothing
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/textures.py
	$(BIN)/python bench/sprites.py
	$(BIN)/python bench/ascii_quality.py

clean:
	rm -rf $(VENV) cdk.out .pytest_cache .ruff_cache
