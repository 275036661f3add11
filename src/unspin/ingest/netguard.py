"""Which network addresses unspin may fetch from: public ones only, unless told otherwise.

A URL handed to unspin (by a user, a redirect, or one day a web form) must not make it
read from the machine itself or its private network (SSRF).  The host is resolved once,
*every* address it resolves to is checked, and the caller connects to a checked address,
so a second, different DNS answer cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The host resolves to an address that is not public (the message says which kind)."""


class UnresolvableHost(Exception):
    """The host name does not resolve."""


def refusal(address: str) -> str | None:
    """Why ``address`` may not be fetched ("127.0.0.1 is a loopback address"), or None."""
    ip: Address = ipaddress.ip_address(address.split("%", 1)[0])
    # ::ffff:127.0.0.1 reaches 127.0.0.1; Python < 3.13 does not classify it as such.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    kinds = (
        ("an unspecified", ip.is_unspecified),
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a multicast", ip.is_multicast),
        ("a reserved", ip.is_reserved),
        ("a private", ip.is_private),
        ("a non-public", not ip.is_global),
    )
    for kind, hit in kinds:
        if hit:
            return f"{address} is {kind} address"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnresolvableHost(host) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def public_addresses(host: str, port: int, *, allow_private: bool = False) -> list[str]:
    """The addresses to connect to for ``host``; AddressRefused if any one is not public.

    Refusing when *any* address is private (not only the first) stops a host that
    resolves to both a public and an internal address from reaching the internal one.
    """
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise AddressRefused(reason)
    return addresses
