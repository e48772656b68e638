"""The sender against a real HTTP(S) server on 127.0.0.1."""
from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from functions.webhooks import sender
from functions.webhooks.sender import post_webhook

BODY = b'{"type":"job.completed","data":{"id":"job_1"}}'
HEADERS = {"webhook-id": "evt_1", "webhook-timestamp": "1700000000", "webhook-signature": "v1,abc"}


class Server:
    def __init__(self, tls: ssl.SSLContext | None = None):
        self.requests: list[dict] = []
        self.release = threading.Event()
        self.sni: list[str | None] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                outer.requests.append({"path": self.path, "headers": dict(self.headers),
                                       "body": self.rfile.read(length)})
                if self.path.startswith("/ok"):
                    self._reply(200, b"thanks")
                elif self.path == "/accepted":
                    self._reply(202, b"")
                elif self.path == "/fail":
                    self._reply(500, b"boom")
                elif self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/ok/after-redirect")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/slow":
                    outer.release.wait(5)
                    self._reply(200, b"late")
                elif self.path == "/drip":
                    # a byte of headers every 50 ms: no single read ever times out
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for _ in range(100):
                        if outer.release.wait(0.05):
                            break
                        try:
                            self.wfile.write(b"X")
                            self.wfile.flush()
                        except OSError:
                            break
                elif self.path == "/big":
                    self._reply(200, b"x" * 2_000_000)

            def _reply(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            def sni_callback(sock, server_name, ctx):
                self.sni.append(server_name)
            tls.sni_callback = sni_callback
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def resolver_to(*addresses, calls=None):
    def resolve(host, port, *args, **kwargs):
        if calls is not None:
            calls.append(host)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]
    return resolve


def post(url, **kwargs):
    kwargs.setdefault("allow_loopback_http", True)
    return post_webhook(url, BODY, HEADERS, **kwargs)


def test_2xx_is_ok_and_the_request_is_exact(server):
    attempt = post(f"http://127.0.0.1:{server.port}/ok?x=1")
    assert attempt.ok and attempt.status_code == 200 and attempt.error is None
    assert 0 <= attempt.latency_ms < 5000
    [req] = server.requests
    assert req["path"] == "/ok?x=1"
    assert req["body"] == BODY
    assert req["headers"]["Content-Type"] == "application/json"
    for name, value in HEADERS.items():
        assert req["headers"][name] == value
    assert req["headers"]["Host"] == f"127.0.0.1:{server.port}"
    assert post(f"http://127.0.0.1:{server.port}/accepted").status_code == 202


def test_500_is_not_ok(server):
    attempt = post(f"http://127.0.0.1:{server.port}/fail")
    assert not attempt.ok and attempt.status_code == 500 and "500" in attempt.error


def test_redirects_are_not_followed(server):
    attempt = post(f"http://127.0.0.1:{server.port}/redirect")
    assert not attempt.ok and attempt.status_code == 302
    assert "redirect" in attempt.error
    assert [r["path"] for r in server.requests] == ["/redirect"]


def test_timeouts_are_reported(server):
    started = time.monotonic()
    attempt = post(f"http://127.0.0.1:{server.port}/slow", timeout=0.3)
    assert time.monotonic() - started < 2
    assert not attempt.ok and attempt.status_code is None and "timed out" in attempt.error


def test_the_timeout_bounds_the_whole_attempt_even_for_a_dripping_server(server):
    started = time.monotonic()
    attempt = post(f"http://127.0.0.1:{server.port}/drip", timeout=0.5)
    assert time.monotonic() - started < 2
    assert not attempt.ok and "timed out" in attempt.error


def test_only_a_little_of_a_big_response_is_read(server):
    attempt = post(f"http://127.0.0.1:{server.port}/big")
    assert attempt.ok and attempt.status_code == 200


def test_connection_refused_is_reported_not_raised():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    attempt = post(f"http://127.0.0.1:{port}/ok")
    assert not attempt.ok and attempt.status_code is None and "refused" in attempt.error


