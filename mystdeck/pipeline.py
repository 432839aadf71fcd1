"""The pipeline: build_deck() calls the stages in order, gathering everything before it writes.

``Options`` are what the command line asked for (frozen); ``Resources`` are what the decks of one build
share (the parser, the caches, the browser, the templates). A build writes the HTML deck, then each
file of the list ``OUTPUTS`` that the options ask for.
"""

from __future__ import annotations

import errno
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import jinja2
from markdown_it import MarkdownIt

from mystdeck import (
    assets,
    bibliography,
    bundle,
    diagrams,
    drawings,
    execute,
    formulas,
    frames,
    highlight,
    images,
    locate,
    outline,
    output,
    page,
    parse,
    pdf,
    render,
    slides,
    source,
    xrefs,
)
from mystdeck.bibcache import BibMemo
from mystdeck.browser import HeadlessBrowser
from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.helper import Helper
from mystdeck.lang import words
from mystdeck.model import Asset, Brand, BuildResult, Deck, Formula, Source
from mystdeck.pdf import Progress
from mystdeck.store import Store, load_key, private_folder


@dataclass(slots=True, frozen=True)
class Options:
    """What the command line asked for; the same for every deck of a build."""

    pdf: bool = True
    pdf_notes: bool = False
    pdf_fragments: bool = False  # a page per step of the step-by-step reveals
    pdf_handout: int = 0  # the audience handout's slides to a page (2, 3, 4 or 6); 0: none
    self_contained: bool = False
    check: bool = False  # measure in the browser, write nothing
    drawings: Path | None = None  # strokes drawn in the deck (its D key): the annotated audience PDF
    png: bool = False  # each slide as a picture, and the first as the deck's preview
    pptx: bool = False  # a PowerPoint file of those pictures, with titles and notes


@dataclass(slots=True)
class Resources:
    """What every deck of one build shares: the parser, front-end files, caches, the browser, templates."""

    md: MarkdownIt
    front_end: assets.FrontEnd
    browser: HeadlessBrowser | None = None
    bibs: BibMemo = field(default_factory=BibMemo)
    diagram_cache: Store = field(default_factory=lambda: Store(None, None))
    code_cache: Store = field(default_factory=lambda: Store(None, None))
    math_cache: Store = field(default_factory=lambda: Store(None, None))
    font_cache: Store = field(default_factory=lambda: Store(None, None))
    progress: Progress = field(default=lambda done, total: None)
    current: tuple[Path, str, float] | None = None  # the deck and step under way, and since when
    compiled_templates: Path | None = None  # where Jinja keeps compiled templates between runs
    typeset_math: bool = True  # False: formulas are left to the deck, which typesets them when it opens
    execute: bool = False  # --execute: run every deck's code cells, as 'execute: true' asks for one
    execute_cache: Store = field(default_factory=lambda: Store(None, None))
    _templates: dict[tuple[Path, ...], jinja2.Environment] = field(default_factory=dict)

    def templates(self, deck_path: Path) -> jinja2.Environment:
        folders = tuple(locate.template_dirs(deck_path))
        if folders not in self._templates:
            self._templates[folders] = page.make_environment(list(folders), self.compiled_templates)
        return self._templates[folders]

    @contextmanager
    def step(self, deck_path: Path, name: str) -> Iterator[None]:
        """Mark the step under way, so a build that takes long can say where it is."""
        self.current = (deck_path, name, time.monotonic())
        try:
            yield
        finally:
            self.current = None


def make_resources(
    reporter: Reporter, cache_dir: Path | None, browser: HeadlessBrowser | None, write_caches: bool = True
) -> Resources:
    key = load_key() if cache_dir else None
    bibs = BibMemo(Store(cache_dir / "bib" if cache_dir else None, key, write_caches))
    diagram_cache = Store(cache_dir / "diagrams" if cache_dir else None, key, write_caches)
    code_cache = Store(cache_dir / "code" if cache_dir else None, key, write_caches)
    math_cache = Store(cache_dir / "math" if cache_dir else None, key, write_caches)
    font_cache = Store(cache_dir / "fonts" if cache_dir else None, key, write_caches)
    execute_cache = Store(cache_dir / "execute" if cache_dir else None, key, write_caches)
    front_end = assets.find_front_end(reporter)
    compiled = private_folder("templates") if cache_dir else None
    return Resources(
        parse.create_parser(),
        front_end,
        browser,
        bibs=bibs,
        diagram_cache=diagram_cache,
        code_cache=code_cache,
        math_cache=math_cache,
        font_cache=font_cache,
        compiled_templates=compiled,
        execute_cache=execute_cache,
    )


