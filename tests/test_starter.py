"""``mystdeck new``: a starter project in the language asked for, never over a file that is there; and the
help that names the command as it was called."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Build
from mystdeck.cli import program_name
from mystdeck.diagnostics import Reporter
from mystdeck.pipeline import Resources, prepare_deck
from mystdeck.starter import default_language


def test_a_german_starter_is_written_once(tmp_path: Path, build: Build) -> None:
    """(That it builds with no warning, diagram and PDF included, the wheel test shows with the installed
    command.)"""
    made = build("new", "vortrag", "--lang", "de", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    for name in ("slides/vortrag.md", "references.bib", "images/beispiel.png", ".gitignore"):
        assert (tmp_path / name).is_file(), name
    text = (tmp_path / "slides" / "vortrag.md").read_text(encoding="utf-8")
    assert "lang: de" in text and ":::{note}" in text and "```{mermaid}" in text and "{cite:p}" in text
    assert "hoDenoisingDiffusionProbabilistic2020" in (tmp_path / "references.bib").read_text(encoding="utf-8")
    assert (tmp_path / "images" / "beispiel.png").read_bytes().startswith(b"\x89PNG")
    again = build("new", "vortrag", cwd=tmp_path)
    assert again.returncode == 1
    assert "slides/vortrag.md, references.bib, images/beispiel.png, .gitignore already there" in again.stderr
    assert build("new", "../weg", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({"LANG": "de_DE.UTF-8"}, "de"), ({"LC_ALL": "de_AT"}, "de"), ({"LANG": "fr_FR.UTF-8"}, "en"), ({}, "en")],
)
def test_the_starter_language_follows_the_environment(environ: dict[str, str], expected: str) -> None:
    assert default_language(environ) == expected


@pytest.mark.parametrize(
    ("argv0", "expected"),
    [
        ("build.py", "python build.py"),
        ("/home/a/talks/build.py", "python build.py"),
        ("/usr/lib/python3/site-packages/mystdeck/__main__.py", "python -m mystdeck"),
        ("/home/a/.local/bin/mystdeck", "mystdeck"),
        ("C:\\Users\\a\\Scripts\\mystdeck.exe", "mystdeck"),
    ],
)
def test_the_help_names_the_command_as_it_was_called(argv0: str, expected: str) -> None:
    assert program_name(argv0) == expected


def test_a_notebook_starter_builds_with_no_warning(tmp_path: Path, build: Build, res: Resources) -> None:
    made = build("new", "vortrag", "--lang", "de", "--notebook", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "slides" / "vortrag.ipynb").is_file() and not (tmp_path / "slides" / "vortrag.md").exists()
    reporter = Reporter()
    deck = prepare_deck(tmp_path / "slides" / "vortrag.ipynb", res, reporter)
    assert reporter.diagnostics == [] and deck.source.front.lang == "de"
    assert '<pre class="deck-output deck-output-stdout">30</pre>' in "".join(slide.html for slide in deck.slides)
