"""Serve stage: a folder of built decks over HTTP, with live reload; it knows nothing about markdown.

Every HTML page gets a small script that listens to ``/__mystdeck__/events`` (server-sent events)
and reloads the page after a new build, or shows the build's errors over the page.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import socket
import sys
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from mystdeck import remote as remote_control

LIVE_PREFIX = "/__mystdeck__/"
LIVE_SCRIPT = Path(__file__).with_name("live.js")
FIRST_PORT = 8000
IDLE_SECONDS = 30
MAX_STREAMS = 64
PORT_TRIES = 100
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
}


@dataclass(slots=True)
class LiveState:
    """The latest build as the pages see it: a counter and the errors that stopped it, if any."""

    build_id: int = 0
    errors: list[str] = field(default_factory=list)
    closed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, errors: list[str]) -> None:
        with self.changed:
            self.build_id += 1
            self.errors = list(errors)
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, list[str]] | None:
        """The state once it differs from build ``seen`` (None on timeout or close)."""
        with self.changed:
            self.changed.wait_for(lambda: self.closed or self.build_id != seen, timeout)
            if self.closed or self.build_id == seen:
                return None
            return self.build_id, list(self.errors)


# The remote's addresses (under LIVE_PREFIX) and whose token each takes.
_REMOTE_ROLES = {
    "remote": ("remote",),
    "follow": ("follow",),
    "state": ("remote", "follow"),
    "commands": ("presenter",),
}


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    # A deck page asks for its few dozen files at once, a handout or several open tabs for more: the
    # socket's waiting list holds that many (the default of 5 turned connections away under a burst).
    request_queue_size = 256

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        live: LiveState,
        decks: Collection[str] = (),
        remote: remote_control.RemoteState | None = None,
    ) -> None:
        self.root = root.resolve()
        self.live = live
        self.remote = remote  # --present: the phone remote and the follow page
        self.decks = frozenset(decks)  # deck folders: one not built yet gets a page that waits for it
        self.host_names = allowed_hosts(address[0])
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)  # open pages listening for rebuilds
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser or phone that went away mid-request (a closed tab, a lost Wi-Fi) is no error worth a
        traceback in the presenter's terminal; anything else is reported as the standard library does."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def allowed_hosts(host: str) -> frozenset[str] | None:
    """The names a request's ``Host`` may carry (so a web page elsewhere cannot reach the decks through
    a DNS name of its own pointing here); None when listening on every address, where any address
    of this machine, or its name, is fine but other names still are not."""
    names = {"localhost", "127.0.0.1", "::1", host.strip("[]").lower()}
    if host in ("0.0.0.0", "::", ""):
        return None
    return frozenset(names)


def host_allowed(header: str, allowed: frozenset[str] | None) -> bool:
    name = header.strip().lower()
    name = name[1 : name.index("]")] if name.startswith("[") and "]" in name else name.rpartition(":")[0] or name
    if allowed is not None:
        return name in allowed
    if name in ("localhost", socket.gethostname().lower()):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def start_server(
    root: Path,
    host: str,
    port: int | None,
    live: LiveState,
    decks: Collection[str] = (),
    remote: remote_control.RemoteState | None = None,
) -> PreviewServer:
    """Bind ``port``, or the first free one from 8000 on, and serve in a background thread."""
    ports = [port] if port is not None else range(FIRST_PORT, FIRST_PORT + PORT_TRIES)
    error: OSError | None = None
    for candidate in ports:
        try:
            server = PreviewServer((host, candidate), root, live, decks, remote)
        except OSError as exc:
            error = exc
            continue
        threading.Thread(target=server.serve_forever, args=(0.05,), name="mystdeck-server", daemon=True).start()
        return server
    assert error is not None
    raise error


def stop_server(server: PreviewServer) -> None:
    server.live.close()
    if server.remote is not None:
        server.remote.close()
    server.shutdown()
    server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS  # a connection that sends nothing for this long is closed

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal is for build messages."""

    def _respond(self, send_body: bool) -> None:
        if not host_allowed(self.headers.get("Host", ""), self.server.host_names):
            self._send(403, "text/plain; charset=utf-8", b"this server answers only to its own address\n", send_body)
            return
        path = unquote(urlsplit(self.path).path)
        if path == LIVE_PREFIX + "events":
            self._events()
            return
        if path.startswith(LIVE_PREFIX + "remote/") or path in {
            LIVE_PREFIX + n for n in ("remote", "follow", "state", "commands")
        }:
            self._remote_get(path.removeprefix(LIVE_PREFIX), send_body)
            return
        if path == LIVE_PREFIX + "live.js":
            self._send(200, _TYPES[".js"], LIVE_SCRIPT.read_bytes(), send_body)
            return
        target = self._resolve(path)
        if target is None:
            self._send(403, "text/plain; charset=utf-8", b"outside the output folder\n", send_body)
            return
        if target == self.server.root and not (target / "index.html").is_file():
            self._send(200, _TYPES[".html"], _listing(target), send_body)
            return
        deck = path.strip("/")
        if deck in self.server.decks and not (self.server.root / deck / "index.html").is_file():
            self._send(200, _TYPES[".html"], _with_live_script(_waiting_page(deck)), send_body)
            return
        if target.is_dir() and not path.endswith("/"):
            self._redirect(quote(path) + "/")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            self._send(404, "text/plain; charset=utf-8", b"not found\n", send_body)
            return
        content_type = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".html":
            page = _with_live_script(target.read_bytes(), self._presenter(), self._remote_address())
            self._send(200, content_type, page, send_body)
            return
        # Other files may be kept by the browser but are checked on every load, so a reload after a
        # build re-reads only what changed.
        stat = target.stat()
        tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if self.headers.get("If-None-Match") == tag:
            self._send(304, content_type, b"", send_body=False, etag=tag)
            return
        self._send(200, content_type, target.read_bytes(), send_body, etag=tag)

    def do_POST(self) -> None:
        """The remote's requests and the deck window's state (``--present`` only, each with its token)."""
        if not host_allowed(self.headers.get("Host", ""), self.server.host_names):
            self._send(403, "text/plain; charset=utf-8", b"this server answers only to its own address\n", True)
            return
        remote, role = self._role()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if remote is None or not 0 <= length <= remote_control.MAX_STATE:
            self._send(403 if remote is None else 413, "text/plain; charset=utf-8", b"refused\n", True)
            return
        body = self.rfile.read(length)
        path = unquote(urlsplit(self.path).path)
        if path == LIVE_PREFIX + "command" and role == "remote" and (action := remote_control.read_action(body)):
            remote.ask(action)
        elif path == LIVE_PREFIX + "state" and role == "presenter" and (state := remote_control.read_state(body)):
            remote.publish(state)
        else:
            self._send(403, "text/plain; charset=utf-8", b"refused\n", True)
            return
        self._send(204, "text/plain; charset=utf-8", b"", True)

    def _role(self) -> tuple[remote_control.RemoteState | None, str]:
        remote = self.server.remote
        token = (parse_qs(urlsplit(self.path).query).get("t") or [""])[0]
        return remote, remote.role(token) if remote is not None else ""

    def _presenter(self) -> str:
        """The presenter's token, for a page opened on this machine itself (the deck window): from a loopback
        address, or from the address the server listens on."""
        remote = self.server.remote
        client = str(self.client_address[0]).removeprefix("::ffff:")
        here = _loopback(client) or client == str(self.server.server_address[0]).removeprefix("::ffff:")
        return remote.presenter_token if remote is not None and here else ""

    def _remote_address(self) -> str:
        """The remote's address as this request reached the server, for the deck window's speaker view."""
        remote = self.server.remote
        if remote is None or not self._presenter():
            return ""
        return f"http://{self.headers.get('Host', '')}{LIVE_PREFIX}remote?t={remote.remote_token}"

    def _remote_get(self, name: str, send_body: bool) -> None:
        remote, role = self._role()
        wanted = {
            "remote": ("remote",),
            "follow": ("follow",),
            "state": ("remote", "follow"),
            "commands": ("presenter",),
        }
        if remote is None or role not in wanted.get(name, ()):
            self._send(403, "text/plain; charset=utf-8", b"this address needs its token\n", send_body)
            return
        if name in ("remote", "follow"):
            self._send(200, _TYPES[".html"], remote_control.page(name, remote.remote_token if name == "remote"
                                                                 else remote.follow_token), send_body)  # fmt: skip
            return
        if not self.server.streams.acquire(blocking=False):
            self._send(503, "text/plain; charset=utf-8", b"too many open pages\n", send_body=True)
            return
        try:
            self._stream(remote, name)
        finally:
            self.server.streams.release()

    def _stream(self, remote: remote_control.RemoteState, name: str) -> None:
        """The deck's state for the remote and the follow page, requests for the deck."""
        if name == "commands":
            self._event_stream(len(remote.commands), lambda seen: remote.wait_command(seen, 10), lambda: remote.closed)
        else:
            self._event_stream(-1, lambda seen: remote.wait_state(seen, 10), lambda: remote.closed)

    def _event_stream(
        self, seen: int, wait: Callable[[int], tuple[int, Any] | None], closed: Callable[[], bool]
    ) -> None:
        """Server-sent events: each thing ``wait`` gives after ``seen`` as one event, a comment every ten
        seconds while nothing happens (so a connection that is gone is noticed), until ``closed``."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            while not closed():
                found = wait(seen)
                if found is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    seen, data = found
                    self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _resolve(self, path: str) -> Path | None:
        """The file ``path`` names inside the root, or None for anything that leaves it or is hidden
        (the caches, staging folders, the decks' marker files)."""
        parts = [part for part in path.split("/") if part]
        if "\0" in path or "\\" in path or any(part.startswith(".") for part in parts):
            return None
        target = self.server.root.joinpath(*parts).resolve()
        return target if target.is_relative_to(self.server.root) else None

    def _send(self, status: int, content_type: str, data: bytes, send_body: bool, etag: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if etag:
            self.send_header("Cache-Control", "no-cache")
            self.send_header("ETag", etag)
        else:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self) -> None:
        if not self.server.streams.acquire(blocking=False):
            self._send(503, "text/plain; charset=utf-8", b"too many open pages\n", send_body=True)
            return
        try:
            self._stream_events()
        finally:
            self.server.streams.release()

    def _stream_events(self) -> None:
        live = self.server.live

        def wait(seen: int) -> tuple[int, dict[str, Any]] | None:
            state = live.wait(seen, timeout=10)
            return None if state is None else (state[0], {"id": state[0], "errors": state[1]})

        self._event_stream(-1, wait, lambda: live.closed)


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.removeprefix("::ffff:")).is_loopback
    except ValueError:
        return False


