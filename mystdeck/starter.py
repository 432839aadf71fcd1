"""``mystdeck new NAME``: a starter project that builds at once and shows what a deck can do.

It writes ``slides/NAME.md`` (or, with ``--notebook``, ``slides/NAME.ipynb``), ``references.bib`` with the
work the deck cites, ``images/`` with a small picture drawn here, a ``.gitignore`` for ``_build/`` and, with
``--brand``, a ``_brand.yml`` to fill in; never
over a file that is there. The texts are in the language table (``lang.STARTER``).
"""

from __future__ import annotations

import datetime
import os
import re
import struct
import zlib
from pathlib import Path

from mystdeck.lang import BRAND_STARTER, STARTER

GITIGNORE = "_build/\n"
BIBLIOGRAPHY = """@inproceedings{hoDenoisingDiffusionProbabilistic2020,
  author = {Ho, Jonathan and Jain, Ajay and Abbeel, Pieter},
  title = {Denoising Diffusion Probabilistic Models},
  booktitle = {Advances in Neural Information Processing Systems},
  volume = {33},
  pages = {6840--6851},
  year = {2020},
}
"""
_NAME = re.compile(r"[A-Za-z0-9][\w-]*")


class StarterError(Exception):
    """The project cannot be written; the message says why and what to do."""


def default_language(environ: dict[str, str] | None = None) -> str:
    """The environment's language if mystdeck speaks it (``LANG=de_DE.UTF-8`` gives ``de``), else English."""
    environ = dict(os.environ) if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        code = environ.get(variable, "").split(":")[0].split("_")[0].split(".")[0].lower()
        if code in STARTER:
            return code
    return "en"


def write_starter(folder: Path, name: str, lang: str, notebook: bool = False, brand: bool = False) -> list[Path]:
    """Write the starter project into ``folder``; the files written, in order. ``notebook``: the deck as a
    Jupyter notebook (``slides/NAME.ipynb``), its slides as markdown cells, with a code cell and its output.
    ``brand``: also ``_brand.yml``, a corporate design to fill in (colours set, fonts and logo as comments)."""
    if not _NAME.fullmatch(name):
        raise StarterError(f"'{name}' cannot name a deck: use letters, digits, '-' and '_' (such as vortrag)")
    if lang not in STARTER:
        raise StarterError(f"no starter deck in '{lang}': use one of {', '.join(sorted(STARTER))}")
    title = name.replace("-", " ").replace("_", " ").title()
    deck = STARTER[lang].format(title=title, lang=lang, date=datetime.date.today().isoformat())
    deck_file = folder / "slides" / f"{name}{'.ipynb' if notebook else '.md'}"
    files = {
        deck_file: as_notebook(deck, lang) if notebook else deck.encode("utf-8"),
        folder / "references.bib": BIBLIOGRAPHY.encode("utf-8"),
        folder / "images" / "beispiel.png": png_bytes(480, 270),
        folder / ".gitignore": GITIGNORE.encode("utf-8"),
    }
    if brand:
        files[folder / "_brand.yml"] = BRAND_STARTER[lang].encode("utf-8")
    there = [path for path in files if path.exists()]
    if there:
        shown = ", ".join(str(path.relative_to(folder)) for path in there)
        raise StarterError(f"{shown} already there: nothing written (choose another NAME or another folder)")
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return list(files)


def as_notebook(deck: str, lang: str) -> bytes:
    """The starter deck as a notebook: its front matter as the notebook's metadata, a markdown cell for each
    slide, and after the first slide a code cell with the output it would print (stored, as Jupyter does)."""
    import nbformat

    _front, _, body = deck.removeprefix("---\n").partition("\n---\n")
    metadata: dict[str, object] = {
        "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}, "lang": lang,
    }  # fmt: skip
    title = next((line[len("title: ") :] for line in _front.split("\n") if line.startswith("title: ")), "")
    if title:
        metadata["title"] = title
    notebook = nbformat.v4.new_notebook(metadata=metadata)  # type: ignore[no-untyped-call]
    slides = [part.strip() for part in body.split("\n## ") if part.strip()]
    for number, slide in enumerate(slides):
        text = slide if number == 0 else "## " + slide
        notebook.cells.append(nbformat.v4.new_markdown_cell(text))  # type: ignore[no-untyped-call]
        if number == 1:
            code = nbformat.v4.new_code_cell("squares = [1, 4, 9, 16]\nprint(sum(squares))", execution_count=1)  # type: ignore[no-untyped-call]
            code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="30\n")]  # type: ignore[no-untyped-call]
            notebook.cells.append(code)
    written: str = nbformat.writes(notebook)  # type: ignore[no-untyped-call]
    return (written + "\n").encode("utf-8")


def png_bytes(width: int, height: int) -> bytes:
    """A colour gradient as a PNG file, drawn pixel by pixel."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (40 + x * 180 // width, 90 + y * 120 // height, 160))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
