"""axe-core (a pinned npm dev dependency) finds no serious or critical violation in the seed and the design
deck, in the white and black themes. The decks are checked in reveal.js' print layout, where every slide
is laid out at once (with its own background), so one run covers a whole deck."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser

from conftest import ROOT, SEED, Build
from media import design_deck

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESIGN = Path(__file__).resolve().parent / "decks" / "design.md"
_SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + n.failureSummary).join(' | '))"""


def _serious_violations(browser: Browser, index: Path) -> list[str]:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(index.as_uri() + "?print-pdf")
        page.wait_for_function("window.mystdeckPdfReady === true")
        page.add_script_tag(path=str(AXE))
        found: list[str] = page.evaluate(_SERIOUS)
    finally:
        page.close()
    return found


def _in_theme(source: str, theme: str) -> str:
    return re.sub(r"^lang: (\w+)$", rf"lang: \1\ntheme: {theme}", source, count=1, flags=re.MULTILINE)


def test_no_serious_accessibility_violation_in_the_white_theme(
    browser: Browser, seed_build: Path, design_build: Path
) -> None:
    assert AXE.is_file(), "axe-core is not installed: run 'npm ci'"
    for index in (seed_build / "index.html", design_build / "index.html"):
        assert _serious_violations(browser, index) == [], index


def test_no_serious_accessibility_violation_in_the_black_theme(tmp_path: Path, browser: Browser, build: Build) -> None:
    theme = "black"
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "dalle2.md").write_text(_in_theme(SEED.read_text(encoding="utf-8"), theme), encoding="utf-8")
    (tmp_path / "seed" / "references.bib").write_bytes((ROOT / "references.bib").read_bytes())
    deck = design_deck(tmp_path / "design", DESIGN)
    deck.write_text(_in_theme(deck.read_text(encoding="utf-8"), theme), encoding="utf-8")
    for folder, name in ((tmp_path / "seed", "dalle2"), (tmp_path / "design", "design")):
        result = build(f"{name}.md", "--no-pdf", cwd=folder)
        assert result.returncode == 0, result.stderr
        assert _serious_violations(browser, folder / "_build" / name / "index.html") == [], (name, theme)