@dataclass(slots=True, frozen=True)
class Job:
    """One deck being written: what an output needs to make its file."""

    deck: Deck
    folder: Path  # the staging folder, complete with the HTML deck once it is written
    opts: Options
    res: Resources
    reporter: Reporter
    printed: dict[str, list[list[str]]] = field(default_factory=dict)  # a PDF's layout → the slides on its pages
    pictures: list[images.Picture] = field(default_factory=list)  # the slides as PNG, once taken


@dataclass(slots=True, frozen=True)
class Output:
    """One file a build may write beside the HTML deck, named ``<stem><suffix>``. ``make`` returns its
    bytes; the file is written under a temporary name and renamed when complete. An output may fail
    without keeping the others from being written: the last good build's file is then kept."""

    suffix: str
    wanted: Callable[[Options, Resources], bool]
    make: Callable[[Job], bytes | dict[str, bytes]]  # a file, or a folder's files by name

    def name(self, stem: str) -> str:
        return stem + self.suffix


def _pdf_maker(layout: Callable[[Options], str]) -> Callable[[Job], bytes]:
    """A PDF in the layout the options ask for ("slides", "notes", "3", …)."""

    def make(job: Job) -> bytes:
        assert job.res.browser is not None
        shape = layout(job.opts)
        steps = job.opts.pdf_fragments and shape == "slides"
        result = pdf.export_pdf(job.res.browser, job.folder, job.deck, shape, job.res.progress, steps)
        job.printed[shape] = result.pages
        _report_overflow(job.deck, result.overflowing, job.reporter)
        _report_blocked(job.deck, result.blocked, job.reporter)
        return result.data

    return make


def _annotated(job: Job) -> bytes:
    """The audience PDF just made, with the strokes of the drawings file drawn on its pages."""
    assert job.opts.drawings is not None
    audience = job.folder / AUDIENCE_PDF.name(job.deck.source.path.stem)
    if "slides" not in job.printed or not audience.is_file():
        raise RuntimeError("it is drawn on the audience PDF, which could not be made")
    strokes = drawings.read_drawings(job.opts.drawings, job.reporter)
    if strokes is None:
        raise RuntimeError(f"{job.opts.drawings.name} cannot be read (see above)")
    reveal = page.reveal_options(job.deck)
    frame = drawings.Frame(int(reveal["width"]), int(reveal["height"]), float(reveal["margin"]))
    return drawings.annotate(audience.read_bytes(), job.printed["slides"], strokes, frame, job.deck,
                             job.opts.drawings, job.reporter)  # fmt: skip


def _pictures(job: Job) -> list[images.Picture]:
    """The printed slides as pictures, taken once for the outputs that use them."""
    if not job.pictures:
        assert job.res.browser is not None
        job.pictures.extend(images.slide_pictures(job.res.browser, job.folder, job.deck))
    return job.pictures


def _png_folder(job: Job) -> dict[str, bytes]:
    pictures = _pictures(job)
    digits = max(2, len(str(len(pictures))))
    return {f"{number:0{digits}d}.png": picture.png for number, picture in enumerate(pictures, start=1)}


def _preview(job: Job) -> bytes:
    pictures = _pictures(job)
    if not pictures:
        raise RuntimeError("the deck printed no slide")
    return pictures[0].png


def _pptx(job: Job) -> bytes:
    return images.pptx_bytes(_pictures(job), job.deck)


def _self_contained(job: Job) -> bytes:
    return bundle.bundle_deck(job.folder).encode("utf-8")


