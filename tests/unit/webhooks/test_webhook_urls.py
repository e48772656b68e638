"""SSRF checks on webhook URLs: every private/reserved form is refused, public https is accepted."""
from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from functions.common.errors import InvalidRequest
from functions.webhooks.urls import ResolvedUrl, validate_webhook_url

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"

DNS = {
    "hooks.example.com": [PUBLIC_V4],
    "dual.example.com": [PUBLIC_V4, PUBLIC_V6],
    "internal.example.com": ["10.0.0.5"],
    "metadata.example.com": ["169.254.169.254"],
    "imds6.example.com": ["fd00:ec2::254"],
    "cgnat.example.com": ["100.64.0.1"],
    "loop.example.com": ["127.0.0.1"],
    "loop6.example.com": ["::1"],
    "mapped.example.com": ["::ffff:10.0.0.1"],
    "nat64.example.com": ["64:ff9b::a9fe:a9fe"],
    "linklocal6.example.com": ["fe80::1"],
    "multicast.example.com": ["224.0.0.251"],
    "unspecified.example.com": ["0.0.0.0"],
    # one public and one private answer: every answer must pass
    "mixed.example.com": [PUBLIC_V4, "192.168.1.10"],
    "mixed6.example.com": [PUBLIC_V6, "fc00::1"],
    "localhost": ["127.0.0.1", "::1"],
}


def fake_resolve(host, port, *args, **kwargs):
    if host not in DNS:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    out = []
    for addr in DNS[host]:
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        sockaddr = (addr, port, 0, 0) if family == socket.AF_INET6 else (addr, port)
        out.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
    return out


def teredo(client: str) -> str:
    """A Teredo address (server 65.54.227.120) whose obfuscated client is ``client``."""
    c = int(ipaddress.IPv4Address(client)) ^ 0xFFFFFFFF
    return str(ipaddress.IPv6Address((0x2001_0000_4136_E378_8000_63BF << 32) | c))


# rejected whatever allow_loopback_http says
ALWAYS_BAD = [
    # scheme
    "ftp://hooks.example.com/",
    "file:///etc/passwd",
    "gopher://hooks.example.com/",
    "javascript:alert(1)",
    "hooks.example.com/webhook",
    "//hooks.example.com/webhook",
    "http://hooks.example.com/webhook",            # plain http to a public host
    "http://93.184.216.34/webhook",
    "http://mixed.example.com/",
    # credentials
    "https://user:pass@hooks.example.com/",
    "https://user@hooks.example.com/",
    "https://@hooks.example.com/",
    "https://hooks.example.com:443@10.0.0.1/",
    # malformed
    "",
    "https://",
    "https:///webhook",
    "https://hooks.example.com:0/",
    "https://hooks.example.com:70000/",
    "https://hooks.example.com:abc/",
    "https://hooks.example.com\\@10.0.0.1/",
    "https://hooks.example.com /x",
    "https://hooks.exa\nmple.com/",
    " https://hooks.example.com/",
    "https://hooks.example.com/\x00",
    "https://hooks.ex%61mple.com/",
    "https://bücher.example/",
    "https://[fe80::1%25eth0]/",
    "https://[::1/",
    "https://" + "a" * 2050 + ".com/",
    "https://nx.example.com/",                      # does not resolve
    # private / reserved IPv4 literals
    "https://10.0.0.1/",
    "https://10.255.255.255/",
    "https://172.16.0.1/",
    "https://172.31.255.254/",
    "https://192.168.1.1/",
    "https://169.254.169.254/latest/meta-data/",
    "https://169.254.170.2/v2/credentials",
    "https://169.254.1.1/",
    "https://100.64.0.1/",
    "https://100.127.255.254/",
    "https://100.100.100.200/",
    "https://0.0.0.0/",
    "https://0.1.2.3/",
    "https://224.0.0.1/",
    "https://239.255.255.250/",
    "https://240.0.0.1/",
    "https://255.255.255.255/",
    "https://192.0.0.1/",
    "https://192.0.2.1/",
    "https://198.18.0.1/",
    "https://198.51.100.7/",
    "https://203.0.113.9/",
    # other spellings of IPv4
    "http://2130706433/",
    "https://2130706433/",
    "http://0x7f.1/",
    "https://0x7f000001/",
    "https://0X7F000001/",
    "https://017700000001/",
    "https://0177.0.0.1/",
    "https://127.1/",
    "https://127.0.1/",
    "https://0/",
    "https://0x0a.0.0.1/",
    "https://10.0.0.01/",
    "https://3232235777/",
    "https://0xA9FEA9FE/",
    "https://0251.0376.0251.0376/",
    "https://169.254.43518/",
    "https://10.0.0.1./",
    "https://1.2.3.4.5/",
    "https://hooks.example.123/",
    # IPv6 literals
    "https://[::]/",
    "https://[fe80::1]/",
    "https://[fec0::1]/",
    "https://[fc00::1]/",
    "https://[fd12:3456::1]/",
    "https://[fd00:ec2::254]/",
    "https://[ff02::1]/",
    "https://[2001:db8::1]/",
    "https://[::127.0.0.1]/",                       # IPv4-compatible (deprecated)
    "https://[::ffff:10.0.0.1]/",
    "https://[::ffff:a00:1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[::ffff:100.64.0.1]/",
    "https://[64:ff9b::10.0.0.1]/",                 # NAT64 of a private address
    "https://[64:ff9b::7f00:1]/",
    "https://[64:ff9b::a9fe:a9fe]/",
    "https://[64:ff9b:1::a00:1]/",                  # local-use NAT64
    "https://[2002:a00:1::1]/",                     # 6to4 of 10.0.0.1
    "https://[2002:c0a8:101::]/",                   # 6to4 of 192.168.1.1
    "https://[2002:7f00:1::1]/",                    # 6to4 of 127.0.0.1
    f"https://[{teredo('10.0.0.1')}]/",             # Teredo of 10.0.0.1
    f"https://[{teredo('127.0.0.1')}]/",
    # host names resolving to bad addresses
    "https://internal.example.com/",
    "https://metadata.example.com/",
    "https://imds6.example.com/",
    "https://cgnat.example.com/",
    "https://mapped.example.com/",
    "https://nat64.example.com/",
    "https://linklocal6.example.com/",
    "https://multicast.example.com/",
    "https://unspecified.example.com/",
    "https://mixed.example.com/",
    "https://mixed6.example.com/",
]

