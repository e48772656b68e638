"""Webhook URL checks against server-side request forgery (SSRF).

A webhook URL is checked when a job is submitted and again right before every delivery, because
DNS can change in between. The check resolves the host once and returns every address it found;
the sender then connects to exactly those addresses (never resolving again), so a DNS answer that
changes between the check and the connection (DNS rebinding) cannot reach an internal address.

Policy:
- ``https`` only. ``http`` only to loopback, and only when ``allow_loopback_http`` (the local stack).
- no credentials (``user:pass@``), no backslashes, whitespace or control characters.
- IPv4 literals must be plain dotted decimal: ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``
  and the like are rejected (``inet_aton`` and browsers read them as internal addresses).
- every address (the literal, or each address the host resolves to) must be publicly routable:
  no private, loopback (unless allowed), link-local, cloud metadata, CGNAT, multicast, reserved,
  documentation or unspecified addresses; IPv6 forms that embed IPv4 (IPv4-mapped, NAT64, 6to4,
  Teredo) are judged by the IPv4 address inside them, and 6to4/Teredo are refused altogether.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from functions.common.errors import InvalidRequest

MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"https": 443, "http": 80}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., Any]


@dataclass(frozen=True)
class ResolvedUrl:
    scheme: str                 # "https" or "http"
    host: str                   # lower-case ASCII host name (IDNA) or IP literal without brackets
    port: int
    path_and_query: str         # what goes on the request line, e.g. "/hooks?x=1"; never empty
    addresses: tuple[str, ...]  # every validated IP address, in resolver order; connect only to these

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def _reject(message: str, reason: str) -> InvalidRequest:
    return InvalidRequest(message, {"field": "webhook_url", "reason": reason})


# --- address policy ---------------------------------------------------------------------------

_V4_BLOCKED: tuple[tuple[ipaddress.IPv4Network, str], ...] = tuple(
    (ipaddress.IPv4Network(net), why) for net, why in (
        ("0.0.0.0/8", "an unspecified ('this network')"),
        ("10.0.0.0/8", "a private"),
        ("100.64.0.0/10", "a shared (CGNAT)"),
        ("127.0.0.0/8", "a loopback"),
        ("169.254.0.0/16", "a link-local"),
        ("172.16.0.0/12", "a private"),
        ("192.0.0.0/24", "an IETF protocol assignment"),
        ("192.0.2.0/24", "a documentation"),
        ("192.88.99.0/24", "a 6to4 relay"),
        ("192.168.0.0/16", "a private"),
        ("198.18.0.0/15", "a benchmarking"),
        ("198.51.100.0/24", "a documentation"),
        ("203.0.113.0/24", "a documentation"),
        ("224.0.0.0/4", "a multicast"),
        ("240.0.0.0/4", "a reserved"),  # includes the broadcast address 255.255.255.255
    )
)
_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack ...
    ipaddress.ip_address("169.254.170.2"),    # ECS task metadata
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("192.0.0.192"),      # Oracle Cloud
    ipaddress.ip_address("fd00:ec2::254"),    # AWS IMDS over IPv6
    ipaddress.ip_address("fd00:ec2::23"),     # AWS time sync / DNS over IPv6 (Nitro)
}
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_V6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_V6_BLOCKED: tuple[tuple[ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.IPv6Network(net), why) for net, why in (
        ("fc00::/7", "a unique-local (private)"),
        ("fe80::/10", "a link-local"),
        ("fec0::/10", "a site-local"),
        ("ff00::/8", "a multicast"),
        ("2001::/23", "an IETF protocol assignment"),
        ("2001:db8::/32", "a documentation"),
        ("3fff::/20", "a documentation"),
    )
)


def _v4_problem(ip: ipaddress.IPv4Address) -> str | None:
    if ip in _METADATA:
        return "a cloud metadata"
    for net, why in _V4_BLOCKED:
        if ip in net:
            return why
    if not ip.is_global or ip.is_multicast or ip.is_reserved:  # belt and braces
        return "a non-public"
    return None


def _v6_problem(ip: ipaddress.IPv6Address) -> str | None:
    if ip.scope_id:
        return "a scoped (link-local)"
    if ip.ipv4_mapped is not None:
        inner = _v4_problem(ip.ipv4_mapped)
        return f"an IPv4-mapped {inner.removeprefix('a ').removeprefix('an ')}" if inner else None
    if ip in _NAT64:
        inner = _v4_problem(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        return f"a NAT64 address embedding {inner}" if inner else None
    if ip in _NAT64_LOCAL:
        return "a local-use NAT64"
    if ip in _METADATA:
        return "a cloud metadata"
    if ip.sixtofour is not None:
        inner = _v4_problem(ip.sixtofour)
        return f"a 6to4 address embedding {inner}" if inner else "a 6to4 transition"
    if ip.teredo is not None:
        server, client = ip.teredo
        inner = _v4_problem(client) or _v4_problem(server)
        return f"a Teredo address embedding {inner}" if inner else "a Teredo transition"
    if ip.is_loopback:
        return "a loopback"
    if ip.is_unspecified:
        return "an unspecified"
    for net, why in _V6_BLOCKED:
        if ip in net:
            return why
    if ip not in _V6_GLOBAL_UNICAST:
        return "a reserved"
    return None


def _is_loopback(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback and not getattr(ip, "scope_id", None)


def _address_problem(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why ``ip`` must not be contacted (a phrase like 'a private'), or None if it may."""
    if allow_loopback and _is_loopback(ip):
        return None
    if isinstance(ip, ipaddress.IPv4Address):
        return _v4_problem(ip)
    return _v6_problem(ip)


