"""The live preview: a real server process, a real browser, real edits of the deck file."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import ROOT

DECK = "# Vortrag\n\n## Eins\n\nErster Text.\n\n## Zwei\n\n### Zwei A\n\nAlter Text.\n\n:::{note}\nErste Notiz.\n:::\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``python build.py --serve`` as a child process; its output is read by a thread, with deadlines."""

    def __init__(self, folder: Path, *args: str, deck: str = "talk.md") -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), deck, "--serve", "--port", str(self.port), *args],
            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        self.folder = folder
        self.lines: list[str] = []
        self.queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("watching for changes")
        self.url = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.queue.put(line)
        self.queue.put(None)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        """Read the server's output until a line holds ``text``; fail after ``timeout`` seconds."""
        self.wait_for_count(text, 1, timeout)

    def count(self, text: str) -> int:
        """How many lines the server has printed so far hold ``text``."""
        while True:
            try:
                line = self.queue.get_nowait()
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
        return sum(text in line for line in self.lines)

    def wait_for_count(self, text: str, count: int, timeout: float = 30) -> None:
        """Read the server's output until ``count`` lines hold ``text``; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.lines) < count:
            try:
                line = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"fewer than {count} {text!r} in time:\n" + "".join(self.lines)) from None
            if line is None:
                raise AssertionError(f"the server ended before {count} {text!r}:\n" + "".join(self.lines))
            self.lines.append(line)

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Host": host} if host else {})
        response = connection.getresponse()
        response.read()
        location = response.getheader("Location") or ""
        return response.status, location or response.getheader("Content-Type") or ""

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=20)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
        return "".join(self.lines)


def _module_server(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Server]:
    """A server on DECK in a folder of its own, stopped after the module (unless a test stopped it)."""
    folder = tmp_path_factory.mktemp(name)
    (folder / "talk.md").write_text(DECK, encoding="utf-8")
    running = Server(folder)
    yield running
    if running.process.poll() is None:
        running.stop()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory, chromium: Path) -> Iterator[Server]:
    """One server for the tests that edit the deck: each starts from DECK again."""
    yield from _module_server(tmp_path_factory, "edits")


@pytest.fixture
def editing(shared_server: Server, reused_page: Page) -> tuple[Server, Path]:
    """The shared server with its deck back at DECK and built, and the deck's folder."""
    folder: Path = shared_server.folder
    if (folder / "talk.md").read_text(encoding="utf-8") != DECK:
        page = reused_page
        page.goto(f"{shared_server.url}/talk/")
        before = page.wait_for_function("window.mystdeckLiveBuild").json_value()
        page.evaluate("window.oldPage = true")  # gone with the reload
        _save(folder / "talk.md", DECK)
        # The rebuilt deck, reloaded and listening again (its text alone is no sign: the old one has it too).
        page.wait_for_function(
            "(before) => !window.oldPage && window.mystdeckLiveBuild > before && Reveal.isReady()", arg=before
        )
    return shared_server, folder


def _save(path: Path, text: str) -> None:
    """Save as an editor does, in one piece: written beside the watched folder, then moved into place (a
    file written in place could be rebuilt half written, which is a save of its own)."""
    partial = path.parent.parent / f".{path.parent.name}-{path.name}.saving"
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    os.utime(path)


@pytest.fixture(scope="module")
def http_server(shared_server: Server) -> Server:
    """The tests that only ask over HTTP share the editing tests' server: they change nothing, and any
    state of the deck serves them (the Ctrl-C test, last in the file, stops it)."""
    return shared_server


