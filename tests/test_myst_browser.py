"""The MyST of books in Chromium: cross-references that move the deck, tabs that switch, and a PDF
whose references are links inside the document."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from conftest import Build
from media import png

DECK = Path(__file__).resolve().parent / "decks" / "verweise.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("verweise")
    shutil.copy(DECK, folder / "verweise.md")
    shutil.copytree(DECK.parent / "teile", folder / "teile")
    png(folder / "bilder" / "eisbaer.png")
    return folder


@pytest.fixture
def deck(built: Path, build: Build, browser: Browser) -> Iterator[tuple[Page, Path]]:
    result = build("verweise.md", cwd=built)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    context = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((built / "_build" / "verweise" / "index.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    page.evaluate("Reveal.configure({transition: 'none'})")
    yield page, built / "_build" / "verweise"
    context.close()
    assert errors == []


def test_references_move_the_deck_and_tabs_switch(deck: tuple[Page, Path]) -> None:
    page, folder = deck
    assert page.text_content("section#folie-bild figcaption") == "\nAbbildung 1: Ein Eisbär spielt Bass\n"
    assert page.text_content("section#eine-tabelle caption") == "Tabelle 1: Werte aus dem Paper"
    assert page.text_content("section#folie-formel .deck-equation-number") == "(1)"
    assert page.locator("section#folie-formel .deck-equation .katex-display").count() == 1
    links = page.locator("section#ueberblick a.deck-xref")
    assert links.all_text_contents() == ["Abbildung 1", "Tabelle 1", "Gleichung (1)", "Eine Formel"]
    page.evaluate("Reveal.slide(1)")
    links.nth(0).click()
    page.wait_for_function("Reveal.getCurrentSlide().id === 'folie-bild'")
    page.evaluate("Reveal.slide(1)")
    links.nth(1).click()
    page.wait_for_function("Reveal.getCurrentSlide().id === 'eine-tabelle'")
    page.evaluate("Reveal.slide(4)")
    second = page.locator("section#folie-formel .deck-tab").nth(1)
    assert page.locator("section#folie-formel .deck-tab-panel").nth(1).is_hidden()
    second.click()
    assert second.get_attribute("aria-selected") == "true"
    assert page.locator("section#folie-formel .deck-tab-panel").nth(1).is_visible()
    assert page.locator("section#folie-formel .deck-tab-panel").nth(0).is_hidden()

    reader = PdfReader(folder / "verweise.pdf")
    text = " ".join(reader.pages[4].extract_text().split())
    assert "Vorwärts Rauschen hinzufügen. Rückwärts Rauschen entfernen." in text  # every tab, one after another
    internal = [
        annot.get_object()["/Dest"] if "/Dest" in annot.get_object() else annot.get_object()["/A"].get("/D")
        for annot in reader.pages[1].get("/Annots", [])
    ]
    assert len(internal) == 4 and all(dest is not None for dest in internal), internal
    uris = [annot.get_object().get("/A", {}).get("/URI") for page in reader.pages for annot in page.get("/Annots", [])]
    assert not any(uris), uris  # no reference left as a file:// link
