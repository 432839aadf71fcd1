"""PDF speed: the seed deck's PDF (browser start included), decktape on the same deck, and long decks.

Run: python bench/pdf_speed.py   (prints times and ratios from one run; goals in the README)
decktape is installed into a temporary folder with npm when it is not on PATH (its own browser download
is skipped; it drives the same Chromium). If it cannot be installed, the script says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from common import PYTHON, ROOT, installed_browser, run

from mystdeck.browser import LAUNCH_ARGS

SIZES = (125, 250, 500)


def long_deck(path: Path, slides: int) -> None:
    lines = ["---", "title: Long", "---", ""]
    for n in range(slides):
        lines += [f"{'##' if n % 5 == 0 else '###'} Slide {n}", "", f"Point {n}, with **bold** text.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


BARE_PRINT = """
import sys, time
start = time.perf_counter()
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[1], args=sys.argv[4:])
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(sys.argv[2] + "?print-pdf")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    page.pdf(path=sys.argv[3], print_background=True, prefer_css_page_size=True)
    browser.close()
print(time.perf_counter() - start)
"""


def bare_print(browser: Path, index: Path, target: Path) -> float:
    """A plain print of the built deck with Playwright and the same Chromium: import, start, open, print
    (timed inside the script: Python's own start is not part of it, as it is not of mystdeck's PDF)."""
    args = [PYTHON, "-c", BARE_PRINT, str(browser), index.as_uri(), str(target), *LAUNCH_ARGS]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, check=True)
    return float(result.stdout.split()[-1])


def decktape(tmp: Path) -> Path | None:
    found = shutil.which("decktape")
    if found:
        return Path(found)
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run(
        ["npm", "install", "--prefix", str(tmp / "dt"), "--no-audit", "--no-fund", "decktape"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    binary = tmp / "dt" / "node_modules" / ".bin" / "decktape"
    return binary if result.returncode == 0 and binary.exists() else None


def main() -> None:
    browser = installed_browser()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        out = tmp / "out"
        seed = [PYTHON, "build.py", "slides/dalle2.md", "--out", str(out)]
        run([*seed, "--no-pdf"])  # warm the diagram cache
        html_only = min(run([*seed, "--no-pdf"])[0] for _ in range(3))
        with_pdf = min(run([*seed, "--pdf"])[0] for _ in range(3))
        ours = with_pdf - html_only
        print(f"seed deck: HTML {html_only:.2f} s, HTML+PDF {with_pdf:.2f} s → PDF {ours:.2f} s (goal: about 2.5 s)")
        bare = min(bare_print(browser, out / "dalle2" / "index.html", tmp / "bare.pdf") for _ in range(3))
        print(
            f"bare Chromium print of the same deck (start, open, print): {bare:.2f} s → {ours / bare:.2f}x (goal: ≤ 2x)"
        )
        tool = decktape(tmp)
        if tool is None:
            print("decktape: could not be installed here, no comparison")
        else:
            index = (out / "dalle2" / "index.html").as_uri()
            flags = [f"--chrome-arg={flag}" for flag in ["--no-sandbox", *LAUNCH_ARGS]]
            args = [str(tool), "--chrome-path", str(browser), *flags, "reveal", index]
            theirs, _ = run([*args, str(tmp / "decktape.pdf")])
            print(f"decktape (defaults, same Chromium): {theirs:.2f} s → mystdeck is {theirs / ours:.1f}x faster")
        per_slide = []
        for size in SIZES:
            deck = tmp / f"long{size}.md"
            long_deck(deck, size)
            base = [PYTHON, str(ROOT / "build.py"), str(deck), "--out", str(out)]
            seconds = run([*base, "--pdf"])[0] - run([*base, "--no-pdf"])[0]
            per_slide.append(seconds / size)
            print(f"{size:4d} slides: PDF {seconds:.2f} s ({seconds / size * 1000:.1f} ms a slide)")
        print("goal: 500 slides under 20 s, cost growing linearly")


if __name__ == "__main__":
    main()