def test_saving_reloads_the_page_on_the_same_slide(editing: tuple[Server, Path], reused_page: Page) -> None:
    server, tmp_path = editing
    page = reused_page
    page.goto(f"{server.url}/talk/#/zwei-a")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getIndices()") == {"h": 2, "v": 1, "f": None}
    page.wait_for_function("window.mystdeckLiveBuild !== undefined")  # connected to the server

    _save(tmp_path / "talk.md", DECK.replace("Alter Text.", "Neuer Text."))
    page.wait_for_function("document.body.innerText.includes('Neuer Text.')", timeout=15_000)
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getIndices()") == {"h": 2, "v": 1, "f": None}
    assert page.evaluate("location.hash") == "#/zwei-a"

    _save(tmp_path / "talk.md", "---\ntitle: [kaputt\n---\n" + DECK)
    overlay = page.wait_for_selector("#mystdeck-error-overlay", timeout=15_000)
    assert overlay is not None
    assert re.search(r"talk\.md:2: error: front matter", overlay.inner_text())
    assert "Neuer Text." in page.inner_text(".reveal")  # the last good deck stays underneath

    _save(tmp_path / "talk.md", DECK.replace("Alter Text.", "Wieder gut."))
    page.wait_for_function("document.body.innerText.includes('Wieder gut.')", timeout=15_000)
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.query_selector("#mystdeck-error-overlay") is None
    assert page.evaluate("Reveal.getIndices()") == {"h": 2, "v": 1, "f": None}


def test_server_binds_loopback_refuses_escapes_and_types_content(http_server: Server) -> None:
    assert f"serving http://127.0.0.1:{http_server.port}/talk/" in "".join(http_server.lines)
    assert http_server.get("/talk/") == (200, "text/html; charset=utf-8")
    assert http_server.get("/talk/lib/reveal/reveal.js") == (200, "text/javascript; charset=utf-8")
    assert http_server.get("/talk/lib/reveal/reveal.css") == (200, "text/css; charset=utf-8")
    for escape in ("/talk/../../talk.md", "/%2e%2e/talk.md", "/talk/%2E%2E/%2E%2E/talk.md", "/..%2f..%2ftalk.md"):
        assert http_server.get(escape)[0] == 403, escape
    assert http_server.get("/nothing-here.txt")[0] == 404
    assert http_server.get("/") == (200, "text/html; charset=utf-8")  # a list of the decks
    assert _listening_addresses(http_server.port) == ["127.0.0.1"]


def _listening_addresses(port: int) -> list[str]:
    """The local addresses of the sockets listening on ``port``, read from the kernel's table."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hex_port = local.partition(":")
        if int(hex_port, 16) == port and state == "0A":  # 0A: listening
            found.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_speaker_view_follows_a_rebuild(editing: tuple[Server, Path], browser: Browser) -> None:
    server, tmp_path = editing
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/talk/#/zwei-a")
    page.wait_for_function("window.mystdeckLiveBuild !== undefined && Reveal.isReady()")
    with context.expect_page() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    speaker.wait_for_function("document.body.innerText.includes('Erste Notiz.')")
    # An English deck's speaker view speaks English, with a 12-hour clock, in the preview too.
    assert speaker.inner_text("#upcoming-slide .label") == "Upcoming"
    assert (speaker.text_content(".speaker-controls-notes .label") or "").startswith("Notes")
    speaker.wait_for_function(
        "/^\\d\\d:\\d\\d (AM|PM)$/.test(document.querySelector('.clock-value').textContent.trim())"
    )
    _save(tmp_path / "talk.md", DECK.replace("Erste Notiz.", "Zweite Notiz."))
    speaker.wait_for_function("document.body.innerText.includes('Zweite Notiz.')", timeout=15_000)
    context.close()


def _opened_live(server: Server, page: Page) -> Page:
    """The deck open in ``page``, listening to the server's rebuilds."""
    page.goto(f"{server.url}/talk/")
    page.wait_for_function("window.mystdeckLiveBuild !== undefined && Reveal.isReady()")
    return page