AUDIENCE_PDF = Output(".pdf", lambda o, r: o.pdf and r.browser is not None, _pdf_maker(lambda o: "slides"))
OUTPUTS: list[Output] = [
    AUDIENCE_PDF,
    Output("-notes.pdf", lambda o, r: o.pdf and o.pdf_notes and r.browser is not None, _pdf_maker(lambda o: "notes")),
    Output(
        "-handout.pdf",
        lambda o, r: o.pdf and bool(o.pdf_handout) and r.browser is not None,
        _pdf_maker(lambda o: str(o.pdf_handout)),
    ),
    Output("-annotated.pdf", lambda o, r: o.pdf and o.drawings is not None and r.browser is not None, _annotated),
    Output("-png", lambda o, r: o.png and r.browser is not None, _png_folder),
    Output("-preview.png", lambda o, r: o.png and r.browser is not None, _preview),
    Output(".pptx", lambda o, r: o.pptx and r.browser is not None, _pptx),
    Output(".html", lambda opts, res: opts.self_contained, _self_contained),
]


def build_deck(path: Path, out_dir: Path, opts: Options, res: Resources, reporter: Reporter) -> BuildResult:
    """Prepare the deck, write its HTML deck and the files the options ask for into a staging folder,
    and swap that into place (``--check`` measures the slides in the browser instead, writing nothing)."""
    errors_before = reporter.error_count
    output.recover(out_dir)  # first, so that even a failing build puts back what a killed one left aside
    deck = prepare_deck(path, res, reporter)
    inputs = all_inputs(deck)
    output.check_target(out_dir, inputs, reporter)  # before the page's files are gathered (and cached)
    with res.step(path, "page"):
        files = deck_files(deck, res)
        html = page.render_page(res.templates(path), deck, files, reporter)
    if reporter.error_count > errors_before:
        raise BuildError("the deck has errors")
    staging = output.make_staging(out_dir, reporter)
    try:
        output.write_deck(staging, html, files, out_dir, reporter)
        if any(frames.SPLIT in slide.attrs.data for slide in deck.slides):
            with res.step(path, "cutting long slides"):
                _cut_long_slides(deck, staging, files, res, reporter)
        job = Job(deck, staging, opts, res, reporter)
        if opts.check:
            _measure(job)
            output.discard(staging)
            return BuildResult(deck, out_dir)
        written, failed = _run_outputs(job)
        if reporter.error_count - len(failed) > errors_before:
            raise BuildError("the deck has errors")
        kept = [name for name in failed if output.carry_over(out_dir, staging, name)]
        output.write_marker(staging, _marker(deck, written + kept))
        output.swap_into_place(staging, out_dir, inputs, reporter)
    except BaseException:
        output.discard(staging)
        raise
    return BuildResult(deck, out_dir, extras=[out_dir / name for name in written])


def prepare_deck(path: Path, res: Resources, reporter: Reporter) -> Deck:
    """The deck read, parsed and rendered: every slide's HTML, ready for the page. Whatever can run
    beside something else does: the helper process reads a large .bib while the deck is parsed, and
    Node.js typesets the formulas while the citations are gathered."""
    with Helper(bibliography.HELPER_WORK) as helper:
        with res.step(path, "reading the deck"):
            src = source.read_source(path, reporter)
            if src.front.execute or res.execute:
                with res.step(path, "running the code cells"):
                    cells = parse.code_cells(res.md, src)
                    src.outputs = execute.execute_cells(src, cells, res.execute_cache, _cache_name(path), reporter)
            bibliography.read_ahead(locate.bibliography_paths(src.path, src.front.bibliography), res.bibs, helper)
            deck = read_deck(path, res, reporter, src)
        with res.step(path, "code"):
            highlight_code(deck, res, reporter)
        ahead = typeset_ahead(deck, res)
        with res.step(path, "citations"):
            gather_citations(deck, res, reporter, helper)
        outline.find_sections(deck, reporter)
    with res.step(path, "diagrams"):
        draw_diagrams(deck, res, reporter)
    with res.step(path, "formulas"):
        typeset_formulas(deck, res, ahead, reporter)
    with res.step(path, "rendering"):
        frames.mark(deck)
        render_deck(deck, res, reporter)
    return deck


CUT_ROUNDS = 3  # measure, cut, measure the parts again: a part may still be too long (a longer title)


