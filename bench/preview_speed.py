"""Live preview speed: from saving the seed deck to the open browser showing the change.

Run: python bench/preview_speed.py   (starts the preview server on a free port, edits a copy of the
seed deck ten times, prints each latency and the median; goal in the README: under 200 ms)
"""

from __future__ import annotations

import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import PYTHON, ROOT, installed_browser
from playwright.sync_api import sync_playwright

from mystdeck.browser import LAUNCH_ARGS

EDITS = 10


def main() -> None:
    browser_path = installed_browser()
    with tempfile.TemporaryDirectory() as name, socket.socket() as probe:
        folder = Path(name)
        deck = folder / "dalle2.md"
        shutil.copyfile(ROOT / "slides" / "dalle2.md", deck)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        server = subprocess.Popen(
            [PYTHON, str(ROOT / "build.py"), "dalle2.md", "--serve", "--port", str(port)],
            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith("watching"):
                break
        original = deck.read_text(encoding="utf-8")
        latencies = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(browser_path), args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/dalle2/#/denoising-diffusion-probabilistic-models-ddpm")
            page.wait_for_function("window.mystdeckLiveBuild !== undefined && Reveal.isReady()")
            for n in range(EDITS):
                marker = f"Messpunkt {n}"
                start = time.perf_counter()
                deck.write_text(original.replace("Diffusion Modelle sind", f"{marker}: Diffusion Modelle sind"))
                page.wait_for_function(f"document.body.innerText.includes('{marker}')", timeout=20_000)
                page.wait_for_function("window.Reveal && Reveal.isReady()")
                latencies.append((time.perf_counter() - start) * 1000)
                time.sleep(0.3)
            browser.close()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    print("save → page shows the change (ms):", " ".join(f"{ms:.0f}" for ms in latencies))
    print(f"median {statistics.median(latencies):.0f} ms, worst {max(latencies):.0f} ms (goal: under 200 ms)")


if __name__ == "__main__":
    main()
