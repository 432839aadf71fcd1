"""The pipeline: build_deck() calls the stages in order, gathering everything before it writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from mystdeck import assets, bundle, citations, diagrams, output, page, parse, pdf, render, slides, source
from mystdeck.bibcache import BibCache
from mystdeck.browser import HeadlessBrowser
from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.model import Asset, BuildResult, Deck, ParseState
from mystdeck.pdf import Progress


@dataclass(slots=True)
class Toolkit:
    """What every deck of one build shares: the parser, templates, front-end files and the browser."""

    md: MarkdownIt
    front_end: assets.FrontEnd
    cache_dir: Path | None  # None: nothing cached on disk
    browser: HeadlessBrowser | None = None
    bibs: BibCache = field(default_factory=lambda: BibCache(None))
    pdf: bool = True
    pdf_notes: bool = False
    self_contained: bool = False
    check: bool = False  # measure in the browser, print nothing
    progress: Progress = field(default=lambda done, total: None)
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


def make_toolkit(reporter: Reporter, cache_dir: Path | None, browser: HeadlessBrowser | None) -> Toolkit:
    bibs = BibCache(cache_dir / "bib" if cache_dir else None)
    return Toolkit(parse.create_parser(), assets.find_front_end(reporter), cache_dir, browser, bibs=bibs)


def build_deck(path: Path, out_dir: Path, kit: Toolkit, reporter: Reporter) -> BuildResult:
    errors_before = reporter.error_count
    deck = read_deck(path, kit, reporter)
    gather_citations(deck, kit, reporter)
    draw_diagrams(deck, kit, reporter)
    render_deck(deck, kit)
    files = deck_files(deck, kit)
    html = page.render_page(kit.templates(path), deck, files, reporter)
    if reporter.error_count > errors_before:
        raise BuildError("the deck has errors")
    staging = output.stage_deck(out_dir, html, files, reporter)
    try:
        extras = make_pdfs(deck, staging, kit, reporter)
        if kit.self_contained:
            name = f"{path.stem}.html"
            (staging / name).write_text(bundle.bundle_deck(staging), encoding="utf-8")
            extras.append(name)
        if reporter.error_count > errors_before:
            raise BuildError("the deck has errors")
        output.swap_into_place(staging, out_dir)
    except BaseException:
        output.discard(staging)
        raise
    return BuildResult(deck, out_dir, extras=[out_dir / name for name in extras])


def read_deck(path: Path, kit: Toolkit, reporter: Reporter) -> Deck:
    src = source.read_source(path, reporter)
    state = ParseState(path, reporter, lang=src.front.lang)
    deck = slides.split_slides(parse.parse_source(kit.md, src, state), src)
    deck.cites, deck.assets, deck.diagrams, deck.features = state.cites, state.assets, state.diagrams, state.features
    if not deck.slides:
        raise reporter.fatal(SourceLoc(path, 1), "no slides: start one with '## Title'", "empty-file")
    return deck


def gather_citations(deck: Deck, kit: Toolkit, reporter: Reporter) -> None:
    if not deck.cites:
        return
    paths = citations.bibliography_paths(deck.source.path, deck.source.front.bibliography)
    deck.references = kit.bibs.references(deck, paths, reporter)
    citations.place_references(deck)


def draw_diagrams(deck: Deck, kit: Toolkit, reporter: Reporter) -> None:
    if not deck.diagrams or kit.browser is None or kit.cache_dir is None:
        return
    mermaid_js = kit.front_end.root / "mermaid" / "dist" / "mermaid.min.js"
    try:
        theme = diagrams.mermaid_theme(deck.source.front.theme)
        diagrams.draw_diagrams(deck.diagrams, kit.browser, mermaid_js, kit.cache_dir / "diagrams", reporter, theme)
    except Exception as exc:  # a browser that does not start or crashes: the page draws them instead
        for diagram in deck.diagrams:
            diagram.svg = diagram.error = ""
        first = deck.diagrams[0].loc
        reporter.warning(
            SourceLoc(first.path, first.line - 1),  # the diagram's opening fence
            f"the browser could not draw the diagrams ({_first_line(exc)}); the deck draws them when it opens",
            "browser-missing",
        )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


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


def make_pdfs(deck: Deck, deck_dir: Path, kit: Toolkit, reporter: Reporter) -> list[str]:
    """The audience PDF and, when asked for, the presenter copy with notes, inside ``deck_dir``."""
    if kit.browser is not None and kit.check:
        _report_overflow(deck, pdf.measure_overflow(kit.browser, deck_dir, deck), reporter)
        return []
    if not kit.pdf or kit.browser is None:
        return []
    stem = deck.source.path.stem
    wanted = [(f"{stem}.pdf", False)] + ([(f"{stem}-notes.pdf", True)] if kit.pdf_notes else [])
    for name, notes in wanted:
        try:
            result = pdf.export_pdf(kit.browser, deck_dir, deck, notes, kit.progress)
        except Exception as exc:  # Playwright and pypdf raise many kinds; each is one clear line here
            raise reporter.fatal(
                SourceLoc(deck.source.path), f"the PDF could not be made: {_first_line(exc)}", "pdf-error"
            ) from None
        (deck_dir / name).write_bytes(result.data)
        _report_overflow(deck, result.overflowing, reporter)
    return [name for name, _notes in wanted]


def _report_overflow(deck: Deck, slide_ids: list[str], reporter: Reporter) -> None:
    by_id = {slide.slide_id: slide for slide in deck.slides}
    for slide_id in slide_ids:
        slide = by_id[slide_id]
        reporter.warning(
            slide.loc,
            f"slide '{slide.title or slide_id}' does not fit its page: shorten it or split it with a '###' heading",
            "slide-overflow",
        )


def deck_inputs(deck: Deck) -> tuple[set[Path], set[Path]]:
    """What a deck is built from: its files, and the folders whose every file counts (templates, static)."""
    files = {deck.source.path.resolve(), *(asset.source for asset in deck.assets)}
    if deck.cites:
        paths = citations.bibliography_paths(deck.source.path, deck.source.front.bibliography)
        files.update(path.resolve() for path in paths)
    folders = {(d / name).resolve() for d in _project_dirs(deck.source.path) for name in ("templates", "static")}
    return files, {folder for folder in folders if folder.is_dir()}


def write_index(out_root: Path, results: list[BuildResult], kit: Toolkit, reporter: Reporter) -> None:
    """``out_root/index.html``: every deck of the build with its title, author, date, slides and PDF."""
    if not results:
        return
    entries = []
    for result in results:
        front = result.deck.source.front
        stem = result.deck.source.path.stem
        entries.append(
            {
                "title": front.title or (result.deck.slides[0].title if result.deck.slides else stem),
                "author": front.author,
                "date": front.date,
                "href": f"{stem}/index.html",
                "pdf": f"{stem}/{stem}.pdf" if (result.out_dir / f"{stem}.pdf").is_file() else "",
                "slides": result.slide_count,
            }
        )
    # The first deck's templates: a project that overrides index.html.j2 is heard here too.
    html = page.render_index(kit.templates(results[0].deck.source.path), entries, reporter)
    output.write_file(out_root / "index.html", html, reporter)
