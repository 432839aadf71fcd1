"""What only a browser shows: the built deck opened from file:// in real Chromium, driven by Playwright."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request

from conftest import Build


class OpenDeck:
    """A deck page with its page errors and every URL it asked for: in a context of its own, or in a page
    that is lent (``page``), which is given back as it was (its listeners removed)."""

    def __init__(self, browser: Browser, index: Path, fragment: str = "", page: Page | None = None) -> None:
        self.context = (
            page.context if page is not None else browser.new_context(viewport={"width": 1280, "height": 720})
        )
        self.lent = page is not None
        self.page: Page = page if page is not None else self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", self._error)
        self.page.on("request", self._request)
        self.page.goto(index.as_uri() + fragment)
        self.page.wait_for_function("window.Reveal && Reveal.isReady()")

    def _error(self, exc: Any) -> None:
        self.errors.append(str(exc))

    def _request(self, request: Any) -> None:
        self.requests.append(request.url)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def close(self) -> None:
        if self.lent:
            self.page.remove_listener("pageerror", self._error)
            self.page.remove_listener("request", self._request)
        else:
            self.context.close()


@pytest.fixture(scope="module")
def seed_deck(browser: Browser, seed_build: Path) -> Iterator[OpenDeck]:
    """The seed deck open from file://, one page for the tests that only move around in it."""
    deck = OpenDeck(browser, seed_build / "index.html")
    yield deck
    deck.close()


def _go(deck: OpenDeck, slide_id: str) -> None:
    deck.evaluate("(id) => Reveal.slide(...Object.values(Reveal.getIndices(document.getElementById(id))))", slide_id)
    deck.page.wait_for_function("(id) => Reveal.getCurrentSlide().id === id", arg=slide_id)


def test_seed_deck_presents_from_file_url(seed_deck: OpenDeck) -> None:
    assert seed_deck.evaluate("Reveal.getTotalSlides()") == 19
    assert seed_deck.evaluate("Reveal.getHorizontalSlides().length") == 6
    assert seed_deck.errors == []
    assert all(url.startswith(("file://", "data:")) for url in seed_deck.requests), seed_deck.requests


def test_gantt_chart_is_drawn_with_a_size(seed_deck: OpenDeck) -> None:
    _go(seed_deck, "previous-work")
    box = seed_deck.evaluate(
        "(() => { const r = document.querySelector('#previous-work figure.deck-mermaid svg')"
        ".getBoundingClientRect(); return [r.width, r.height]; })()"
    )
    assert box[0] > 400 and box[1] > 150
    assert "DALL·E 2" in seed_deck.page.inner_text("#previous-work")


def open_speaker_view(deck: OpenDeck) -> Page:
    with deck.context.expect_page() as popup_info:
        deck.page.keyboard.press("s")
    speaker = popup_info.value
    speaker.wait_for_function("getComputedStyle(document.querySelector('#connection-status')).display === 'none'")
    return speaker


def test_speaker_view_speaks_german(seed_deck: OpenDeck) -> None:
    deck = seed_deck
    _go(deck, "dall-e")
    speaker = open_speaker_view(deck)
    expected = "Nur kurz zeigen und sagen dass 2 nicht so recht auf 1 aufbaut."
    speaker.wait_for_function("text => document.body.innerText.includes(text)", arg=expected)
    assert speaker.evaluate("document.documentElement.lang") == "de"
    assert speaker.inner_text("#upcoming-slide .label") == "Als Nächstes"
    assert speaker.text_content(".speaker-controls-notes .label").startswith("Notizen")
    assert speaker.text_content(".speaker-controls-time .label").startswith("Zeit")
    assert speaker.text_content(".speaker-layout-label") == "Ansicht: Standard"
    speaker.wait_for_function("!/AM|PM/.test(document.querySelector('.clock-value').textContent)")
    assert re.fullmatch(r"\d\d:\d\d", speaker.inner_text(".clock-value").strip())
    # Larger notes by default, and larger still with the + key; the label sits below the next slide's title.
    font_size = "parseFloat(getComputedStyle(document.querySelector('.speaker-controls-notes .value')).fontSize)"
    size = speaker.evaluate(font_size)
    assert size >= 24
    speaker.keyboard.press("+")
    speaker.wait_for_function(f"(old) => {font_size} > old", arg=size)
    label = speaker.locator("#upcoming-slide .label").bounding_box()
    frame = speaker.locator("#upcoming-slide iframe").bounding_box()
    assert label is not None and frame is not None and label["y"] > frame["y"] + frame["height"] / 2
    # The slide menu (M) works in the speaker view's current slide too, and the deck follows.
    speaker.keyboard.press("m")
    current = speaker.frame_locator("#current-slide iframe")
    current.locator(".deck-menu-filter").fill("Imagen")
    current.locator(".deck-menu-filter").press("Enter")
    deck.page.wait_for_function("Reveal.getCurrentSlide().id === 'google-imagen'", timeout=5000)
    # Deck and speaker view draw on the same slides: a stroke made in either shows in the other.
    frame_page = next(f for f in speaker.frames if "postMessageEvents" in f.url)  # the current slide's deck
    frame_page.wait_for_function("window.mystdeckInk && Reveal.getCurrentSlide().id === 'google-imagen'")
    paths = "document.querySelectorAll('#google-imagen > svg.deck-ink path').length"
    deck.page.keyboard.press("c")
    mouse = deck.page.mouse
    mouse.move(400, 400)
    mouse.down()
    mouse.move(600, 450, steps=3)
    mouse.up()
    deck.page.keyboard.press("c")
    frame_page.wait_for_function(f"{paths} === 1", timeout=5000)
    speaker.keyboard.press("c")  # the speaker view passes keys to its current slide
    frame_page.wait_for_function("window.mystdeckInk.state.mode === 'pen'")
    box = speaker.locator("#current-slide iframe").bounding_box()
    assert box is not None
    speaker.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    speaker.mouse.down()
    speaker.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.65, steps=3)
    speaker.mouse.up()
    deck.page.wait_for_function(f"{paths} === 2", timeout=5000)
    deck.evaluate("window.mystdeckInk.clear()")  # the other tests of this page see the slide as it was
    speaker.close()