def test_rebinding_to_loopback_is_rejected_before_connecting(server):
    # the name was public when the job was submitted; now it answers 127.0.0.1
    for resolve in (resolver_to("127.0.0.1"), resolver_to("93.184.216.34", "127.0.0.1")):
        attempt = post(f"https://hooks.example.com:{server.port}/ok", allow_loopback_http=False,
                       resolve=resolve)
        assert not attempt.ok and attempt.status_code is None
        assert attempt.error.startswith("URL rejected") and "loopback" in attempt.error
    assert server.requests == []


def test_http_to_loopback_needs_the_local_flag(server):
    attempt = post(f"http://127.0.0.1:{server.port}/ok", allow_loopback_http=False)
    assert not attempt.ok and attempt.error.startswith("URL rejected")
    assert server.requests == []


def test_credentials_are_rejected_before_connecting(server):
    attempt = post(f"http://user:pw@127.0.0.1:{server.port}/ok")
    assert not attempt.ok and "credentials" in attempt.error
    assert server.requests == []


def test_connects_to_the_validated_address_without_a_second_lookup(server, monkeypatch):
    calls = []

    def no_name_lookups(host, *args, **kwargs):
        ipaddress.ip_address(host)  # numeric hosts only: a name lookup here would be a rebinding hole
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", no_name_lookups)
    attempt = post(f"http://hooks.example.test:{server.port}/ok", resolve=resolver_to("127.0.0.1", calls=calls))
    assert attempt.ok, attempt.error
    assert calls == ["hooks.example.test"]
    assert server.requests[0]["headers"]["Host"] == f"hooks.example.test:{server.port}"


def test_falls_back_to_the_next_validated_address(server, monkeypatch):
    tried = []
    real_create_connection = socket.create_connection

    def create_connection(address, *args, **kwargs):
        tried.append(address[0])
        if address[0] == "127.0.0.2":
            raise ConnectionRefusedError(111, "Connection refused")
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    attempt = post(f"http://multi.example.test:{server.port}/ok", resolve=resolver_to("127.0.0.2", "127.0.0.1"))
    assert attempt.ok, attempt.error
    assert tried == ["127.0.0.2", "127.0.0.1"]
    assert len(server.requests) == 1


# --- TLS: SNI and certificate checked against the host name while connecting to the pinned IP ----

@pytest.fixture(scope="module")
def tls_material(tmp_path_factory):
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PixelForge test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hooks.example.test")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("hooks.example.test")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    d = tmp_path_factory.mktemp("tls")
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                  serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return d, ca.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def tls_server(tls_material, monkeypatch):
    d, ca_pem = tls_material
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    s = Server(tls=server_ctx)

    def trusting_context():
        ctx = ssl.create_default_context(cadata=ca_pem)
        return ctx

    monkeypatch.setattr(sender, "_ssl_context", trusting_context)
    yield s
    s.close()


def test_https_pins_the_ip_and_verifies_the_certificate_for_the_host_name(tls_server):
    attempt = post(f"https://hooks.example.test:{tls_server.port}/ok", resolve=resolver_to("127.0.0.1"))
    assert attempt.ok, attempt.error
    assert tls_server.sni == ["hooks.example.test"]
    assert tls_server.requests[0]["headers"]["Host"] == f"hooks.example.test:{tls_server.port}"


def test_https_with_a_certificate_for_another_name_fails(tls_server):
    attempt = post(f"https://other.example.test:{tls_server.port}/ok", resolve=resolver_to("127.0.0.1"))
    assert not attempt.ok and attempt.status_code is None
    assert "certificate" in attempt.error
    assert tls_server.requests == []


def test_https_with_an_untrusted_certificate_fails(tls_material):
    d, _ = tls_material
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    s = Server(tls=server_ctx)
    try:
        attempt = post(f"https://hooks.example.test:{s.port}/ok", resolve=resolver_to("127.0.0.1"))
        assert not attempt.ok and "certificate" in attempt.error
        assert s.requests == []
    finally:
        s.close()
