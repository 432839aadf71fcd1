"""Formulas typeset when the deck is built: kept in the cache, and without Node.js left to the deck."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mystdeck import formulas
from mystdeck.cli import main
from mystdeck.starter import png_bytes

DECK = "# T\n\n## S\n\n$$\\mathbb{R}$$ and $x^2$\n\n:::{note}\nIm Kopf: $\\alpha$.\n:::\n"


def _build(folder: Path) -> str:
    assert main([str(folder / "talk.md"), "--out", str(folder / "out"), "--no-pdf"]) == 0
    return (folder / "out" / "talk" / "index.html").read_text(encoding="utf-8")


def test_typeset_formulas_come_from_the_cache_in_a_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "talk.md").write_text(DECK, encoding="utf-8")
    first = _build(tmp_path)
    assert first.count('class="deck-math deck-math-done"') == 3 and 'class="katex"' in first  # the note's too
    fonts = sorted(p.name for p in (tmp_path / "out" / "talk" / "lib" / "katex" / "fonts").iterdir())
    assert fonts == ["KaTeX_AMS-Regular.woff2", "KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"]

    def no_node(*args: Any) -> None:
        raise AssertionError("typeset again")

    monkeypatch.setattr(formulas, "_start_katex", no_node)
    assert _build(tmp_path) == first


def test_without_node_the_deck_carries_katex_and_typesets_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "talk.md").write_text(DECK, encoding="utf-8")
    monkeypatch.setattr(formulas, "node_executable", lambda: None)
    html = _build(tmp_path)
    assert '<span class="deck-math" data-display="false">x^2</span>' in html and "katex-html" not in html
    katex = tmp_path / "out" / "talk" / "lib" / "katex"
    assert (katex / "katex.min.js").is_file() and len(list((katex / "fonts").iterdir())) == 20


def test_a_formula_katex_cannot_read_is_shown_as_written(tmp_path: Path) -> None:
    (tmp_path / "talk.md").write_text("# T\n\n## S\n\n$\\frac{1}{$ and $\\nosuchmacro$\n", encoding="utf-8")
    html = _build(tmp_path)
    assert "katex-error" in html  # KaTeX shows its own message in place, as the deck did when it typeset


def test_a_deck_whose_only_formula_and_image_are_in_its_footer_carries_katex_and_the_image(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png_bytes(4, 4))
    front = '---\nfooter: "$\\\\alpha$ · ![Logo](logo.png)"\n---\n'
    (tmp_path / "talk.md").write_text(front + "# T\n\n## S\n\nText.\n", encoding="utf-8")
    html = _build(tmp_path)
    footer = html[html.index('<div class="deck-footer">') :].split("</div>\n", 1)[0]
    assert 'class="deck-math deck-math-done"' in footer and 'class="katex"' in footer
    assert '<img src="media/logo.png" alt="Logo" />' in footer
    deck = tmp_path / "out" / "talk"
    assert (deck / "lib" / "katex" / "katex.min.css").is_file() and (deck / "media" / "logo.png").is_file()
    assert [p.name for p in (deck / "lib" / "katex" / "fonts").iterdir()] == ["KaTeX_Math-Italic.woff2"]


def test_a_formula_in_a_reference_title_is_typeset_and_its_fonts_shipped(tmp_path: Path) -> None:
    (tmp_path / "references.bib").write_text(
        "@article{m, title={Über $\\alpha$-Zerfall}, author={Curie, Marie}, journal={Annalen}, year={1903}}\n",
        encoding="utf-8",
    )
    (tmp_path / "talk.md").write_text("# T\n\n## S\n\n{cite:t}`m`\n", encoding="utf-8")
    html = _build(tmp_path)
    listed = html[html.index('<li id="ref-m">') :].split("</li>", 1)[0]
    assert 'class="deck-math deck-math-done"' in listed and 'class="katex"' in listed
    assert 'title="Curie, Marie (1903). Über $\\alpha$-Zerfall. In: Annalen."' in html  # the hover text: TeX
    fonts = [p.name for p in (tmp_path / "out" / "talk" / "lib" / "katex" / "fonts").iterdir()]
    assert fonts == ["KaTeX_Math-Italic.woff2"]


def test_macros_of_the_front_matter_reach_every_formula_and_a_bad_one_is_a_warning_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    front = "---\nmath:\n  '\\R': '\\mathbb{R}'\n  '\\d': '\\mathrm{d}'\n  '\\halb': '\\frac{#1'\n---\n"
    body = "# T\n\n## S\n\n$x \\in \\R$, $\\int f \\d x$ and $\\def\\eins{1}\\eins$\n\n:::{note}\n$\\d y$\n:::\n"
    (tmp_path / "talk.md").write_text(front + body, encoding="utf-8")
    html = _build(tmp_path)
    assert html.count('<span class="mord mathrm">d</span>') == 2  # on the slide and in the note
    assert '<span class="mord mathbb">R</span>' in html and "katex-error" not in html
    err = capsys.readouterr().err
    assert "talk.md:5: warning: front matter 'math': KaTeX cannot read the macro \\halb: " in err
    assert "[bad-front-matter]" in err and err.count("warning") == 1
    # A changed macro typesets again (the cache knows the macros).
    (tmp_path / "talk.md").write_text(front.replace("\\mathrm{d}", "\\mathbf{d}") + body, encoding="utf-8")
    again = _build(tmp_path)
    assert '<span class="mord mathrm">d</span>' not in again and again.count('<span class="mord mathbf">d</span>') == 2
