"""Assets stage: the images a deck shows, its static files, and the front-end files it carries."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Asset, Deck, ParseState

TOOL_ROOT = Path(__file__).resolve().parent.parent
_REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class ImageRef:
    """Where an image of the source ends up: ``target`` inside the deck, or ``missing``."""

    src: str
    target: str
    missing: bool


def register_image(state: ParseState, src: str, line: int) -> ImageRef:
    """Resolve ``src`` against the deck's folder and note the copy; warn once per missing file."""
    if _REMOTE.match(src):
        return ImageRef(src, src, missing=False)
    path = (state.path.parent / src).resolve()
    if not path.is_file():
        state.reporter.warning(state.loc(line), f"image not found: {src} (shown as a placeholder)", "image-missing")
        return ImageRef(src, "", missing=True)
    target = _target_for(state.path.parent.resolve(), path)
    if all(asset.source != path for asset in state.assets):
        state.assets.append(Asset(path, target))
    return ImageRef(src, target, missing=False)


def _target_for(deck_dir: Path, path: Path) -> str:
    try:
        return str(PurePosixPath("media", *path.relative_to(deck_dir).parts))
    except ValueError:
        digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:8]
        return f"media/{digest}-{path.name}"


@dataclass(slots=True, frozen=True)
class FrontEnd:
    """The npm packages' files a deck needs, found in ``node_modules`` of the mystdeck checkout."""

    root: Path

    def files(self, deck: Deck) -> list[Asset]:
        reveal = self.root / "reveal.js" / "dist"
        wanted = [
            (reveal / "reset.css", "lib/reveal/reset.css"),
            (reveal / "reveal.css", "lib/reveal/reveal.css"),
            (reveal / "reveal.js", "lib/reveal/reveal.js"),
            (reveal / "theme" / f"{deck.source.front.theme}.css", f"lib/reveal/theme/{deck.source.front.theme}.css"),
            (reveal / "plugin" / "notes.js", "lib/reveal/plugin/notes.js"),
        ]
        if "code" in deck.features:
            wanted.append((reveal / "plugin" / "highlight.js", "lib/reveal/plugin/highlight.js"))
            wanted.append((reveal / "plugin" / "highlight" / "monokai.css", "lib/reveal/plugin/monokai.css"))
        if "math" in deck.features:
            katex = self.root / "katex" / "dist"
            wanted.append((katex / "katex.min.js", "lib/katex/katex.min.js"))
            wanted.append((katex / "katex.min.css", "lib/katex/katex.min.css"))
            wanted.extend((font, f"lib/katex/fonts/{font.name}") for font in sorted((katex / "fonts").glob("*.woff2")))
        if any(not diagram.svg and not diagram.error for diagram in deck.diagrams):
            wanted.append((self.root / "mermaid" / "dist" / "mermaid.min.js", "lib/mermaid/mermaid.min.js"))
        return [Asset(source, target) for source, target in wanted]


def find_front_end(reporter: Reporter) -> FrontEnd:
    root = TOOL_ROOT / "node_modules"
    if not (root / "reveal.js" / "dist" / "reveal.js").is_file():
        raise reporter.fatal(
            SourceLoc(TOOL_ROOT / "package.json"),
            "reveal.js is not installed: run 'npm ci' in the mystdeck folder",
            "frontend-missing",
        )
    return FrontEnd(root)


def static_files(static_dir: Path) -> list[Asset]:
    """The project's own static/ folder, copied into every deck as it is."""
    if not static_dir.is_dir():
        return []
    return [
        Asset(path, str(PurePosixPath("static", *path.relative_to(static_dir).parts)))
        for path in sorted(static_dir.rglob("*"))
        if path.is_file()
    ]
