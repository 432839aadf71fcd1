"""Citations from third-party .bib files: escaped, bounded, and a cache on disk that is not trusted."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import run_build
from mystdeck import bibliography, bibread, bibstyle
from mystdeck.cli import main
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.helper import Helper
from mystdeck.store import Store, load_key

HOSTILE_BIB = r"""@misc{year,
  author = {Mallory, Eve},
  title = {Year},
  year = {2020<img src=x onerror=alert(1)>},
}
@misc{doi,
  author = {Mallory, Eve},
  title = {Doi},
  year = {2021},
  doi = {10.1/x"><script>alert(2)</script>},
  eprint = {1234"><script>alert(3)</script>},
  pubmed = {99"><script>alert(4)</script>},
}
@misc{js,
  author = {Mallory, Eve},
  title = {Js},
  year = {2022},
  url = {javascript:alert(5)},
}
@misc{quote,
  author = {Mallory, Eve},
  title = {Quote},
  year = {2023},
  url = {https://example.org/a" onmouseover="alert(6)},
}
"""


def _deck(folder: Path, body: str, bib: str) -> Path:
    (folder / "references.bib").write_text(bib, encoding="utf-8")
    deck = folder / "talk.md"
    deck.write_text(f"# T\n\n## S\n\n{body}\n", encoding="utf-8")
    return deck


def _build(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main([str(folder / "talk.md"), "--out", str(folder / "out"), "--no-pdf"])
    html_path = folder / "out" / "talk" / "index.html"
    return code, capsys.readouterr().err, html_path.read_text(encoding="utf-8") if html_path.exists() else ""


def test_bib_fields_are_escaped_and_only_web_addresses_are_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _deck(tmp_path, "{cite:t}`year` {cite}`doi` {cite}`js` {cite}`quote`", HOSTILE_BIB)
    code, err, html = _build(tmp_path, capsys)
    assert code == 0, err
    tags = _tags(html)
    assert not [t for t in tags if t[0] == "img" or (t[0] == "script" and not t[1].keys() & {"src", "type"})]
    assert not [t for t in tags if any(name.startswith("on") for name in t[1])]  # no event handler anywhere
    hrefs = [t[1]["href"] for t in tags if "href" in t[1]]
    assert all(h.startswith(("#", "https://", "lib/", "static/")) for h in hrefs), hrefs
    assert "Mallory (2020&lt;img src=x onerror=alert(1)&gt;)" in html
    assert 'href="https://doi.org/10.1/x&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in html
    assert "javascript:alert(5)" in html  # shown as text, not as a link


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag of the page with its attributes, as a browser's parser sees them."""
    found: list[tuple[str, dict[str, str]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, {name: value or "" for name, value in attrs}))

    Collect().feed(html)
    return found


def test_crossref_cycles_end(tmp_path: Path) -> None:
    bib = (
        "@misc{self, title={Self}, year={2001}, crossref={self}}\n"
        "@misc{a, title={A}, year={2002}, crossref={b}}\n@misc{b, title={B}, year={2003}, crossref={a}}\n"
        "@misc{x, title={X}, crossref={y}}\n@misc{y, title={Y}, crossref={z}}\n"
        "@misc{z, title={Z}, year={2004}, crossref={x}}\n"
    )
    _deck(tmp_path, "{cite}`self,a,x`", bib)
    result = run_build("talk.md", "--no-pdf", cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "leads back to it" in line]
    assert len(warnings) == 3
    assert warnings[0].startswith("references.bib:1: warning: bibliography: entry 'self' cross-references 'self'")
    assert (tmp_path / "_build" / "talk" / "index.html").is_file()


def test_a_repeated_key_keeps_the_first_entry_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = "@misc{k, author={Kant, I.}, title={Erste}, year={1781}}\n\n@misc{k, title={Zweite}, year={1787}}\n"
    _deck(tmp_path, "{cite:t}`k`", bib)
    code, err, html = _build(tmp_path, capsys)
    assert code == 0
    assert "references.bib:3: warning: bibliography: the key 'k' is used again: the first entry is kept" in err
    assert "Kant (1781)" in html and "Erste" in html and "Zweite" not in html


def _cache_files(folder: Path, pattern: str) -> list[Path]:
    return sorted((folder / "out" / ".cache" / "bib").glob(pattern))


def test_the_bibliography_cache_is_plain_data_and_a_changed_one_is_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = "@misc{k, author={Kant, Immanuel}, title={Kritik}, year={1781}}\n@misc{m, title={M}, year={1}}\n"
    deck = _deck(tmp_path, "{cite:t}`k`", bib)
    assert _build(tmp_path, capsys)[0] == 0
    deck.write_text("# T\n\n## S\n\n{cite:t}`m`\n", encoding="utf-8")  # other works: the parsed .bib is kept
    code, _err, good = _build(tmp_path, capsys)
    assert code == 0
    assert not list((tmp_path / "out" / ".cache").rglob("*.pickle"))
    files = _cache_files(tmp_path, "*.json")
    assert {f.name.split(".", 1)[1] for f in files} == {"keys.json", "refs.json", "bib.json"}
    for cache in files:  # every file is a signature line and JSON
        json.loads(cache.read_bytes().partition(b"\n")[2])
    # Rewritten by someone else: a script in the formatted list, unsigned or with a stale signature.
    for refs in _cache_files(tmp_path, "*.refs.json"):
        signature, _, payload = refs.read_bytes().partition(b"\n")
        forged = payload.replace(b"Kritik", b"<script>alert(1)</script>").replace(b'"M', b'"<script>alert(1)</script>')
        refs.write_bytes(signature + b"\n" + forged)
    code, err, html = _build(tmp_path, capsys)
    assert code == 0, err
    assert "<script>alert" not in html and html == good


def test_a_signed_cache_of_the_wrong_shape_is_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _deck(tmp_path, "{cite:t}`k`", "@misc{k, author={Kant, Immanuel}, title={Kritik}, year={1781}}\n")
    assert _build(tmp_path, capsys)[0] == 0
    store = Store(tmp_path / "out" / ".cache" / "bib", load_key())
    for cache in _cache_files(tmp_path, "*.json"):
        for wrong in ({"refs": [{"key": 1}], "warnings": []}, ["x"], {"k": "not a line"}, None):
            store.write(cache.name, wrong)
            code, err, html = _build(tmp_path, capsys)
            assert code == 0 and "internal error" not in err
            assert "Kant (1781)" in html


def test_the_bibs_own_warnings_come_again_from_the_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = "@misc{k, title={Erste}, year={1781}}\n@misc{k\x1b[2J, title={Zweite}}\n@misc{k\x1b[2J, title={Dritte}}\n"
    _deck(tmp_path, "{cite:t}`k`", bib)
    first = _build(tmp_path, capsys)[1]
    assert first == _build(tmp_path, capsys)[1]
    assert "references.bib:3: warning: bibliography: the key 'k\\x1b[2J' is used again" in first
    assert "\x1b" not in first  # a .bib's control characters never reach the terminal


def test_a_cached_warning_is_printed_exactly_as_the_first_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "references.bib").write_text("@misc{k, title={Kritik}, year={1781}}\n", encoding="utf-8")
    (tmp_path / "talk.md").write_text(
        "---\ntitle: T\nbibliography-style: unsrtt\n---\n## S\n\n{cite:t}`k`\n", encoding="utf-8"
    )
    first = _build(tmp_path, capsys)[1]
    assert "talk.md:3: warning: bibliography style 'unsrtt' is not known (did you mean unsrt" in first
    assert "; using author-year [bad-style]" in first
    assert _build(tmp_path, capsys)[1] == first


# Long reference lists: a helper process reads the .bib and formats part of the list.

LONG_BIB = "".join(
    f"@{'article' if n % 3 else 'inproceedings'}{{w{n},\n"
    f"  author = {{M{{\\\"u}}ller, J{{\\\"o}}rg and Garc{{\\'\\i}}a, Mar{{\\'\\i}}a and Smith, Tim}},\n"
    + ("  editor = {Ng, Li and Ho, Ann},\n  booktitle = {Proceedings of Tests},\n" if n % 3 == 0 else "")
    + ('  journal = {Zeitschrift f{\\"u}r Lernen},\n' if n % 3 and n != 7 else "")  # w7 lacks its journal
    + f"  title = {{Study {n} of {{Diffusion}} and the {{\\'E}}tude}},\n"
    + f"  year = {{{1990 + n}}},\n  pages = {{1--{n + 2}}}\n}}\n"
    for n in range(24)
)
LONG_DECK = "---\nlang: de\n---\n# T\n\n## S\n\n" + "".join(f"{{cite:t}}`w{n}`\n\n" for n in range(24))


def _format(folder: Path, helper: Helper | None = None) -> tuple[dict[str, object], list[str]]:
    reporter = Reporter()
    bib = bibread.load_bibliography([folder / "references.bib"], reporter)
    keys = [f"w{n}" for n in range(24)]
    refs = bibstyle.format_references(keys, bib, reporter, "plain", False, SourceLoc(folder), "de", helper)
    return {key: ref.html for key, ref in refs.items()}, [str(d) for d in reporter.diagnostics]


def test_the_helper_formats_its_part_of_a_long_list_exactly_as_the_build_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "references.bib").write_text(LONG_BIB, encoding="utf-8")
    alone, warnings = _format(tmp_path)
    assert len(alone) == 24  # w7 lacks the journal plain needs: shown as the author-year list shows it
    assert "Jörg Müller, María García und Tim Smith" in re.sub("<[^>]+>", "", str(alone["w1"]))  # in German
    assert len(warnings) == 1 and "bibliography entry 'w7'" in warnings[0] and "journal" in warnings[0]
    assert "shown as the author-year list shows it" in warnings[0]
    monkeypatch.setattr(bibstyle, "PARALLEL_MIN", 2)
    with Helper(bibliography.HELPER_WORK) as helper:
        helper.start()
        bib = bibread.load_bibliography([tmp_path / "references.bib"], Reporter())
        bibstyle.with_people(bib, ["w1", "w3"])
        entries = [
            ("1", bibstyle._portable(bib.data.entries["w1"])),
            ("2", bibstyle._portable(bib.data.entries["w3"])),
        ]
        answer = helper.ask(bibstyle.format_portable, ["plain", "de"], entries)()
        assert answer is not None, "the helper did not answer"
        assert [item[:2] for item in answer[0]] == [["w1", "1"], ["w3", "2"]] and answer[1] == []
        assert (
            answer[0][0][2]
            == bibstyle._format_entries(bibstyle.make_style("plain", "de"), [("1", bib.data.entries["w1"])])[0][0][2]
        )
        # w7 (no journal) falls in the helper's part: it is reported once, as when the build formats it alone
        assert _format(tmp_path, helper) == (alone, warnings)


def test_a_helper_that_is_missing_refuses_or_dies_leaves_the_work_to_the_build() -> None:
    from mystdeck import cli

    def no_such_function() -> None: ...

    no_such_function.__module__ = "mystdeck.bibliography"
    assert Helper(bibliography.HELPER_WORK, wanted=False).ask(bibliography.read_in_helper, [])() is None
    with Helper(bibliography.HELPER_WORK) as helper:
        helper.start()
        assert helper.ask(os.getcwd)() is None  # only mystdeck's own functions are run
        assert helper.ask(no_such_function)() is None
        assert helper.running  # a failed request is an answer: the helper goes on
        assert helper.ask(cli.main, ["--version"])() is None  # the process ends without an answer
        assert not helper.running
        assert helper.ask(bibliography.read_in_helper, [])() is None


def test_a_large_bib_read_by_the_helper_builds_the_same_deck_with_the_same_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = LONG_BIB + "@misc{w1, title={Again}}\n@misc{c, title={C}, crossref={c}}\n"
    _deck(tmp_path, "".join(f"{{cite:t}}`w{n}` " for n in range(24)) + "{cite}`c`", bib)
    alone = _build(tmp_path, capsys)
    shutil.rmtree(tmp_path / "out")
    monkeypatch.setattr(bibliography, "READ_AHEAD_BYTES", 0)
    answered: list[Any] = []  # what the helper answered, before the build reads it
    read = bibliography._read_by_helper

    def noted(answer: Any, reporter: Reporter) -> Any:
        answered.append(answer)
        return read(answer, reporter)

    monkeypatch.setattr(bibliography, "_read_by_helper", noted)
    assert _build(tmp_path, capsys) == alone
    assert len(answered) == 1 and answered[0]["entries"], "the helper did not read the .bib"
    line = LONG_BIB.count("\n") + 1
    assert f"references.bib:{line}: warning: bibliography: the key 'w1' is used again" in alone[1]
    assert "entry 'c' cross-references 'c', which leads back to it" in alone[1]
    (tmp_path / "references.bib").write_text(bib + "@misc{broken, title={Open\n", encoding="utf-8")
    code, err, _html = _build(tmp_path, capsys)
    assert code == 0 and len(answered) == 2 and answered[1]["entries"]  # the rest of the .bib is read
    assert f"references.bib:{line + 2}: warning: bibliography: " in err and "this entry is left out" in err
