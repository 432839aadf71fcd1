"""The MyST of books beyond single fixtures: included files as inputs, paths outside the project, --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import slides_html
from mystdeck.diagnostics import Reporter
from mystdeck.pipeline import Resources, deck_inputs, read_deck


def test_included_files_are_inputs_and_report_their_own_lines(tmp_path: Path, res: Resources) -> None:
    project = tmp_path / "proj"
    (project / "slides").mkdir(parents=True)
    (project / "teile").mkdir()
    (project / "teile" / "teil.md").write_text("## Teil\n\nText {unbekannt}`x`.\n", encoding="utf-8")
    (tmp_path / "draussen.md").write_text("Von draußen.\n", encoding="utf-8")
    deck_path = project / "slides" / "talk.md"
    text = "# T\n\n```{include} ../teile/teil.md\n```\n\n## Mehr\n\n```{include} ../../draussen.md\n```\n"
    deck_path.write_text(text, encoding="utf-8")
    reporter = Reporter()
    deck = read_deck(deck_path, res, reporter)
    files, _folders = deck_inputs(deck)  # what the live preview watches
    assert (project / "teile" / "teil.md").resolve() in files
    assert (tmp_path / "draussen.md").resolve() in files
    messages = [(d.loc.path.name if d.loc else "", d.loc.line if d.loc else 0, d.code) for d in reporter.diagnostics]
    assert ("teil.md", 3, "unknown-role") in messages  # the line in the included file
    assert ("talk.md", 8, "bad-include") in messages  # outside the project folder: said, and read
    assert [slide.title for slide in deck.slides] == ["T", "Teil", "Mehr"]
    assert deck.slides[1].loc.path.name == "teil.md"
    assert "Von draußen." in str([t.content for t in deck.slides[2].body])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# T\n\n## S\n\n```python\nx = 1\n", "deck.md:5: error: this '```' fence is never closed, so it ends"),
        ("# T\n\n## S\n\n{numref}`nirgends`\n", "deck.md:5: error: unknown label 'nirgends'"),
    ],
)
def test_strict_turns_the_new_warnings_into_errors(
    source: str, expected: str, tmp_path: Path, res: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _html, messages = slides_html(source, tmp_path, res, strict=True)
    assert messages[0].startswith(expected), messages


def _cite(deck_path: Path, res: Resources) -> list[str]:
    from mystdeck.pipeline import gather_citations

    reporter = Reporter()
    deck = read_deck(deck_path, res, reporter)
    gather_citations(deck, res, reporter)
    return [str(d) for d in reporter.diagnostics]


def test_the_bibliography_is_the_projects_never_mystdecks_own(
    tmp_path: Path, res: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "proj" / "slides").mkdir(parents=True)
    deck = tmp_path / "proj" / "slides" / "talk.md"
    deck.write_text("# T\n\n## S\n\n{cite}`eigen2024` und [@hoDenoisingDiffusionProbabilistic2020]\n", encoding="utf-8")
    assert _cite(deck, res) == [
        "proj/slides/talk.md:5: warning: the deck cites, but there is no bibliography (looked for "
        "proj/slides/references.bib and proj/references.bib): put a references.bib there or name one with "
        "'bibliography:' in the front matter [bib-missing]"
    ]
    (tmp_path / "proj" / "references.bib").write_text("@misc{eigen2024, title={Eigen}, year={2024}}\n", "utf-8")
    assert _cite(deck, res) == [  # one folder up; mystdeck's own references.bib is never read
        "proj/slides/talk.md:5: warning: citation key not found in proj/references.bib: "
        "hoDenoisingDiffusionProbabilistic2020 [cite-missing]"
    ]
    (tmp_path / "proj" / "slides" / "references.bib").write_text(
        "@misc{eigen2024, title={Eigen}, year={2024}}\n@misc{hoDenoisingDiffusionProbabilistic2020, title={Ho}}\n",
        "utf-8",
    )
    assert _cite(deck, res) == []  # beside the deck comes first


def test_an_equation_may_share_its_label_with_a_slide(tmp_path: Path, res: Resources) -> None:
    """As in Sphinx and MyST: {eq} finds the equation, {ref} the slide (QuantEcon's lectures do this)."""
    source = (
        "(solow)=\n# Das Modell\n\n## Gleichung\n\n```{math}\n:label: solow\nk_{t+1} = g(k_t)\n```\n\n"
        "Siehe {eq}`solow` und {ref}`solow`.\n\n```{math}\n:label: solow\nx\n```\n"
    )
    html, messages = slides_html(source, tmp_path, res)
    assert len(messages) == 1 and "the label 'solow' is given twice (first at " in messages[0]  # two equations
    assert '">(1)</a>' in html and '">Das Modell</a>' in html
