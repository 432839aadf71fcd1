"""PDF stage: a written deck folder in, a PDF out: the audience's slides, the presenter's notes handout, or
the audience's handout with several slides to a page.

reveal.js lays the deck out for print (``?print-pdf``): one page per slide with every fragment shown.
For the handouts, the deck's own script then places those slide pages on A4 paper with the notes or
lines for notes (``&handout=notes`` or ``&handout=3``). Chromium prints it in one piece, so text stays
text, links stay links and the structure tags stay; pypdf adds the outline, metadata and language.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mystdeck.browser import HeadlessBrowser
from mystdeck.lang import words
from mystdeck.model import Deck
from mystdeck.page import reveal_options

if TYPE_CHECKING:
    from pypdf import PdfWriter

Progress = Callable[[int, int], None]
HANDOUT_SIZES = (2, 3, 4, 6)  # slides to an A4 page in the audience handout

# The slides on each printed page: a slide's .pdf-page, or a handout page with its slides.
_PAGES = """() => {
  const handout = document.querySelectorAll('.deck-handout-page');
  if (handout.length) return Array.from(handout).map((page) => (page.dataset.slides || '').split(' '));
  return Array.from(document.querySelectorAll('.pdf-page')).map((page) => {
    const slide = page.querySelector('section[id]');
    return slide ? [slide.id] : [''];
  });
}"""
_OVERFLOWING = """(height) => {
  const scale = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--deck-print-scale')) || 1;
  return Array.from(document.querySelectorAll('.pdf-page > section[id]'))
    .filter((slide) => !slide.querySelector('section') && slide.scrollHeight * scale > height + 2)
    .map((slide) => slide.id);
}"""
# Where each slide that may be cut should be: before which of its units a follow-up slide starts, so that
# every part fits below the title on the screen's slide (1280 by 720 px; the printed page, scaled to its margins,
# has a little more room), a block taller than that staying whole.
_CUTS = """(height) => {
  const scale = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--deck-print-scale')) || 1;
  const cuts = {};
  let top = 0;
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return [(r.top - top) / scale, (r.bottom - top) / scale];
  };
  const splits = (el) => el.matches('[data-deck-parts]') || el.querySelector(':scope > .deck-part') !== null;
  // The places to cut, as frames.units counts them: a list or box marked as one that may be cut is its
  // items or inner blocks, the first starting where it starts, the last ending where it ends.
  const add = (el, found) => {
    if (!splits(el)) { found.push(box(el)); return; }
    const first = found.length;
    const parts = el.querySelectorAll(el.matches('[data-deck-parts]') ? ':scope > li' : ':scope > .deck-part');
    for (const part of parts) {
      const only = part.classList.contains('deck-part') && part.children.length === 1 ? part.firstElementChild : null;
      if (only && splits(only)) add(only, found); else found.push(box(part));
    }
    const whole = box(el);
    found[first] = [whole[0], found[first][1]];
    found[found.length - 1] = [found[found.length - 1][0], Math.max(found[found.length - 1][1], whole[1])];
  };
  for (const slide of document.querySelectorAll('.pdf-page > section[data-deck-split]')) {
    if (slide.scrollHeight <= height + 2) continue;
    top = slide.getBoundingClientRect().top;
    const blocks = [];
    for (const wrapper of slide.querySelectorAll(':scope > .deck-block, :scope > .deck-center > .deck-block')) {
      const only = wrapper.children.length === 1 ? wrapper.firstElementChild : null;
      add(only && splits(only) ? only : wrapper, blocks);
    }
    if (blocks.length < 2) continue;
    const room = height - blocks[0][0] - 4;
    const found = [];
    let start = blocks[0][0];
    blocks.forEach(([blockTop, blockBottom], index) => {
      if (index > 0 && blockBottom - start > room) { found.push(index); start = blockTop; }
    });
    if (found.length) cuts[slide.id] = found;
  }
  return cuts;
}"""
# How much the blocks of each cut slide that still does not fit would have to shrink to fit below its title.
_SHRINK = """(height) => {
  const scale = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--deck-print-scale')) || 1;
  const found = {};
  for (const slide of document.querySelectorAll('.pdf-page > section[data-deck-cut]')) {
    if (slide.scrollHeight <= height + 2) continue;
    const top = slide.getBoundingClientRect().top;
    const blocks = Array.from(slide.children).filter((el) => !/^H[1-6]$/.test(el.tagName)
      && !el.matches('.deck-navbar, .deck-footer, .deck-logo, aside.notes'));
    if (!blocks.length) continue;
    const first = (blocks[0].getBoundingClientRect().top - top) / scale;
    const last = Math.max(...blocks.map((el) => el.getBoundingClientRect().bottom - top)) / scale;
    found[slide.id] = (height - first - 8) / (last - first);
  }
  return found;
}"""
# Before printing, what a screen reader of the PDF should find: Chromium tags only what the accessibility tree
# shows, so the slides reveal.js hides from it (every one but the current) are shown to it; a figure around an
# image is a group (the image is the PDF's Figure, with the alternative text); a drawn diagram, whose parts
# Chromium would leave untagged, is printed as one image of itself with its alternative text.
_TAGGABLE = """() => {
  document.querySelectorAll('.reveal .slides section[aria-hidden], .reveal .slides [aria-hidden="true"].fragment')
    .forEach((el) => el.removeAttribute('aria-hidden'));
  document.querySelectorAll('.reveal .slides figure:not([role])')
    .forEach((figure) => figure.setAttribute('role', 'group'));
  document.querySelectorAll('.reveal .slides figure[role="img"] > svg').forEach((svg) => {
    const figure = svg.parentElement;
    const img = new Image();
    img.alt = figure.getAttribute('aria-label') || '';
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    img.style.cssText = `width:${svg.clientWidth}px;height:${svg.clientHeight}px;max-width:none;max-height:none`;
    svg.replaceWith(img);
    figure.removeAttribute('aria-label');
    figure.setAttribute('role', 'group');
  });
  return Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => null)));
}"""
_ASSETS_READY = """async () => {
  await document.fonts.ready;
  await Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => null)));
}"""


@dataclass(slots=True)
class PdfResult:
    data: bytes
    overflowing: list[str]  # ids of slides whose content is taller than the page
    blocked: list[str] = field(default_factory=list)  # remote addresses the offline browser did not fetch
    pages: list[list[str]] = field(default_factory=list)  # the slides on each page


def print_query(layout: str = "slides", fragments: bool = False) -> str:
    """reveal.js' print layout: every step's final state on one page, or (``fragments``) a page per step;
    ``layout`` "notes" or "2"/"3"/"4"/"6" for the handouts."""
    steps = "true" if fragments else "false"
    handout = "" if layout == "slides" else f"&handout={layout}"
    return f"?print-pdf&pdfSeparateFragments={steps}&pdfMaxPagesPerSlide=1&showNotes=false{handout}"


def export_pdf(
    browser: HeadlessBrowser,
    deck_dir: Path,
    deck: Deck,
    layout: str,
    progress: Progress,
    fragments: bool = False,
) -> PdfResult:
    blocked_before = len(browser.blocked)
    with _print_page(browser, deck_dir, deck, layout, fragments) as (page, height):
        page_slides: list[list[str]] = page.evaluate(_PAGES)
        overflowing: list[str] = []
        if layout == "slides":
            overflowing = list(dict.fromkeys(page.evaluate(_OVERFLOWING, height)))
        progress(0, len(page_slides))
        page.evaluate(_TAGGABLE)
        data = page.pdf(print_background=True, prefer_css_page_size=True, tagged=True)
        progress(len(page_slides), len(page_slides))
    return PdfResult(_finish(data, deck, page_slides), overflowing, browser.blocked[blocked_before:], page_slides)


def measure_overflow(browser: HeadlessBrowser, deck_dir: Path, deck: Deck) -> PdfResult:
    """The ids of slides whose content is taller than the page, without printing anything."""
    blocked_before = len(browser.blocked)
    with _print_page(browser, deck_dir, deck, "slides") as (page, height):
        overflowing: list[str] = page.evaluate(_OVERFLOWING, height)
    return PdfResult(b"", overflowing, browser.blocked[blocked_before:])


def measure_cuts(browser: HeadlessBrowser, deck_dir: Path, deck: Deck) -> dict[str, list[int]]:
    """For each slide that may be cut and does not fit its page: the blocks before which it is cut."""
    with _print_page(browser, deck_dir, deck, "slides") as (page, height):
        found: dict[str, list[int]] = page.evaluate(_CUTS, height)
    return found


def measure_shrink(browser: HeadlessBrowser, deck_dir: Path, deck: Deck) -> dict[str, float]:
    """For each cut slide that still does not fit its page (a block taller than the page): the factor its
    blocks would have to shrink by."""
    with _print_page(browser, deck_dir, deck, "slides") as (page, height):
        found: dict[str, float] = page.evaluate(_SHRINK, height)
    return found


@contextmanager
def _print_page(
    browser: HeadlessBrowser, deck_dir: Path, deck: Deck, layout: str, fragments: bool = False
) -> Iterator[tuple[Any, int]]:
    """The deck laid out for print, every font, formula, diagram and image ready."""
    reveal = reveal_options(deck)
    width, height = int(reveal["width"]), int(reveal["height"])
    a4 = {"width": 794, "height": 1123}  # CSS pixels of an A4 page
    page = browser.print_page()
    try:
        page.set_viewport_size({"width": width, "height": height} if layout == "slides" else a4)
        page.goto((deck_dir / "index.html").resolve().as_uri() + print_query(layout, fragments))
        page.wait_for_function("window.mystdeckPdfReady === true", timeout=60_000)
        page.evaluate(_ASSETS_READY)
        yield page, height
    except BaseException:
        page.close()
        raise


def _finish(data: bytes, deck: Deck, page_slides: list[list[str]]) -> bytes:
    """Add metadata, language, an outline of the sections and what PDF/UA-1 asks beyond Chromium's tags (its
    identification, the title shown by viewers, a description of every link); the document itself, its
    structure tags among it, is kept as Chromium printed it."""
    from pypdf import PdfReader, PdfWriter  # only a build that makes a PDF pays for importing pypdf
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, StreamObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    front = deck.source.front
    title = front.title or (deck.slides[0].title if deck.slides else "")
    writer.add_metadata({"/Title": title, "/Author": front.author, "/Subject": front.subtitle, "/Creator": "mystdeck"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(front.lang)
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    metadata = StreamObject()
    metadata.set_data(_xmp(title, front.author, front.lang))
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(metadata)
    _describe_links(writer, front.lang)
    _mark_artifacts(writer)
    _add_outline(writer, deck, page_slides)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _xmp(title: str, author: str, lang: str) -> bytes:
    """XMP metadata that identifies the file as PDF/UA-1, with its title, author and language."""
    from xml.sax.saxutils import escape

    creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>" if author else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        "<pdfuaid:part>1</pdfuaid:part>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>{creator}'
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        "<xmp:CreatorTool>mystdeck</xmp:CreatorTool>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


_PAINTS = {b"Tj", b"TJ", b"'", b'"', b"Do", b"sh", b"INLINE IMAGE"}
_MARKS = re.compile(rb"(?<![A-Za-z0-9*'\"])(BDC|BMC|EMC|Do|Tj|TJ|sh|BI|'|\")(?![A-Za-z0-9*])")


def _mark_artifacts(writer: PdfWriter) -> None:
    """What Chromium paints outside its tags — a decorative image (``alt=""``: a logo), a background — is
    marked as an artifact, as PDF/UA asks: a screen reader skips it. A quick scan finds the pages that have
    any; only those are parsed and written again."""
    from pypdf.generic import ContentStream, NameObject

    for page in writer.pages:
        contents = page.get_contents()
        if contents is None or not _has_unmarked_paint(contents.get_data()):
            continue
        stream = ContentStream(contents, writer)
        depth, operations = 0, []
        for operands, operator in stream.operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth = max(depth - 1, 0)
            if depth == 0 and operator in _PAINTS:
                operations += [([NameObject("/Artifact")], b"BMC"), (operands, operator), ([], b"EMC")]
            else:
                operations.append((operands, operator))
        stream.operations = operations
        page.replace_contents(stream)


def _has_unmarked_paint(data: bytes) -> bool:
    depth = 0
    for match in _MARKS.finditer(data):
        operator = match.group(1)
        if operator in (b"BDC", b"BMC"):
            depth += 1
        elif operator == b"EMC":
            depth = max(depth - 1, 0)
        elif depth == 0:
            return True
    return False


def _describe_links(writer: PdfWriter, lang: str) -> None:
    """Every link annotation gets a description (``/Contents``): its address, or the page it leads to."""
    from pypdf.generic import NameObject, TextStringObject

    pages = {page.indirect_reference.idnum: number for number, page in enumerate(writer.pages, start=1)
             if page.indirect_reference is not None}  # fmt: skip
    dests = writer.root_object.get("/Dests")
    named: Any = dests.get_object() if dests is not None else {}
    for page in writer.pages:
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            if annotation.get("/Subtype") != "/Link" or annotation.get("/Contents"):
                continue
            found = annotation.get("/A")
            action: Any = found.get_object() if found is not None else {}
            if "/URI" in action:
                text = str(action["/URI"])
            else:
                target = annotation.get("/Dest") or action.get("/D")
                target = target.get_object() if hasattr(target, "get_object") else target
                if isinstance(target, str):  # a named destination (Chromium names them by the element's id)
                    target = named.get(target)
                    target = target.get_object() if hasattr(target, "get_object") else target
                first = target[0] if isinstance(target, list) and target else None
                number = pages.get(getattr(first, "idnum", -1))
                text = words(lang, "pdf_link_page").format(page=number) if number else words(lang, "pdf_link")
            annotation[NameObject("/Contents")] = TextStringObject(text)


def _add_outline(writer: PdfWriter, deck: Deck, page_slides: list[list[str]]) -> None:
    first_page: dict[str, int] = {}
    for index, slide_ids in enumerate(page_slides):
        for slide_id in slide_ids:
            first_page.setdefault(slide_id, index)
    for stack in deck.stacks:
        printed = [s for s in stack.slides if s.slide_id in first_page]
        if not printed:
            continue
        head, *rest = printed
        parent = writer.add_outline_item(title=head.title or head.slide_id, page_number=first_page[head.slide_id])
        for slide in rest:
            writer.add_outline_item(
                title=slide.title or slide.slide_id, page_number=first_page[slide.slide_id], parent=parent
            )
