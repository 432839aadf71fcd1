"""The outline stage and what the page gets from it: sections, agenda slides, places, plugins and the script's setup."""

from __future__ import annotations

from pathlib import Path

from conftest import slides_html
from mystdeck import page
from mystdeck.diagnostics import Reporter
from mystdeck.pipeline import Resources, deck_files, prepare_deck


def _deck(tmp_path: Path, text: str, res: Resources):  # type: ignore[no-untyped-def]
    slides_html(text, tmp_path, res)  # writes deck.md and the fixture files beside it
    return prepare_deck(tmp_path / "deck.md", res, Reporter())


def test_zoom_and_search_are_carried_and_started_unless_switched_off(tmp_path: Path, res: Resources) -> None:
    deck = _deck(tmp_path, "## S\n\nText.\n", res)
    targets = [asset.target for asset in deck_files(deck, res)]
    assert [t for t in targets if "/plugin/" in t] == [f"lib/reveal/plugin/{n}.js" for n in ("notes", "zoom", "search")]
    assert page.deck_setup(deck)["plugins"] == ["RevealNotes", "RevealZoom", "RevealSearch"]
    off = _deck(tmp_path, "---\nreveal: {zoom: false, search: false, transition: fade}\n---\n## S\n\nText.\n", res)
    assert [t for t in (a.target for a in deck_files(off, res)) if "/plugin/" in t] == ["lib/reveal/plugin/notes.js"]
    assert page.deck_setup(off)["plugins"] == ["RevealNotes"]
    options = page.reveal_options(off)
    assert "zoom" not in options and "search" not in options and options["transition"] == "fade"


def test_slide_number_formats_reach_reveal(tmp_path: Path, res: Resources) -> None:
    for written, given in (("c", "c"), ("h.v", "h.v"), ("false", False), ("section", "section")):
        deck = _deck(tmp_path, f"---\nslide-number: {written}\n---\n## S\n\nText.\n", res)
        assert page.reveal_options(deck)["slideNumber"] == given
    assert page.reveal_options(_deck(tmp_path, "## S\n\nText.\n", res))["slideNumber"] == "c/t"


def test_the_menu_gets_the_sections_short_titles_and_words_in_the_decks_language(
    tmp_path: Path, res: Resources
) -> None:
    text = "---\nlang: de\nmath: {'\\R': '\\mathbb{R}'}\n---\n"
    text += '## Einführung in die Theorie {short="Theorie"}\n\n## A\n\nText.\n'
    setup = page.deck_setup(_deck(tmp_path, text, res))
    assert setup["sections"] == ["einfuehrung-in-die-theorie"]
    assert setup["short"] == {"einfuehrung-in-die-theorie": "Theorie"}
    assert setup["macros"] == {"\\R": "\\mathbb{R}"}
    assert setup["words"]["filter"] == "Folien nach Titel oder Text filtern" and setup["words"]["search"] == "Suchen"
