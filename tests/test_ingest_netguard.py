"""The network guard: which addresses a URL may reach."""

from __future__ import annotations

import socket

import pytest

from unspin.ingest import netguard


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback"),
        ("127.8.9.10", "a loopback"),
        ("::1", "a loopback"),
        ("::ffff:127.0.0.1", "a loopback"),  # IPv4-mapped
        ("10.1.2.3", "a private"),
        ("172.16.0.9", "a private"),
        ("192.168.1.1", "a private"),
        ("::ffff:192.168.1.1", "a private"),
        ("fd12:3456::1", "a private"),
        ("169.254.169.254", "a link-local"),  # cloud metadata endpoint
        ("fe80::1", "a link-local"),
        ("224.0.0.251", "a multicast"),
        ("ff02::1", "a multicast"),
        ("0.0.0.0", "an unspecified"),
        ("::", "an unspecified"),
        ("240.0.0.1", "a reserved"),
        ("100.64.0.1", "a non-public"),  # carrier-grade NAT
    ],
)
def test_non_public_addresses_are_refused(address: str, kind: str) -> None:
    assert netguard.refusal(address) == f"{address} is {kind} address"


@pytest.mark.parametrize(
    ("address", "kind", "inner"),
    [
        ("2002:7f00:1::", "a loopback", "127.0.0.1"),  # 6to4
        ("2002:a9fe:a9fe::1", "a link-local", "169.254.169.254"),
        ("64:ff9b::a00:1", "a private", "10.0.0.1"),  # NAT64
        ("64:ff9b::7f00:1", "a loopback", "127.0.0.1"),
        # Teredo: the client address is stored inverted in the last 32 bits.
        ("2001:0:4136:e378:8000:63bf:3f57:fefe", "a private", "192.168.1.1"),
    ],
)
def test_ipv6_that_leads_to_a_private_ipv4_is_refused(address: str, kind: str, inner: str) -> None:
    assert netguard.refusal(address) == f"{address} is {kind} address (it leads to {inner})"


def test_site_local_ipv6_is_refused() -> None:
    assert netguard.refusal("fec0::1") == "fec0::1 is a site-local address"


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:5db8:d70e::1"]
)
def test_public_addresses_pass(address: str) -> None:
    assert netguard.refusal(address) is None


def _resolver(answers: dict[str, list[str]]):
    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers[host]
        ]

    return getaddrinfo


def test_every_resolved_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {"mixed.test": ["93.184.215.14", "10.0.0.7"], "public.test": ["93.184.215.14"]}
    monkeypatch.setattr(socket, "getaddrinfo", _resolver(answers))
    with pytest.raises(netguard.AddressRefused, match=r"^10\.0\.0\.7 is a private address$"):
        netguard.public_addresses("mixed.test", 443)
    assert netguard.public_addresses("mixed.test", 443, allow_private=True) == answers["mixed.test"]
    assert netguard.public_addresses("public.test", 80) == ["93.184.215.14"]


def test_unresolvable_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({}))
    with pytest.raises(netguard.UnresolvableHost):
        netguard.public_addresses("nowhere.invalid", 80)
