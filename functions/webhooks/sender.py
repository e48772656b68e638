"""One webhook delivery attempt: an HTTP POST to a checked, pinned address.

- The URL is checked again (DNS may have changed since the job was submitted) and resolved once;
  the connection goes to exactly the validated address (no second DNS lookup: no DNS rebinding),
  while the Host header, TLS SNI and certificate check use the URL's host name.
- Redirects are never followed: a 3xx is a failed attempt.
- Environment proxies are ignored; at most a few KB of the response are read; the whole attempt
  (connect, TLS, request, response) is bounded by ``timeout`` seconds.
- Network problems never raise: they come back as an ``Attempt`` with ``error`` set.
"""
from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from functions.common.errors import InvalidRequest
from functions.webhooks.urls import ResolvedUrl, validate_webhook_url

MAX_RESPONSE_BYTES = 4096
MAX_ERROR_CHARS = 300
USER_AGENT = "PixelForge-Webhooks/1.0"


@dataclass(frozen=True)
class Attempt:
    status_code: int | None
    latency_ms: int
    error: str | None
    ok: bool


def _ssl_context() -> ssl.SSLContext:
    """Certificate and host name verification on (tests replace this to trust a test CA)."""
    return ssl.create_default_context()


class _Deadline:
    """Shuts the socket down when the attempt's time is up, however slowly the peer drips bytes."""

    def __init__(self, seconds: float):
        self.expires = time.monotonic() + seconds
        self.fired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.001, self.expires - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                self._shutdown()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is not None:
            try:
                # the plain-socket shutdown also for SSLSocket: unblocks a reader in another thread
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) connection to ``host`` that connects to one given IP address instead of resolving."""

    def __init__(self, target: ResolvedUrl, address: str, deadline: _Deadline):
        super().__init__(target.host, target.port, timeout=deadline.remaining())
        self.default_port = 443 if target.scheme == "https" else 80  # Host header omits the default port
        self._tls = target.scheme == "https"
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), timeout=self._deadline.remaining())
        self._deadline.watch(sock)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._tls:
                sock.settimeout(self._deadline.remaining())
                sock = _ssl_context().wrap_socket(sock, server_hostname=self.host)
                self._deadline.watch(sock)
        except BaseException:
            sock.close()
            raise
        sock.settimeout(self._deadline.remaining())
        self.sock = sock


def _describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g}s"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate verification failed: {exc.verify_message or exc.reason}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or type(exc).__name__}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by peer"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "connection closed without a response"
    if isinstance(exc, http.client.HTTPException):
        return f"invalid HTTP response ({type(exc).__name__})"
    if isinstance(exc, OSError):
        return f"connection failed: {exc.strerror or type(exc).__name__}"
    return f"unexpected error: {type(exc).__name__}"


def post_webhook(url: str, body: bytes, headers: dict[str, str], *, allow_loopback_http: bool,
                 timeout: float = 10.0, resolve: Callable[..., Any] = socket.getaddrinfo) -> Attempt:
    """POST ``body`` to ``url`` once. 2xx is ok; anything else (3xx included) is a failed attempt."""
    started = time.monotonic()

    def done(status: int | None, error: str | None) -> Attempt:
        latency = int(round((time.monotonic() - started) * 1000))
        ok = error is None and status is not None and 200 <= status < 300
        return Attempt(status_code=status, latency_ms=latency,
                       error=error[:MAX_ERROR_CHARS] if error else None, ok=ok)

    try:
        target = validate_webhook_url(url, allow_loopback_http=allow_loopback_http, resolve=resolve)
    except InvalidRequest as exc:
        return done(None, f"URL rejected: {exc.message}")

    send_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    send_headers.update({k: v for k, v in headers.items() if k.lower() not in ("host", "content-length")})

    deadline = _Deadline(timeout)
    conn: _PinnedConnection | None = None
    try:
        error: BaseException | None = None
        for address in target.addresses:  # every one was validated; try them in resolver order
            candidate = _PinnedConnection(target, address, deadline)
            try:
                candidate.connect()
            except OSError as exc:
                candidate.close()
                error = exc
                if deadline.fired or isinstance(exc, ssl.SSLError):
                    break
                continue
            conn = candidate
            break
        if conn is None:
            return done(None, _describe(TimeoutError() if deadline.fired else error, timeout))

        conn.request("POST", target.path_and_query, body=body, headers=send_headers)
        response = conn.getresponse()
        if deadline.fired:  # the watchdog cut the connection: whatever was parsed is incomplete
            return done(None, _describe(TimeoutError(), timeout))
        status = response.status
        try:
            response.read(MAX_RESPONSE_BYTES)  # enough to be polite; the rest is never read
        except (OSError, http.client.HTTPException):
            pass
        if 300 <= status < 400:
            return done(status, f"redirect not followed (HTTP {status}); webhook URLs must answer 2xx")
        if not 200 <= status < 300:
            return done(status, f"HTTP {status}")
        return done(status, None)
    except Exception as exc:  # never raise for network (or any other) trouble: report it
        return done(None, _describe(TimeoutError() if deadline.fired else exc, timeout))
    finally:
        deadline.cancel()
        if conn is not None:
            conn.close()