# rejected unless allow_loopback_http (the local stack)
LOOPBACK = [
    "http://127.0.0.1:8080/hook",
    "https://127.0.0.1/hook",
    "http://127.10.20.30/",
    "http://[::1]:9000/",
    "http://[::ffff:127.0.0.1]:9000/",
    "http://localhost:9000/hook",
    "http://loop.example.com/",
    "https://loop6.example.com/",
]

GOOD = [
    ("https://hooks.example.com/webhooks?x=1&y=2",
     ResolvedUrl("https", "hooks.example.com", 443, "/webhooks?x=1&y=2", (PUBLIC_V4,))),
    ("https://hooks.example.com", ResolvedUrl("https", "hooks.example.com", 443, "/", (PUBLIC_V4,))),
    ("HTTPS://Hooks.Example.COM:8443/a#frag",
     ResolvedUrl("https", "hooks.example.com", 8443, "/a", (PUBLIC_V4,))),
    ("https://hooks.example.com./x", ResolvedUrl("https", "hooks.example.com", 443, "/x", (PUBLIC_V4,))),
    ("https://dual.example.com/", ResolvedUrl("https", "dual.example.com", 443, "/", (PUBLIC_V4, PUBLIC_V6))),
    ("https://93.184.216.34/hook", ResolvedUrl("https", PUBLIC_V4, 443, "/hook", (PUBLIC_V4,))),
    (f"https://[{PUBLIC_V6}]:8443/", ResolvedUrl("https", PUBLIC_V6, 8443, "/", (PUBLIC_V6,))),
    ("https://[64:ff9b::8.8.8.8]/", ResolvedUrl("https", "64:ff9b::808:808", 443, "/", ("64:ff9b::808:808",))),
    ("https://[::ffff:8.8.8.8]/", ResolvedUrl("https", "::ffff:808:808", 443, "/", ("8.8.8.8",))),
]


def assert_rejected(url: str, *, allow_loopback_http: bool) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as info:
        validate_webhook_url(url, allow_loopback_http=allow_loopback_http, resolve=fake_resolve)
    err = info.value
    assert err.details["field"] == "webhook_url"
    assert err.details["reason"]
    assert "webhook_url" in err.message
    return err


@pytest.mark.parametrize("allow_loopback_http", [False, True])
@pytest.mark.parametrize("url", ALWAYS_BAD)
def test_bad_urls_are_rejected(url, allow_loopback_http):
    assert_rejected(url, allow_loopback_http=allow_loopback_http)


@pytest.mark.parametrize("url", LOOPBACK)
def test_loopback_is_rejected_without_the_local_flag(url):
    assert_rejected(url, allow_loopback_http=False)


@pytest.mark.parametrize("url", LOOPBACK)
def test_loopback_is_accepted_with_the_local_flag(url):
    resolved = validate_webhook_url(url, allow_loopback_http=True, resolve=fake_resolve)
    assert all(ipaddress.ip_address(a).is_loopback for a in resolved.addresses)


@pytest.mark.parametrize("allow_loopback_http", [False, True])
@pytest.mark.parametrize(("url", "expected"), GOOD)
def test_good_urls_are_accepted(url, expected, allow_loopback_http):
    assert validate_webhook_url(url, allow_loopback_http=allow_loopback_http, resolve=fake_resolve) == expected


