"""The pen, in Chromium: strokes drawn with the mouse and with a stylus, kept per slide and step across
navigation and reload; highlighter, laser, eraser, undo, clear; the drawings downloaded (D) and drawn, as
vectors, on the annotated PDF (--drawings). Strokes mirrored between the deck and its speaker view:
test_deck_browser's speaker view test."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from test_deck_browser import OpenDeck, _go

from conftest import Build, _main_with
from mystdeck.browser import HeadlessBrowser

DECK = (
    "---\ntitle: Zeichnen\nlang: de\n---\n\n## Eins\n\nText.\n\n## Zwei\n\n- [erstens]{.fragment}\n"
    "- [zweitens]{.fragment}\n\n## Drei\n\nMehr Text.\n"
)
STROKES = "window.mystdeckInk.state.strokes"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, borrowed: HeadlessBrowser) -> Path:
    made = tmp_path_factory.mktemp("ink")
    (made / "zeichnen.md").write_text(DECK, encoding="utf-8")
    code, err = _main_with(borrowed, str(made / "zeichnen.md"), "--out", str(made / "_build"), "--no-pdf")
    assert code == 0, err
    return made


@pytest.fixture(scope="module")
def deck(browser: Browser, folder: Path) -> Iterator[OpenDeck]:
    opened = OpenDeck(browser, folder / "_build" / "zeichnen" / "index.html")
    yield opened
    assert opened.errors == []
    opened.close()


def _draw(deck: OpenDeck, points: list[tuple[int, int]]) -> None:
    mouse = deck.page.mouse
    mouse.move(*points[0])
    mouse.down()
    for point in points[1:]:
        mouse.move(*point, steps=3)
    mouse.up()


def _shown(deck: OpenDeck, slide: str) -> int:
    count: int = deck.evaluate(f"document.querySelectorAll('#{slide} > svg.deck-ink path').length")
    return count


def test_strokes_belong_to_their_slide_and_step_and_survive_a_reload(deck: OpenDeck) -> None:
    _go(deck, "zwei")
    toggle = deck.page.locator(".deck-ink-toggle")
    assert toggle.get_attribute("title") == "Stift (C)" and toggle.get_attribute("aria-pressed") == "false"
    assert not deck.page.locator(".deck-ink-tools").is_visible()  # only the pen's button while the pen is off
    deck.page.keyboard.press("c")
    assert toggle.get_attribute("aria-pressed") == "true" and deck.page.locator(".deck-ink-tools").is_visible()
    _draw(deck, [(300, 300), (500, 360), (700, 300)])
    deck.evaluate("Reveal.next()")  # the first item appears: step 0
    _draw(deck, [(300, 500), (700, 500)])
    assert [s["step"] for s in deck.evaluate(STROKES)] == [-1, 0]
    assert _shown(deck, "zwei") == 2
    deck.evaluate("Reveal.prev()")  # before step 0: its stroke is not there yet
    assert _shown(deck, "zwei") == 1
    deck.page.keyboard.press("c")
    _go(deck, "drei")
    deck.evaluate("Reveal.slide(Reveal.getIndices(document.getElementById('zwei')).h, 0, -1)")  # back, no step yet
    assert _shown(deck, "zwei") == 1
    deck.page.reload()
    deck.page.wait_for_function("window.Reveal && Reveal.isReady()")
    deck.evaluate("Reveal.slide(Reveal.getIndices(document.getElementById('zwei')).h, 0, 1)")  # the last step
    assert deck.evaluate("Reveal.getIndices().f") == 1 and _shown(deck, "zwei") == 2


def test_a_stylus_draws_with_the_pen_off_and_the_tools_work(deck: OpenDeck) -> None:
    _go(deck, "eins")
    assert deck.evaluate("window.mystdeckInk.state.mode") == "off"
    deck.evaluate("""() => {
      const at = (type, x, y, pressure) => document.elementFromPoint(x, y).dispatchEvent(new PointerEvent(type,
        {pointerType: 'pen', pointerId: 7, clientX: x, clientY: y, pressure, bubbles: true, cancelable: true}));
      at('pointerdown', 300, 400, 1.0); at('pointermove', 400, 420, 1.0); at('pointermove', 500, 430, 1.0);
      at('pointerup', 500, 430, 0);
    }""")
    mine = [s for s in deck.evaluate(STROKES) if s["slide"] == "eins"]
    assert len(mine) == 1 and mine[0]["tool"] == "pen" and mine[0]["width"] > 4  # full pressure: wider
    deck.page.keyboard.press("h")
    _draw(deck, [(300, 250), (600, 250)])
    marker = deck.evaluate(STROKES)[-1]
    assert marker["tool"] == "highlighter" and marker["opacity"] < 0.5 and marker["width"] > 15
    deck.page.keyboard.press("l")
    _draw(deck, [(200, 200), (260, 220)])
    assert deck.page.locator(".deck-laser.deck-laser-on").count() == 1
    assert len(deck.evaluate(STROKES)) == 4  # the laser keeps no stroke
    deck.page.keyboard.press("e")
    _draw(deck, [(450, 200), (450, 300)])  # across the highlighter's stroke: it goes, whole
    assert [s["tool"] for s in deck.evaluate(STROKES) if s["slide"] == "eins"] == ["pen"]
    deck.page.keyboard.press("Control+z")
    assert len([s for s in deck.evaluate(STROKES) if s["slide"] == "eins"]) == 2
    deck.page.keyboard.press("Delete")
    assert _shown(deck, "eins") == 0 and [s for s in deck.evaluate(STROKES) if s["slide"] == "eins"] == []
    deck.page.keyboard.press("Control+z")
    assert _shown(deck, "eins") == 2
    deck.page.keyboard.press("e")  # the eraser off again


def test_the_drawings_download_and_make_the_annotated_pdf(deck: OpenDeck, folder: Path, build: Build) -> None:
    with deck.page.expect_download() as waiting:
        deck.page.keyboard.press("d")
    download = waiting.value
    assert download.suggested_filename == "zeichnen-drawings.json"
    saved = folder / "zeichnen-drawings.json"
    download.save_as(saved)
    drawn = json.loads(saved.read_text(encoding="utf-8"))
    assert drawn["format"] == "mystdeck-drawings" and {s["slide"] for s in drawn["strokes"]} == {"eins", "zwei"}
    # A stroke of our own, thick and red across the middle of slide "eins", and one of a slide that is gone.
    drawn["strokes"] = [
        {"slide": "eins", "step": -1, "color": "#ff0000", "width": 40, "opacity": 1,
         "points": [[100, 360], [1180, 360]]},
        {"slide": "alt", "step": -1, "color": "#000000", "width": 4, "opacity": 1, "points": [[1, 1], [2, 2]]},
    ]  # fmt: skip
    saved.write_text(json.dumps(drawn), encoding="utf-8")
    result = build("zeichnen.md", "--drawings", "zeichnen-drawings.json", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "zeichnen-drawings.json: warning: 1 stroke(s) are on slides this deck no longer has (alt)" in result.stderr
    out = folder / "_build" / "zeichnen"
    assert _pixel(out / "zeichnen-annotated.pdf", 2, 0.5, 0.5) == (255, 0, 0)  # the stroke, on slide "eins"
    assert _pixel(out / "zeichnen.pdf", 2, 0.5, 0.5) == (255, 255, 255)  # the audience PDF stays as it was
    content = subprocess.run(["pdftotext", str(out / "zeichnen-annotated.pdf"), "-"], capture_output=True,
                             text=True, timeout=30, check=True).stdout  # fmt: skip
    assert "Mehr Text." in content  # the text is still text
    # A drawings file that cannot be read costs the annotated PDF only, and the last good one stays.
    kept = (out / "zeichnen-annotated.pdf").read_bytes()
    (folder / "kaputt.json").write_text('{"strokes": [', encoding="utf-8")
    again = build("zeichnen.md", "--drawings", "kaputt.json", cwd=folder)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert "kaputt.json:1: warning: this is not a drawings file (JSON)" in again.stderr
    assert "zeichnen-annotated.pdf could not be made" in again.stderr
    assert (out / "zeichnen-annotated.pdf").read_bytes() == kept and (out / "zeichnen.pdf").is_file()


def _pixel(pdf: Path, page: int, x: float, y: float) -> tuple[int, int, int]:
    """The colour at (x, y), as fractions of the page, of a page rendered small by pdftoppm (a PPM file)."""
    data = subprocess.run(["pdftoppm", "-r", "20", "-f", str(page), "-l", str(page), str(pdf)],
                          capture_output=True, timeout=30, check=True).stdout  # fmt: skip
    header = data.split(b"\n", 3)
    width, height = (int(n) for n in header[1].split())
    pixels = header[3]
    at = (int(y * height) * width + int(x * width)) * 3
    return pixels[at], pixels[at + 1], pixels[at + 2]
