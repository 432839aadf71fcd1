"""Images stage: a written deck folder in, each printed slide as a PNG picture (1920 by 1080) and, from those,
a PowerPoint file out (``--png``, ``--pptx``).

The pictures come from the same print layout as the PDF (every step shown; hidden slides out, uncounted ones
in), taken at one and a half times the slide's size. The PowerPoint file has one 16:9 slide per picture, the
slide's title in its title placeholder behind the picture (so PowerPoint's outline and search find it), its
speaker notes in the notes pane, and the deck's title, author and language in its properties; it needs the
extra ``mystdeck[pptx]`` (python-pptx).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mystdeck.browser import HeadlessBrowser
from mystdeck.model import Deck
from mystdeck.pdf import print_query

SCALE = 1.5  # slides of 1280 by 720 become pictures of 1920 by 1080


@dataclass(slots=True, frozen=True)
class Picture:
    slide_id: str
    png: bytes


def slide_pictures(browser: HeadlessBrowser, deck_dir: Path, deck: Deck) -> list[Picture]:
    """Every printed slide as a PNG of 1.5 times its size."""
    from mystdeck.page import reveal_options

    reveal = reveal_options(deck)
    width, height = int(reveal["width"]), int(reveal["height"])
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=SCALE)
    try:
        page.goto((deck_dir / "index.html").resolve().as_uri() + print_query("slides"))
        page.wait_for_function("window.mystdeckPdfReady === true", timeout=60_000)
        page.evaluate("document.fonts.ready")
        # reveal.js makes each printed page a pixel shorter than the slide: room below the last one, so that
        # every picture is the slide's full size.
        page.evaluate("""() => { const room = document.createElement('div'); room.style.height = '8px';
          document.querySelector('.reveal .slides').appendChild(room); }""")
        places = page.evaluate("""() => Array.from(document.querySelectorAll('.pdf-page')).map((p) => {
          const slide = p.querySelector('section[id]');
          return [slide ? slide.id : '', p.offsetTop]; })""")
        clip = {"x": 0, "width": width, "height": height}
        return [Picture(slide_id, page.screenshot(type="png", full_page=True, clip={**clip, "y": top}))
                for slide_id, top in places]  # fmt: skip
    finally:
        page.close()


class _Text(HTMLParser):
    """Speaker notes as plain text: paragraphs and list items on lines of their own, a formula as its TeX
    between dollar signs (once: not its typeset copy and its MathML too)."""

    BREAKS = ("p", "li", "br", "div", "pre", "tr", "h1", "h2", "h3", "h4", "h5", "h6")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0  # inside a typeset formula's parts (its HTML, its MathML)
        self.tex = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if self.hidden or "katex-html" in classes or "katex-mathml" in classes:
            self.hidden += 1
        self.tex = tag == "annotation"
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            self.hidden -= 1
        self.tex = False
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.tex:
            self.parts.append(f"${data}$")
        elif not self.hidden:
            self.parts.append(data)


def _plain(notes_html: str) -> str:
    reader = _Text()
    reader.feed(notes_html)
    reader.close()
    return "\n".join(line.strip() for line in "".join(reader.parts).splitlines() if line.strip())


def pptx_bytes(pictures: list[Picture], deck: Deck) -> bytes:
    """The PowerPoint file of the pictures: a 16:9 slide each, title and notes with it."""
    try:
        from pptx import Presentation
        from pptx.util import Emu
    except ImportError:
        raise RuntimeError("PowerPoint needs python-pptx: pip install 'mystdeck[pptx]'") from None
    slides = {slide.slide_id: slide for slide in deck.slides}
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Emu(12_192_000), Emu(6_858_000)  # 16:9
    title_only = presentation.slide_layouts[5]
    for picture in pictures:
        made = presentation.slides.add_slide(title_only)
        slide = slides.get(picture.slide_id)
        if made.shapes.title is not None:
            made.shapes.title.text = slide.title if slide is not None else ""
        made.shapes.add_picture(io.BytesIO(picture.png), 0, 0, presentation.slide_width, presentation.slide_height)
        if slide is not None and slide.notes_html:
            made.notes_slide.notes_text_frame.text = _plain(slide.notes_html)
    _properties(presentation.core_properties, deck)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def _properties(properties: Any, deck: Deck) -> None:
    front = deck.source.front
    properties.title = front.title or (deck.slides[0].title if deck.slides else "")
    properties.author = front.author
    properties.subject = front.subtitle
    properties.language = front.lang
