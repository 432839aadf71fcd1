"""Finding your way through a long lecture, in Chromium: the agenda before every section, the section bar,
the slide menu (M), jumping to a slide (G), reveal.js' zoom and search, formula macros on slides and in the
speaker view, and what of it reaches the PDF. The 40-slide lecture deck (tests/decks/lecture.md) is built once."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from test_deck_browser import OpenDeck, _go

from conftest import ROOT, Build, _main_with
from mystdeck.browser import HeadlessBrowser

LECTURE = Path(__file__).resolve().parent / "decks" / "lecture.md"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SECTIONS = ["Grundlagen", "Lernen", "Autoencoder", "GANs", "Entrauschende Modelle", "Text zu Bild"]
_SERIOUS = """async (context) => (await axe.run(context, {resultTypes: ['violations']})).violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '))"""


@pytest.fixture(scope="module")
def lecture(tmp_path_factory: pytest.TempPathFactory, borrowed: HeadlessBrowser) -> Path:
    out = tmp_path_factory.mktemp("lecture")
    code, err = _main_with(borrowed, str(LECTURE), "--out", str(out), "--no-pdf")
    assert code == 0 and "warning" not in err, err
    return out / "lecture"


@pytest.fixture(scope="module")
def deck(browser: Browser, lecture: Path) -> Iterator[OpenDeck]:
    opened = OpenDeck(browser, lecture / "index.html")
    yield opened
    assert opened.errors == []
    opened.close()


_STATE = """() => {
  const slide = Reveal.getCurrentSlide();
  const bar = slide.querySelector('.deck-navbar a[aria-current="true"]');
  const agenda = slide.querySelector('nav.deck-agenda li[aria-current="true"]');
  const nav = slide.querySelector('nav.deck-navbar');
  const heading = slide.querySelector('h1, h2, h3');
  return {id: slide.id, title: heading.textContent.trim(), bar: bar ? bar.textContent : null,
          agenda: agenda ? agenda.textContent.trim() : null,
          entries: slide.querySelectorAll('nav.deck-agenda > ol > li > a').length,
          barBottom: nav ? nav.getBoundingClientRect().bottom : null, titleTop: heading.getBoundingClientRect().top,
          number: Reveal.getSlidePastCount() + 1};
}"""
# Every slide from the first to the last, as reveal.js' next step (the right arrow) shows it.
_STEP_THROUGH = f"""() => {{
  Reveal.slide(0, 0);
  const seen = [({_STATE})()];
  while (!Reveal.isLastSlide()) {{ Reveal.next(); seen.push(({_STATE})()); }}
  return seen;
}}"""


def _state(deck: OpenDeck) -> dict[str, object]:
    state: dict[str, object] = deck.evaluate(_STATE)
    return state


def test_agenda_before_each_section_and_the_bar_while_stepping_through(deck: OpenDeck) -> None:
    seen: list[dict[str, object]] = deck.evaluate(_STEP_THROUGH)
    agendas = [state for state in seen if state["title"] == "Gliederung" and state["agenda"]]
    full_titles = [
        "Grundlagen der Wahrscheinlichkeit", "Schätzen und Lernen", "Autoencoder",
        "Generative Adversarial Networks", "Entrauschende Modelle", "Text zu Bild",
    ]  # fmt: skip
    assert [state["agenda"] for state in agendas] == full_titles
    for agenda, short in zip(agendas, SECTIONS, strict=True):
        assert agenda["entries"] == 6 and agenda["bar"] == short  # the bar marks the section that follows
    # Every slide of a section shows it marked in the bar, above the slide's title (the slide area shrinks).
    section = None
    for state in seen[1:]:
        if state["title"] in full_titles:
            section = SECTIONS[full_titles.index(str(state["title"]))]
        if state["title"] != "Gliederung":
            assert state["bar"] == section, state
        assert state["barBottom"] is not None and float(state["titleTop"]) >= float(state["barBottom"]), state  # type: ignore[arg-type]
    assert seen[0]["bar"] is None  # the title slide has no bar
    counted = [state["number"] for state in seen if state["title"] != "Gliederung" or not state["agenda"]]
    assert counted == list(range(1, 41))  # 40 slides counted, the agenda slides not
    # The marked entry is emphasised, the others dimmed but readable (AA contrast on the white theme).
    _go(deck, "generative-adversarial-networks-agenda")
    style = deck.evaluate("""() => Array.from(document.querySelectorAll('.present nav.deck-agenda > ol > li'))
      .map((li) => [li.getAttribute('aria-current'), getComputedStyle(li).fontWeight, getComputedStyle(li).opacity])""")
    assert [entry[0] for entry in style].count("true") == 1
    current = next(entry for entry in style if entry[0] == "true")
    others = [entry for entry in style if entry[0] != "true"]
    assert int(current[1]) >= 700 and float(current[2]) == 1
    assert all(int(entry[1]) < 700 and 0.65 <= float(entry[2]) < 1 for entry in others)


def _axe(deck: OpenDeck, context: str) -> list[str]:
    if not deck.evaluate("typeof axe !== 'undefined'"):
        deck.page.add_script_tag(path=str(AXE))
    found: list[str] = deck.page.evaluate(_SERIOUS.replace("(context)", "()").replace("run(context", f"run({context}"))
    return found