def _cut_long_slides(deck: Deck, folder: Path, files: list[Asset], res: Resources, reporter: Reporter) -> None:
    """Slides that may be cut (``overflow: split``) and do not fit their page continue on follow-up slides,
    where the browser measured them; then the page is written again."""
    first = next(slide for slide in deck.slides if frames.SPLIT in slide.attrs.data)
    if res.browser is None:
        reporter.warning(first.loc, "no browser to measure the slides: long slides are not cut (install Chromium)",
                         "browser-missing")  # fmt: skip
        return
    browser = res.browser
    for _ in range(CUT_ROUNDS):
        try:
            cuts = pdf.measure_cuts(browser, folder, deck)
        except Exception as exc:  # Playwright raises many kinds; the slides stay as they are
            reporter.warning(first.loc, f"the browser could not measure the slides ({_first_line(exc)}): long "
                             "slides are not cut", "browser-missing")  # fmt: skip
            break
        if not cuts:
            break
        frames.split(deck, cuts)
        if not frames.mark_again(deck):
            break
        _write_page(deck, folder, files, res, reporter)
    frames.unmark(deck)
    _write_page(deck, folder, files, res, reporter)
    try:
        factors = pdf.measure_shrink(browser, folder, deck)
    except Exception:  # Playwright raises many kinds; a part still too tall is reported with the PDF
        return
    if frames.shrink(deck, factors):
        _write_page(deck, folder, files, res, reporter)


def _write_page(deck: Deck, folder: Path, files: list[Asset], res: Resources, reporter: Reporter) -> None:
    render_deck(deck, res, reporter)
    html = page.render_page(res.templates(deck.source.path), deck, files, reporter)
    output.write_output(folder / "index.html", html.encode("utf-8"))


def _measure(job: Job) -> None:
    """``--check``: how the slides fit their pages, measured in the browser (when there is one)."""
    if job.res.browser is None:
        return
    try:
        measured = pdf.measure_overflow(job.res.browser, job.folder, job.deck)
    except Exception as exc:  # Playwright raises many kinds; each is one clear line
        reason = _first_line(exc)
        message = f"the browser could not measure the slides: {reason}"
        job.reporter.error(SourceLoc(job.deck.source.path), message, "pdf-error")
        return
    _report_overflow(job.deck, measured.overflowing, job.reporter)
    _report_blocked(job.deck, measured.blocked, job.reporter)


def _run_outputs(job: Job) -> tuple[list[str], list[str]]:
    """Make every wanted output: the names written, and the names of those that failed."""
    written: list[str] = []
    failed: list[str] = []
    stem = job.deck.source.path.stem
    for entry in OUTPUTS:
        if not entry.wanted(job.opts, job.res):
            continue
        name = entry.name(stem)
        with job.res.step(job.deck.source.path, name):
            try:
                made = entry.make(job)
                if isinstance(made, dict):
                    for file_name, data in made.items():
                        output.write_output(job.folder / name / file_name, data)
                else:
                    output.write_output(job.folder / name, made)
            except Exception as exc:  # Playwright, pypdf and the disk raise many kinds; each is one clear line
                if isinstance(exc, BuildError):
                    raise
                _output_failed(job.deck, name, exc, job.reporter)
                failed.append(name)
                continue
        written.append(name)
    return written, failed


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


def read_deck(path: Path, res: Resources, reporter: Reporter, src: Source | None = None) -> Deck:
    """The deck parsed and split into slides, its cross-references resolved and its images found."""
    src = src or source.read_source(path, reporter)
    read_brand(src, res, reporter)
    deck = slides.split_slides(parse.parse_deck(res.md, src, reporter), src, reporter)
    xrefs.resolve_references(deck, reporter)
    if not deck.slides:
        raise reporter.fatal(SourceLoc(path, 1), "no slides: start one with '## Title'", "empty-file")
    assets.resolve_images(deck, reporter)
    return deck


def read_brand(src: Source, res: Resources, reporter: Reporter) -> None:
    """The deck's corporate design, its colours checked against the theme's; its logo unless the deck has one.
    (The brand stage is imported only for a deck that has one.)"""
    if src.front.brand is None and not any(path.is_file() for path in locate.brand_candidates(src.path)):
        return
    from mystdeck import brand

    found = src.brand = brand.find_brand(src, reporter)
    if found is None:
        return
    brand.check_contrast(found, _theme_colors(src, res), reporter)
    if found.logo and not src.front.logo:
        src.front.logo = found.logo


