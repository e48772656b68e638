"""The end-to-end tier: the whole product as `make serve` runs it, driven over real HTTP.

One local stack (``python -m infra.local``) runs as a subprocess for the whole session; a real webhook
receiver (``http.server`` in a thread) verifies every delivery with the account's Standard Webhooks
secret. Tests talk to both exactly as a user would: requests, presigned URLs, the operator CLI.
Helpers are in pixelforge_e2e.py.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pixelforge_e2e import Client, Stack, StackProcess, WebhookReceiver, run_cli


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """(base_url, api_key, cwd) of a running local stack; the key is the dev account's (studio plan)."""
    cwd = tmp_path_factory.mktemp("pixelforge-stack")
    process = StackProcess(cwd).start()
    try:
        assert process.api_key is not None
        yield Stack(process.base_url, process.api_key, cwd)
    finally:
        process.stop()


@pytest.fixture(scope="session")
def client(stack: Stack) -> Client:
    """The dev account's client (studio plan, 10 000 purchased credits)."""
    return Client(stack.base_url, stack.api_key)


@pytest.fixture(scope="session")
def anonymous(stack: Stack) -> Client:
    return Client(stack.base_url, None)


@pytest.fixture(scope="session")
def cli(stack: Stack) -> Callable[..., dict[str, Any]]:
    """Run `python -m functions.admin.cli admin <args>` in the stack's directory; its JSON output."""
    return lambda *args, **kwargs: run_cli(stack, *args, **kwargs)


@pytest.fixture(scope="session")
def webhooks() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
