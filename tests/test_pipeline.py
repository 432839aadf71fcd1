"""End to end on the seed deck: python build.py as a presenter runs it, the output read back as files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, SEED, Build


def _sections(html: str) -> list[str]:
    return re.findall(r'<section id="[^"]+"[^>]*>.*?</section>', html, re.DOTALL)


def _top_level_sections(html: str) -> int:
    depth = count = 0
    for tag in re.findall(r"</?section\b", html):
        if tag == "<section":
            count += depth == 0
            depth += 1
        else:
            depth -= 1
    return count


def test_seed_deck_builds_with_every_part(seed_build: Path) -> None:
    html = (seed_build / "index.html").read_text(encoding="utf-8")
    slides = _sections(html)
    assert len(slides) == 19
    assert html.count('class="deck-stack"') == 3  # the three sections with vertical slides
    assert _top_level_sections(html) == 6  # title, 4 sections, References
    assert sum('<aside class="notes">' in s for s in slides) == 8
    assert "Nur kurz zeigen und sagen dass 2 nicht so recht auf 1 aufbaut." in html
    assert "Was ist CLIP und wofuer wird es verwendet?" in html
    assert "Ein grosser Vorteil der Diffusion Modelle gegenüber GANs" in html
    assert "längere Inferenzzeiten" in html
    assert '<html lang="de">' in html
    assert "„nonequilibrium thermodynamics“" in html  # German quotation marks for straight quotes


def test_seed_citations_and_references(seed_build: Path) -> None:
    html = (seed_build / "index.html").read_text(encoding="utf-8")
    assert ">Ho u. a. (2020)</a>" in html  # German: "u. a.", not "et al."
    assert '(<a class="deck-cite" href="#/literatur"' in html and ">Ramesh, 2022</a>)" in html
    references = _sections(html)[-1]
    assert '<section id="literatur"' in references and "<h2>Literatur</h2>" in references
    assert references.count("<li ") == 2
    assert "Ho, Jonathan; Jain, Ajay und Abbeel, Pieter (2020). Denoising Diffusion Probabilistic Models." in references
    assert "<em>How DALL·E 2 Works</em>" in references  # titles keep the case they are written in


def test_seed_has_no_raw_markup_left(seed_build: Path) -> None:
    html = (seed_build / "index.html").read_text(encoding="utf-8")
    for raw in ("{cite", ":::", "{note}", "{figure}", "{mermaid}"):
        assert raw not in html


def test_seed_missing_images_are_placeholders_and_warnings(tmp_path: Path, build: Build) -> None:
    result = build(str(SEED), "--out", str(tmp_path), "--no-pdf")
    assert result.returncode == 0
    lines = [line for line in result.stderr.splitlines() if "[image-missing]" in line]
    assert len(lines) == 6
    assert "slides/dalle2.md:54: warning: image not found: attachments/diffusion.gif" in lines[0]
    html = (tmp_path / "dalle2" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="deck-placeholder"') == 6
    assert 'class="deck-figure-row" style="--deck-count:5;--deck-cols:3"' in html
    assert "Traceback" not in result.stderr


def test_deck_carries_only_what_it_uses_and_nothing_remote(seed_build: Path) -> None:
    files = sorted(str(p.relative_to(seed_build)) for p in seed_build.rglob("*") if p.is_file())
    assert "lib/reveal/reveal.js" in files and "lib/reveal/plugin/notes.js" in files
    assert not any("katex" in f or "highlight" in f for f in files)  # the seed has no math or code
    assert not any(f.startswith("lib/mermaid") for f in files)  # its diagram was drawn at build time
    size = sum((seed_build / f).stat().st_size for f in files)
    assert size < 3 * 1024 * 1024
    html = (seed_build / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)


def test_build_from_another_folder_finds_templates_and_static(tmp_path: Path, build: Build) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text("# Hallo\n\n## Welt\n\n$x^2$ and\n\n```python\nprint(1)\n```\n", encoding="utf-8")
    result = build("talk.md", "--out", "site", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "site" / "talk"
    assert (out / "static" / "mystdeck.css").is_file()
    assert (out / "lib" / "katex" / "katex.min.css").is_file()  # typeset when built: its style sheet, no script
    # Code is coloured when the deck is built: no highlighter script, its colours in the page itself.
    plugins = sorted(path.name for path in (out / "lib" / "reveal" / "plugin").iterdir())
    assert plugins == ["notes.js", "search.js", "zoom.js"]  # no highlight.js
    assert '<span class="nb">print</span>' in (out / "index.html").read_text(encoding="utf-8")
    assert ".reveal .deck-highlight .nb {" in (out / "index.html").read_text(encoding="utf-8")


def test_default_build_takes_every_deck_in_slides(tmp_path: Path, build: Build) -> None:
    (tmp_path / "slides").mkdir()
    for name in ("a", "b"):
        (tmp_path / "slides" / f"{name}.md").write_text(f"# {name}\n\n## x\n", encoding="utf-8")
    result = build("--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "_build" / "a" / "index.html").is_file()
    assert (tmp_path / "_build" / "b" / "index.html").is_file()
    assert "built _build/a/index.html (2 slides, 0 with notes)" in result.stdout


def test_project_templates_override_the_built_in_ones(tmp_path: Path, build: Build) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "slide.html.j2").write_text('<div class="mine">{{ slide.html|safe }}</div>\n')
    (tmp_path / "talk.md").write_text("# T\n\n## S\n", encoding="utf-8")
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '<div class="mine"><h2>S</h2>' in (tmp_path / "_build" / "talk" / "index.html").read_text()


def test_help_and_usage_errors(build: Build) -> None:
    assert "speaker view" in build("--help").stdout
    assert build("--no-such-flag").returncode == 2


def test_readme_syntax_table_is_the_registry() -> None:
    from mystdeck.syntax import END, START, syntax_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme[readme.index(START) : readme.index(END) + len(END)] == syntax_table()


def test_images_are_copied_into_the_deck(tmp_path: Path, build: Build) -> None:
    (tmp_path / "bilder").mkdir()
    (tmp_path / "bilder" / "eisbaer.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    (tmp_path / "talk.md").write_text(
        "# T\n\n## S\n\n:::{figure} bilder/eisbaer.png\nEin Eisbär\n:::\n\n![again](bilder/eisbaer.png)\n",
        encoding="utf-8",
    )
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    out = tmp_path / "_build" / "talk"
    assert (out / "media" / "bilder" / "eisbaer.png").read_bytes() == b"\x89PNG\r\n\x1a\nnot really"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('src="media/bilder/eisbaer.png"') == 2


def test_front_matter_names_the_bibliography(tmp_path: Path, build: Build) -> None:
    (tmp_path / "lit").mkdir()
    (tmp_path / "lit" / "mine.bib").write_text(
        "@book{k, author={Kant, Immanuel}, title={Kritik}, publisher={Hartknoch}, year={1781}}\n"
    )
    (tmp_path / "talk.md").write_text(
        "---\nbibliography: [lit/mine.bib]\n---\n# T\n\n## S\n\n{cite:t}`k`\n", encoding="utf-8"
    )
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ">Kant (1781)</a>" in (tmp_path / "_build" / "talk" / "index.html").read_text(encoding="utf-8")


def test_several_decks_get_an_index_page(tmp_path: Path, build: Build) -> None:
    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "a.md").write_text("---\ntitle: Erster\nauthor: Ada\ndate: 2024-05-01\n---\n## x\n")
    (tmp_path / "slides" / "b.md").write_text("# Zweiter\n\n## y\n")
    result = build("--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")
    assert '<a class="title" href="a/index.html">Erster</a>' in index
    assert "Ada · 2024-05-01 · 2 slides" in index
    assert '<a class="title" href="b/index.html">Zweiter</a>' in index


def test_a_second_build_reads_the_bibliography_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mystdeck import bibread
    from mystdeck.cli import main

    deck = tmp_path / "talk.md"
    deck.write_text("# T\n\n## S\n\n{cite:t}`k`\n", encoding="utf-8")
    bib = tmp_path / "references.bib"
    bib.write_text("@misc{k, author={Kant, Immanuel}, title={Kritik}, year={1781}}\n", encoding="utf-8")
    args = [str(deck), "--out", str(tmp_path / "out"), "--no-pdf"]
    assert main(args) == 0

    def no_parsing(*_args: object) -> None:
        raise AssertionError("the .bib was parsed again")

    monkeypatch.setattr(bibread, "load_bibliography", no_parsing)
    deck.write_text("# T\n\n## S\n\nNow {cite:t}`k` again, elsewhere.\n", encoding="utf-8")
    assert main(args) == 0
    bib.write_text("@misc{k, author={Kant, I.}, title={Kritik}, year={1787}}\n", encoding="utf-8")
    assert main(args) == 1  # a changed .bib is read again
    assert "the .bib was parsed again" in capsys.readouterr().err


def test_the_wheel_bundles_every_front_end_file_a_deck_may_carry(tmp_path: Path) -> None:
    from fnmatch import fnmatch

    from mystdeck import locate
    from mystdeck.assets import FrontEnd
    from mystdeck.diagnostics import SourceLoc
    from mystdeck.model import Deck, Diagram, Formula, FrontMatter, Source
    from mystdeck.source import THEMES

    for theme in THEMES:
        deck = Deck(Source(tmp_path / "d.md", "", FrontMatter(theme=theme), 1))
        deck.parsed.formulas = [Formula("x", False)]  # not typeset: the deck carries the whole of KaTeX
        deck.parsed.diagrams = [Diagram(SourceLoc(tmp_path / "d.md"), "graph LR; a-->b")]  # drawn by the page
        for asset in FrontEnd(locate.FRONT_END).files(deck):
            name = asset.source.relative_to(locate.FRONT_END).as_posix()
            assert any(fnmatch(name, pattern) for pattern in locate.FRONT_END_FILES), name
