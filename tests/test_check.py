"""--check: every problem of every deck as file:line, exit 1 when there is any, and nothing written."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED, Build
from mystdeck.diagnostics import Reporter

PROBLEMS = """\
# T

## Bild

![x](fehlt.png)

## Zitat

{cite}`gibtesnicht`

## Direktive

:::{youtube} abc
:::

## Rolle

{foo}`bar`

## Diagramm

:::{mermaid}
graph LR
    A --> {{kaputt
:::

## Zu lang

PARAGRAPHS
"""


def test_check_reports_each_problem_with_its_line(tmp_path: Path, chromium: Path, build: Build) -> None:
    body = "\n\n".join(f"Absatz {n}, der viel zu viel sagt." for n in range(40))
    (tmp_path / "talk.md").write_text(PROBLEMS.replace("PARAGRAPHS", body), encoding="utf-8")
    (tmp_path / "references.bib").write_text("@misc{da, title={Da}, year={2020}}\n", encoding="utf-8")
    result = build("talk.md", "--check", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    expected = [
        "talk.md:5: warning: image not found: fehlt.png",
        "talk.md:9: warning: citation key not found in references.bib: gibtesnicht",
        "talk.md:13: warning: unknown directive 'youtube'",
        "talk.md:18: warning: unknown role '{foo}'",
        "talk.md:24: warning: mermaid cannot draw this diagram: Parse error on line 2",
        "talk.md:27: warning: slide 'Zu lang' does not fit its page",
    ]
    assert len(lines) == len(expected), result.stderr
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)
    assert result.stdout.strip() == "6 problems found"
    assert not (tmp_path / "_build").exists()


def test_check_on_the_seed_lists_the_missing_images_and_nothing_else(
    tmp_path: Path, chromium: Path, build: Build
) -> None:
    result = build(str(SEED), "--check", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 6 and all("[image-missing]" in line for line in lines)
    assert not (tmp_path / "_build").exists()


def test_check_without_a_browser_reports_only_the_deck(tmp_path: Path, build: Build) -> None:
    from conftest import no_browser_env

    (tmp_path / "talk.md").write_text("# T\n\n## S\n\n![x](fehlt.png)\n", encoding="utf-8")
    result = build("talk.md", "--check", cwd=tmp_path, env=no_browser_env(tmp_path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "talk.md:5: warning: image not found: fehlt.png (shown as a placeholder) [image-missing]"
    ]


def test_check_on_sphinx_documentation_and_a_course_lecture_notes_only_what_has_no_slide_meaning(
    tmp_path: Path, build: Build
) -> None:
    """A chapter written for Sphinx and a Jupyter Book lecture (a MyST notebook with gated exercises and hidden
    solutions): no unknown role or directive, no problem; --check notes what a slide leaves out on purpose."""
    from conftest import no_browser_env

    decks = Path(__file__).resolve().parent / "decks"
    result = build(str(decks / "sphinx-doc.md"), str(decks / "course.md"), "--check", cwd=tmp_path,
                   env=no_browser_env(tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    notes = [line.split(": note: ")[1] for line in result.stderr.splitlines()]
    assert notes == [
        "{sectnum} has no meaning on a slide: left out [left-out]",
        "{default-domain} has no meaning on a slide: left out [left-out]",
        "'api/model' points outside the deck (a page of the book): its text is shown without a link [outside-deck]",
        "{only} has no meaning on a slide: left out [left-out]",
        "{index} has no meaning on a slide: left out [left-out]",
        "'konvergenz' points outside the deck (a page of the book): its text is shown without a link [outside-deck]",
    ]
    assert result.stdout.strip() == "no problems found (6 notes: left out on purpose)"
    quiet = Reporter()  # a build's reporter keeps no notes
    quiet.note(None, "left out", "left-out")
    assert quiet.diagnostics == []
