"""Fetching one article over HTTP(S), defensively: every hop vetted, capped and timed."""

from __future__ import annotations

import time
from contextlib import closing
from dataclasses import dataclass

import httpx

from unspin.errors import InputError
from unspin.ingest import netguard

TIMEOUT_S = 20.0
MAX_BYTES = 10_000_000
MAX_REDIRECTS = 5
ARTICLE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"


@dataclass(frozen=True, slots=True)
class Page:
    """What the server sent: the final URL after redirects, its media type and bytes."""

    url: str
    media_type: str
    charset: str | None
    body: bytes


def is_url(name: str) -> bool:
    """Whether an input names a web page rather than a file."""
    return name[:8].lower().startswith(("http://", "https://"))


def _vetted_addresses(url: httpx.URL, source: str, allow_private: bool) -> list[str]:
    """The addresses ``url``'s host resolves to, all checked by the network guard."""
    if url.scheme not in ("http", "https"):
        raise InputError(source, f"refused: unsupported URL scheme {url.scheme or '(none)'}")
    host = url.raw_host.decode("ascii")
    if not host:
        raise InputError(source, "no host in URL")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        return netguard.public_addresses(host, port, allow_private=allow_private)
    except netguard.UnresolvableHost:
        raise InputError(source, f"cannot resolve host {host}") from None
    except netguard.AddressRefused as exc:
        raise InputError(source, f"refused: {exc} (use --allow-private)") from None


def _request(url: httpx.URL, address: str, seconds: float) -> httpx.Request:
    """A GET for ``url`` sent to ``address``, with the real name in Host and TLS SNI.

    Connecting to the vetted IP, not the name, stops a second DNS answer from steering the
    connection somewhere internal (DNS rebinding).
    """
    from unspin import __version__  # here: unspin/__init__ imports this package

    headers = {
        "Host": url.netloc.decode("ascii"),
        "User-Agent": f"unspin/{__version__}",
        "Accept": ACCEPT,
    }
    timeout = {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}
    return httpx.Request(
        "GET",
        url.copy_with(host=address),
        headers=headers,
        extensions={"sni_hostname": url.raw_host.decode("ascii"), "timeout": timeout},
    )


def _send(
    client: httpx.Client, url: httpx.URL, addresses: list[str], seconds: float
) -> httpx.Response:
    """The streamed response from the first vetted address that accepts a connection."""
    for address in addresses[:-1]:
        try:
            return client.send(_request(url, address, seconds), stream=True)
        except httpx.ConnectError:
            continue
    return client.send(_request(url, addresses[-1], seconds), stream=True)


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n} bytes"


def _read(response: httpx.Response, source: str, max_bytes: int, deadline: float) -> bytes:
    """The body, streamed, stopping at ``max_bytes`` and at the overall deadline."""
    limit = f"larger than {_size(max_bytes)}"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(source, limit)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(source, limit)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("overall deadline passed")
        chunks.append(chunk)
    return b"".join(chunks)


def _page(
    response: httpx.Response, url: httpx.URL, source: str, max_bytes: int, deadline: float
) -> Page:
    """The article page in a final (non-redirect) response; InputError for anything else."""
    if response.status_code != 200:
        raise InputError(source, f"HTTP {response.status_code}")
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and media_type not in ARTICLE_TYPES:
        raise InputError(source, f"not an article page: content-type {media_type}")
    body = _read(response, source, max_bytes, deadline)
    return Page(str(url), media_type, response.charset_encoding, body)


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
) -> Page:
    """GET an article page, following at most MAX_REDIRECTS redirects by hand.

    Each hop is re-vetted by the network guard; only HTML, XHTML and plain text are
    accepted, and the whole exchange must finish within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    # trust_env=False: a proxy would connect on our behalf to addresses we never vetted.
    with httpx.Client(trust_env=False, follow_redirects=False) as client:
        try:
            current = httpx.URL(url)
            for _ in range(MAX_REDIRECTS + 1):
                addresses = _vetted_addresses(current, url, allow_private)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise httpx.ConnectTimeout("overall deadline passed")
                with closing(_send(client, current, addresses, remaining)) as response:
                    if not (response.is_redirect and "location" in response.headers):
                        return _page(response, current, url, max_bytes, deadline)
                    current = current.join(response.headers["location"])
        except httpx.TimeoutException:
            raise InputError(url, f"timed out after {timeout:g} s") from None
        except httpx.InvalidURL as exc:
            raise InputError(url, f"invalid URL: {exc}") from None
        except httpx.HTTPError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise InputError(url, f"download failed: {reason}") from None
    raise InputError(url, f"too many redirects (more than {MAX_REDIRECTS})")
