"""Fetching one article over HTTP(S), defensively: every hop vetted, capped and timed.

The limits (``url_timeout_s``, ``url_max_bytes``, ``url_max_redirects``) come from the
settings; credentials in a URL are sent but never saved or printed.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from unspin import settings
from unspin.errors import InputError
from unspin.ingest import netguard
from unspin.ingest.text import too_large

_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)[^/?#]*@", re.I)
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


def redact(url: str) -> str:
    """``url`` without its ``user:password@`` part, for anything saved or printed."""
    return _USERINFO.sub(r"\1", url)


def checked_url(url: str, source: str) -> str:
    """``url`` without credentials; InputError naming ``source`` when it cannot be parsed
    (a bracketed host that is no IP address, a bad port), before any layer relies on it."""
    try:
        _ = urlsplit(url).port  # reading the port checks the whole network location
    except ValueError as exc:
        raise InputError(source, f"invalid URL: {exc}") from None
    return redact(url)


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


def _read(response: httpx.Response, source: str, max_bytes: int) -> bytes:
    """The body, streamed, stopping at ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(source, too_large(max_bytes, "url_max_bytes"))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(source, too_large(max_bytes, "url_max_bytes"))
        chunks.append(chunk)
    return b"".join(chunks)


def _page(response: httpx.Response, url: httpx.URL, source: str, max_bytes: int) -> Page:
    """The article page in a final (non-redirect) response; InputError for anything else."""
    if response.status_code != 200:
        raise InputError(source, f"HTTP {response.status_code}")
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and media_type not in ARTICLE_TYPES:
        raise InputError(source, f"not an article page: content-type {media_type}")
    body = _read(response, source, max_bytes)
    return Page(redact(str(url)), media_type, response.charset_encoding, body)


def _exchange(
    client: httpx.Client, url: str, allow_private: bool, limits: settings.Limits, deadline: float
) -> Page:
    """The request and its redirects, each hop re-vetted by the network guard."""
    source = redact(url)
    try:
        current = httpx.URL(url)
        for _ in range(limits.url_max_redirects + 1):
            addresses = _vetted_addresses(current, source, allow_private)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise httpx.ConnectTimeout("overall deadline passed")
            with closing(_send(client, current, addresses, remaining)) as response:
                if not (response.is_redirect and "location" in response.headers):
                    return _page(response, current, source, limits.url_max_bytes)
                current = current.join(response.headers["location"])
    except httpx.TimeoutException:
        raise InputError(source, f"timed out after {limits.url_timeout_s:g} s") from None
    except httpx.InvalidURL as exc:
        raise InputError(source, f"invalid URL: {redact(str(exc))}") from None
    except httpx.HTTPError as exc:
        reason = " ".join(redact(str(exc)).split()) or type(exc).__name__
        raise InputError(source, f"download failed: {reason}") from None
    raise InputError(source, f"too many redirects (more than {limits.url_max_redirects})")


def fetch(url: str, *, allow_private: bool = False, limits: settings.Limits | None = None) -> Page:
    """GET an article page, following at most ``url_max_redirects`` redirects by hand.

    Only HTML, XHTML and plain text are accepted, and the whole exchange must finish within
    ``url_timeout_s``: httpx's timeouts bound each read, not a server that trickles its
    headers a byte at a time, so the exchange runs in a worker thread that is abandoned
    (its connections closed) when the deadline passes.
    """
    limits = limits or settings.load().limits
    deadline = time.monotonic() + limits.url_timeout_s
    outcome: list[Page | BaseException] = []
    # trust_env=False: a proxy would connect on our behalf to addresses we never vetted.
    client = httpx.Client(trust_env=False, follow_redirects=False)

    def work() -> None:
        try:
            outcome.append(_exchange(client, url, allow_private, limits, deadline))
        except BaseException as exc:  # handed to the caller's thread below
            outcome.append(exc)

    worker = threading.Thread(target=work, name="unspin-fetch", daemon=True)
    worker.start()
    worker.join(limits.url_timeout_s)
    client.close()  # on timeout this makes the worker's next read fail, ending it
    if not outcome:
        raise InputError(redact(url), f"timed out after {limits.url_timeout_s:g} s")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]
