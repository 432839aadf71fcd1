"""Shared helper: where a deck's templates, static files, bibliography and the front-end libraries are found.

For a deck at ``proj/slides/talk.md``: beside the deck (``proj/slides/``), one folder up (``proj/``, the
project that holds ``slides/``), then mystdeck's own folder. A project overrides single files.
"""

from __future__ import annotations

from pathlib import Path

TOOL_ROOT = Path(__file__).resolve().parent.parent
FRONT_END = TOOL_ROOT / "node_modules"


def project_dirs(deck_path: Path) -> list[Path]:
    """Where a deck's templates/ and static/ may be, first match first."""
    here = deck_path.resolve().parent
    return list(dict.fromkeys([here, here.parent, TOOL_ROOT]))


def template_dirs(deck_path: Path) -> list[Path]:
    return [folder / "templates" for folder in project_dirs(deck_path)]


def static_dirs(deck_path: Path) -> list[Path]:
    return [folder / "static" for folder in project_dirs(deck_path)]


def bibliography_paths(deck_path: Path, listed: list[Path]) -> list[Path]:
    """Front matter's ``bibliography``, else references.bib beside the deck, else the project's own."""
    if listed:
        return listed
    beside = deck_path.parent / "references.bib"
    return [beside if beside.is_file() else TOOL_ROOT / "references.bib"]
