"""Jupyter notebooks as decks: cells, RISE's slide types, stored outputs of every type, cell tags, the notebook's
metadata, and messages at the line of the .ipynb file an editor shows."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from conftest import Build
from mystdeck.diagnostics import Reporter
from mystdeck.pipeline import Resources, prepare_deck
from mystdeck.starter import png_bytes


def _markdown(source: str, slide_type: str | None = None) -> dict[str, Any]:
    metadata = {"slideshow": {"slide_type": slide_type}} if slide_type else {}
    return {"cell_type": "markdown", "metadata": metadata, "source": source}


def _code(source: str, outputs: list[dict[str, Any]], tags: list[str] | None = None, slide_type: str = "") -> dict:
    metadata: dict[str, Any] = {"tags": tags} if tags else {}
    if slide_type:
        metadata["slideshow"] = {"slide_type": slide_type}
    return {"cell_type": "code", "execution_count": 1, "metadata": metadata, "outputs": outputs, "source": source}


def _write(path: Path, cells: list[dict[str, Any]], metadata: dict[str, Any] | None = None) -> Path:
    """A notebook as Jupyter writes it: nbformat's own writer, one source line to a file line."""
    import nbformat

    notebook = nbformat.v4.new_notebook(metadata=metadata or {})
    for cell in cells:
        made = nbformat.from_dict({**cell, "id": f"c{len(notebook.cells)}"})
        notebook.cells.append(made)
    nbformat.write(notebook, str(path))
    return path


