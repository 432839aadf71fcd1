"""The large deck of the speed goals: a lecture series citing a big shared bibliography.

``make_bib`` writes a .bib of ``entries`` works whose names and journals carry LaTeX accents and
repeat as in a real field; ``make_deck`` writes ``slides`` slides, each citing two works drawn at
random from the whole .bib (2,000 slides cite about 2,790 different works of 5,000), with speaker
notes on every third slide, code on every fifth and a formula on every seventh.
Run alone to write both into a folder: python bench/bigdeck.py FOLDER [SLIDES]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

BIB_ENTRIES = 5000

SURNAMES = [
    r"M{\"u}ller",
    r"Garc{\'\i}a",
    r"Erd{\H{o}}s",
    r"{\v{C}}ech",
    r"Sch{\"o}lkopf",
    r"Nguy{\~{\^e}}n",
    r"Kowalski",
    r"Ho",
    r"Jain",
    r"Abbeel",
    r"Ramesh",
    r"Chen",
    r"Lef{\`e}vre",
    r"Ahlstr{\"o}m",
    r"{\O}stergaard",
    r"Dvo{\v{r}}{\'a}k",
    r"Gro{\ss}",
    r"Smith",
    r"Ba{\c{c}}",
    r"Pe{\~n}a",
]
GIVEN = [r"A.", r"J{\"o}rg", r"Fran{\c{c}}ois", r"Zo{\"e}", r"Ren{\'e}e", "Tim", "Li", "Mar{\\'\\i}a"]
JOURNALS = [
    r"Journal of M{\'e}thodes Num{\'e}riques",
    "Neural Computation",
    r"Zeitschrift f{\"u}r Lernen",
    "Transactions on Pattern Analysis",
    r"Acta Math{\'e}matica",
    "Proceedings of Tests",
]
LANGUAGES = ["python", "bash", "javascript"]


def make_bib(path: Path, entries: int = BIB_ENTRIES) -> None:
    rng = random.Random(7)
    parts = []
    for n in range(entries):
        authors = " and ".join(f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 5)))
        kind = "article" if n % 4 else "inproceedings"
        venue = "journal" if kind == "article" else "booktitle"
        parts.append(
            f"@{kind}{{key{n},\n  author = {{{authors}}},\n"
            f"  title = {{Study number {n} of {{Diffusion}} and the {{\\'E}}tude of $x^2$}},\n"
            f"  {venue} = {{{rng.choice(JOURNALS)}}},\n  volume = {{{n % 40}}},\n"
            f"  pages = {{1--{n % 90 + 2}}},\n  year = {{{1990 + n % 35}}},\n  doi = {{10.1000/test.{n}}}\n}}\n"
        )
    path.write_text("\n".join(parts), encoding="utf-8")


def make_deck(path: Path, slides: int, pool: int = BIB_ENTRIES, seed: int = 11, style: str = "") -> int:
    """Write the deck, citing works among the first ``pool`` of the .bib; returns how many it cites."""
    rng = random.Random(seed)
    cited: set[int] = set()
    lines = ["---", "title: Generated", "lang: de", *([f"bibliography-style: {style}"] if style else []), "---"]
    lines += ["# Generated deck", ""]
    for n in range(slides):
        first, second = rng.randrange(pool), rng.randrange(pool)
        cited.update((first, second))
        lines += [
            f"{'##' if n % 4 == 0 else '###'} Slide {n}",
            "",
            f"Text with *emphasis*, a citation {{cite}}`key{first}` and {{cite:t}}`key{second}`.",
            "",
            "- one point",
            "- another point with `code`",
            "",
        ]
        if n % 3 == 0:
            lines += [":::{note}", f"Notizen zu Folie {n}: Größe, Maß, Übung.", ":::", ""]
        if n % 5 == 0:
            language = LANGUAGES[n // 5 % len(LANGUAGES)]
            lines += [f"```{language}", f"value = {n}", "print(value * 2)", "```", ""]
        if n % 7 == 0:
            lines += ["$$", f"\\int_0^{{{n}}} x^2 \\, dx = \\frac{{{n}^3}}{{3}}", "$$", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return len(cited)


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    make_bib(folder / "references.bib")
    print(make_deck(folder / "deck.md", int(sys.argv[2]) if len(sys.argv) > 2 else 2000), "works cited")
