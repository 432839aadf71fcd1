"""The pipeline: build_deck() calls the stages in order, gathering everything before it writes."""

from __future__ import annotations

import errno
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import jinja2
from markdown_it import MarkdownIt

from mystdeck import assets, bundle, citations, diagrams, output, page, parse, pdf, render, slides, source
from mystdeck.bibcache import BibCache
from mystdeck.browser import HeadlessBrowser
from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.model import Asset, BuildResult, Deck, ParseState
from mystdeck.pdf import Progress
from mystdeck.store import Store, load_key


@dataclass(slots=True)
class Toolkit:
    """What every deck of one build shares: the parser, templates, front-end files and the browser."""

    md: MarkdownIt
    front_end: assets.FrontEnd
    cache_dir: Path | None  # None: nothing cached on disk
    browser: HeadlessBrowser | None = None
    bibs: BibCache = field(default_factory=BibCache)
    diagram_cache: Store = field(default_factory=lambda: Store(None, None))
    pdf: bool = True
    pdf_notes: bool = False
    self_contained: bool = False
    check: bool = False  # measure in the browser, print nothing
    progress: Progress = field(default=lambda done, total: None)
    current: tuple[Path, str, float] | None = None  # the deck and step under way, and since when
    _templates: dict[tuple[Path, ...], jinja2.Environment] = field(default_factory=dict)

    @contextmanager
    def step(self, deck_path: Path, name: str) -> Iterator[None]:
        """Mark the step under way, so a build that takes long can say where it is."""
        self.current = (deck_path, name, time.monotonic())
        try:
            yield
        finally:
            self.current = None

    def templates(self, deck_path: Path) -> jinja2.Environment:
        folders = tuple(dict.fromkeys(d / "templates" for d in _project_dirs(deck_path)))
        if folders not in self._templates:
            self._templates[folders] = page.make_environment(list(folders))
        return self._templates[folders]


def _project_dirs(deck_path: Path) -> list[Path]:
    """Where a deck's templates/ and static/ may be: beside it, one folder up, then mystdeck's own."""
    here = deck_path.resolve().parent
    return [here, here.parent, assets.TOOL_ROOT]


def make_toolkit(
    reporter: Reporter, cache_dir: Path | None, browser: HeadlessBrowser | None, write_caches: bool = True
) -> Toolkit:
    key = load_key() if cache_dir else None
    bibs = BibCache(Store(cache_dir / "bib" if cache_dir else None, key, write_caches))
    diagram_cache = Store(cache_dir / "diagrams" if cache_dir else None, key, write_caches)
    front_end = assets.find_front_end(reporter)
    return Toolkit(parse.create_parser(), front_end, cache_dir, browser, bibs=bibs, diagram_cache=diagram_cache)


def build_deck(path: Path, out_dir: Path, kit: Toolkit, reporter: Reporter) -> BuildResult:
    errors_before = reporter.error_count
    output.recover(out_dir)  # first, so that even a failing build puts back what a killed one left aside
    with kit.step(path, "reading the deck"):
        deck = read_deck(path, kit, reporter)
    with kit.step(path, "citations"):
        gather_citations(deck, kit, reporter)
    with kit.step(path, "diagrams"):
        draw_diagrams(deck, kit, reporter)
    with kit.step(path, "rendering"):
        render_deck(deck, kit)
        files = deck_files(deck, kit)
        html = page.render_page(kit.templates(path), deck, files, reporter)
    if reporter.error_count > errors_before:
        raise BuildError("the deck has errors")
    inputs = all_inputs(deck)
    output.check_target(out_dir, inputs, reporter)
    staging = output.stage_deck(out_dir, html, files, _marker(deck, []), reporter)
    try:
        with kit.step(path, "PDF"):
            written, failed = make_outputs(deck, staging, kit, reporter)
        if reporter.error_count - len(failed) > errors_before:
            raise BuildError("the deck has errors")
        kept = [name for name in failed if output.carry_over(out_dir, staging, name)]
        output.write_marker(staging, _marker(deck, written + kept))
        output.swap_into_place(staging, out_dir, inputs, reporter)
    except BaseException:
        output.discard(staging)
        raise
    return BuildResult(deck, out_dir, extras=[out_dir / name for name in written], failed=failed, kept=kept)


def _marker(deck: Deck, extras: list[str]) -> dict[str, object]:
    """What the index page lists of a deck, kept in its folder so a deck whose rebuild failed stays listed."""
    front = deck.source.front
    return {
        "title": front.title or (deck.slides[0].title if deck.slides else deck.source.path.stem),
        "author": front.author,
        "date": front.date,
        "slides": len(deck.slides),
        "files": extras,
    }


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
    if not deck.diagrams or kit.browser is None:
        return
    mermaid_js = kit.front_end.root / "mermaid" / "dist" / "mermaid.min.js"
    try:
        theme = diagrams.mermaid_theme(deck.source.front.theme)
        width = int(page.reveal_options(deck)["width"])
        diagrams.draw_diagrams(deck.diagrams, kit.browser, mermaid_js, kit.diagram_cache, reporter, theme, width)
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