PNG = base64.b64encode(png_bytes(8, 8)).decode("ascii")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
TABLE = '<table><tr onclick="alert(1)"><th>a</th></tr><tr><td>1</td></tr></table><script>alert(2)</script>'
OUTPUTS = [
    {"output_type": "stream", "name": "stdout", "text": ["Hallo aus der Zelle\n"]},
    {"output_type": "display_data", "metadata": {}, "data": {"image/png": PNG, "text/plain": "<Figure>"}},
    {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": SVG}},
    {"output_type": "display_data", "metadata": {"image/jpeg": {"width": 200}},
     "data": {"image/jpeg": base64.b64encode(b"\xff\xd8\xff\xe0 ein JPEG").decode("ascii")}},
    {"output_type": "execute_result", "execution_count": 1, "metadata": {},
     "data": {"text/html": TABLE, "text/plain": "   a\n0  1"}},
    {"output_type": "display_data", "metadata": {}, "data": {"text/markdown": "**fett** aus Markdown"}},
    {"output_type": "display_data", "metadata": {}, "data": {"text/latex": "$$x^2 + 1$$", "text/plain": "x**2+1"}},
    {"output_type": "display_data", "metadata": {},
     "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "IntSlider(value=3)"}},
    {"output_type": "error", "ename": "ValueError", "evalue": "\u001b[31mkaputt\u001b[0m", "traceback": []},
]  # fmt: skip


def _deck(tmp_path: Path, res: Resources, cells: list[dict[str, Any]], metadata: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "talk.ipynb", cells, metadata)
    reporter = Reporter()
    return prepare_deck(path, res, reporter), [str(d) for d in reporter.diagnostics], path


def test_every_output_type_shows_the_richest_form_the_deck_can(tmp_path: Path, res: Resources) -> None:
    deck, messages, path = _deck(tmp_path, res, [_markdown("## Ausgaben"), _code("rechne()", OUTPUTS)])
    html = deck.slides[0].html
    assert '<pre class="deck-output deck-output-stdout">Hallo aus der Zelle</pre>' in html
    files = {name.rsplit(".", 1)[1]: name for name in deck.parsed.made_files}  # written into the deck as files
    png, svg, jpg = files["png"], files["svg"], files["jpg"]
    assert png.startswith("media/outputs/") and f'src="{png}"' in html and f'src="{svg}"' in html
    assert deck.parsed.made_files[png] == png_bytes(8, 8) and b"<rect" in deck.parsed.made_files[svg]
    assert f'src="{jpg}" alt="" style="width:200px"' in html  # the width Jupyter stored with it
    assert "<table><tr><th>a</th></tr>" in html and "onclick" not in html and "alert(2)" not in html
    assert "<strong>fett</strong> aus Markdown" in html
    assert '<div class="deck-math" data-display="true">x^2 + 1</div>' in html  # typeset like the deck's own
    assert "IntSlider(value=3)" in html and "model_id" not in html
    assert '<pre class="deck-output deck-output-error">ValueError: kaputt</pre>' in html
    line = _line_of(path, "rechne()")
    assert messages == [
        f"{path}:{line}: warning: a cell's HTML output held a <script> and an event handler, which a slide does "
        "not run: left out [output-html]"
    ]


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def test_rise_slide_types_cut_the_notebook(tmp_path: Path, res: Resources) -> None:
    cells = [
        _markdown("# Titel", "slide"),
        _markdown("## Eins", "slide"),
        _code("1 + 1", [], slide_type="fragment"),
        _markdown("im selben Schritt", "-"),
        _markdown("Notiz für mich", "notes"),
        _markdown("### Unten", "subslide"),
        _markdown("weg damit", "skip"),
        _markdown("## Zwei\n\n## Keine neue Folie", "slide"),
    ]
    deck, messages, _path = _deck(tmp_path, res, cells)
    assert messages == []
    assert [[s.title for s in stack.slides] for stack in deck.stacks] == [["Titel"], ["Eins", "Unten"], ["Zwei"]]
    eins = deck.slides[1]
    assert '<div class="fragment">' in eins.html and "im selben Schritt" in eins.html
    assert "Notiz für mich" in eins.notes_html and "Notiz" not in eins.html
    assert "weg damit" not in "".join(s.html for s in deck.slides)
    assert "Keine neue Folie" in deck.slides[-1].html  # headings do not cut a notebook with slide types


def test_tags_remove_fold_and_keep(tmp_path: Path, res: Resources) -> None:
    stream = [{"output_type": "stream", "name": "stdout", "text": "AUSGABE\n"}]
    cells = [_markdown("## S")] + [
        _code(f"code_{tag.replace('-', '_')}()", stream, [tag])
        for tag in ("remove-input", "remove-output", "remove-cell", "hide-input", "hide-output")
    ]
    deck, messages, _path = _deck(tmp_path, res, cells, {"language": "de"})
    html = deck.slides[0].html
    assert messages == []
    assert "code_remove_input" not in html and "code_remove_cell" not in html and "code_remove_output" in html
    assert html.count("AUSGABE") == 3  # not after remove-output or remove-cell
    assert html.count('<details class="deck-dropdown deck-cell-toggle">') == 2
    assert "<summary>Code anzeigen</summary>" in html and "<summary>Ausgabe anzeigen</summary>" in html


def test_the_notebooks_metadata_gives_title_authors_language_and_reveal_settings(
    tmp_path: Path, res: Resources
) -> None:
    metadata = {
        "title": "Vortrag aus dem Notizbuch",
        "authors": [{"name": "Erika Mustermann"}, {"name": "Max Muster"}],
        "language": "de",
        "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"},
        "rise": {"transition": "fade", "slideNumber": "c", "autolaunch": True},
    }
    deck, messages, _path = _deck(tmp_path, res, [_markdown("## Eins"), _code("x = 1", [])], metadata)
    front = deck.source.front
    assert messages == []
    assert (front.title, front.author, front.lang, front.kernel_language) == (
        "Vortrag aus dem Notizbuch",
        "Erika Mustermann, Max Muster",
        "de",
        "python",
    )
    assert front.reveal == {"transition": "fade", "slideNumber": "c"}
    assert deck.slides[0].kind == "title" and "language-python" in deck.slides[1].html


def test_a_mistake_in_a_cell_is_reported_at_its_line_in_the_file(tmp_path: Path, res: Resources) -> None:
    cells = [_markdown("## Eins"), _code("x = 1", []), _markdown("## Zwei\n\nSiehe {numref}`nirgends`.")]
    messages, path = _deck(tmp_path, res, cells)[1:]
    line = _line_of(path, "nirgends")
    assert messages == [f"{path}:{line}: warning: unknown label 'nirgends': give a slide '(label)=' or a figure "
                        "':label:' [unknown-label]"]  # fmt: skip


def test_a_broken_notebook_is_a_message(tmp_path: Path, build: Build) -> None:
    (tmp_path / "talk.ipynb").write_text('{"cells": [\n  {"cell_type": "markdown",\n', encoding="utf-8")
    result = build("talk.ipynb", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert re.search(r"talk\.ipynb:\d+: error: not a notebook: .*: save it again from Jupyter", result.stderr)


def test_outputs_fit_their_slide_a_folded_input_opens_and_a_fragment_output_waits_for_its_click(
    tmp_path: Path, reused_page: Page, build: Build
) -> None:
    stream = [{"output_type": "stream", "name": "stdout", "text": "ERGEBNIS\n"}]
    cells = [
        _markdown("## Ausgaben"),
        _code("zeichne()", OUTPUTS[:5], ["hide-input"]),
        _markdown("## Klick"),
        _code("#| output-location: fragment\nklick()", stream),
    ]
    _write(tmp_path / "talk.ipynb", cells, {"language": "de"})
    result = build("talk.ipynb", "--no-pdf", cwd=tmp_path)
    assert "output-html" in result.stderr and result.returncode == 0
    deck = tmp_path / "_build" / "talk"
    assert len(list((deck / "media" / "outputs").iterdir())) == 3
    page = reused_page
    page.goto((deck / "index.html").as_uri() + "#/ausgaben")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    fits = "(() => { const s = Reveal.getCurrentSlide(); return s.scrollHeight <= Reveal.getConfig().height; })()"
    assert page.evaluate(fits)
    assert page.evaluate("document.querySelector('details.deck-cell-toggle').open") is False
    page.click("details.deck-cell-toggle summary")
    assert page.evaluate("document.querySelector('details.deck-cell-toggle').open") is True
    assert page.is_visible("details.deck-cell-toggle code")
    page.keyboard.press("ArrowRight")  # to the next slide: its output waits for a click
    page.wait_for_function("Reveal.getCurrentSlide().id === 'klick'")
    visible = "getComputedStyle(document.querySelector('#klick pre.deck-output-stdout').parentElement).visibility"
    assert page.evaluate(visible) == "hidden"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"{visible} === 'visible'")


@pytest.mark.parametrize("name", ["slides/talk.ipynb"])
def test_the_default_run_builds_notebooks_beside_markdown(name: str, tmp_path: Path, build: Build) -> None:
    (tmp_path / "slides").mkdir()
    _write(tmp_path / name, [_markdown("## Eins")])
    (tmp_path / "slides" / "other.md").write_text("# T\n\n## S\n", encoding="utf-8")
    result = build("--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "_build" / "talk" / "index.html").is_file() and (tmp_path / "_build" / "other").is_dir()
    assert json.loads((tmp_path / "_build" / "talk" / ".mystdeck.json").read_text(encoding="utf-8"))["slides"] == 1


STREAM = [{"output_type": "stream", "name": "stdout", "text": "ERGEBNIS\n"}]


def test_output_location_puts_outputs_on_a_click_on_a_slide_of_their_own_or_beside_the_code(
    tmp_path: Path, res: Resources
) -> None:
    cells = [
        _markdown("## Klick"),
        _code("#| output-location: fragment\nklick()", STREAM),
        _markdown("## Folie"),
        _code("#| output-location: slide\nfolie()", STREAM),
        _markdown("## Spalte"),
        _code("#| output-location: column\nspalte()", STREAM),
    ]
    deck, messages, _path = _deck(tmp_path, res, cells)
    assert messages == []
    assert [s.title for s in deck.slides] == ["Klick", "Folie", "Folie", "Spalte"]
    klick, folie, folie_output, spalte = deck.slides
    assert '<div class="fragment">\n<pre class="deck-output deck-output-stdout">ERGEBNIS</pre>' in klick.html
    assert "output-location" not in klick.html  # Quarto's option lines are read, not shown
    assert "folie()" in folie.html and "ERGEBNIS" not in folie.html and "ERGEBNIS" in folie_output.html
    assert spalte.html.count('<div class="deck-output-column">') == 2 and "deck-output-columns" in spalte.html


def test_myst_nb_figure_options_caption_and_number_an_image_output(tmp_path: Path, res: Resources) -> None:
    png = [{"output_type": "display_data", "metadata": {}, "data": {"image/png": PNG}}]
    figure = {"mystnb": {"figure": {"caption": "Eine *Kurve*", "name": "kurve"}, "image": {"alt": "Kurve"}}}
    cell = _code("zeichne()", png)
    cell["metadata"].update(figure)
    deck, messages, _path = _deck(tmp_path, res, [_markdown("## S\n\nSiehe {numref}`kurve`."), cell])
    assert messages == []
    html = deck.slides[0].html
    assert '<figure class="deck-figure deck-output-figure" id="kurve">' in html and 'alt="Kurve"' in html
    assert "<figcaption>\n" in html and "Eine <em>Kurve</em>" in html
    assert '<a class="deck-xref" href="#/s">Figure 1</a>' in html


def test_myst_nb_cell_options_and_rise_settings_in_a_text_notebook(tmp_path: Path, res: Resources) -> None:
    err = [
        {"output_type": "stream", "name": "stdout", "text": "gut\n"},
        {"output_type": "stream", "name": "stderr", "text": "Warnung\n"},
    ]
    options = {"output_stderr": "remove", "number_source_lines": True, "code_prompt_show": "Quelltext"}
    cell = _code("a = 1\nb = 2", err, ["hide-input"])
    cell["metadata"]["mystnb"] = options
    deck, messages, _path = _deck(tmp_path, res, [_markdown("## S"), cell])
    html = deck.slides[0].html
    assert messages == [] and "gut" in html and "Warnung" not in html
    assert "<summary>Quelltext</summary>" in html and 'class="deck-highlight deck-linenos"' in html
    (tmp_path / "text.md").write_text(
        "---\nkernelspec: {name: python3, language: python}\nrise: {theme: serif, transition: zoom, autolaunch: true}"
        "\n---\n## S\n",
        encoding="utf-8",
    )
    reporter = Reporter()
    front = prepare_deck(tmp_path / "text.md", res, reporter).source.front
    assert (front.theme, front.reveal, reporter.diagnostics) == ("serif", {"transition": "zoom"}, [])