def _theme_colors(src: Source, res: Resources) -> dict[str, str]:
    from mystdeck import brand

    return brand.theme_colors(res.front_end.theme_css(src.front.theme).read_text(encoding="utf-8"))


def gather_citations(deck: Deck, res: Resources, reporter: Reporter, helper: Helper | None = None) -> None:
    cites = deck.parsed.cites
    if not cites:
        return
    paths = locate.bibliography_paths(deck.source.path, deck.source.front.bibliography)
    if not paths:
        searched = " and ".join(str(SourceLoc(path)) for path in locate.bibliography_candidates(deck.source.path))
        reporter.warning(
            cites[0].loc,
            f"the deck cites, but there is no bibliography (looked for {searched}): put a references.bib there "
            "or name one with 'bibliography:' in the front matter",
            "bib-missing",
        )
        return
    helper = helper or Helper(wanted=False)
    deck.references = bibliography.gather_references(deck, paths, reporter, res.bibs, helper)
    for ref in deck.references.values():
        if ref.math:  # $…$ in a title: typeset like the deck's own formulas
            deck.reference_math[ref.key] = [Formula(tex, False) for tex in ref.math]
    title = words(deck.source.front.lang, "references")
    slides.add_reference_slides(deck, list(deck.references.values()), title)


def highlight_code(deck: Deck, res: Resources, reporter: Reporter) -> None:
    deck.code_css = highlight.highlight_code(deck.parsed.code, res.code_cache, _cache_name(deck), reporter)


def typeset_ahead(deck: Deck, res: Resources) -> formulas.Ahead | None:
    """Start Node.js on the formulas the cache lacks; ``typeset_formulas`` takes its answer."""
    if not deck.parsed.formulas or not res.typeset_math:
        return None
    macros = deck.source.front.math_macros
    found = deck.parsed.formulas + list(formulas.macro_probes(macros).values())
    return formulas.typeset_ahead(found, _katex(res), res.math_cache, _cache_name(deck), macros)


def typeset_formulas(deck: Deck, res: Resources, ahead: formulas.Ahead | None, reporter: Reporter) -> None:
    """Every formula of the deck, those in its references' titles too (which the early start did not know);
    a macro of the front matter that KaTeX cannot read is a warning at its line."""
    if not deck.formulas or not res.typeset_math:
        return
    macros = deck.source.front.math_macros
    probes = formulas.macro_probes(macros)
    ahead = ahead or formulas.typeset_ahead([], _katex(res), res.math_cache, _cache_name(deck), macros)
    formulas.typeset_formulas(deck.formulas + list(probes.values()), _katex(res), res.math_cache,
                              _cache_name(deck), ahead)  # fmt: skip
    front = deck.source.front
    for name, probe in probes.items():
        said = formulas.complaint(probe)
        if said:
            line = front.lines.get(f"math.{name}") or front.lines.get(f"math.{name[1:]}") or front.lines.get("math", 0)
            message = f"front matter 'math': KaTeX cannot read the macro {name}: {said}; fix its definition"
            reporter.warning(SourceLoc(deck.source.path, line), message, "bad-front-matter")


def _katex(res: Resources) -> Path:
    return res.front_end.root / "katex" / "dist"


def _cache_name(deck: Deck | Path) -> str:
    """A deck's own file in a cache folder, named by where the deck is."""
    path = deck if isinstance(deck, Path) else deck.source.path
    return hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:24] + ".json"


def draw_diagrams(deck: Deck, res: Resources, reporter: Reporter) -> None:
    diagrams_found = deck.parsed.diagrams
    if not diagrams_found or res.browser is None:
        return
    mermaid_js = res.front_end.root / "mermaid" / "dist" / "mermaid.min.js"
    try:
        theme = diagrams.mermaid_theme(deck.source.front.theme, Brand.background_of(deck.source.brand))
        width = int(page.reveal_options(deck)["width"])
        diagrams.draw_diagrams(diagrams_found, res.browser, mermaid_js, res.diagram_cache, reporter, theme, width)
    except Exception as exc:  # a browser that does not start or crashes: the page draws them instead
        for diagram in diagrams_found:
            diagram.svg = diagram.error = ""
        first = diagrams_found[0].loc
        reporter.warning(
            SourceLoc(first.path, first.line - 1),  # the diagram's opening fence
            f"the browser could not draw the diagrams ({_first_line(exc)}); the deck draws them when it opens",
            "browser-missing",
        )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def render_deck(deck: Deck, res: Resources, reporter: Reporter) -> None:
    templates = res.templates(deck.source.path)
    outline.place_slides(deck)
    agenda = page.agenda(templates, deck, reporter)
    render.render_deck(res.md, deck, page.reference_list(templates, reporter), agenda, reporter)


