"""PDF stage: a written deck folder in, a PDF out: the audience's slides, the presenter's notes handout, or
the audience's handout with several slides to a page.

reveal.js lays the deck out for print (``?print-pdf``): one page per slide with every fragment shown.
For the handouts, the deck's own script then places those slide pages on A4 paper with the notes or
lines for notes (``&handout=notes`` or ``&handout=3``). Chromium prints it in one piece, so text stays
text, links stay links and the structure tags stay; pypdf adds the outline, metadata and language.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mystdeck.browser import HeadlessBrowser
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
    """Add metadata, language and an outline of the sections; the document itself, its structure tags
    among it, is kept as Chromium printed it."""
    from pypdf import PdfReader, PdfWriter  # only a build that makes a PDF pays for importing pypdf
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    front = deck.source.front
    title = front.title or (deck.slides[0].title if deck.slides else "")
    writer.add_metadata({"/Title": title, "/Author": front.author, "/Subject": front.subtitle, "/Creator": "mystdeck"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(front.lang)
    _add_outline(writer, deck, page_slides)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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
