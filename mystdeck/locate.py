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
    """Front matter's ``bibliography``, else references.bib beside the deck, else one folder up (the project
    that holds ``slides/``); never mystdeck's own. Empty when there is none."""
    if listed:
        return listed
    return [path for path in bibliography_candidates(deck_path) if path.is_file()][:1]


def bibliography_candidates(deck_path: Path) -> list[Path]:
    """Where a deck's references.bib is looked for when its front matter names none."""
    here = deck_path.resolve().parent
    return list(dict.fromkeys([here / "references.bib", here.parent / "references.bib"]))