def test_a_save_without_a_change_rebuilds_without_reloading_the_page(
    editing: tuple[Server, Path], reused_page: Page
) -> None:
    server, tmp_path = editing
    page = _opened_live(server, reused_page)
    first = page.evaluate("window.mystdeckLiveBuild")
    built = "built _build/talk/index.html"
    before = server.count(built)
    _save(tmp_path / "talk.md", DECK)  # written again as it was: rebuilt, the same deck
    server.wait_for_count(built, before + 1)
    _save(tmp_path / "talk.md", DECK.replace("Alter Text.", "Neuer Text."))
    page.wait_for_function(
        "document.body.textContent.includes('Neuer Text.') && window.mystdeckLiveBuild !== undefined"
    )
    assert page.evaluate("window.mystdeckLiveBuild") == first + 1  # one reload: the change's, not the save's


def test_any_failed_rebuild_is_shown_and_the_server_keeps_serving(
    editing: tuple[Server, Path], reused_page: Page
) -> None:
    server, tmp_path = editing
    page = _opened_live(server, reused_page)
    nested = "".join(":" * (3 + 60 - i) + "{note}\n" for i in range(60)) + "x\n"
    nested += "".join(":" * (4 + i) + "\n" for i in range(60))
    breakages = {
        "---\ntitle: &a [*a]\n---\n" + DECK: "talk.md:2: error: front matter: aliases",
        "---\ntitle: " + "[" * 40 + "]" * 40 + "\n---\n" + DECK: "talk.md:2: error: front matter: nested deeper",
        DECK + "\n" + nested: "error: directives nested deeper than 30 levels",
    }
    for text, message in breakages.items():
        _save(tmp_path / "talk.md", text)
        page.wait_for_function(
            "(m) => (document.getElementById('mystdeck-error-overlay') || {}).innerText?.includes(m)",
            arg=message,
            timeout=15_000,
        )
        assert server.process.poll() is None
        assert "Erster Text." in page.inner_text(".reveal")
    _save(tmp_path / "talk.md", "---\ndate: 2024-02-30\n---\n" + DECK.replace("Erster", "Neuer"))
    page.wait_for_function("document.body.innerText.includes('Neuer Text.')", timeout=15_000)
    server.wait_for("talk.md:2: warning: front matter 'date': 2024-02-30 is not a date of the calendar")


def test_an_unexpected_failure_of_a_rebuild_is_an_error_line(tmp_path: Path) -> None:
    from mystdeck.preview import Outcome, Preview, WatchedDeck

    def broken(path: Path) -> Outcome:
        raise ValueError("surprise")

    preview = Preview([WatchedDeck(tmp_path / "talk.md")], tmp_path / "_build", broken)
    preview.build_all(preview.decks)
    assert preview.live.build_id == 1
    assert preview.live.errors == [f"{tmp_path / 'talk.md'}: error: internal error: ValueError: surprise"]


def test_only_the_servers_own_names_are_answered(http_server: Server) -> None:
    assert http_server.get("/talk/", host=f"localhost:{http_server.port}")[0] == 200
    assert http_server.get("/talk/", host=f"127.0.0.1:{http_server.port}")[0] == 200
    assert http_server.get("/talk/", host=f"[::1]:{http_server.port}")[0] == 200
    for other in (f"evil.example:{http_server.port}", "evil.example", f"192.168.1.20:{http_server.port}"):
        assert http_server.get("/talk/", host=other)[0] == 403, other


def test_folders_redirect_to_their_slash_and_hidden_files_are_not_served(http_server: Server) -> None:
    assert http_server.get("/talk") == (301, "/talk/")
    assert http_server.get("/talk/lib") == (301, "/talk/lib/")
    for hidden in ("/talk/.mystdeck.json", "/.cache/", "/.talk.old/index.html", "/talk/%2emystdeck.json"):
        assert http_server.get(hidden)[0] == 403, hidden


def test_idle_connections_are_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mystdeck import serve

    monkeypatch.setattr(serve._Handler, "timeout", 0.1)
    running = serve.start_server(tmp_path, "127.0.0.1", _free_port(), serve.LiveState())
    try:
        with socket.create_connection(("127.0.0.1", running.server_address[1]), timeout=10) as idle:
            idle.sendall(b"GET / HTTP/1.1\r\n")  # and then nothing more
            assert idle.recv(100) == b""  # closed by the server, long before the test's own timeout
    finally:
        serve.stop_server(running)