def _normalise(ip: IPAddress) -> str:
    # An IPv4-mapped IPv6 address is the IPv4 host: connect over IPv4.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


# --- host parsing -----------------------------------------------------------------------------

_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_NUMERIC_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Read ``host`` the way inet_aton() and browsers do (1-4 parts, decimal/octal/hex); None if not IPv4."""
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not 1 <= len(parts) <= 4 or not all(_NUMERIC_PART.match(p) for p in parts):
        return None
    values = []
    for p in parts:
        if p[:2] in ("0x", "0X"):
            values.append(int(p[2:] or "0", 16))
        elif len(p) > 1 and p.startswith("0"):
            if any(c in "89" for c in p):
                return None
            values.append(int(p, 8))
        else:
            values.append(int(p))
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        return None
    number = last
    for i, v in enumerate(head):
        number += v << (8 * (3 - i))
    return ipaddress.IPv4Address(number)


def _ends_in_number(host: str) -> bool:
    labels = host.rstrip(".").split(".") if host != "." else [""]
    return bool(_NUMERIC_PART.match(labels[-1]))


def _parse_host(raw_host: str) -> tuple[str, IPAddress | None]:
    """The canonical host name and, for IP literals, the address."""
    if ":" in raw_host:  # only an IPv6 literal (from brackets) can contain a colon here
        if "%" in raw_host:
            raise _reject("webhook_url must not use an IPv6 zone identifier", "invalid_host")
        try:
            ip6 = ipaddress.IPv6Address(raw_host)
        except ValueError:
            raise _reject("webhook_url has an invalid IPv6 address", "invalid_host") from None
        return str(ip6), ip6
    host = raw_host.lower()  # ASCII already (validate_webhook_url refuses anything else)
    if _ends_in_number(host):
        try:
            ip4 = ipaddress.IPv4Address(host)
        except ValueError:
            ip4 = None
        if ip4 is not None and str(ip4) == host:
            return host, ip4
        legacy = _legacy_ipv4(host)
        if legacy is not None:
            raise _reject(
                "webhook_url must write IPv4 addresses as four decimal numbers"
                f" (this host reads as {legacy})",
                "non_canonical_ip")
        raise _reject("webhook_url has an invalid host", "invalid_host")
    name = host[:-1] if host.endswith(".") else host
    if not name or len(name) > 253 or not all(_LABEL.match(label) for label in name.split(".")):
        raise _reject("webhook_url has an invalid host name", "invalid_host")
    return name, None


def _resolve(host: str, port: int, resolve: Resolver) -> list[IPAddress]:
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _reject(f"webhook_url host {host!r} could not be resolved", "unresolvable_host") from None
    found: list[IPAddress] = []
    for info in infos or ():
        try:
            ip = ipaddress.ip_address(str(info[4][0]))
        except (ValueError, IndexError, TypeError):
            raise _reject(f"webhook_url host {host!r} resolved to an invalid address",
                          "blocked_address") from None
        if ip not in found:
            found.append(ip)
    if not found:
        raise _reject(f"webhook_url host {host!r} could not be resolved", "unresolvable_host")
    return found


# --- the check --------------------------------------------------------------------------------

def validate_webhook_url(url: str, *, allow_loopback_http: bool,
                         resolve: Resolver = socket.getaddrinfo) -> ResolvedUrl:
    """Check ``url`` and resolve its host once; raise InvalidRequest (field webhook_url) if unsafe.

    ``resolve`` has the signature of ``socket.getaddrinfo`` (tests pass a fake). Every address it
    returns must pass; the caller must connect only to ``ResolvedUrl.addresses``.
    """
    if not isinstance(url, str) or not url:
        raise _reject("webhook_url must be a non-empty string", "invalid_url")
    if len(url) > MAX_URL_LENGTH:
        raise _reject(f"webhook_url must be at most {MAX_URL_LENGTH} characters", "invalid_url")
    if not url.isascii():
        raise _reject("webhook_url must be ASCII (percent-encode other characters, use punycode hosts)",
                      "invalid_url")
    if any(c <= " " or c == "\x7f" for c in url) or "\\" in url:
        raise _reject("webhook_url must not contain whitespace, control characters or backslashes",
                      "invalid_url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _reject("webhook_url is not a valid URL (check the host and port)", "invalid_url") from None

    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise _reject("webhook_url must use https", "scheme_not_allowed")
    if not parts.netloc:
        raise _reject("webhook_url must be an absolute URL with a host", "invalid_url")
    if "@" in parts.netloc:
        raise _reject("webhook_url must not contain credentials (user:password@)", "credentials_not_allowed")
    if port == 0:
        raise _reject("webhook_url has an invalid port", "invalid_port")
    port = port or DEFAULT_PORTS[scheme]
    if not parts.hostname:
        raise _reject("webhook_url must have a host", "invalid_host")

    host, literal = _parse_host(parts.hostname)
    ips = [literal] if literal is not None else _resolve(host, port, resolve)

    for ip in ips:
        problem = _address_problem(ip, allow_loopback=allow_loopback_http)
        if problem is not None:
            what = f"is {problem} address" if literal is not None else f"resolves to {problem} address"
            raise _reject(f"webhook_url host {what}; webhooks can only be sent to public addresses",
                          "blocked_address")

    if scheme == "http" and not (allow_loopback_http and all(_is_loopback(ip) for ip in ips)):
        raise _reject("webhook_url must use https", "https_required")

    path_and_query = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return ResolvedUrl(scheme=scheme, host=host, port=port, path_and_query=path_and_query,
                       addresses=tuple(dict.fromkeys(_normalise(ip) for ip in ips)))
