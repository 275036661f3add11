"""What guards the service: bearer tokens, body caps, security headers, loopback checks."""

from __future__ import annotations

import hmac
import ipaddress
import re

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unspin.report.html import csp_hash

_INLINE = re.compile(rb"<(script|style)\b[^>]*>(.*?)</\1>", re.S | re.I)


def is_loopback(host: str) -> bool:
    """Whether the service would listen on this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_token(request: Request) -> None:
    """Write endpoints: the bearer token must match when the service has one."""
    token: str | None = request.app.state.token
    if not token:
        return
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip(), token):
        raise HTTPException(401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"})


def content_security_policy(html: bytes) -> str:
    """A policy allowing this page's own inline scripts and styles (by hash) and files from
    this service, nothing from elsewhere."""
    scripts = " ".join(
        csp_hash(m.group(2).decode()) for m in _INLINE.finditer(html) if m.group(1) == b"script"
    )
    styles = " ".join(
        csp_hash(m.group(2).decode()) for m in _INLINE.finditer(html) if m.group(1) == b"style"
    )
    return (
        f"default-src 'none'; script-src 'self' {scripts}; style-src 'self' {styles}; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


class Guard:
    """ASGI middleware: refuse bodies over the cap (413, before the app reads a byte of them)
    and give every HTML response a Content-Security-Policy; every response gets
    ``nosniff``.  The body is read here, up to the cap, and handed on whole."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await self._body(scope, receive)
        if body is None:
            reason = f"request body over {self.max_body_bytes:,} bytes (service.max_body_bytes)"
            await JSONResponse({"error": reason}, 413)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, _secured(send))

    async def _body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole request body, or None when it is over the cap."""
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if length.isdigit() and int(length) > self.max_body_bytes:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body_bytes:
                return None
            if not message.get("more_body"):
                return b"".join(chunks)


def _secured(send: Send) -> Send:
    """``send`` adding the security headers; an HTML response is held until its body is
    known, to hash its inline scripts and styles into the policy."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def secured(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers["X-Content-Type-Options"] = "nosniff"
            if headers.get("content-type", "").startswith("text/html"):
                start = message
                return
        elif start is not None and message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = b"".join(chunks)
            headers = MutableHeaders(scope=start)
            headers["Content-Security-Policy"] = content_security_policy(page)
            headers["Content-Length"] = str(len(page))
            await send(start)
            await send({"type": "http.response.body", "body": page})
            return
        await send(message)

    return secured
