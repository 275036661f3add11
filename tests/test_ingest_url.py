"""Fetching URLs, against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import certifi
import pytest

from unspin.errors import InputError
from unspin.ingest import iter_records, netguard
from unspin.ingest.url import fetch, redact
from unspin.settings import Limits

NEWS = (Path(__file__).parent / "fixtures" / "ingest" / "news_article.html").read_bytes()
# Small limits keep the oversize and timeout cases fast.
LIMITS = Limits(url_max_bytes=200_000, url_timeout_s=0.5)
PLAIN = b"Curfew lifted in the port city\n\nShops reopened on Saturday, the mayor said.\n"


class Handler(BaseHTTPRequestHandler):
    """Routes for each case; every request's path and Host header is recorded."""

    seen: ClassVar[list[tuple[str, str]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, "text/html", b"", Location=location)

    def do_GET(self) -> None:
        Handler.seen.append((self.path, self.headers.get("Host", "")))
        port = self.server.server_address[1]
        routes = {
            "/article": lambda: self._send(200, "text/html; charset=utf-8", NEWS),
            "/plain": lambda: self._send(200, "text/plain; charset=utf-8", PLAIN),
            "/image": lambda: self._send(200, "image/png", b"\x89PNG\r\n\x1a\n"),
            "/moved": lambda: self._redirect("/article"),
            "/to-metadata": lambda: self._redirect("http://169.254.169.254/latest/meta-data/"),
            "/to-localhost": lambda: self._redirect(f"http://localhost:{port}/article"),
            "/loop": lambda: self._redirect("/loop"),
            "/huge": self._huge,
            "/huge-declared": self._huge_declared,
            "/slow": self._slow,
            "/trickle": self._trickle,
        }
        routes.get(self.path, lambda: self._send(404, "text/html", b"<p>gone</p>"))()

    def _huge(self) -> None:
        """More than the cap, streamed without a Content-Length."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65_536 + b"</p>"
        for _ in range(LIMITS.url_max_bytes // len(chunk) + 2):
            self.wfile.write(chunk)

    def _huge_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(LIMITS.url_max_bytes + 1))
        self.end_headers()

    def _slow(self) -> None:
        time.sleep(2)
        self._send(200, "text/html", NEWS)

    def _trickle(self) -> None:
        """Headers one byte at a time: every read succeeds, the exchange never ends."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for byte in b"X-Padding: " + b"a" * 200:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.1)


class QuietServer(ThreadingHTTPServer):
    """A client that gives up on '/slow' or '/huge' breaks the pipe; socketserver would print
    that traceback to stderr seconds later, inside whichever test is capturing it then."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def tls_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """An HTTPS server on 127.0.0.1 whose self-signed certificate names only "localhost"."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
    san = "subjectAltName=DNS:localhost"
    subprocess.run(
        [*command.split(), "-addext", san, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    monkeypatch.setattr(certifi, "where", lambda: str(cert))  # trust it, as httpx would a CA
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the guard pass 127.0.0.1 only, so a redirect elsewhere meets the real checks."""
    real = netguard.refusal
    monkeypatch.setattr(netguard, "refusal", lambda a: None if a == "127.0.0.1" else real(a))


def _error(url: str, **options: Any) -> str:
    with pytest.raises(InputError) as err:
        fetch(url, **options)
    assert err.value.source == redact(url)
    return err.value.reason


def test_loopback_refused_without_allow_private(server: str) -> None:
    Handler.seen.clear()
    (record,) = iter_records([server + "/article"])
    assert record.error == "refused: 127.0.0.1 is a loopback address (use --allow-private)"
    assert Handler.seen == []  # refused before connecting


def test_fetched_with_allow_private(server: str) -> None:
    (record,) = iter_records([server + "/article"], allow_private=True)
    assert record.error is None
    doc = record.document
    assert doc.meta.id == server + "/article"
    assert doc.meta.title == "Shelling cuts water to Karvesh as talks stall"
    assert doc.meta.url == "https://meridian-ledger.example/world/2024/03/karvesh-water"
    assert doc.meta.published == "2024-03-14"


def test_plain_text_page(server: str) -> None:
    (record,) = iter_records([server + "/plain"], allow_private=True)
    assert record.document.meta.title == "Curfew lifted in the port city"
    assert record.document.meta.url == server + "/plain"


def test_redirect_followed_and_host_header_kept(server: str) -> None:
    Handler.seen.clear()
    port = server.rsplit(":", 1)[1]
    page = fetch(server + "/to-localhost", allow_private=True)
    assert page.url == f"http://localhost:{port}/article"
    assert page.body == NEWS
    # The connection goes to a vetted address, but the server still sees the name.
    assert Handler.seen[-1] == ("/article", f"localhost:{port}")


def test_redirect_to_private_address_refused(server: str, loopback_is_public: None) -> None:
    assert fetch(server + "/moved").body == NEWS
    reason = _error(server + "/to-metadata")
    assert reason == "refused: 169.254.169.254 is a link-local address (use --allow-private)"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_tls_to_a_pinned_address_still_checks_the_host_name(tls_server: int) -> None:
    # Connected to 127.0.0.1 either way; the certificate must match the name in the URL.
    page = fetch(f"https://localhost:{tls_server}/plain", allow_private=True)
    assert page.body == PLAIN
    reason = _error(f"https://127.0.0.1:{tls_server}/plain", allow_private=True)
    assert reason.startswith("download failed: [SSL: CERTIFICATE_VERIFY_FAILED]")


def test_too_many_redirects(server: str) -> None:
    assert _error(server + "/loop", allow_private=True) == "too many redirects (more than 5)"


def test_http_error(server: str) -> None:
    assert _error(server + "/missing", allow_private=True) == "HTTP 404"


def test_wrong_content_type(server: str) -> None:
    reason = _error(server + "/image", allow_private=True)
    assert reason == "not an article page: content-type image/png"


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_oversize(server: str, path: str) -> None:
    reason = _error(server + path, allow_private=True, limits=LIMITS)
    assert reason == "larger than 200,000 bytes (limit url_max_bytes)"


@pytest.mark.parametrize("path", ["/slow", "/trickle"])
def test_one_deadline_over_the_whole_exchange(server: str, path: str) -> None:
    began = time.monotonic()
    assert _error(server + path, allow_private=True, limits=LIMITS) == "timed out after 0.5 s"
    # The server holds the exchange for 2 s (/slow) or 20 s (/trickle): ending well before
    # that means the 0.5 s deadline fired, with room for a loaded machine.
    assert time.monotonic() - began < 1.9


def test_credentials_are_never_saved_or_printed(server: str) -> None:
    url = server.replace("http://", "http://reader:s3cret@") + "/article"
    (record,) = iter_records([url], allow_private=True)
    assert "s3cret" not in repr(record.document.to_dict()) + record.source
    assert record.document.meta.id == server + "/article"
    assert _error(url + "-gone", allow_private=True) == "HTTP 404"


def test_unresolvable_host() -> None:
    assert _error("http://nowhere.invalid/a") == "cannot resolve host nowhere.invalid"
