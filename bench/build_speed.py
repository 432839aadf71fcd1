"""Build speed: the seed deck against the bare imports, and large generated decks (HTML only).

Run: python bench/build_speed.py   (prints ratios and times from one run; goals in the README)
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from common import PYTHON, ROOT, best_of

IMPORTS = "import jinja2, markdown_it, mdit_py_plugins, pybtex, yaml"
SIZES = (250, 500, 1000, 2000)
BIB_ENTRIES = 5000
CITED_POOL = 500  # the works a long lecture series cites, out of the whole .bib


def make_bib(path: Path, entries: int) -> None:
    rng = random.Random(7)
    names = ["Müller", "Smith", "Nguyen", "García", "Ho", "Jain", "Abbeel", "Ramesh", "Chen", "Kowalski"]
    parts = []
    for n in range(entries):
        authors = " and ".join(f"{rng.choice(names)}, A." for _ in range(rng.randint(1, 5)))
        parts.append(
            f"@article{{key{n},\n  author = {{{authors}}},\n  title = {{Study number {n} of {{Diffusion}}}},\n"
            f"  journal = {{Journal of Tests}},\n  volume = {{{n % 40}}},\n  pages = {{1--{n % 90 + 2}}},\n"
            f"  year = {{{1990 + n % 35}}},\n  doi = {{10.1000/test.{n}}}\n}}\n"
        )
    path.write_text("\n".join(parts), encoding="utf-8")


def make_deck(path: Path, slides: int) -> None:
    lines = ["---", "title: Generated", "lang: de", "---", "# Generated deck", ""]
    for n in range(slides):
        level = "##" if n % 4 == 0 else "###"
        lines += [
            f"{level} Slide {n}",
            "",
            f"Text with *emphasis*, a citation {{cite}}`key{(n * 37) % CITED_POOL * 10}` "
            f"and {{cite:t}}`key{n % CITED_POOL * 10 + 3}`.",
            "",
            "- one point",
            "- another point with `code`",
            "",
            ":::{note}",
            f"Notizen zu Folie {n}: Größe, Maß, Übung.",
            ":::",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        floor, _ = best_of(5, [PYTHON, "-c", IMPORTS])
        build = [PYTHON, "build.py", "slides/dalle2.md", "--no-pdf", "--out", str(out)]
        cold, _ = best_of(1, build)
        seed, seed_mem = best_of(5, build)
        print(f"seed deck, cold cache: {cold:.3f} s (draws the diagram, reads the .bib)")
        print(f"seed deck, HTML only: {seed:.3f} s, {seed_mem:.0f} MiB peak")
        print(f"bare imports:         {floor:.3f} s")
        print(f"ratio:                {seed / floor:.2f}x  (goal: at most 2.5x)")
        print()
        folder = Path(tmp) / "big"
        folder.mkdir()
        make_bib(folder / "references.bib", BIB_ENTRIES)
        per_slide = []
        for size in SIZES:
            deck = folder / f"deck{size}.md"
            make_deck(deck, size)
            fresh = Path(tmp) / f"out{size}"  # a cold cache for each size
            seconds, memory = best_of(1, [PYTHON, str(ROOT / "build.py"), str(deck), "--no-pdf", "--out", str(fresh)])
            per_slide.append(seconds / size)
            print(f"{size:5d} slides, {BIB_ENTRIES} .bib entries: {seconds:6.2f} s, {memory:5.0f} MiB peak")
        warm, warm_memory = best_of(1, [PYTHON, str(ROOT / "build.py"), str(deck), "--no-pdf", "--out", str(fresh)])
        print(f"2000 slides again, warm cache: {warm:6.2f} s, {warm_memory:5.0f} MiB peak")
        print(f"time per slide, 250 → 2000: {per_slide[0] * 1000:.2f} ms → {per_slide[-1] * 1000:.2f} ms")
        print(f"each slide cites two works; {2 * CITED_POOL} distinct works of the {BIB_ENTRIES} in the .bib")
        print("goal: 2,000 slides under 3 s and 400 MiB, time growing linearly")


if __name__ == "__main__":
    main()
