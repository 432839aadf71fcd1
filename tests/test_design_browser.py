"""The design test deck (tests/decks/design.md) in Chromium: what only a browser shows of slide design."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Error, Page
from pypdf import PdfReader

from conftest import Build


@pytest.fixture(scope="module")
def built(design_build: Path) -> Path:
    return design_build


@pytest.fixture(scope="module")
def deck(built: Path, browser: Browser) -> Iterator[Page]:
    """The deck open from file:// in an offline browser, reveal.js ready, page errors collected; one page for
    the module (the tests only move around in it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((built / "index.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    # Measurements need slides at rest, not halfway through a transition.
    page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none', transitionSpeed: 'fast'})")
    yield page
    context.close()
    assert errors == []


def _go(page: Page, slide_id: str) -> None:
    page.evaluate("(id) => Reveal.slide(...Object.values(Reveal.getIndices(document.getElementById(id))))", slide_id)
    page.wait_for_function("(id) => Reveal.getCurrentSlide().id === id", arg=slide_id)


def test_slide_attributes_reach_the_section(deck: Page, built: Path) -> None:
    teil = deck.locator("section#teil-1")
    assert teil.get_attribute("data-background-color") == "#1e3a5f"
    assert teil.get_attribute("data-transition") == "zoom"
    assert deck.text_content("section#teil-1 h2") == "Teil 1"
    image = deck.locator("section#hintergrundbild")
    assert deck.text_content("section#hintergrundbild h2") == "Hintergrundbild"
    target = image.get_attribute("data-background-image")
    assert target is not None and (built / target).is_file()
    assert image.get_attribute("data-background-opacity") == "0.35"
    assert deck.locator("#versteckt").count() == 0
    assert deck.evaluate("Reveal.getTotalSlides()") == 13  # 14 slides, one of them uncounted
    assert deck.locator("section#anhang").get_attribute("data-visibility") == "uncounted"


def test_section_title_is_centred(deck: Page) -> None:
    _go(deck, "teil-1")
    box = deck.locator("section#teil-1 h2").bounding_box()
    assert box is not None
    assert abs(box["x"] + box["width"] / 2 - 640) < 4 and abs(box["y"] + box["height"] / 2 - 360) < 30


def test_steps(deck: Page, built: Path) -> None:
    assert deck.locator("section#schritt-fuer-schritt ul > li.fragment").count() == 3
    assert deck.locator("section#schritt-fuer-schritt ul.fragment").count() == 0
    assert deck.locator("section#schritt-fuer-schritt div.fragment.fade-up > p").count() == 1  # with its note
    steps = deck.locator("section#code-in-schritten pre.deck-code-steps > code")  # a copy of the block a step
    assert [steps.nth(n).get_attribute("data-deck-lines") for n in range(steps.count())] == ["1", "2,3", "4"]
    _go(deck, "schritt-fuer-schritt")
    assert deck.evaluate("Reveal.getCurrentSlide().querySelectorAll('.fragment.visible').length") == 0
    deck.keyboard.press("ArrowRight")
    assert deck.evaluate("Reveal.getCurrentSlide().querySelectorAll('.fragment.visible').length") == 1
    assert deck.evaluate("Reveal.getIndices().f") == 0
    _go(deck, "code-in-schritten")
    on_top = """() => {
      const line = document.querySelectorAll('#code-in-schritten .deck-line')[1].getBoundingClientRect();
      const code = document.elementFromPoint(line.left + 40, line.top + line.height / 2).closest('code');
      return [code.dataset.deckLines, [...code.querySelectorAll('.deck-line-on')].map((l) => l.dataset.n).join()]; }"""
    assert deck.evaluate(on_top) == ["1", "1"]
    deck.keyboard.press("ArrowRight")
    deck.wait_for_function(f"({on_top})()[0] !== '1'")  # the next copy fades in over the first
    assert deck.evaluate(on_top) == ["2,3", "2,3"]  # the second step, its lines marked


def test_grid_columns_sit_side_by_side(deck: Page) -> None:
    _go(deck, "spalten")
    boxes = [deck.locator("section#spalten .deck-grid-item").nth(n).bounding_box() for n in (0, 1)]
    assert boxes[0] is not None and boxes[1] is not None
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and boxes[1]["x"] > boxes[0]["x"] + boxes[0]["width"]
    _go(deck, "spalten-wie-in-quarto")
    columns = [deck.locator("section#spalten-wie-in-quarto .column").nth(n).bounding_box() for n in (0, 1)]
    assert columns[0] is not None and columns[1] is not None
    assert abs(columns[0]["y"] - columns[1]["y"]) < 1 and abs(columns[0]["width"] / 1280 - 0.4) < 0.05


def test_media(deck: Page, built: Path) -> None:
    _go(deck, "eine-webseite")
    frame = deck.locator("section#eine-webseite iframe")
    deck.wait_for_function("document.querySelector('#eine-webseite iframe').getAttribute('src') !== null")
    assert (frame.get_attribute("src") or "").startswith("https://www.youtube.com/embed/SVcsDDABEkM")
    video = deck.locator("section#ein-video video")
    source = video.get_attribute("src")
    assert source is not None and (built / source).is_file() and not source.startswith(("/", ".."))
    assert video.get_attribute("loop") is not None and video.get_attribute("muted") is not None


def test_footer_logo_date_and_pacing(deck: Page) -> None:
    assert "13. Mai 2025" in deck.inner_text("section#gestaltete-folien")
    assert deck.locator("section#gestaltete-folien .deck-footer").count() == 0
    _go(deck, "spalten")
    for selector in ("section#spalten .deck-footer", "section#spalten img.deck-logo"):
        element = deck.locator(selector)
        assert element.is_visible()
        box = element.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 720
    assert deck.inner_text("section#spalten .deck-footer") == "Musterstadt · Tagung 2025"
    assert deck.evaluate("Reveal.getConfig().totalTime") == 1200
    assert deck.locator("section#schritt-fuer-schritt").get_attribute("data-timing") == "90"


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=30).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def test_pdf_with_a_page_per_step_and_references_inside_it(built: Path, tmp_path: Path, build: Build) -> None:
    design_build = built.parent.parent
    result = build("design.md", "--pdf-fragments", "--out", str(tmp_path / "steps"), cwd=design_build)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "steps" / "design" / "design.pdf"
    # 14 slides; Schritt für Schritt: three items, a paragraph and a word (5 more pages); the code: 2 more
    # steps; the Quarto columns: an incremental list of two. (Without the flag: test_pdf's fragments test.)
    assert _pages(pdf) == 14 + 5 + 2 + 2
    reader = PdfReader(pdf)
    page = next(p for p in reader.pages if "Das Bild ist" in p.extract_text())
    annotations = [annot.get_object() for annot in page.get("/Annots", [])]
    assert len(annotations) == 4
    assert all("/Dest" in a or a["/A"].get("/S") == "/GoTo" for a in annotations), annotations  # inside the PDF
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Vorwärts Rauschen hinzufügen. Rückwärts Rauschen entfernen." in text  # every tab, one after another
    assert "Aufgeklappt." in text  # a dropdown is open in the PDF


def test_references_move_the_deck_and_tabs_switch(deck: Page) -> None:
    assert (
        deck.text_content("section#ein-bild-allein figcaption")
        == "\nAbbildung 1: Ein Bild, das den freien Platz füllt.\n"
    )
    assert deck.text_content("section#folie-buch caption") == "Tabelle 1: Modelle"
    assert deck.text_content("section#anhang .deck-equation-number") == "(1)"
    assert deck.locator("section#anhang .deck-equation .katex-display").count() == 1
    links = deck.locator("section#verweise a.deck-xref")
    assert links.all_text_contents() == ["Abbildung 1", "Tabelle 1", "Gleichung (1)", "Aus dem Buch"]
    for number, slide_id in ((0, "ein-bild-allein"), (1, "folie-buch"), (2, "anhang"), (3, "folie-buch")):
        _go(deck, "verweise")
        links.nth(number).click()
        deck.wait_for_function("(id) => Reveal.getCurrentSlide().id === id", arg=slide_id)
    tabs, panels = deck.locator("section#folie-buch .deck-tab"), deck.locator("section#folie-buch .deck-tab-panel")
    assert panels.nth(1).is_hidden()
    tabs.nth(1).click()
    assert tabs.nth(1).get_attribute("aria-selected") == "true"
    assert panels.nth(1).is_visible() and panels.nth(0).is_hidden()
    tabs.nth(0).click()


def test_a_note_after_a_step_shows_with_that_step_and_the_pacing_timer(deck: Page) -> None:
    page = deck
    page.evaluate("Reveal.slide(Reveal.getIndices(document.getElementById('schritt-fuer-schritt')).h, 0, -1)")
    page.wait_for_function("Reveal.getCurrentSlide().id === 'schritt-fuer-schritt' && Reveal.getIndices().f === -1")
    with page.context.expect_page() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    # The speaker view runs once both its previews are decks that are ready.
    speaker.wait_for_function("document.querySelectorAll('iframe').length === 2")
    for frame in speaker.frames[1:]:
        frame.wait_for_function("window.Reveal && Reveal.isReady()")
    notes = "document.querySelector('.speaker-controls-notes .value').innerText"
    for step in range(4):  # three items, then the paragraph the note follows
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(step) => Reveal.getIndices().f === step", arg=step)
    speaker.wait_for_function(f"{notes}.includes('Jetzt das Wort betonen')")
    # The note's formula shows once, typeset in KaTeX's fonts with the deck's macro (\Dd), its MathML copy (for
    # screen readers) clipped away: the speaker view has KaTeX's stylesheet.
    formula = """(() => { const k = document.querySelector('.speaker-controls-notes .katex');
      return [k.querySelector('.katex-mathml').getBoundingClientRect().width,
              k.querySelector('.katex-html').getBoundingClientRect().width, getComputedStyle(k).fontFamily,
              k.querySelector('.mathrm') !== null]; })()"""
    speaker.wait_for_function(f"{formula}[0] <= 1")
    _clipped, width, font, macro = speaker.evaluate(formula)
    assert width > 20 and "KaTeX_Main" in font and macro
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("Reveal.getIndices().f === 2")
    hidden = "document.querySelector('.speaker-controls-notes').classList.contains('hidden')"
    speaker.wait_for_function(f"{hidden} || !{notes}.includes('Jetzt das Wort betonen')")
    assert speaker.locator(".speaker-controls-time .pacing").is_visible()  # duration: 20 in the front matter
    assert "Tempo" in (speaker.text_content(".speaker-controls-time .pacing-title") or "")
    speaker.close()


# Scrolls the reading view to a snap point of the code block's page (reveal.js gives a page one per step).
_TO_SNAP_POINT = """(index) => {
  const at = document.querySelector('pre.deck-code-block').closest('.scroll-page');
  const point = [...at.querySelectorAll('.scroll-snap-point')].at(index);
  document.querySelector('.reveal-viewport').scrollTop = at.offsetTop + point.offsetTop;
}"""


def test_the_reading_view_on_a_phone(design_build: Path, seed_build: Path, reused_page: Page) -> None:
    """A phone gets reveal.js' scroll view; mystdeck's pieces work in it: steps and code steps show as the
    reader scrolls, diagrams are drawn, notes stay private, the pen is away, and no script fails."""
    page = reused_page
    errors: list[str] = []

    def failed(exc: Error) -> None:
        errors.append(str(exc))

    page.on("pageerror", failed)
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto((design_build / "index.html").as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        assert page.evaluate("Reveal.isScrollView()")
        assert page.evaluate("[...document.querySelectorAll('aside.notes')].every((n) => !n.checkVisibility())")
        assert not page.locator(".deck-ink-toolbar").is_visible()
        code = "document.querySelector('pre.deck-code-block')"
        # The code slide's page has a snap point per step; scrolling to the second shows the first step.
        page.evaluate(_TO_SNAP_POINT, 1)
        page.wait_for_function(f"{code}.querySelectorAll('code.fragment.visible').length > 0")
        steps = page.evaluate(
            f"[...{code}.querySelectorAll('code.fragment')].map((c) => c.classList.contains('visible'))"
        )
        assert steps[0] and not all(steps), steps  # the first step shown, the later ones still to come
        page.evaluate(_TO_SNAP_POINT, -1)
        page.wait_for_function(f"[...{code}.querySelectorAll('code.fragment')].every((c) => c.matches('.visible'))")
        page.goto((seed_build / "index.html").as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady() && Reveal.isScrollView()")
        diagram = page.locator("figure.deck-mermaid svg")
        diagram.scroll_into_view_if_needed()
        assert diagram.bounding_box()["width"] > 300  # drawn, the width of the phone
    finally:
        page.remove_listener("pageerror", failed)
    assert errors == []
