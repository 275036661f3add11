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


# NAT64 (RFC 6052): the last 32 bits are the IPv4 address the gateway connects to.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one leads to: 6to4 (2002::/16), Teredo (2001::/32, the
    client), NAT64 (64:ff9b::/96); IPv4-mapped addresses are handled by the caller."""
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _kind(ip: Address) -> str | None:
    """What makes ``ip`` non-public ("a loopback"), or None."""
    kinds = (
        ("an unspecified", ip.is_unspecified),
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local),
        ("a multicast", ip.is_multicast),
        ("a reserved", ip.is_reserved),
        ("a private", ip.is_private),
        ("a non-public", not ip.is_global),
    )
    return next((kind for kind, hit in kinds if hit), None)


def refusal(address: str) -> str | None:
    """Why ``address`` may not be fetched ("127.0.0.1 is a loopback address"), or None.

    An IPv6 address that carries an IPv4 one (mapped, 6to4, Teredo, NAT64) reaches that IPv4
    address, so it is judged by it as well.
    """
    ip: Address = ipaddress.ip_address(address.split("%", 1)[0])
    # ::ffff:127.0.0.1 reaches 127.0.0.1; Python < 3.13 does not classify it as such.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        kind = _kind(inner)
        if kind:
            return f"{address} is {kind} address (it leads to {inner})"
    kind = _kind(ip)
    return f"{address} is {kind} address" if kind else None


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
