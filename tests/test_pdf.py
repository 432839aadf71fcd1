"""The audience PDF and the presenter copy, made by the real browser and read back with poppler and pypdf."""

from __future__ import annotations

import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import Build

TITLES = [
    "DALL·E-2 Presentation", "Text-2-Image", "Previous Work", "DALL·E", "CLIP", "GLIDE",
    "Denoising Diffusion Probabilistic Models", "OpenAI DALL·E-2", "Capabilities", "Architecture", "Prior",
    "Decoder", "Upsampler", "Explorations of the Latent Space", "Limitations", "Further Work", "Google Imagen",
    "Google Parti", "Literatur",
]  # fmt: skip


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=30).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def _text(path: Path) -> str:
    command = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=30).stdout


def test_audience_pdf_has_one_page_per_slide_of_the_slide_size(seed_build: Path) -> None:
    info = _pdfinfo(seed_build / "dalle2.pdf")
    assert info["Pages"] == "19"
    width, height = (float(n) for n in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert abs(width / height - 16 / 9) < 0.01
    assert (width, height) == (960, 540)  # reveal.js' 1280 by 720 slide, in points
    assert info["Title"] == "DALL·E-2 Presentation"


def test_audience_pdf_text_is_real_and_has_no_notes(seed_build: Path) -> None:
    text = " ".join(_text(seed_build / "dalle2.pdf").split())
    for title in TITLES:
        assert title in text, title
    assert "Ho u. a. (2020)" in text and "Ramesh, 2022" in text
    assert "Denoising Diffusion Probabilistic Models" in text
    for hidden in ("Nur kurz zeigen", "Was ist CLIP", "Spatiale Zuordnungen", ":::", "{cite", "{note}"):
        assert hidden not in text


def test_audience_pdf_has_links_outline_and_metadata(seed_build: Path) -> None:
    reader = PdfReader(seed_build / "dalle2.pdf")
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["DALL·E-2 Presentation", "Text-2-Image", "Previous Work", "OpenAI DALL·E-2", "Further Work",
                   "Literatur"]  # fmt: skip
    assert reader.trailer["/Root"]["/Lang"] == "de"
    links = [
        annot.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/A")
    ]
    assert "https://aqnichol.com/" in links
    assert "https://openai.com/dall-e-2/" in links


def _page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.split()) for page in _text(pdf).split("\f")[:-1]]


def test_notes_handout_is_a_slide_and_its_notes_on_each_a4_page(seed_build: Path) -> None:
    notes_pdf = seed_build / "dalle2-notes.pdf"
    info = _pdfinfo(notes_pdf)
    assert info["Pages"] == "19" and info["Page size"].startswith("594.96 x 841.92") and info["Tagged"] == "yes"
    pages = _page_texts(notes_pdf)
    for number, (page, title) in enumerate(zip(pages, TITLES, strict=True), start=1):
        assert f"Folie {number} / 19" in page and "DALL·E-2 Presentation" in page, page
        assert title.split()[0] in page, (title, page)  # the slide's picture, as text
    assert "Nur kurz zeigen und sagen dass 2 nicht so recht auf 1 aufbaut." in pages[3]
    assert "Was ist CLIP und wofuer wird es verwendet?" in pages[4]
    outline = [item.title for item in PdfReader(notes_pdf).outline if not isinstance(item, list)]
    assert outline[:2] == ["DALL·E-2 Presentation", "Text-2-Image"]


def test_long_notes_continue_on_the_next_page(steps_and_overflow: tuple[Path, str]) -> None:
    pages = _page_texts(steps_and_overflow[0].with_name("talk-notes.pdf"))
    eins = [page for page in pages if "Folie 2 / 4" in page]
    assert len(eins) >= 2 and len(pages) == 4 + len(eins) - 1  # the notes continue, the number repeated
    assert eins[0].startswith("Eins") and not any(page.startswith("Eins") for page in eins[1:])
    for n in range(60):
        assert sum(f"Absatz {n} der" in page for page in eins) == 1, n