def make_outputs(deck: Deck, deck_dir: Path, kit: Toolkit, reporter: Reporter) -> tuple[list[str], list[str]]:
    """The PDFs and the self-contained file inside ``deck_dir``: the names written, and those that failed.

    A failure is an error naming the deck, but it never keeps the HTML deck from being written.
    """
    if kit.browser is not None and kit.check:
        measured = pdf.measure_overflow(kit.browser, deck_dir, deck)
        _report_overflow(deck, measured.overflowing, reporter)
        _report_blocked(deck, measured.blocked, reporter)
        return [], []
    written: list[str] = []
    failed: list[str] = []
    stem = deck.source.path.stem
    wanted = [(f"{stem}.pdf", False)] + ([(f"{stem}-notes.pdf", True)] if kit.pdf_notes else [])
    for name, notes in wanted if kit.pdf and kit.browser is not None else []:
        assert kit.browser is not None
        try:
            result = pdf.export_pdf(kit.browser, deck_dir, deck, notes, kit.progress)
            (deck_dir / name).write_bytes(result.data)
        except Exception as exc:  # Playwright, pypdf and the disk raise many kinds; each is one clear line here
            _output_failed(deck, name, exc, reporter)
            failed.append(name)
            continue
        written.append(name)
        _report_overflow(deck, result.overflowing, reporter)
        _report_blocked(deck, result.blocked, reporter)
    if kit.self_contained:
        name = f"{stem}.html"
        try:
            (deck_dir / name).write_text(bundle.bundle_deck(deck_dir), encoding="utf-8")
            written.append(name)
        except OSError as exc:
            _output_failed(deck, name, exc, reporter)
            failed.append(name)
    return written, failed


def _output_failed(deck: Deck, name: str, exc: Exception, reporter: Reporter) -> None:
    reason = "the disk is full" if getattr(exc, "errno", None) == errno.ENOSPC else _first_line(exc)
    reporter.error(
        SourceLoc(deck.source.path),
        f"{name} could not be made: {reason}; the HTML deck is written, and {name} stays as the last good "
        "build left it (if there was one)",
        "pdf-error",
    )


def _report_blocked(deck: Deck, urls: list[str], reporter: Reporter) -> None:
    """Remote files the build's browser did not fetch: it stays offline, so the PDF lacks them."""
    lines = deck.source.text.split("\n")
    for url in dict.fromkeys(urls):
        line = next((number for number, text in enumerate(lines, start=1) if url in text), 0)
        reporter.warning(
            SourceLoc(deck.source.path, line),
            f"{url} is not in the PDF: the build's browser stays offline (put the file beside the deck to show it)",
            "remote-blocked",
        )


def _report_overflow(deck: Deck, slide_ids: list[str], reporter: Reporter) -> None:
    by_id = {slide.slide_id: slide for slide in deck.slides}
    for slide_id in slide_ids:
        slide = by_id[slide_id]
        reporter.warning(
            slide.loc,
            f"slide '{slide.title or slide_id}' does not fit its page: shorten it or split it with a '###' heading",
            "slide-overflow",
        )


def all_inputs(deck: Deck) -> set[Path]:
    files, folders = deck_inputs(deck)
    return files | folders


def deck_inputs(deck: Deck) -> tuple[set[Path], set[Path]]:
    """What a deck is built from: its files, and the folders whose every file counts (templates, static)."""
    files = {deck.source.path.resolve(), *(asset.source for asset in deck.assets)}
    if deck.cites:
        paths = citations.bibliography_paths(deck.source.path, deck.source.front.bibliography)
        files.update(path.resolve() for path in paths)
    folders = {(d / name).resolve() for d in _project_dirs(deck.source.path) for name in ("templates", "static")}
    return files, {folder for folder in folders if folder.is_dir()}


def write_index(out_root: Path, decks: list[Path], kit: Toolkit, reporter: Reporter) -> int:
    """``out_root/index.html``: every deck folder of the build, with its title, author, date, slides and PDF.

    A deck is listed from the marker in its folder, so one whose rebuild failed keeps its entry.
    Returns how many decks are listed.
    """
    entries = []
    for path in decks:
        stem = path.stem
        info = output.read_marker(out_root / stem)
        if info is None:
            continue
        files = [name for name in info.get("files", []) if isinstance(name, str)]
        entries.append(
            {
                "title": str(info.get("title", stem)),
                "author": str(info.get("author", "")),
                "date": str(info.get("date", "")),
                "href": f"{quote(stem)}/index.html",
                "pdf": f"{quote(stem)}/{quote(stem)}.pdf" if f"{stem}.pdf" in files else "",
                "slides": info.get("slides", 0) if isinstance(info.get("slides"), int) else 0,
            }
        )
    if not entries:
        return 0
    # The first deck's templates: a project that overrides index.html.j2 is heard here too.
    html = page.render_index(kit.templates(decks[0]), entries, reporter)
    output.write_file(out_root / "index.html", html, reporter)
    return len(entries)
