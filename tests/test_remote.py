"""--present: a phone as the remote and a follow page for the audience, each behind its own token; the deck
window stays in charge. A real server (in this process) and real pages in Chromium."""

from __future__ import annotations

import http.client
import json
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import ROOT, _main_with
from mystdeck import serve
from mystdeck.browser import HeadlessBrowser
from mystdeck.remote import RemoteState

DECK = (
    "---\ntitle: Fern\nlang: de\nduration: 20\n---\n\n## Eins\n\nText.\n\n:::{note}\nDie erste Notiz.\n:::\n\n"
    "## Zwei\n\n- [a]{.fragment}\n- [b]{.fragment}\n\n## Drei\n\nEnde.\n"
)


@pytest.fixture(scope="module")
def presenting(
    tmp_path_factory: pytest.TempPathFactory, borrowed: HeadlessBrowser
) -> Iterator[tuple[str, RemoteState]]:
    folder = tmp_path_factory.mktemp("present")
    (folder / "fern.md").write_text(DECK, encoding="utf-8")
    code, err = _main_with(borrowed, str(folder / "fern.md"), "--out", str(folder / "_build"), "--no-pdf")
    assert code == 0, err
    remote = RemoteState()
    server = serve.start_server(folder / "_build", "127.0.0.1", 0, serve.LiveState(), ["fern"], remote)
    yield f"http://127.0.0.1:{server.server_address[1]}", remote
    serve.stop_server(server)


def _status(base: str, method: str, path: str, body: bytes = b"") -> int:
    return _answer(base, method, path, body)[0]


def _answer(base: str, method: str, path: str, body: bytes = b"") -> tuple[int, str]:
    host = base.removeprefix("http://")
    connection = http.client.HTTPConnection(host.split(":")[0], int(host.split(":")[1]), timeout=10)
    connection.request(method, path, body=body or None)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def test_every_address_of_the_remote_needs_its_own_token(presenting: tuple[str, RemoteState]) -> None:
    base, remote = presenting
    for name in ("remote", "follow", "state", "commands"):
        assert _status(base, "GET", f"/__mystdeck__/{name}") == 403
        assert _status(base, "GET", f"/__mystdeck__/{name}?t=wrong") == 403
    assert _status(base, "GET", f"/__mystdeck__/follow?t={remote.remote_token}") == 403  # not the remote's
    assert _status(base, "GET", f"/__mystdeck__/commands?t={remote.remote_token}") == 403  # only the deck's
    assert _status(base, "GET", f"/__mystdeck__/remote?t={remote.remote_token}") == 200
    assert _status(base, "POST", f"/__mystdeck__/command?t={remote.follow_token}", b'{"action": "next"}') == 403
    assert _status(base, "POST", f"/__mystdeck__/command?t={remote.remote_token}", b'{"action": "rm -rf"}') == 403
    assert _status(base, "POST", f"/__mystdeck__/state?t={remote.remote_token}", b'{"title": "x"}') == 403
    assert remote.commands == [] and remote.state == {}
    # The deck page opened on this machine carries the presenter's token and the remote's address (for the
    # speaker view); the remote's and the follow page's tokens are nowhere else.
    status, page = _answer(base, "GET", "/fern/")
    assert status == 200 and f'window.mystdeckPresenter = "{remote.presenter_token}"' in page
    assert f'window.mystdeckRemote = "{base}/__mystdeck__/remote?t={remote.remote_token}"' in page
    assert remote.follow_token not in page


def _open(browser: Browser, url: str, width: int = 1280, height: int = 720) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    return page