def test_every_pdf_is_tagged_and_the_german_reference_list_speaks_german(seed_build: Path) -> None:
    for pdf in ("dalle2.pdf", "dalle2-notes.pdf", "dalle2-handout.pdf"):
        assert _pdfinfo(seed_build / pdf)["Tagged"] == "yes", pdf
    handout = _pdfinfo(seed_build / "dalle2-handout.pdf")
    assert handout["Pages"] == "7" and handout["Page size"].startswith("594.96 x 841.92")  # 19 slides, 3 a page
    assert "Seite 1 / 7" in _page_texts(seed_build / "dalle2-handout.pdf")[0]
    literatur = _page_texts(seed_build / "dalle2.pdf")[-1]
    assert "Literatur" in literatur and "Bd. 33" in literatur
    for english in ("volume", "pages", "editors", " In "):
        assert english not in literatur, english


def test_gantt_chart_is_an_inlined_svg_with_a_size(seed_build: Path) -> None:
    html = (seed_build / "index.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="previous-work"') :]
    section = section[: section.index("</section>")]
    svg = re.search(r'<svg id="mermaid-[0-9a-f]+"[^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"', section)
    assert svg and float(svg.group(1)) > 500 and float(svg.group(2)) > 150
    assert "Recent Publications for Text-2-Image Tasks" in section


def test_broken_diagram_warns_with_its_line_and_shows_the_message(tmp_path: Path, chromium: Path, build: Build) -> None:
    (tmp_path / "talk.md").write_text(
        "# T\n\n## Plan\n\n:::{mermaid}\ngraph LR\n    A --> B\n    B --> {{oops\n:::\n",
        encoding="utf-8",
    )
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if "[diagram-error]" in line]
    assert len(warning) == 1 and warning[0].startswith("talk.md:8: warning: mermaid cannot draw this diagram:")
    html = (tmp_path / "_build" / "talk" / "index.html").read_text(encoding="utf-8")
    assert 'class="deck-diagram-error"' in html and "B --&gt; {{oops" in html
    assert "<svg" not in html


