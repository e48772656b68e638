"""Helpers for the end-to-end tier: the local stack as a subprocess, an API client, the operator CLI and a
webhook receiver that verifies Standard Webhooks signatures. Fixtures live in conftest.py."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

import requests
from standardwebhooks import Webhook, WebhookVerificationError

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECONDS = 60
TERMINAL = ("completed", "failed", "cancelled")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack(NamedTuple):
    base_url: str
    api_key: str
    cwd: Path


class StackProcess:
    """`python -m infra.local` in a subprocess: started, watched, stopped (SIGTERM, then kill)."""

    def __init__(self, cwd: Path, *, port: int | None = None, aws_port: int | None = None):
        self.cwd = cwd
        self.port = port or free_port()
        self.aws_port = aws_port or free_port()
        self.lines: list[str] = []
        self.api_key: str | None = None
        self._ready = threading.Event()
        self.process: subprocess.Popen[str] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = STARTUP_TIMEOUT_SECONDS) -> StackProcess:
        env = dict(os.environ, PORT=str(self.port), PIXELFORGE_AWS_PORT=str(self.aws_port),
                   PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1")
        # The stack must build its own AWS environment; never inherit a real one.
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            env.pop(name, None)
        self.process = subprocess.Popen([sys.executable, "-m", "infra.local"], cwd=self.cwd, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._drain, name="pixelforge-e2e-stack-output", daemon=True).start()
        if not self._ready.wait(timeout) or self.api_key is None:
            output = "".join(self.lines[-40:])
            self.stop()
            raise RuntimeError(f"the local stack did not print 'API key:' within {timeout:.0f} s:\n{output}")
        return self

    def _drain(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:  # keep reading, or a chatty stack blocks on a full pipe
            self.lines.append(line)
            if line.startswith("API key:") and self.api_key is None:
                self.api_key = line.split(":", 1)[1].strip()
                self._ready.set()
        self._ready.set()  # the process ended (before or after becoming ready)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


# --- HTTP client ------------------------------------------------------------------------------------

class Client:
    """A user of the API: one key, one requests session."""

    def __init__(self, base_url: str, api_key: str | None, *, patient: bool = False):
        """patient: on 429 rate_limited, wait Retry-After and try again, as a well-behaved client does
        (for tests about something else on plans with small bursts)."""
        self.base_url = base_url
        self.patient = patient
        self.session = requests.Session()
        if api_key:
            self.session.headers["Authorization"] = f"Bearer {api_key}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 40)
        kwargs.setdefault("allow_redirects", False)
        for _ in range(5):
            response = self.session.request(method, self.base_url + path, **kwargs)
            if not (self.patient and response.status_code == 429 and response.json()["code"] == "rate_limited"):
                break
            time.sleep(float(response.headers["Retry-After"]))
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> requests.Response:
        if json_body is not None:
            kwargs["json"] = json_body
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def balance(self) -> int:
        response = self.get("/v1/balance")
        assert response.status_code == 200, response.text
        return int(response.json()["total"])

    def job(self, job_id: str) -> dict[str, Any]:
        response = self.get(f"/v1/jobs/{job_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def wait_for_job(self, job_id: str, *, timeout: float = 30, interval: float = 0.15) -> dict[str, Any]:
        """Poll GET /v1/jobs/{id} until the job is terminal. The interval stays well inside the
        studio plan's 10 requests a second."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if job["status"] in TERMINAL:
                return job
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s: {job}")
            time.sleep(interval)

    def ledger(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 200}
            if cursor:
                params["cursor"] = cursor
            response = self.get("/v1/ledger", params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            entries += page["entries"]
            cursor = page.get("next_cursor")
            if not cursor:
                return entries


# --- operator CLI ---------------------------------------------------------------------------------

def run_cli(stack: Stack, *args: str, timeout: float = 60) -> dict[str, Any]:
    """`python -m functions.admin.cli admin ...` in the stack's directory; its JSON output."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    env.pop("AWS_ENDPOINT_URL", None)
    done = subprocess.run([sys.executable, "-m", "functions.admin.cli", "admin", *args], cwd=stack.cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"CLI {args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout)


# --- webhook receiver -----------------------------------------------------------------------------

@dataclass
class Delivery:
    route: str
    headers: dict[str, str]
    body: bytes
    payload: dict[str, Any] | None = None   # set when verified
    error: str | None = None                # why verification failed

    @property
    def verified(self) -> bool:
        return self.payload is not None


@dataclass
class WebhookReceiver:
    """A user's webhook endpoint: answers 204 to deliveries that verify with the secret registered for
    their route, 400 to anything else, and records both."""
    server: ThreadingHTTPServer
    secrets: dict[str, str] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url_for(self, client: Client, route: str) -> str:
        """A URL for `client`'s jobs; deliveries to it are verified with that account's secret."""
        response = client.get("/v1/webhooks/secret")
        assert response.status_code == 200, response.text
        secret = response.json()["secret"]
        assert secret.startswith("whsec_")
        self.secrets[route] = secret
        return f"{self.base_url}/hooks/{route}"

    def receive(self, route: str, headers: dict[str, str], body: bytes) -> bool:
        delivery = Delivery(route, headers, body)
        secret = self.secrets.get(route)
        if secret is None:
            delivery.error = "unknown route"
        else:
            try:
                delivery.payload = Webhook(secret).verify(body, headers)
            except WebhookVerificationError as error:
                delivery.error = f"signature: {error}"
        with self.changed:
            self.deliveries.append(delivery)
            self.changed.notify_all()
        return delivery.verified

    def verified(self, route: str) -> list[dict[str, Any]]:
        return [d.payload for d in list(self.deliveries) if d.route == route and d.payload is not None]

    def rejected(self, route: str) -> list[Delivery]:
        return [d for d in list(self.deliveries) if d.route == route and not d.verified]

    def wait_for(self, route: str, predicate: Callable[[dict[str, Any]], bool], *,
                 timeout: float = 20) -> dict[str, Any]:
        """The first verified event on `route` that satisfies `predicate`."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for payload in self.verified(route):
                    if predicate(payload):
                        return payload
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(d.verified, d.error, d.payload and d.payload.get("type")) for d in self.deliveries
                            if d.route == route]
                    raise AssertionError(f"no matching verified webhook on {route} within {timeout} s; got {seen}")
                self.changed.wait(remaining)

    @classmethod
    def start(cls) -> WebhookReceiver:
        """Listen on 127.0.0.1, a free port, in a daemon thread."""
        receiver: WebhookReceiver

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                route = self.path.split("?", 1)[0].removeprefix("/hooks/")
                ok = receiver.receive(route, {k: v for k, v in self.headers.items()}, body)
                self.send_response(204 if ok else 400)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, fmt: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        receiver = cls(server)
        threading.Thread(target=server.serve_forever, name="pixelforge-e2e-webhooks", daemon=True).start()
        return receiver

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