def test_math_code_and_page_drawn_diagrams(browser: Browser, reused_page: Page, tmp_path: Path, build: Build) -> None:
    (tmp_path / "talk.md").write_text(
        "# T\n\n## Math\n\n$$\\sqrt{1-\\beta_t}$$\n\n## Breit\n\n$$"
        + " + ".join(f"x_{{{n}}}^2" for n in range(20))
        + "$$\n\n## Code\n\n```{code-block} python\n:linenos:\nx = 1\n```\n\n"
        "## Diagram\n\n:::{mermaid}\ngraph LR\n  A --> B\n:::\n",
        encoding="utf-8",
    )
    # Without a browser at build time the diagram is drawn by the page itself.
    result = build("talk.md", "--browser", str(tmp_path / "none"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[browser-missing]" in result.stderr
    deck = OpenDeck(browser, tmp_path / "_build" / "talk" / "index.html", page=reused_page)
    assert deck.evaluate("document.querySelectorAll('.katex').length") == 2
    _go(deck, "breit")  # a formula wider than the slide is made smaller until all of it shows
    shown = "(() => { const d = document.querySelector('#breit .katex-display'); const f = d.querySelector('.katex');"
    shown += " return [d.scrollWidth, d.clientWidth, f.getBoundingClientRect().width]; })()"
    needed, room, width = deck.evaluate(shown)
    assert needed <= room + 1 and width > room / 2  # nothing cut off or hidden behind a scroll bar; still large
    # Code is coloured when the deck is built: no highlighter script, the colours come with the page.
    number = "getComputedStyle(document.querySelector('code.deck-highlight .mi')).color"
    assert deck.evaluate(number) == "rgb(174, 129, 255)"  # monokai's numbers
    line = "getComputedStyle(document.querySelector('code.deck-linenos .deck-line'), '::before').content"
    assert deck.evaluate(line) == '"1"'
    assert deck.evaluate("typeof window.RevealHighlight") == "undefined"
    deck.page.wait_for_selector("#diagram figure.deck-mermaid svg", state="attached")
    assert deck.errors == []
    deck.close()


FORMULAS = [
    r"\mathbb{R}^n \ni \mathcal{N}(\mu, \sigma^2)",
    r"\textbf{\textit{fett und schräg}} \quad \texttt{code} \quad \mathsf{A} \quad \mathfrak{g} \quad \mathscr{L}",
    r"\boldsymbol{\theta}^\top \mathbf{x} = \sum_{i=1}^{n} \theta_i x_i",
    r"\left( \frac{a}{b} \right) \Bigg[ \int_0^\infty e^{-x^2} \, dx \Bigg] \prod_k \sqrt{\lambda_k}",
]


def test_formulas_are_typeset_when_built_and_carry_exactly_the_fonts_they_use(
    reused_page: Page, tmp_path: Path, build: Build
) -> None:
    slides = "".join(f"## F{n}\n\n$${tex}$$\n\nInline ${tex}$.\n\n" for n, tex in enumerate(FORMULAS))
    (tmp_path / "talk.md").write_text(f"# T\n\n{slides}", encoding="utf-8")
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 0
    out = tmp_path / "_build" / "talk"
    shipped = {path.name for path in (out / "lib" / "katex" / "fonts").iterdir()}
    assert not (out / "lib" / "katex" / "katex.min.js").exists() and 3 < len(shipped) < 20
    page = reused_page
    asked: list[str] = []
    failed: list[str] = []

    def requested(request: Request) -> None:
        if "/fonts/KaTeX_" in request.url:
            asked.append(request.url.rsplit("/", 1)[-1])

    def not_loaded(request: Request) -> None:
        failed.append(request.url)

    page.on("request", requested)
    page.on("requestfailed", not_loaded)
    try:
        page.goto((out / "index.html").as_uri() + "?print-pdf")  # every slide laid out at once
        page.wait_for_function("window.mystdeckPdfReady === true")
        page.evaluate("document.fonts.ready.then(() => true)")
        assert page.evaluate("typeof window.katex") == "undefined"
        assert page.evaluate("document.querySelectorAll('.deck-math-done .katex-html').length") == 2 * len(FORMULAS)
    finally:
        page.remove_listener("request", requested)
        page.remove_listener("requestfailed", not_loaded)
    assert failed == [] and set(asked) <= shipped, (sorted(asked), sorted(shipped))
    assert {"KaTeX_AMS-Regular.woff2", "KaTeX_Caligraphic-Regular.woff2", "KaTeX_Main-BoldItalic.woff2"} <= set(asked)
