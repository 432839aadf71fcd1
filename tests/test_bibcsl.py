"""CSL styles: the reference list and the citations as the style writes them, in the deck's language, compared
with what citeproc-js (the processor Zotero uses) makes of the same works (tests/fixtures/csl/, written by
tests/update_csl_reference.py)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page
from update_csl_reference import CITATIONS, KEYS, STYLES, WORKS

from conftest import Build
from mystdeck import bibcsl, bibread, bibstyle
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Cite, CiteForm
from mystdeck.pipeline import Resources, prepare_deck

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Where citeproc-py (mystdeck's processor) and citeproc-js disagree, as the README says.
KNOWN_DIFFERENCES = {
    ("apa", "weber2021"): "an empty group is not left out: a thesis reads '(Publication) [Dissertation]'",
    ("apa", "koch2019"): "ordinals are English in every language: '(2nd Aufl.)', not '(2. Aufl.)'",
}


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


@pytest.mark.parametrize(("style", "locale"), STYLES)
def test_entries_and_citations_read_as_citeproc_js_writes_them(style: str, locale: str) -> None:
    reference = json.loads((FIXTURES / "csl" / f"{style}-{locale}.json").read_text(encoding="utf-8"))
    bib = bibread.load_bibliography([WORKS], Reporter())
    bibstyle.with_people(bib, KEYS)
    loc = SourceLoc(WORKS)
    cites = [
        Cite(SourceLoc(WORKS, n), CiteForm("p"), [("", key, f"S. {page}" if page else "") for key, page in citation])
        for n, citation in enumerate(CITATIONS)
    ]
    reporter = Reporter()
    path = bibcsl.find_style(style, WORKS.parent)
    assert path is not None
    styled = bibcsl.format_csl(path, KEYS, cites, bib, locale, reporter, loc)
    assert styled is not None and reporter.diagnostics == []
    differences = {}
    for key in KEYS:
        ours, theirs = _plain(styled.references[key].html), _plain(reference["bibliography"][key])
        if ours != theirs:
            differences[(style, key)] = (ours, theirs)
    assert set(differences) == {k for k in KNOWN_DIFFERENCES if k[0] == style}, differences
    assert [_plain(c) for c in styled.citations] == [_plain(c) for c in reference["citations"]]


def test_a_german_deck_in_din_1505_2_and_in_apa(tmp_path: Path, res: Resources) -> None:
    (tmp_path / "references.bib").write_bytes(WORKS.read_bytes())
    text = "# T\n\n## S\n\n{cite:p}`mueller2020` [vgl. @koch2019, S. 12] {cite:t}`weber2021` {cite:t}`mueller2020`\n"
    shown = {}
    for style in ("din-1505-2", "apa"):
        (tmp_path / f"{style}.md").write_text(f"---\nlang: de\nbibliography-style: {style}\n---\n{text}", "utf-8")
        reporter = Reporter()
        deck = prepare_deck(tmp_path / f"{style}.md", res, reporter)
        assert reporter.diagnostics == []
        shown[style] = (_plain(deck.slides[1].html), [_plain(r.html) for r in deck.references.values()])
    din, apa = shown["din-1505-2"], shown["apa"]
    assert din[0] == "S (Müller u. a., 2020) (vgl. Koch, 2019, S. 12) Weber (2021) Müller u. a. (2020)"
    assert (
        din[1][0]
        == "Koch, Sabine: Quantenmechanik für Einsteiger. Eine Einführung. 2. Aufl. Berlin : Springer Spektrum, 2019"
    )
    assert apa[0] == "S (Müller et al., 2020) (vgl. Koch, 2019, S. 12) Weber (2021) Müller et al. (2020)"  # APA's own
    assert (
        apa[1][0] == "Koch, S. (2019). Quantenmechanik für Einsteiger. Eine Einführung (2nd Aufl.). Springer Spektrum."
    )


def test_a_numeric_style_numbers_the_list_and_the_textual_citation(tmp_path: Path, res: Resources) -> None:
    (tmp_path / "references.bib").write_bytes(WORKS.read_bytes())
    deck_text = (
        "---\nlang: en\nbibliography-style: ieee\n---\n# T\n\n## S\n\n{cite:t}`mueller2020`, {cite:p}`koch2019`\n"
    )
    (tmp_path / "talk.md").write_text(deck_text, encoding="utf-8")
    reporter = Reporter()
    deck = prepare_deck(tmp_path / "talk.md", res, reporter)
    assert _plain(deck.slides[1].html) == "S Müller et al. [1], [2]"
    assert [r.label for r in deck.references.values()] == ["[1]", "[2]"]
    assert _plain(deck.references["koch2019"].html).startswith("S. Koch, Quantenmechanik für Einsteiger")


def test_a_bib_cannot_put_markup_into_a_csl_list(tmp_path: Path, res: Resources) -> None:
    (tmp_path / "references.bib").write_text(
        '@book{x, title={Gut <script>alert(1)</script> "und" <img src=x onerror=alert(2)>}, year={2020}}\n',
        encoding="utf-8",
    )
    (tmp_path / "talk.md").write_text("---\nbibliography-style: apa\n---\n# T\n\n## S\n\n{cite}`x`\n", "utf-8")
    deck = prepare_deck(tmp_path / "talk.md", res, Reporter())
    listed = deck.references["x"].html
    assert "<script" not in listed and "<img" not in listed and "&lt;script&gt;" in listed


def test_an_unknown_style_is_a_warning_with_the_closest_names(tmp_path: Path, res: Resources) -> None:
    (tmp_path / "references.bib").write_bytes(WORKS.read_bytes())
    (tmp_path / "talk.md").write_text(
        "---\nbibliography-style: din-1505\n---\n# T\n\n## S\n\n{cite}`koch2019`\n", "utf-8"
    )
    reporter = Reporter()
    deck = prepare_deck(tmp_path / "talk.md", res, reporter)
    [warning] = [str(d) for d in reporter.diagnostics]
    assert "talk.md:2: warning: bibliography style 'din-1505' is not known (did you mean din-1505-2" in warning
    assert warning.endswith("using author-year [bad-style]")
    assert _plain(deck.references["koch2019"].html).startswith("Koch, Sabine (2019).")


def test_a_csl_list_shows_its_italics_in_the_browser(tmp_path: Path, reused_page: Page, build: Build) -> None:
    (tmp_path / "references.bib").write_bytes(WORKS.read_bytes())
    (tmp_path / "talk.md").write_text("---\nbibliography-style: apa\n---\n# T\n\n## S\n\n{cite}`koch2019`\n", "utf-8")
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 0
    page = reused_page
    page.goto((tmp_path / "_build" / "talk" / "index.html").as_uri() + "#/references")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    style = "getComputedStyle(document.querySelector('ol.deck-references i')).fontStyle"
    assert page.evaluate(style) == "italic"  # the themes reset <i>, which CSL styles write
