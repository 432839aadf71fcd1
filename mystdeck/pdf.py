"""PDF stage: a written deck folder in, the audience PDF (or the presenter copy with notes) out.

reveal.js lays the deck out for print (``?print-pdf``): one page per slide with every fragment
shown. Chromium prints it, so text stays text and links stay links; pypdf then adds the outline
of the sections and the document's metadata. Long decks are printed in chunks to show progress.
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
CHUNK = 50  # pages printed per call; the progress line moves after each chunk

# A page is a slide's .pdf-page or, in the presenter copy, the notes page reveal.js puts after it.
_PAGES = """() => Array.from(document.querySelectorAll('.pdf-page, .speaker-notes-pdf')).map((page) => {
  const slide = page.querySelector('section[id]');
  return slide ? slide.id : '';
})"""
_OVERFLOWING = """(height) => {
  const scale = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--deck-print-scale')) || 1;
  return Array.from(document.querySelectorAll('.pdf-page > section[id]'))
    .filter((slide) => !slide.querySelector('section') && slide.scrollHeight * scale > height + 2)
    .map((slide) => slide.id);
}"""
_SHOW_CHUNK = """([first, last]) => {
  document.querySelectorAll('.pdf-page, .speaker-notes-pdf').forEach((page, i) => {
    page.style.display = (i >= first && i < last) ? '' : 'none';
  });
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


def print_query(notes: bool, fragments: bool = False) -> str:
    """reveal.js' print layout: every step's final state on one page, or (``fragments``) a page per step."""
    show = "separate-page" if notes else "false"
    steps = "true" if fragments else "false"
    return f"?print-pdf&pdfSeparateFragments={steps}&pdfMaxPagesPerSlide=1&showNotes={show}"


def export_pdf(
    browser: HeadlessBrowser, deck_dir: Path, deck: Deck, notes: bool, progress: Progress, fragments: bool = False
) -> PdfResult:
    blocked_before = len(browser.blocked)
    with _print_page(browser, deck_dir, deck, notes, fragments) as (page, height):
        page_ids: list[str] = page.evaluate(_PAGES)
        overflowing: list[str] = [] if notes else list(dict.fromkeys(page.evaluate(_OVERFLOWING, height)))
        chunks = _print_chunks(page, len(page_ids), progress)
    return PdfResult(_finish(chunks, deck, page_ids), overflowing, browser.blocked[blocked_before:])


def measure_overflow(browser: HeadlessBrowser, deck_dir: Path, deck: Deck) -> PdfResult:
    """The ids of slides whose content is taller than the page, without printing anything."""
    blocked_before = len(browser.blocked)
    with _print_page(browser, deck_dir, deck, notes=False) as (page, height):
        overflowing: list[str] = page.evaluate(_OVERFLOWING, height)
    return PdfResult(b"", overflowing, browser.blocked[blocked_before:])


@contextmanager
def _print_page(
    browser: HeadlessBrowser, deck_dir: Path, deck: Deck, notes: bool, fragments: bool = False
) -> Iterator[tuple[Any, int]]:
    """The deck laid out for print by reveal.js, every font, formula, diagram and image ready."""
    reveal = reveal_options(deck)
    width, height = int(reveal["width"]), int(reveal["height"])
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto((deck_dir / "index.html").resolve().as_uri() + print_query(notes, fragments))
        page.wait_for_function("window.mystdeckPdfReady === true", timeout=60_000)
        page.evaluate(_ASSETS_READY)
        yield page, height
    finally:
        page.close()


def _print_chunks(page: Any, total: int, progress: Progress) -> list[bytes]:
    options = {"print_background": True, "prefer_css_page_size": True, "tagged": True}
    progress(0, total)
    if total <= CHUNK:
        data = [page.pdf(**options)]
        progress(total, total)
        return data
    chunks = []
    for first in range(0, total, CHUNK):
        last = min(first + CHUNK, total)
        page.evaluate(_SHOW_CHUNK, [first, last])
        chunks.append(page.pdf(**options))
        progress(last, total)
    return chunks


def _finish(chunks: list[bytes], deck: Deck, page_ids: list[str]) -> bytes:
    """Join the chunks, then add metadata, language and an outline of the sections."""
    from pypdf import PdfReader, PdfWriter  # only a build that makes a PDF pays for importing pypdf
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for chunk in chunks:
        writer.append(PdfReader(io.BytesIO(chunk)), import_outline=False)
    front = deck.source.front
    title = front.title or (deck.slides[0].title if deck.slides else "")
    writer.add_metadata({"/Title": title, "/Author": front.author, "/Subject": front.subtitle, "/Creator": "mystdeck"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(front.lang)
    _add_outline(writer, deck, page_ids)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_outline(writer: PdfWriter, deck: Deck, page_ids: list[str]) -> None:
    first_page: dict[str, int] = {}
    for index, slide_id in enumerate(page_ids):
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