def deck_files(deck: Deck, res: Resources) -> list[Asset]:
    """Front-end files, then mystdeck's static/ overlaid by the project's, then the images."""
    files = res.front_end.files(deck, res.font_cache, _cache_name(deck))
    for folder in reversed(locate.static_dirs(deck.source.path)):
        files.extend(assets.static_files(folder))
    if deck.source.brand is not None:  # last: the brand's style sheet overrides the theme's and mystdeck's
        from mystdeck import brand

        found = deck.source.brand
        files += [Asset(font.path, brand.font_target(font, index)) for index, font in enumerate(found.fonts)]
        css = brand.brand_css(found, _theme_colors(deck.source, res))
        files.append(Asset(found.path, brand.STYLE_SHEET, css.encode("utf-8")))
    by_target = {asset.target: asset for asset in files + deck.assets}
    return list(by_target.values())


def _output_failed(deck: Deck, name: str, exc: Exception, reporter: Reporter) -> None:
    reason = "the disk is full" if getattr(exc, "errno", None) == errno.ENOSPC else _first_line(exc)
    reporter.error(
        SourceLoc(deck.source.path),
        f"{name} could not be made: {reason}; the HTML deck is written, and {name} stays as the last good "
        "build left it (if there was one)",
        "pdf-error",
    )


def _report_overflow(deck: Deck, slide_ids: list[str], reporter: Reporter) -> None:
    by_id = {slide.slide_id: slide for slide in deck.slides}
    said: set[tuple[SourceLoc, str]] = set()
    for slide_id in slide_ids:
        slide = by_id[slide_id]
        title = slide.title or slide_id
        if (slide.loc, title) in said:  # the follow-up slides of one long slide: said once
            continue
        said.add((slide.loc, title))
        hint = (
            "a block of it is taller than a page: shorten it"
            if frames.CUT in slide.attrs.data
            else (
                "shorten it, split it with a '###' heading, or let it continue on follow-up slides with "
                "'overflow: split' in the front matter"
            )
        )
        reporter.warning(slide.loc, f"slide '{title}' does not fit its page: {hint}", "slide-overflow")


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


def all_inputs(deck: Deck) -> set[Path]:
    files, folders = deck_inputs(deck)
    return files | folders


def deck_inputs(deck: Deck) -> tuple[set[Path], set[Path]]:
    """What a deck is built from: its files, and the folders whose every file counts (templates, static)."""
    files = {deck.source.path.resolve(), *(asset.source for asset in deck.assets), *deck.parsed.includes}
    if deck.source.brand is not None:
        files.add(deck.source.brand.path.resolve())
        files.update(font.path for font in deck.source.brand.fonts)
    if deck.parsed.cites:
        paths = locate.bibliography_paths(deck.source.path, deck.source.front.bibliography)
        files.update(path.resolve() for path in paths)
    folders = {f.resolve() for f in locate.template_dirs(deck.source.path) + locate.static_dirs(deck.source.path)}
    return files, {folder for folder in folders if folder.is_dir()}


def write_index(out_root: Path, decks: list[Path], res: Resources, reporter: Reporter) -> int:
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
                "pdf": f"{quote(stem)}/{quote(AUDIENCE_PDF.name(stem))}" if AUDIENCE_PDF.name(stem) in files else "",
                "slides": info.get("slides", 0) if isinstance(info.get("slides"), int) else 0,
            }
        )
    if not entries:
        return 0
    # The first deck's templates: a project that overrides index.html.j2 is heard here too.
    html = page.render_index(res.templates(decks[0]), entries, reporter)
    output.write_file(out_root / "index.html", html, reporter)
    return len(entries)