def test_a_deck_broken_from_the_start_inside_the_output_folder_turns_into_the_deck_on_every_address(
    tmp_path: Path, browser: Browser
) -> None:
    """One server for both: a deck broken when the server starts gets a page that turns into the deck once it
    is fixed, and a deck inside the output folder (``--out .``) is watched; ``--host 0.0.0.0`` warns."""
    (tmp_path / "talk.md").write_text("---\ntitle: [kaputt\n---\n" + DECK, encoding="utf-8")
    server = Server(tmp_path, "--out", ".", "--host", "0.0.0.0")
    try:
        assert "warning: listening on 0.0.0.0: the decks" in "".join(server.lines)
        assert server.get("/talk/") == (200, "text/html; charset=utf-8")
        assert server.get("/talk/", host=f"{socket.gethostname()}:{server.port}")[0] == 200
        assert server.get("/talk/", host=f"rebind.example:{server.port}")[0] == 403
        page = browser.new_page()
        page.goto(f"{server.url}/talk/")
        overlay = page.wait_for_selector("#mystdeck-error-overlay", timeout=15_000)
        assert overlay is not None and "talk.md:2: error: front matter" in overlay.inner_text()
        _save(tmp_path / "talk.md", DECK)
        page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=15_000)
        assert "Erster Text." in page.inner_text(".reveal")
        page.wait_for_function("window.mystdeckLiveBuild !== undefined")
        _save(tmp_path / "talk.md", DECK.replace("Erster Text.", "Geändert."))
        page.wait_for_function("document.body.innerText.includes('Geändert.')", timeout=15_000)
        assert (tmp_path / "talk.md").read_text(encoding="utf-8").count("Geändert.") == 1
        page.close()
    finally:
        server.stop()


def test_two_hundred_simultaneous_requests_are_all_answered_in_full(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from mystdeck import serve

    (tmp_path / "talk").mkdir()
    body = (".folie { color: red; }\n" * 5_000).encode("utf-8")
    (tmp_path / "talk" / "deck.css").write_bytes(body)
    running = serve.start_server(tmp_path, "127.0.0.1", _free_port(), serve.LiveState())
    port = running.server_address[1]
    start = threading.Barrier(200, timeout=30)

    def fetch(_n: int) -> tuple[int, int]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        start.wait()  # all at once
        connection.request("GET", "/talk/deck.css")
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, len(data)

    try:
        with ThreadPoolExecutor(max_workers=200) as pool:
            answers = list(pool.map(fetch, range(200), timeout=60))
    finally:
        serve.stop_server(running)
    assert answers == [(200, len(body))] * 200


def test_a_client_that_goes_away_mid_request_leaves_no_traceback(http_server: Server) -> None:
    """A tab closed or a phone out of Wi-Fi while its request is half sent: the connection is reset under
    the server's feet; the terminal shows nothing of it (checked when the server stops, below)."""
    gone = socket.create_connection(("127.0.0.1", http_server.port), timeout=5)
    gone.sendall(b"GET /talk/ HTTP/1.1\r\nHost: 127.0.0.1")  # the request line and no end
    gone.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    gone.close()  # with linger 0: a reset, not a polite close
    serving = http.client.HTTPConnection("127.0.0.1", http_server.port, timeout=10)  # and it serves on
    serving.request("GET", "/talk/")
    assert serving.getresponse().status == 200
    serving.close()


def test_ctrl_c_stops_cleanly(http_server: Server) -> None:
    """Last in this file on purpose: it stops the server the HTTP tests above shared."""
    server, tmp_path = http_server, http_server.folder
    output = server.stop()
    assert server.process.returncode == 0
    assert "stopped" in output and "Traceback" not in output
    leftovers = [p.name for p in (tmp_path / "_build").iterdir() if p.name not in ("talk", ".cache")]
    assert leftovers == []
    with pytest.raises(OSError):  # the process has ended: nothing listens on its port
        socket.create_connection(("127.0.0.1", server.port), timeout=1)
