"""Shared helper: where a deck's templates, static files, bibliography and the front-end libraries are found.

For a deck at ``proj/slides/talk.md``: beside the deck (``proj/slides/``), one folder up (``proj/``, the
project that holds ``slides/``), then mystdeck's own files. A project overrides single files.

mystdeck's own files are those of its checkout (``templates/``, ``static/``, ``node_modules/`` at the top,
also for an editable install), or, once installed from a wheel, the same folders under the package's
``data/``, where building the wheel put them. This module needs nothing but the standard library: the
wheel's build step reads ``FRONT_END_FILES`` from it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _tool_root() -> Path:
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "templates").is_dir():
        return _CHECKOUT
    return _PACKAGE / "data"


TOOL_ROOT = _tool_root()
FRONT_END = TOOL_ROOT / "node_modules"
INSTALLED = TOOL_ROOT != _CHECKOUT  # from a wheel: the front-end files came with it

#: reveal.js' plugins a deck carries: (name, the global its file defines, whether ``reveal: {name: false}``
#: may switch it off). The notes plugin makes the speaker view and is always there.
PLUGINS = (("notes", "RevealNotes", False), ("zoom", "RevealZoom", True), ("search", "RevealSearch", True))

#: Every front-end file a deck may carry (globs under node_modules/, with the libraries' licences): the
#: files the wheel bundles. Not the sources, source maps, ES modules or plugins mystdeck does not use.
FRONT_END_FILES = (
    *("reveal.js/LICENSE", "reveal.js/dist/reset.css", "reveal.js/dist/reveal.css", "reveal.js/dist/reveal.js"),
    "reveal.js/dist/theme/*.css",
    *(f"reveal.js/dist/plugin/{name}.js" for name, _global, _optional in PLUGINS),
    *("katex/LICENSE", "katex/dist/katex.min.js", "katex/dist/katex.min.css", "katex/dist/fonts/*.woff2"),
    *("mermaid/LICENSE", "mermaid/package.json", "mermaid/dist/mermaid.min.js"),  # its version keys the diagram cache
)


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


def brand_candidates(deck_path: Path) -> list[Path]:
    """Where a deck's ``_brand.yml`` is looked for when its front matter has no ``brand:``."""
    here = deck_path.resolve().parent
    return list(dict.fromkeys([here / "_brand.yml", here.parent / "_brand.yml"]))


def bibliography_candidates(deck_path: Path) -> list[Path]:
    """Where a deck's references.bib is looked for when its front matter names none."""
    here = deck_path.resolve().parent
    return list(dict.fromkeys([here / "references.bib", here.parent / "references.bib"]))
