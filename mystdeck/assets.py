"""Assets stage: the images a deck shows, its static files, and the front-end files it carries."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mystdeck import fonts, lang, locate
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Asset, Deck, ImageRef
from mystdeck.store import Store

_REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def resolve_images(deck: Deck, reporter: Reporter) -> None:
    """Find every image the deck shows and note its copy into the deck; a missing file is a warning at its line."""
    deck_dir = deck.source.path.parent.resolve()
    for target, data in deck.parsed.made_files.items():
        deck.assets.append(Asset(deck.source.path.resolve(), target, data))
    copied = {asset.source for asset in deck.assets if asset.data is None}
    for use in deck.parsed.images:
        ref = deck.images.get(use.src)
        if ref is None:
            ref = deck.images[use.src] = _resolve(deck_dir, use.src)
            source = (deck_dir / use.src).resolve()
            if not ref.missing and not _REMOTE.match(use.src) and source not in copied:
                copied.add(source)
                deck.assets.append(Asset(source, ref.target))
        if use.slide is not None:  # a slide's background: the attribute gets the file's place, or goes
            if ref.missing:
                del use.slide.attrs.data[use.data_key]
                reporter.warning(use.loc, f"{use.data_key} not found: {use.src} (left out)", "image-missing")
            else:
                use.slide.attrs.data[use.data_key] = ref.target
        elif ref.missing:
            shown = "its text is shown without a link" if use.kind == "file" else "shown as a placeholder"
            reporter.warning(use.loc, f"{use.kind} not found: {use.src} ({shown})", "image-missing")


def _resolve(deck_dir: Path, src: str) -> ImageRef:
    if _REMOTE.match(src):
        return ImageRef(src, src, missing=False)
    path = (deck_dir / src).resolve()
    if not path.is_file():
        return ImageRef(src, "", missing=True)
    return ImageRef(src, _target_for(deck_dir, path), missing=False)


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

    def files(self, deck: Deck, cache: Store | None = None, cache_name: str = "") -> list[Asset]:
        reveal = self.root / "reveal.js" / "dist"
        wanted = [
            (reveal / "reset.css", "lib/reveal/reset.css"),
            (reveal / "reveal.css", "lib/reveal/reveal.css"),
            (reveal / "reveal.js", "lib/reveal/reveal.js"),
        ]
        wanted += [(reveal / "plugin" / f"{name}.js", f"lib/reveal/plugin/{name}.js") for name in plugins(deck)]
        if deck.formulas:  # typeset when built: the style sheet and the fonts used; else all of KaTeX
            katex = self.root / "katex" / "dist"
            math_fonts = deck.math_fonts
            if math_fonts is None:
                wanted.append((katex / "katex.min.js", "lib/katex/katex.min.js"))
            wanted.append((katex / "katex.min.css", "lib/katex/katex.min.css"))
            fonts = sorted((katex / "fonts").glob("*.woff2"))
            if math_fonts is not None:
                fonts = [font for font in fonts if font.name in math_fonts]
            wanted.extend((font, f"lib/katex/fonts/{font.name}") for font in fonts)
        if any(not diagram.svg and not diagram.error for diagram in deck.parsed.diagrams):
            wanted.append((self.root / "mermaid" / "dist" / "mermaid.min.js", "lib/mermaid/mermaid.min.js"))
        files = [Asset(source, target) for source, target in wanted]
        return [*files[:3], *self.theme(deck, cache, cache_name), *files[3:]]  # the theme after reveal.js' own

    def theme_css(self, name: str) -> Path:
        return self.root / "reveal.js" / "dist" / "theme" / f"{name}.css"

    def theme(self, deck: Deck, cache: Store | None = None, cache_name: str = "") -> list[Asset]:
        """The theme's style sheet and the woff2 files of the faces the deck's text uses (see ``fonts``)."""
        name = deck.source.front.theme
        css_path = self.theme_css(name)
        style_sheets = [path.read_text(encoding="utf-8") for path in locate.static_dirs(deck.source.path)
                        for path in sorted(path.glob("*.css"))]  # fmt: skip
        html = [deck.footer_html, *(slide.html for slide in deck.slides)]
        typeset = [formula.html for formula in deck.formulas if formula.html]
        usage = fonts.cached_usage(html, deck_texts(deck), style_sheets, typeset, cache, cache_name)
        if deck.source.brand is not None and deck.source.brand.typography.get("base", {}).get("family"):
            usage.styles.clear()  # the brand's font sets the text and the headings: none of the theme's is shown
        made = fonts.theme_fonts(css_path, usage)
        target = PurePosixPath(f"lib/reveal/theme/{name}.css")
        files = [Asset(css_path, str(target), made.css)]
        files += [Asset(css_path, str(target.parent / file), data) for file, data in made.files.items()]
        return files


def plugins(deck: Deck) -> list[str]:
    """The reveal.js plugins the deck carries: all of ``locate.PLUGINS`` but those its front matter switches off
    (``reveal: {zoom: false}``)."""
    reveal = deck.source.front.reveal
    return [name for name, _global, optional in locate.PLUGINS if not (optional and reveal.get(name) is False)]


def find_front_end(reporter: Reporter) -> FrontEnd:
    root = locate.FRONT_END
    if not (root / "reveal.js" / "dist" / "reveal.js").is_file():
        if locate.INSTALLED:
            raise reporter.fatal(
                SourceLoc(root / "reveal.js"),
                "this mystdeck was installed without its front-end files: install it again from a wheel built "
                "with npm at hand (see the README)",
                "frontend-missing",
            )
        raise reporter.fatal(
            SourceLoc(locate.TOOL_ROOT / "package.json"),
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


def deck_texts(deck: Deck) -> list[str]:
    """Text the deck shows besides its slides: its title lines and the words of its scripts."""
    front = deck.source.front
    return [front.title, front.subtitle, front.author, front.institute, front.date,
            *lang.prefixed_words(front.lang, "").values()]  # fmt: skip
