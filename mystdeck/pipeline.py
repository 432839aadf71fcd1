"""The pipeline: build_deck() calls the stages in order, gathering everything before it writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from mystdeck import assets, citations, diagrams, output, page, parse, render, slides, source
from mystdeck.browser import BrowserSession
from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.model import Asset, BuildResult, Deck, ParseState


@dataclass(slots=True)
class Toolkit:
    """What every deck of one build shares: the parser, templates, front-end files and the browser."""

    md: MarkdownIt
    front_end: assets.FrontEnd
    cache_dir: Path
    session: BrowserSession | None = None
    _templates: dict[tuple[Path, ...], jinja2.Environment] = field(default_factory=dict)

    def templates(self, deck_path: Path) -> jinja2.Environment:
        folders = tuple(dict.fromkeys(d / "templates" for d in _project_dirs(deck_path)))
        if folders not in self._templates:
            self._templates[folders] = page.make_environment(list(folders))
        return self._templates[folders]


def _project_dirs(deck_path: Path) -> list[Path]:
    """Where a deck's templates/ and static/ may be: beside it, one folder up, then mystdeck's own."""
    here = deck_path.resolve().parent
    return [here, here.parent, assets.TOOL_ROOT]


def make_toolkit(reporter: Reporter, cache_dir: Path, session: BrowserSession | None) -> Toolkit:
    return Toolkit(parse.create_parser(), assets.find_front_end(reporter), cache_dir, session)


def build_deck(path: Path, out_dir: Path, kit: Toolkit, reporter: Reporter) -> BuildResult:
    deck = read_deck(path, kit, reporter)
    gather_citations(deck, reporter)
    draw_diagrams(deck, kit, reporter)
    render_deck(deck, kit)
    files = deck_files(deck, kit)
    html = page.render_page(kit.templates(path), deck, files, reporter)
    if reporter.error_count:
        raise BuildError("the deck has errors")
    output.write_deck(out_dir, html, files, reporter)
    return BuildResult(path, out_dir, len(deck.slides), sum(1 for s in deck.slides if s.notes_html), deck=deck)


def read_deck(path: Path, kit: Toolkit, reporter: Reporter) -> Deck:
    src = source.read_source(path, reporter)
    state = ParseState(path, reporter, lang=src.front.lang)
    deck = slides.split_slides(parse.parse_source(kit.md, src, state), src)
    deck.cites, deck.assets, deck.diagrams, deck.features = state.cites, state.assets, state.diagrams, state.features
    if not deck.slides:
        raise reporter.fatal(SourceLoc(path, 1), "no slides: start one with '## Title'", "empty-file")
    return deck


def gather_citations(deck: Deck, reporter: Reporter) -> None:
    if not deck.cites:
        return
    front = deck.source.front
    bib = citations.load_bibliography(citations.bibliography_paths(deck.source.path, front.bibliography), reporter)
    deck.references = citations.format_references(deck, bib, reporter, front.bibliography_style)
    citations.place_references(deck)


def draw_diagrams(deck: Deck, kit: Toolkit, reporter: Reporter) -> None:
    if deck.diagrams and kit.session is not None:
        mermaid_js = kit.front_end.root / "mermaid" / "dist" / "mermaid.min.js"
        diagrams.draw_diagrams(deck.diagrams, kit.session, mermaid_js, kit.cache_dir / "diagrams", reporter)


def render_deck(deck: Deck, kit: Toolkit) -> None:
    state = ParseState(deck.source.path, Reporter(), lang=deck.source.front.lang)
    render.render_deck(kit.md, deck, state)


def deck_files(deck: Deck, kit: Toolkit) -> list[Asset]:
    """Front-end files, then mystdeck's static/ overlaid by the project's, then the images."""
    files = kit.front_end.files(deck)
    for folder in reversed(_project_dirs(deck.source.path)):
        files.extend(assets.static_files(folder / "static"))
    by_target = {asset.target: asset for asset in files + deck.assets}
    return list(by_target.values())
