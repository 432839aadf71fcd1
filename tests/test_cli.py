"""Bad input and failed builds: a clear file:line message and exit 1, never a traceback or a lost deck."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED, Build
from mystdeck.cli import main

CASES = {
    "broken YAML": ("---\ntitle: [unclosed\n---\n# T\n", "talk.md:2: error: front matter"),
    "front matter never closed": (
        "---\ntitle: x\n# T\n",
        "talk.md:1: error: the front matter opened here is never closed",
    ),
    "front matter not a mapping": ("---\n- a\n---\n# T\n", "talk.md:2: error: front matter must be"),
    "unclosed fence swallowing slides": (
        "# T\n\n## S\n\n```{code-block} python\nx = 1\n\n## Weiter\n\nText\n",
        "talk.md:5: error: this '```' fence is never closed",
    ),
    "empty file": ("\n  \n", "talk.md:1: error: the file is empty"),
    "NUL in the front matter": (
        "---\ntitle: T\nfooter: a\x00b\n---\n## S\n",
        "talk.md:3: error: front matter: an invisible character (U+0000) is not allowed: fix the YAML",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_markdown(name: str, tmp_path: Path, build: Build) -> None:
    text, expected = CASES[name]
    (tmp_path / "talk.md").write_text(text, encoding="utf-8")
    result = build("talk.md", cwd=tmp_path)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "_build" / "talk").exists()


def test_not_utf8(tmp_path: Path, build: Build) -> None:
    (tmp_path / "talk.md").write_bytes("# Titel\n\n## Gr\xf6\xdfe\n".encode("latin-1"))
    result = build("talk.md", cwd=tmp_path)
    assert result.returncode == 1
    assert "talk.md:3: error: byte 0xf6 is not UTF-8: save the file as UTF-8 [bad-encoding]" in result.stderr


def test_malformed_bib(tmp_path: Path, build: Build) -> None:
    (tmp_path / "references.bib").write_text("@article{a,\n  title = {x},\n  year = {2020\n}\n\n@book{b, title={y}}\n")
    (tmp_path / "talk.md").write_text("# T\n\n## S\n\n{cite}`a`\n", encoding="utf-8")
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0  # one entry that cannot be read does not cost the talk
    assert "references.bib:1: warning: bibliography: " in result.stderr and "left out" in result.stderr
    assert "talk.md:5: warning: citation key not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_a_message(tmp_path: Path, build: Build) -> None:
    result = build("nope.md", cwd=tmp_path)
    assert result.returncode == 1
    assert "nope.md: error: cannot read the file" in result.stderr


def test_strict_turns_warnings_into_errors_and_keeps_the_last_good_deck(tmp_path: Path, build: Build) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text("# T\n\n## Good\n", encoding="utf-8")
    assert build("talk.md", "--strict", "--no-pdf", cwd=tmp_path).returncode == 0
    index = tmp_path / "_build" / "talk" / "index.html"
    good = index.read_text(encoding="utf-8")
    deck.write_text("# T\n\n## Bad\n\n![x](missing.png)\n", encoding="utf-8")
    result = build("talk.md", "--strict", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 1
    assert "talk.md:5: error: image not found: missing.png" in result.stderr
    assert index.read_text(encoding="utf-8") == good
    assert [p.name for p in (tmp_path / "_build").iterdir() if p.name != ".cache"] == ["talk"]


def test_failed_build_keeps_the_last_good_deck(tmp_path: Path, build: Build) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text("# T\n\n## Good\n", encoding="utf-8")
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 0
    deck.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 1
    assert "<h2>Good</h2>" in (tmp_path / "_build" / "talk" / "index.html").read_text(encoding="utf-8")


def test_every_cut_of_the_seed_builds_or_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mystdeck import page
    from mystdeck.diagnostics import BuildError, Reporter
    from mystdeck.pipeline import deck_files, gather_citations, make_resources, read_deck, render_deck

    lines = SEED.read_text(encoding="utf-8").split("\n")
    cut = tmp_path / "cut.md"
    res = make_resources(Reporter(), tmp_path / "out" / ".cache", None)  # shared, as the preview keeps them
    for count in range(len(lines) + 1):
        cut.write_text("\n".join(lines[:count]), encoding="utf-8")
        reporter = Reporter()
        try:  # every stage up to the page; anything but a reported BuildError fails the test
            deck = read_deck(cut, res, reporter)
            gather_citations(deck, res, reporter)
            render_deck(deck, res, reporter)
            page.render_page(res.templates(cut), deck, deck_files(deck, res), reporter)
        except BuildError:
            assert reporter.error_count, count
        for diagnostic in reporter.diagnostics:
            assert diagnostic.loc is not None and diagnostic.loc.path == cut, (count, str(diagnostic))


def test_missing_front_end_libraries_are_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mystdeck import locate

    monkeypatch.setattr(locate, "FRONT_END", tmp_path / "node_modules")
    (tmp_path / "talk.md").write_text("# T\n\n## S\n", encoding="utf-8")
    assert main([str(tmp_path / "talk.md"), "--out", str(tmp_path / "out"), "--no-pdf"]) == 1
    err = capsys.readouterr().err
    assert "error: reveal.js is not installed: run 'npm ci' in the mystdeck folder [frontend-missing]" in err
    assert "internal error" not in err


def test_bib_that_is_not_utf8(tmp_path: Path, build: Build) -> None:
    (tmp_path / "references.bib").write_bytes("@misc{a,\n  title = {Gr\xf6\xdfe},\n}\n".encode("latin-1"))
    (tmp_path / "talk.md").write_text("# T\n\n## S\n\n{cite}`a`\n", encoding="utf-8")
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 1
    assert "references.bib:2: error: bibliography: not UTF-8 text: save the .bib as UTF-8 [bib-error]" in result.stderr


def test_a_port_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["talk.md", "--serve", "--port", "99999"])
    assert stopped.value.code == 2
    assert "'99999' is not a port: give a number from 1 to 65535" in capsys.readouterr().err


def test_many_front_matter_keys_are_read_in_one_pass_with_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = "".join(f"key{n}: {n}\n" for n in range(5_000))
    (tmp_path / "talk.md").write_text(f"---\n{keys}title: Viele\n---\n## S\n", encoding="utf-8")
    assert main([str(tmp_path / "talk.md"), "--out", str(tmp_path / "out"), "--no-pdf"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 5_000
    assert err[0].endswith("talk.md:2: warning: unknown front-matter key 'key0' (ignored) [unknown-key]")
    assert err[-1].endswith("talk.md:5001: warning: unknown front-matter key 'key4999' (ignored) [unknown-key]")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ slide.html|safe }}\n{{ 1 // 0 }}\n", "templates/slide.html.j2:2: error: template: ZeroDivisionError"),
        ("{{ slide.html|safe }}\n\n{{ slide.nope.deeper }}\n", "templates/slide.html.j2:3: error: template:"),
        ("{% if %}\n", "templates/slide.html.j2:1: error: template: Expected an expression"),
        (
            '{{ slide.html|safe }}\n\n{% include "fehlt.html.j2" %}\n',
            "templates/slide.html.j2:3: error: template: template 'fehlt.html.j2' not found (looked in",
        ),
        (
            '{{ slide.html|safe }}\n{% include "../../x" %}\n',
            "templates/slide.html.j2:2: error: template: template '../../x' is outside the template folders",
        ),
    ],
)
def test_a_template_error_names_its_template_and_line(
    template: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "slide.html.j2").write_text(template, encoding="utf-8")
    (tmp_path / "talk.md").write_text("# T\n\n## S\n", encoding="utf-8")
    assert main(["talk.md", "--no-pdf"]) == 1
    err = capsys.readouterr().err
    assert expected in err and "[template-error]" in err
    assert "internal error" not in err and "deck.html.j2" not in err


def test_a_slow_step_is_named_while_it_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from mystdeck import pipeline
    from mystdeck.cli import Watchdog

    monkeypatch.setattr(Watchdog, "first_notice", 0.05)
    monkeypatch.setattr(Watchdog, "interval", 0.02)
    slow_read = pipeline.read_deck

    def read_slowly(*args: object) -> object:
        time.sleep(0.15)
        return slow_read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "read_deck", read_slowly)
    (tmp_path / "talk.md").write_text("# T\n\n## S\n", encoding="utf-8")
    assert main([str(tmp_path / "talk.md"), "--out", str(tmp_path / "out"), "--no-pdf"]) == 0
    err = capsys.readouterr().err
    assert "talk.md: still at step 'reading the deck' after 0 s (Ctrl-C stops)" in err


def test_a_failed_pdf_still_writes_the_html_deck_and_keeps_the_last_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, shared_browser: object
) -> None:
    import errno

    from mystdeck import pdf

    deck = tmp_path / "talk.md"
    deck.write_text("# T\n\n## Alt\n", encoding="utf-8")
    args = [str(deck), "--out", str(tmp_path / "out")]
    assert main(args) == 0
    out = tmp_path / "out" / "talk"
    last_pdf = (out / "talk.pdf").read_bytes()

    def disk_full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdf, "export_pdf", disk_full)
    deck.write_text("# T\n\n## Neu\n", encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "talk.md: error: talk.pdf could not be made: the disk is full; the HTML deck is written" in captured.err
    assert "internal error" not in captured.err
    assert f"built {out / 'index.html'}" in captured.out and "talk.pdf" not in captured.out
    assert "<h2>Neu</h2>" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "talk.pdf").read_bytes() == last_pdf