def test_diagrams_are_cached_by_source_and_a_changed_cache_is_not_trusted(
    tmp_path: Path, chromium: Path, build: Build
) -> None:
    (tmp_path / "talk.md").write_text("# T\n\n## D\n\n:::{mermaid}\ngraph LR\n  A --> B\n:::\n", encoding="utf-8")
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 0
    cached = list((tmp_path / "_build" / ".cache" / "diagrams").glob("*.json"))
    assert len(cached) == 1
    index = tmp_path / "_build" / "talk" / "index.html"
    drawn = index.read_text(encoding="utf-8")
    # From the cache: a browser that cannot start is never asked.
    broken = tmp_path / "bin" / "chromium"
    broken.parent.mkdir()
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    result = build("talk.md", "--no-pdf", "--browser", str(broken), cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert index.read_text(encoding="utf-8") == drawn
    # Anyone who can write _build/ could change the cache: a file that is not ours is drawn again.
    signature, _, _payload = cached[0].read_bytes().partition(b"\n")
    cached[0].write_bytes(signature + b'\n{"svg": "<svg onload=alert(1)></svg>", "error": ""}')
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 0
    html = index.read_text(encoding="utf-8")
    assert "alert(1)" not in html and html == drawn


@pytest.fixture(scope="module")
def steps_and_overflow(tmp_path_factory: pytest.TempPathFactory, borrowed: object) -> tuple[Path, str]:
    """One build of the audience PDF and the notes PDF for several checks: a deck with a slide of steps and
    notes too long for one page, and a slide that says far too much."""
    from conftest import _main_with

    folder = tmp_path_factory.mktemp("steps")
    body = "\n\n".join(f"Paragraph number {n} of a slide that says far too much." for n in range(40))
    long_notes = "\n\n".join(
        f"Absatz {n} der Notizen, der einiges erklärt, was auf der Folie fehlt." for n in range(60)
    )
    (folder / "talk.md").write_text(
        "---\ntitle: Schritte\nauthor: Erika Mustermann\nlang: de\n---\n\n## Eins\n\n"
        "- [erstens]{.fragment}\n- [zweitens]{.fragment}\n- [drittens]{.fragment}\n\n"
        f":::{{note}}\n{long_notes}\n:::\n\n"
        f"## Fits\n\nShort.\n\n## Too long\n\n{body}\n",
        encoding="utf-8",
    )
    code, err = _main_with(borrowed, str(folder / "talk.md"), "--out", str(folder / "_build"), "--pdf-notes")  # type: ignore[arg-type]
    assert code == 0, err
    return folder / "_build" / "talk" / "talk.pdf", err


def test_overflowing_slide_is_reported_with_its_line(steps_and_overflow: tuple[Path, str]) -> None:
    pdf, err = steps_and_overflow
    assert _pdfinfo(pdf)["Pages"] == "4"  # the slide that does not fit is printed all the same
    lines = [line for line in err.splitlines() if "[slide-overflow]" in line]
    assert len(lines) == 1 and lines[0].endswith(
        "/talk.md:139: warning: slide 'Too long' does not fit its page: shorten it, split it with a '###' heading, "
        "or let it continue on follow-up slides with 'overflow: split' in the front matter "
        "[slide-overflow]"
    )


def test_fragments_are_all_shown_on_one_page_and_metadata_is_set(steps_and_overflow: tuple[Path, str]) -> None:
    pdf, _err = steps_and_overflow
    info = _pdfinfo(pdf)
    assert info["Pages"] == "4"  # the title slide from the front matter, then one page per slide
    assert (info["Title"], info["Author"]) == ("Schritte", "Erika Mustermann")
    text = _text(pdf)
    assert "erstens" in text and "zweitens" in text and "drittens" in text


@pytest.fixture
def silent_host() -> Iterator[str]:
    """An address on this machine that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_remote_files_never_hold_up_the_build(tmp_path: Path, chromium: Path, silent_host: str, build: Build) -> None:
    (tmp_path / "talk.md").write_text(
        "---\nreveal:\n  width: wide\n---\n# T\n\n## Fern\n\n"
        f"![Bild]({silent_host}/bild.png)\n\n"
        f'<iframe src="{silent_host}/seite"></iframe>\n\n'
        f'<link rel="stylesheet" href="{silent_host}/stil.css">\n',
        encoding="utf-8",
    )
    result = build("talk.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "talk.md:3: warning: front matter 'reveal.width': must be a number from 200 to 8000" in result.stderr
    blocked = [line for line in lines if "[remote-blocked]" in line]
    assert [line.split(": warning")[0] for line in blocked] == ["talk.md:9", "talk.md:11", "talk.md:13"]
    assert "the build's browser stays offline" in blocked[0]
    assert _pdfinfo(tmp_path / "_build" / "talk" / "talk.pdf")["Pages"] == "2"
    result = build("talk.md", "--check", cwd=tmp_path)
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert "talk.md:9: warning: " in result.stderr and "[remote-blocked]" in result.stderr


@pytest.mark.parametrize("width", [960, 1600])
def test_diagrams_are_drawn_at_the_decks_width(width: int, tmp_path: Path, build: Build) -> None:
    (tmp_path / "talk.md").write_text(
        f"---\nreveal:\n  width: {width}\n---\n# T\n\n## D\n\n:::{{mermaid}}\ngantt\n    dateFormat YYYY-MM-DD\n"
        "    Eins :a, 2020-01-01, 30d\n:::\n",
        encoding="utf-8",
    )
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 0
    html = (tmp_path / "_build" / "talk" / "index.html").read_text(encoding="utf-8")
    view = re.search(r'<svg[^>]*viewBox="0 0 ([\d.]+) ', html)
    assert view is not None and round(float(view.group(1))) == round(width * 1180 / 1280)


def test_check_uses_the_caches_and_writes_nothing(
    tmp_path: Path, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mystdeck import bibread, browser

    (tmp_path / "references.bib").write_text("@misc{k, title={Kritik}, year={1781}}\n", encoding="utf-8")
    (tmp_path / "talk.md").write_text(
        "# T\n\n## D\n\n{cite:t}`k`\n\n:::{mermaid}\ngraph LR\n  A --> B\n:::\n", encoding="utf-8"
    )
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "_build").rglob("*")}

    def never(*_args: object) -> None:
        raise AssertionError("not from the cache")

    monkeypatch.setattr(bibread, "load_bibliography", never)
    monkeypatch.setattr(browser.HeadlessBrowser, "kept_page", never)
    result = build("talk.md", "--check", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert "no problems found" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "_build").rglob("*")} == before


def test_a_long_slide_continues_on_follow_up_slides_when_the_deck_asks(tmp_path: Path, build: Build) -> None:
    body = "\n\n".join(f"Absatz {n}: ein Satz, der etwas erklärt, damit die Folie lang wird." for n in range(30))
    items = "\n".join(f"{n}. Punkt {n} der langen Liste" for n in range(1, 31))
    box = "\n\n".join(f"Schritt {n} der Lösung, in einem Satz erklärt." for n in range(20))
    code = "\n".join(f"zeile_{n} = {n}" for n in range(30))
    (tmp_path / "talk.md").write_text(
        f"---\ntitle: Lang\nlang: de\noverflow: split\n---\n## Sehr lang\n\n{body}\n\n"
        ":::{note}\nZum Schluss.\n:::\n\n"
        f"## Auch lang {{.allowframebreaks}}\n\n- Punkt\n\n```python\nx = 1\n```\n\n{body}\n\n"
        f"## Liste\n\n{items}\n\n## Kasten\n\n:::{{exercise}}\n:label: ueb\n{box}\n:::\n\n"
        f"## Code\n\nVorweg.\n\n```python\n{code}\n```\n\n## Kurz\n\nText.\n",
        encoding="utf-8",
    )
    result = build("talk.md", cwd=tmp_path)  # the PDF's check: no slide, follow-ups included, taller than its page
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    html = (tmp_path / "_build" / "talk" / "index.html").read_text(encoding="utf-8")
    titles = re.findall(r"<h2>([^<]*)</h2>", html)
    assert titles[0] == "Sehr lang" and titles.count("Sehr lang (Forts.)") >= 2 and titles[-1] == "Kurz"
    assert all(html.count(f"Absatz {n}:") == 2 for n in range(30))  # nothing is lost, nothing is doubled
    sections = html.split('<section id="')
    last_part = max(i for i, s in enumerate(sections) if s.startswith("sehr-lang"))
    assert "Zum Schluss." in sections[last_part]  # the note stays with the part it follows
    starts = [int(n) for n in re.findall(r'<ol start="(\d+)"', html)]
    assert starts and html.count("<ol") == len(starts) + 1 and starts == sorted(starts)  # the list counts on
    assert all(html.count(f"Punkt {n} der") == 1 for n in range(1, 31))
    assert all(html.count(f"Schritt {n} der") == 1 for n in range(20))
    assert html.count('id="ueb"') == 1 and html.count("Aufgabe 1") >= 2  # the box goes on under its title
    code_part = next(s for s in sections if "zeile_29" in s)
    shown = re.sub(r"<[^>]+>", "", code_part)
    assert re.search(r'class="deck-shrink-\d+"', code_part) and all(f"zeile_{n} = " in shown for n in range(30))
    pages = _page_texts(tmp_path / "_build" / "talk" / "talk.pdf")
    assert sum(page.count("Punkt ") for page in pages) == 31 and any("Kasten (Forts.)" in page for page in pages)
    assert any("zeile_0" in page and "zeile_29" in page for page in pages)  # the whole listing on its page, smaller


def test_without_a_browser_long_slides_stay_as_they_are(tmp_path: Path, build: Build) -> None:
    from conftest import no_browser_env

    body = "\n\n".join(f"Absatz {n}." for n in range(30))
    (tmp_path / "talk.md").write_text(f"---\noverflow: split\n---\n## Lang\n\n{body}\n", encoding="utf-8")
    result = build("talk.md", "--no-pdf", cwd=tmp_path, env=no_browser_env(tmp_path))
    assert result.returncode == 0
    assert "talk.md:4: warning: no browser to measure the slides: long slides are not cut" in result.stderr
