"""Opening a deck: from the browser opening the file to reveal.js ready, in headless Chromium.

Run: python bench/open_speed.py   (builds the seed deck and a deck with code and formulas, opens each
RUNS times in a fresh page, prints the median and the slowest; also each deck's weight on disk)
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from common import PYTHON, ROOT, installed_browser, run
from playwright.sync_api import sync_playwright

from mystdeck.browser import LAUNCH_ARGS

RUNS = 20
CODE_AND_MATH = r"""---
title: Code und Formeln
lang: de
---
# Code und Formeln

## Code

```{code-block} python
:emphasize-lines: 1|2-3
import torch
x = torch.randn(4)
y = x * 2
```

## Formeln

$$q(x_t \mid x_{t-1}) = \mathcal{N}\left(x_t; \sqrt{1-\beta_t}\,x_{t-1}, \beta_t I\right)$$

Inline $\sum_{i=1}^n \alpha_i$ und $\mathbb{E}[x]$.
"""
# The moment reveal.js is ready, as the page's own clock has it (0 is when the browser began to open it).
READY_CLOCK = "document.addEventListener('ready', () => { window.__deckReady = performance.now(); }, true);"


def weight(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    browser_path = installed_browser()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        (tmp / "code.md").write_text(CODE_AND_MATH, encoding="utf-8")
        run([PYTHON, "build.py", "slides/dalle2.md", "--no-pdf", "--out", str(tmp / "out")])
        run([PYTHON, str(ROOT / "build.py"), str(tmp / "code.md"), "--no-pdf", "--out", str(tmp / "out")])
        decks = {"seed deck": tmp / "out" / "dalle2", "code and formulas": tmp / "out" / "code"}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(browser_path), args=LAUNCH_ARGS)
            for label, folder in decks.items():
                times = []
                for _ in range(RUNS):
                    page = browser.new_page(viewport={"width": 1280, "height": 720})
                    page.add_init_script(READY_CLOCK)
                    page.goto((folder / "index.html").as_uri())
                    page.wait_for_function("window.__deckReady !== undefined", timeout=10_000)
                    times.append(page.evaluate("window.__deckReady"))
                    page.close()
                print(
                    f"{label}: {weight(folder) / 1e6:.2f} MB; open to ready median {statistics.median(times):.0f} ms, "
                    f"slowest {max(times):.0f} ms (goal: median under 300 ms)"
                )
            browser.close()


if __name__ == "__main__":
    main()
