"""axe-core (a pinned npm dev dependency) finds no serious or critical violation in the seed and the design
deck, in the white and black themes. The decks are checked in reveal.js' print layout, where every slide
is laid out at once (with its own background), so one run covers a whole deck."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

from conftest import ROOT, Build
from media import design_deck, png

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESIGN = Path(__file__).resolve().parent / "decks" / "design.md"
_SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + n.failureSummary).join(' | '))"""


def _serious_violations(page: Page, *indexes: Path) -> list[str]:
    """What axe finds in each deck, one after the other in one page."""
    found: list[str] = []
    for index in indexes:
        page.goto(index.as_uri() + "?print-pdf")
        page.wait_for_function("window.mystdeckPdfReady === true")
        page.add_script_tag(path=str(AXE))
        found += [f"{index.parent.name}: {violation}" for violation in page.evaluate(_SERIOUS)]
    return found


def _in_theme(source: str, theme: str) -> str:
    return re.sub(r"^lang: (\w+)$", rf"lang: \1\ntheme: {theme}", source, count=1, flags=re.MULTILINE)


def test_no_serious_accessibility_violation_in_the_white_theme(
    reused_page: Page, seed_build: Path, design_build: Path
) -> None:
    assert AXE.is_file(), "axe-core is not installed: run 'npm ci'"
    assert _serious_violations(reused_page, seed_build / "index.html", design_build / "index.html") == []


def test_no_serious_accessibility_violation_in_the_black_theme(tmp_path: Path, reused_page: Page, build: Build) -> None:
    """The design deck in black, with what the seed adds to it (a citation, the reference list, a figure with
    its caption, a diagram): one build and one page for every kind of element mystdeck writes."""
    deck = design_deck(tmp_path, DESIGN)
    (tmp_path / "references.bib").write_bytes((ROOT / "references.bib").read_bytes())
    seed_kinds = (
        "\n## Wie in der Seed-Folie\n\nLaut {cite:t}`hoDenoisingDiffusionProbabilistic2020`.\n\n"
        ":::{figure} bilder/hintergrund.png\n:width: 30%\nEine Abbildung mit Unterschrift.\n:::\n\n"
        ":::{mermaid}\ngraph LR\n  Text --> Bild\n:::\n"
    )
    deck.write_text(_in_theme(deck.read_text(encoding="utf-8"), "black") + seed_kinds, encoding="utf-8")
    result = build("design.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "_build" / "design" / "index.html").read_text(encoding="utf-8")
    assert 'class="deck-cite"' in html and "deck-references" in html and "<svg" in html and "<figcaption" in html
    assert _serious_violations(reused_page, tmp_path / "_build" / "design" / "index.html") == []


def _pdfua_findings(pdf: Path) -> list[str]:
    """What the PDF/UA-1 checker (pdfua, built on pikepdf) finds: every rule it implements, warnings too."""
    from pdfua import validate

    report = validate(str(pdf))
    return [f"{pdf.name}: {finding.rule_id} {finding.message}" for finding in report.findings]


def test_the_seed_pdfs_pass_the_pdf_ua_checker(seed_build: Path) -> None:
    for name in ("dalle2.pdf", "dalle2-handout.pdf", "dalle2-notes.pdf"):
        assert _pdfua_findings(seed_build / name) == []
    from pypdf import PdfReader

    reader = PdfReader(seed_build / "dalle2.pdf")
    root = reader.trailer["/Root"]
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) and root["/Lang"] == "de"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "DALL·E-2 Presentation" in xmp
    # Every figure in the tags has its alternative text: the five pictures and the drawn diagram.
    figures: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"]["/K"])
    assert len(figures) == 7 and all(figures), figures
    assert "Recent Publications for Text-2-Image Tasks" in figures
    links = [annot.get_object().get("/Contents") for page in reader.pages for annot in page.get("/Annots") or []]
    assert links and all(links) and "Verweis auf Seite 19" in links, links


def test_an_ornament_says_so_and_a_picture_says_what_it_shows(tmp_path: Path, build: Build) -> None:
    png(tmp_path / "deko.png")
    png(tmp_path / "eisbaer.png")
    (tmp_path / "talk.md").write_text(
        "# T\n\n## S\n\n```{image} deko.png\n:class: decorative\n```\n\n![Ein Eisbär spielt Bass](eisbaer.png)\n\n"
        "```{image} eisbaer.png\n```\n",
        encoding="utf-8",
    )
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.stderr == (
        "talk.md:11: warning: {image} eisbaer.png has no alternative text: say what it shows with ':alt: …', "
        "or mark an ornament ':class: decorative' [image-alt]\n"
    )
    html = (tmp_path / "_build" / "talk" / "index.html").read_text(encoding="utf-8")
    assert '<img src="media/deko.png" alt="">' in html and 'alt="Ein Eisbär spielt Bass"' in html
