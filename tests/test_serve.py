"""The live preview: a real server process, a real browser, real edits of the deck file."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import ROOT

DECK = "# Vortrag\n\n## Eins\n\nErster Text.\n\n## Zwei\n\n### Zwei A\n\nAlter Text.\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, folder: Path, *args: str) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "talk.md", "--serve", "--port", str(self.port), *args],
            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith("watching for changes"):
                break
        else:
            raise AssertionError("".join(self.lines))
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Content-Type") or ""

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=20)
        return "".join(self.lines) + out


@pytest.fixture
def server(tmp_path: Path, chromium: Path) -> Iterator[Server]:
    (tmp_path / "talk.md").write_text(DECK, encoding="utf-8")
    running = Server(tmp_path)
    yield running
    if running.process.poll() is None:
        running.stop()


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path)


def test_saving_reloads_the_page_on_the_same_slide(server: Server, browser: Browser, tmp_path: Path) -> None:
    page = browser.new_page()
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
    page.close()


def test_server_binds_loopback_refuses_escapes_and_types_content(server: Server) -> None:
    assert f"serving http://127.0.0.1:{server.port}/talk/" in "".join(server.lines)
    assert server.get("/talk/") == (200, "text/html; charset=utf-8")
    assert server.get("/talk/lib/reveal/reveal.js") == (200, "text/javascript; charset=utf-8")
    assert server.get("/talk/lib/reveal/reveal.css") == (200, "text/css; charset=utf-8")
    for escape in ("/talk/../../talk.md", "/%2e%2e/talk.md", "/talk/%2E%2E/%2E%2E/talk.md", "/..%2f..%2ftalk.md"):
        assert server.get(escape)[0] == 403, escape
    assert server.get("/nothing-here.txt")[0] == 404
    assert server.get("/") == (200, "text/html; charset=utf-8")  # a list of the decks
    assert _listening_addresses(server.port) == ["127.0.0.1"]


def _listening_addresses(port: int) -> list[str]:
    """The local addresses of the sockets listening on ``port``, read from the kernel's table."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hex_port = local.partition(":")
        if int(hex_port, 16) == port and state == "0A":  # 0A: listening
            found.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_ctrl_c_stops_cleanly(server: Server, tmp_path: Path) -> None:
    output = server.stop()
    assert server.process.returncode == 0
    assert "stopped" in output and "Traceback" not in output
    leftovers = [p.name for p in (tmp_path / "_build").iterdir() if p.name not in ("talk", ".cache")]
    assert leftovers == []
    time.sleep(0.2)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1)


def test_speaker_view_follows_a_rebuild(tmp_path: Path, browser: Browser) -> None:
    deck = DECK.replace("Alter Text.", "Alter Text.\n\n:::{note}\nErste Notiz.\n:::")
    (tmp_path / "talk.md").write_text(deck, encoding="utf-8")
    server = Server(tmp_path)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{server.url}/talk/#/zwei-a")
        page.wait_for_function("window.mystdeckLiveBuild !== undefined && Reveal.isReady()")
        with context.expect_page() as popup:
            page.keyboard.press("s")
        speaker = popup.value
        speaker.wait_for_function("document.body.innerText.includes('Erste Notiz.')")
        _save(tmp_path / "talk.md", deck.replace("Erste Notiz.", "Zweite Notiz."))
        speaker.wait_for_function("document.body.innerText.includes('Zweite Notiz.')", timeout=15_000)
        context.close()
    finally:
        server.stop()
