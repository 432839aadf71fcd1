"""The phone remote: from a tap on "next" to the deck window showing the next slide, through the real server.

Run: python bench/remote_speed.py   (builds a deck of RUNS slides, serves it with the remote on 127.0.0.1,
opens the deck and the remote page in headless Chromium, taps "next" RUNS times; prints the median and the
slowest, measured by the deck page's own clock from the tap's moment as the remote page's clock has it)
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from common import PYTHON, ROOT, installed_browser, run
from playwright.sync_api import sync_playwright

from mystdeck import serve
from mystdeck.browser import LAUNCH_ARGS
from mystdeck.remote import RemoteState

RUNS = 20
# Each page's clock counts from its own start: both are read as the wall clock (Date.now) instead.
WATCH = "() => { window.__moved = null; Reveal.on('slidechanged', () => { window.__moved = Date.now(); }); }"


def main() -> None:
    browser_path = installed_browser()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        slides = "".join(f"## Folie {n}\n\nText {n}.\n\n" for n in range(RUNS + 2))
        (tmp / "talk.md").write_text(f"---\ntitle: Fern\n---\n\n{slides}", encoding="utf-8")
        run([PYTHON, str(ROOT / "build.py"), str(tmp / "talk.md"), "--no-pdf", "--out", str(tmp / "out")])
        remote = RemoteState()
        server = serve.start_server(tmp / "out", "127.0.0.1", 0, serve.LiveState(), ["talk"], remote)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(browser_path), args=LAUNCH_ARGS)
            deck = browser.new_page()
            deck.goto(f"{base}/talk/")
            deck.wait_for_function("window.Reveal && Reveal.isReady()")
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(f"{base}/__mystdeck__/remote?t={remote.remote_token}")
            phone.wait_for_function("document.getElementById('number').textContent !== ''")
            deck.evaluate(WATCH)
            for _ in range(RUNS):
                deck.evaluate("window.__moved = null")
                tapped = phone.evaluate("() => { document.getElementById('next').click(); return Date.now(); }")
                deck.wait_for_function("window.__moved !== null", timeout=10_000)
                times.append(deck.evaluate("window.__moved") - tapped)
            browser.close()
        serve.stop_server(server)
        print(f"remote: tap to slide median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms "
              "(goal: under 200 ms on the same network)")  # fmt: skip


if __name__ == "__main__":
    main()