def _with_live_script(html: bytes, presenter: str = "", remote_address: str = "") -> bytes:
    tag = f'<script src="{LIVE_PREFIX}live.js"></script>'.encode()
    if presenter:  # the deck window on this machine publishes its state for the remote and takes its requests
        told = {"mystdeckPresenter": presenter, "mystdeckRemote": remote_address}
        lines = "".join(f"window.{name} = {_script_json(value)};" for name, value in told.items())
        tag = f"<script>{lines}</script>".encode() + tag
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


def _script_json(value: str) -> str:
    """``value`` as a JavaScript string inside a <script>: no "</script>" can end it early."""
    return json.dumps(value).replace("<", "\\u003c")


def _waiting_page(deck: str) -> bytes:
    """The page of a deck that has not built yet: it shows the errors and turns into the deck once it builds."""
    name = html.escape(deck)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title></head>'
        f"<body><p>{name}: waiting for the first good build.</p></body></html>"
    ).encode()


def _listing(root: Path) -> bytes:
    """The output folder's front page when the build wrote none: a link to each deck in it."""
    links = "".join(
        f'<li><a href="{html.escape(quote(folder.name))}/">{html.escape(folder.name)}</a></li>'
        for folder in sorted(root.iterdir())
        if not folder.name.startswith(".") and (folder / "index.html").is_file()
    )
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Decks</title></head>'
    return f"{head}<body><ul>{links}</ul></body></html>".encode()