def test_the_phone_moves_the_deck_and_the_audience_follows(
    presenting: tuple[str, RemoteState], browser: Browser, reused_page: Page
) -> None:
    base, remote = presenting
    deck = _open(browser, f"{base}/fern/#/eins")
    deck.wait_for_function("window.Reveal && Reveal.isReady() && typeof window.mystdeckPresenter === 'string'")
    phone = _open(browser, f"{base}/__mystdeck__/remote?t={remote.remote_token}", 390, 844)
    phone.wait_for_function("document.getElementById('title').textContent === 'Eins'")
    assert phone.inner_text("#notes") == "Die erste Notiz." and phone.inner_text("#number") == "Folie 2 / 4"
    assert phone.inner_text("#next") == "Weiter ▶" and phone.evaluate("document.documentElement.lang") == "de"
    box = phone.locator("#next").bounding_box()
    assert box is not None and box["height"] >= 0.2 * 844 and box["width"] >= 0.2 * 390  # large, for a thumb
    assert "/ 20:00" in phone.inner_text("#timer")  # the pacing of duration: 20
    follower = reused_page
    follower.set_viewport_size({"width": 800, "height": 450})
    follower.goto(f"{base}/__mystdeck__/follow?t={remote.follow_token}")
    follower.wait_for_function("(document.querySelector('iframe') || {}).src?.includes('receiver')")
    follower.wait_for_function("document.querySelector('iframe').contentWindow.location.href.includes('receiver')")
    audience = next(frame for frame in follower.frames if "receiver" in frame.url)
    audience.wait_for_function("window.Reveal && Reveal.isReady() && Reveal.getCurrentSlide().id === 'eins'")
    phone.click("#next")  # how fast: bench/remote_speed.py
    deck.wait_for_function("Reveal.getCurrentSlide().id === 'zwei'")
    phone.click("#next")  # the first step of "Zwei"
    deck.wait_for_function("Reveal.getIndices().f === 0")
    audience.wait_for_function("Reveal.getCurrentSlide().id === 'zwei' && Reveal.getIndices().f === 0")
    phone.wait_for_function("document.getElementById('title').textContent === 'Zwei'")
    phone.click("#blackout")
    deck.wait_for_function("Reveal.isPaused()")
    phone.wait_for_function("document.getElementById('blackout').getAttribute('aria-pressed') === 'true'")
    deck.keyboard.press("b")  # the deck window stays in charge: its own keys work as before
    deck.wait_for_function("!Reveal.isPaused()")
    deck.keyboard.press("c")  # a stroke on the deck reaches the audience too
    deck.mouse.move(300, 300)
    deck.mouse.down()
    deck.mouse.move(500, 350, steps=3)
    deck.mouse.up()
    deck.wait_for_function("window.mystdeckInk.state.strokes.length === 1")
    audience.wait_for_function("document.querySelectorAll('#zwei > svg.deck-ink path').length === 1")
    # Ten more followers at once (plain event streams, as their browsers would open them) all keep up.
    seen: list[str] = []
    opened = [threading.Event() for _ in range(10)]
    streams = [
        threading.Thread(target=_follow, args=(base, remote.follow_token, "Drei", seen, ready)) for ready in opened
    ]
    for stream in streams:
        stream.start()
    assert all(ready.wait(timeout=10) for ready in opened)  # each has the state as it is now
    deck.keyboard.press("c")
    phone.click("#next")
    phone.click("#next")  # the last step of "Zwei", then "Drei"
    for stream in streams:
        stream.join(timeout=10)
    assert seen == ["Drei"] * 10
    audience.wait_for_function("Reveal.getCurrentSlide().id === 'drei'")
    for page in (deck, phone):
        page.close()


def _follow(base: str, token: str, title: str, seen: list[str], ready: threading.Event) -> None:
    """Read the state stream like a follow page until the deck shows the slide titled ``title``."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", f"/__mystdeck__/state?t={token}")
    response = connection.getresponse()
    for raw in response:
        line = raw.decode("utf-8")
        if line.startswith("data: "):
            ready.set()
        if line.startswith("data: ") and json.loads(line[6:]).get("title") == title:
            seen.append(title)
            break
    connection.close()


def test_present_prints_the_addresses_with_their_qr_codes_and_the_warning(tmp_path: Path) -> None:
    (tmp_path / "talk.md").write_text(DECK, encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    command = [sys.executable, str(ROOT / "build.py"), "talk.md", "--present", "--host", "0.0.0.0", "--port", port]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True).start()
    out, deadline = "", time.monotonic() + 30
    try:  # it serves until stopped: the lines up to the hint to present from this machine are what counts
        while "open the deck on this machine" not in out:
            out += lines.get(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        process.terminate()  # ours, started above
        process.wait(timeout=10)
    assert "warning: listening on 0.0.0.0: the decks" in out
    assert re.search(r"remote \(open it on your phone\): http://\S+/__mystdeck__/remote\?t=[\w-]{20,}", out)
    assert re.search(r"follow page \(for the audience\): http://\S+/__mystdeck__/follow\?t=[\w-]{20,}", out)
    assert out.count("▀") > 50  # the QR codes, drawn with block characters
