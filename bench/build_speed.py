"""Build speed: the seed deck against the bare imports, and the large generated deck (HTML only).

Run: python bench/build_speed.py   (prints times from a few runs each; goals in the README)
The large deck is bigdeck.py's: 2,000 slides, two random citations a slide among 5,000 .bib entries
(about 2,760 different works cited), notes every third slide, code every fifth, a formula every seventh.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bigdeck import make_bib, make_deck
from common import ENV, PYTHON, ROOT, best_of

IMPORTS = "import jinja2, markdown_it, mdit_py_plugins, pybtex, yaml"
RUNS = 5
SLIDES = (250, 500, 1000, 2000)  # citing works of a pool of 500: the cited works stay about the same
POOLS = (500, 1000, 2000, 5000)  # 2,000 slides citing works of a larger and larger part of the .bib


def build(deck: Path, out: Path) -> tuple[float, float, float]:
    """Seconds, peak MiB of the build process and of its helper (bench/peak.py reports both)."""
    args = [PYTHON, str(ROOT / "bench" / "peak.py"), str(ROOT / "build.py"), str(deck), "--no-pdf", "--out", str(out)]
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, env=ENV)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{result.stderr}")
    _word, own, helper = result.stderr.splitlines()[-1].split()
    return seconds, float(own), float(helper)


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        floor, _ = best_of(5, [PYTHON, "-c", IMPORTS])
        seed = [PYTHON, "build.py", "slides/dalle2.md", "--no-pdf", "--out", str(tmp / "seed")]
        best_of(1, seed)  # draws the diagram, reads the .bib
        rebuild, _ = best_of(5, seed)
        ratio = rebuild / floor
        print(f"seed deck, HTML rebuild {rebuild:.3f} s, bare imports {floor:.3f} s: {ratio:.2f}x (goal: ≤ 1.8x)")

        folder = tmp / "big"
        folder.mkdir()
        make_bib(folder / "references.bib")
        deck = folder / "deck.md"
        cited = make_deck(deck, 2000)
        cold = [build(deck, tmp / f"cold{n}") for n in range(RUNS)]
        warm = [build(deck, tmp / "cold0") for _ in range(RUNS)]
        memory = max(own + helper for _s, own, helper in cold)
        print(f"2,000 slides citing {cited} works of 5,000, cold: {spread([c[0] for c in cold])}, "
              f"{max(c[1] for c in cold):.0f} MiB + helper {max(c[2] for c in cold):.0f} MiB = {memory:.0f} MiB "
              "(goal: under 3 s and 400 MiB)")  # fmt: skip
        print(f"the same, warm: {spread([w[0] for w in warm])}, {max(w[1] for w in warm):.0f} MiB (goal: under 1 s)")
        make_deck(deck, 2000, style="apa")
        csl = [build(deck, tmp / f"csl{n}") for n in range(3)]
        print(f"the same in the CSL style apa, cold: {spread([c[0] for c in csl])}, {max(c[1] for c in csl):.0f} MiB")
        make_deck(deck, 2000)

        print("linear in slides (works drawn from 500 of the .bib), cold:")
        for size in SLIDES:
            works = make_deck(deck, size, pool=500)
            seconds = statistics.median(build(deck, tmp / f"s{size}-{n}")[0] for n in range(3))
            print(f"  {size:5d} slides, {works:4d} works: {seconds:5.2f} s, {seconds / size * 1000:.2f} ms a slide")
        print("linear in cited works (2,000 slides), cold:")
        for pool in POOLS:
            works = make_deck(deck, 2000, pool=pool)
            seconds = statistics.median(build(deck, tmp / f"p{pool}-{n}")[0] for n in range(3))
            print(f"  {works:5d} works: {seconds:5.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
