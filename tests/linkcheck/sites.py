"""HTTP servers on 127.0.0.1 for the link checker's tests, and the fakes they use (clock, resolver)."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from services.linkfetch import FetchPolicy

Route = Callable[[BaseHTTPRequestHandler], None]
LOCAL = FetchPolicy(allow_private=True, host_interval=0.0)
HTML = "<!doctype html><title>Kunjungan Wali Kota</title><p>Peresmian pasar – Rp 2 miliar.</p>".encode()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def respond(status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers: str) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return route


def redirect(status: int, location: str) -> Route:
    return respond(status, b"moved", Location=location)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up on purpose (a timeout, a refused body) is no failure of the server."""


class Site:
    """An HTTP/1.1 server on 127.0.0.1 serving `routes` (path -> route) and recording each request's path and headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes: no delayed-ACK stall

            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers)))
                site.routes.get(self.path, respond(404, b"tidak ada"))(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def resolver(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, f"no {host} in the test's table")
        return table[host]

    return resolve


def no_resolver(host: str, port: int) -> list[str]:
    raise AssertionError(f"resolved {host}: the URL should have been refused before")