def test_menu_filters_as_you_type_and_goes_to_the_slide(deck: OpenDeck) -> None:
    _go(deck, "zufallsvariablen")
    deck.page.keyboard.press("m")
    menu = deck.page.locator(".deck-menu")
    menu.wait_for(state="visible")
    items = deck.evaluate("""() => Array.from(document.querySelectorAll('.deck-menu-list li')).map((li) =>
      [li.textContent, li.className, li.querySelector('a').getAttribute('aria-current')])""")
    assert len(items) == 40  # every slide, no agenda repeats
    assert [item[0] for item in items if "deck-menu-section" in item[1]] == [
        "Grundlagen der Wahrscheinlichkeit", "Schätzen und Lernen", "Autoencoder",
        "Generative Adversarial Networks", "Entrauschende Modelle", "Text zu Bild",
    ]  # fmt: skip
    assert [item[0] for item in items if item[2] == "page"] == ["Zufallsvariablen"]
    assert "Unabhängigkeit von X und Y" in [item[0] for item in items]  # a formula in a title: its text once
    assert deck.evaluate("document.activeElement.className") == "deck-menu-filter"
    _go(deck, "grundlagen-der-wahrscheinlichkeit-agenda")
    assert _axe(deck, "document") == []  # the agenda, the bar and the open menu, as shown
    deck.page.keyboard.type("uberanp")  # umlauts folded, either way
    visible = "Array.from(document.querySelectorAll('.deck-menu-list li:not([hidden])')).map((li) => li.textContent)"
    assert deck.evaluate(visible) == ["Überanpassung"]
    deck.page.fill(".deck-menu-filter", "")
    deck.page.keyboard.type("UEBERANP")
    assert deck.evaluate(visible) == ["Überanpassung"]
    deck.page.fill(".deck-menu-filter", "")
    deck.page.keyboard.type("Wasserstein")  # the slide's text, not only its title
    assert deck.evaluate(visible) == ["Stabilisierung"]
    deck.page.keyboard.press("Escape")
    menu.wait_for(state="hidden")
    assert deck.evaluate("Reveal.getCurrentSlide().id") == "grundlagen-der-wahrscheinlichkeit-agenda"
    assert not deck.evaluate("Reveal.isOverview()")  # Esc closed the menu, and nothing else
    deck.page.keyboard.press("m")
    deck.page.keyboard.type("Dif")
    deck.page.keyboard.press("Enter")
    menu.wait_for(state="hidden")
    assert deck.evaluate("Reveal.getCurrentSlide().querySelector('h2').textContent") == "Diffusion"


def test_g_jumps_to_a_slide_number_zoom_and_search_are_there(deck: OpenDeck) -> None:
    deck.evaluate("Reveal.slide(0, 0)")
    deck.page.keyboard.press("g")
    deck.page.keyboard.type("12")
    deck.page.keyboard.press("Enter")
    deck.page.wait_for_function("Reveal.getSlidePastCount() + 1 === 12")
    assert _state(deck)["title"] == "Kullback-Leibler-Divergenz"
    assert deck.evaluate("Reveal.hasPlugin('zoom') && Reveal.hasPlugin('search')")
    deck.page.keyboard.press("Control+Shift+F")
    deck.page.locator(".searchbox .searchinput").wait_for(state="visible")
    assert deck.evaluate("document.querySelector('.searchbox .searchinput').placeholder") == "Suchen …"
    deck.evaluate("Reveal.getPlugin('search').close(); document.activeElement.blur()")


def test_r_opens_the_reading_view_and_less_motion_is_honoured(
    deck: OpenDeck, reused_page: Page, design_build: Path
) -> None:
    deck.page.keyboard.press("r")
    deck.page.wait_for_function("Reveal.isScrollView()")
    deck.page.keyboard.press("m")  # the menu works in it, and its button leads back
    deck.page.locator(".deck-menu-reading").click()
    deck.page.wait_for_function("!Reveal.isScrollView()")
    reused_page.emulate_media(reduced_motion="reduce")
    try:
        reused_page.goto((design_build / "index.html").as_uri())  # a deck with the slide transition
        reused_page.wait_for_function("window.Reveal && Reveal.isReady()")
        assert reused_page.evaluate("Reveal.getConfig().transition") == "none"
    finally:
        reused_page.emulate_media(reduced_motion="no-preference")


def test_macros_on_a_slide(deck: OpenDeck) -> None:
    """The front matter's macros typeset on a slide (and in notes and the speaker view: test_design_browser)."""
    _go(deck, "zufallsvariablen")
    assert deck.evaluate("document.querySelector('#zufallsvariablen .katex .mathbb') !== null")  # \R
    assert deck.evaluate("document.querySelector('#zufallsvariablen .katex .boldsymbol') !== null")  # \vect


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=30, check=True).stdout
    return text.split("\f")[:-1]


def test_pdf_has_no_menu_or_agenda_repeats_and_the_bar_only_when_asked(tmp_path: Path, build: Build) -> None:
    slides = '## Eins {short="Kurz"}\n\n## Erste\n\nText.\n\n## Zwei\n\n## Zweite\n\nText.\n'
    (tmp_path / "default.md").write_text("---\nagenda: true\nnavigation: sections\n---\n\n" + slides, encoding="utf-8")
    asked = "---\nagenda: pdf\nnavigation: {position: bottom, pdf: true}\nslide-number: section\n---\n\n"
    (tmp_path / "asked.md").write_text(asked + slides, encoding="utf-8")
    result = build("default.md", "asked.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    default = _pdf_pages(tmp_path / "_build" / "default" / "default.pdf")
    assert len(default) == 4 and not any("Outline" in page or "Kurz" in page for page in default)
    pages = _pdf_pages(tmp_path / "_build" / "asked" / "asked.pdf")
    assert ["Outline" in page for page in pages] == [True, False, False, True, False, False]
    assert all("Kurz" in page and "Zwei" in page for page in pages)  # the bar on every page
    assert re.search(r"\b1\.2\b", pages[2]) and re.search(r"\b2\.2\b", pages[5])  # section numbers