def test_reasons_and_messages_are_specific():
    assert assert_rejected("http://hooks.example.com/", allow_loopback_http=True).details["reason"] == \
        "https_required"
    assert assert_rejected("https://u:p@hooks.example.com/", allow_loopback_http=False).details["reason"] == \
        "credentials_not_allowed"
    err = assert_rejected("http://0x7f.1/", allow_loopback_http=True)
    assert err.details["reason"] == "non_canonical_ip" and "127.0.0.1" in err.message
    err = assert_rejected("https://169.254.169.254/", allow_loopback_http=False)
    assert err.details["reason"] == "blocked_address" and "metadata" in err.message
    err = assert_rejected("https://internal.example.com/", allow_loopback_http=False)
    # a name's internal address is not echoed back (no internal DNS oracle)
    assert "10.0.0.5" not in err.message and "private" in err.message
    assert assert_rejected("https://nx.example.com/", allow_loopback_http=False).details["reason"] == \
        "unresolvable_host"


def test_resolver_gets_host_and_port_and_is_not_used_for_literals():
    calls = []

    def resolve(host, port, *args, **kwargs):
        calls.append((host, port))
        return fake_resolve(host, port)

    validate_webhook_url("https://Hooks.Example.com:8443/x", allow_loopback_http=False, resolve=resolve)
    assert calls == [("hooks.example.com", 8443)]
    calls.clear()
    validate_webhook_url("https://93.184.216.34/x", allow_loopback_http=False, resolve=resolve)
    assert calls == []


def test_host_header():
    assert validate_webhook_url("https://hooks.example.com/", allow_loopback_http=False,
                                resolve=fake_resolve).host_header == "hooks.example.com"
    assert validate_webhook_url("http://[::1]:9000/", allow_loopback_http=True,
                                resolve=fake_resolve).host_header == "[::1]:9000"


# --- property: any blocked IPv4 address, in any spelling, is refused ---------------------------

BLOCKED_V4 = [ipaddress.IPv4Network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
)]


@st.composite
def blocked_ipv4(draw) -> ipaddress.IPv4Address:
    net = draw(st.sampled_from(BLOCKED_V4))
    return net[draw(st.integers(0, net.num_addresses - 1))]


@st.composite
def number(draw, value: int) -> str:
    """``value`` in decimal, octal (leading 0) or hex (0x/0X, any case), as inet_aton reads it."""
    radix = draw(st.sampled_from(["dec", "oct", "hex"]))
    if radix == "dec":
        return str(value)
    if radix == "oct":
        return "0" * draw(st.integers(1, 3)) + format(value, "o")
    digits = format(value, "x")
    digits = "".join(c.upper() if draw(st.booleans()) else c for c in digits)
    return draw(st.sampled_from(["0x", "0X"])) + "0" * draw(st.integers(0, 2)) + digits


@st.composite
def spelling(draw, ip: ipaddress.IPv4Address) -> str:
    n = int(ip)
    o = [n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255]
    form = draw(st.sampled_from(["dotted", "int", "3part", "2part", "mapped", "mapped_hex", "nat64",
                                 "6to4", "teredo"]))
    if form == "dotted":
        host = ".".join(draw(number(x)) for x in o)
    elif form == "int":
        host = draw(number(n))
    elif form == "3part":
        host = ".".join([draw(number(o[0])), draw(number(o[1])), draw(number(n & 0xFFFF))])
    elif form == "2part":
        host = ".".join([draw(number(o[0])), draw(number(n & 0xFFFFFF))])
    elif form == "mapped":
        return f"[::ffff:{ip}]"
    elif form == "mapped_hex":
        return f"[::ffff:{n >> 16:x}:{n & 0xFFFF:x}]"
    elif form == "nat64":
        return f"[64:ff9b::{ip}]"
    elif form == "6to4":
        return f"[2002:{n >> 16:x}:{n & 0xFFFF:x}::1]"
    else:
        return f"[{teredo(str(ip))}]"
    return host + ("." if draw(st.booleans()) else "")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_spelling_of_a_blocked_ipv4_is_rejected(data):
    ip = data.draw(blocked_ipv4())
    host = data.draw(spelling(ip))
    scheme = data.draw(st.sampled_from(["http", "https"]))
    port = data.draw(st.sampled_from(["", ":443", ":8080"]))

    def resolve_to_public(host, port, *args, **kwargs):
        # worst case: a resolver that reads the number as a name and answers with a public address
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_V4, port))]

    with pytest.raises(InvalidRequest) as info:
        validate_webhook_url(f"{scheme}://{host}{port}/hook", allow_loopback_http=False,
                             resolve=resolve_to_public)
    assert info.value.details["field"] == "webhook_url"
