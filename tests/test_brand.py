"""A corporate design from ``_brand.yml`` or ``brand:``: colours, fonts and logo on screen and in every PDF,
contrast warnings that name both colours, and ``mystdeck new --brand``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import Build, _main_with
from media import font_file
from mystdeck import brand
from mystdeck.browser import HeadlessBrowser

BRAND = """\
meta:
  name: Universität Musterstadt
color:
  palette:
    uniblau: "#00305e"
    orange: "#b34d00"
  primary: uniblau
  secondary: orange
  foreground: "#1a1a1a"
  background: "#fbf7ee"
typography:
  fonts:
    - family: Hausschrift Sans
      source: file
      files:
        - path: schrift/Hausschrift-Regular.ttf
          weight: 400
        - path: schrift/Hausschrift-Bold.ttf
          weight: bold
  base: Hausschrift Sans
  headings:
    family: Hausschrift Sans
    weight: 700
    color: primary
  monospace: Hausschrift Sans
logo:
  images:
    wortmarke: schrift/logo.svg
  small: wortmarke
"""
DECK = """\
---
title: Markenvortrag
lang: de
footer: Universität Musterstadt
---

# Markenvortrag

## Erste Folie

Text mit einem [Link](https://example.org) und `code`.

```python
print("hallo")
```

:::{note}
Notiz nur für mich
:::

:::{important}
Wichtig
:::

# Teil zwei

## Zweite Folie

- Punkt
"""


def _project(folder: Path, brand_text: str = BRAND, deck: str = DECK) -> Path:
    (folder / "slides").mkdir(parents=True)
    (folder / "schrift").mkdir()
    font_file(folder / "schrift" / "Hausschrift-Regular.ttf", "Hausschrift Sans")
    font_file(folder / "schrift" / "Hausschrift-Bold.ttf", "Hausschrift Sans", 700)
    (folder / "schrift" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40"/></svg>\n',
        encoding="utf-8",
    )
    (folder / "_brand.yml").write_text(brand_text, encoding="utf-8")
    (folder / "slides" / "talk.md").write_text(deck, encoding="utf-8")
    return folder / "slides" / "talk.md"


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory, borrowed: HeadlessBrowser) -> Path:
    """A deck with the brand one folder up, built with its PDF and a handout."""
    deck = _project(tmp_path_factory.mktemp("branded"))
    code, err = _main_with(borrowed, str(deck), "--out", str(deck.parent.parent / "_build"), "--pdf-handout", "2")
    assert code == 0 and "warning" not in err, err
    return deck.parent.parent / "_build" / "talk"


def test_colours_are_read_as_css_has_them() -> None:
    assert brand.parse_color("#03a") == "#0033aa"
    assert brand.parse_color("#00305E") == "#00305e"
    assert brand.parse_color("rgb(0, 48, 94)") == brand.parse_color("rgb(0 48 94 / 50%)") == "#00305e"
    assert brand.parse_color("rgb(100%, 0%, 0%)") == "#ff0000"
    assert brand.parse_color("RebeccaPurple") == "#663399"
    assert brand.parse_color("blau") is None and brand.parse_color("rgb(300, 0, 0)") is None
    assert round(brand.contrast("#777777", "#ffffff"), 2) == 4.48  # WCAG's own example of a grey just below AA
    assert brand.contrast("#000000", "#ffffff") == 21
    assert brand.on_color("#00305e") == "#ffffff" and brand.on_color("#f5d000") == "#000000"


STYLES = """() => {
  const style = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
  return {
    text: style('.reveal', 'color'),
    font: style('.reveal', 'fontFamily'),
    background: style('.reveal-viewport', 'backgroundColor'),
    heading: style('#erste-folie h2', 'color'),
    headingFont: style('#erste-folie h2', 'fontFamily'),
    headingWeight: style('#erste-folie h2', 'fontWeight'),
    link: style('#erste-folie a', 'color'),
    code: style('#erste-folie pre code', 'fontFamily'),
    codeMark: style('#erste-folie pre', 'borderTopColor'),
    admonition: style('#erste-folie .admonition', 'borderLeftColor'),
    footer: style('.deck-footer', 'color'),
    progress: style('.reveal .progress', 'color'),
    controls: style('.reveal .controls', 'color'),
    number: style('.reveal .slide-number', 'backgroundColor'),
    numberText: style('.reveal .slide-number', 'color'),
    section: style('#teil-zwei h1, #teil-zwei h2', 'color'),
    logo: document.querySelector('#erste-folie img.deck-logo').getAttribute('src'),
  };
}"""


def test_the_brand_styles_every_piece_on_screen(branded: Path, reused_page: Page) -> None:
    page = reused_page
    page.goto((branded / "index.html").as_uri() + "#/1")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('700 42px \"Hausschrift Sans\"')")
    assert page.evaluate("[...document.fonts].filter((f) => f.family.includes('Hausschrift'))"
                         ".map((f) => f.status).sort()") == ["loaded", "loaded"]  # fmt: skip
    uniblau, orange = "rgb(0, 48, 94)", "rgb(179, 77, 0)"
    styles = page.evaluate(STYLES)
    assert styles.pop("logo").endswith("logo.svg")  # the brand's logo, since the deck names none
    assert styles == {
        "text": "rgb(26, 26, 26)",
        "font": '"Hausschrift Sans", sans-serif',
        "background": "rgb(251, 247, 238)",
        "heading": uniblau,
        "headingFont": '"Hausschrift Sans", sans-serif',
        "headingWeight": "700",
        "link": uniblau,
        "code": '"Hausschrift Sans", monospace',
        "codeMark": orange,
        "admonition": uniblau,
        "footer": "rgb(26, 26, 26)",
        "progress": uniblau,
        "controls": uniblau,
        "number": uniblau,
        "numberText": "rgb(255, 255, 255)",
        "section": uniblau,
    }
    # The theme's own font is not carried: the brand's sets every text.
    assert not (branded / "lib" / "reveal" / "theme" / "fonts").exists()
    assert sorted(path.name for path in (branded / "lib" / "brand").iterdir()) == [
        "00-hausschrift-regular.ttf", "01-hausschrift-bold.ttf", "brand.css",
    ]  # fmt: skip


def _pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, timeout=30, check=True).stdout


def test_the_brand_fonts_are_in_every_pdf(branded: Path) -> None:
    from pdfua import validate

    for pdf in (branded / "talk.pdf", branded / "talk-handout.pdf"):
        fonts = _pdf_fonts(pdf)
        assert "HausschriftSans-Regular" in fonts and "HausschriftSans-Bold" in fonts, pdf.name
        assert "SourceSansPro" not in fonts, pdf.name
        # The logo on every slide is an ornament (alt=""): an artifact, not untagged content.
        assert [finding.rule_id for finding in validate(str(pdf)).findings] == [], pdf.name


def test_each_problem_of_a_brand_is_a_warning_at_its_line(tmp_path: Path, build: Build) -> None:
    text = (
        BRAND.replace("primary: uniblau", 'primary: "#8ab4f8"')
        .replace("secondary: orange", "secondary: blau")
        .replace("source: file\n      files:", "source: google\n      files:", 1)
        .replace("monospace: Hausschrift Sans", "monospace:\n    family: Hausschrift Sans\n    size: 0.9em")
    ) + "fonts: []\n"
    deck = _project(tmp_path, text)
    result = build(str(deck), "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "_brand.yml:7: warning: brand colours primary #8ab4f8 on background #fbf7ee: contrast 1.9:1, below WCAG "
        "AA's 4.5:1 for links and the section slides' titles: make primary darker or lighter, or change the "
        "background [brand-contrast]",
        "_brand.yml:8: warning: brand: 'blau' is not a colour: write #rrggbb, rgb(…), a CSS colour name or a palette "
        "name [bad-brand]",
        "_brand.yml:14: warning: brand font 'Hausschrift Sans' comes from google, and a deck never downloads: put its "
        "files beside the brand file and list them with 'source: file' (used only where installed) [brand-font]",
        "_brand.yml:24: warning: brand colours headings #8ab4f8 on background #fbf7ee: contrast 1.9:1, below WCAG "
        "AA's 3:1 for headings: make headings darker or lighter, or change the background [brand-contrast]",
        "_brand.yml:27: warning: brand typography 'monospace': sizes on slides follow the theme (ignored) "
        "[brand-unused]",
        "_brand.yml:32: warning: brand: 'fonts' is not one of color, typography, logo (ignored) [bad-brand]",
    ]


def test_front_matter_brand_and_a_brand_file_that_cannot_be_read(tmp_path: Path, build: Build) -> None:
    deck = _project(tmp_path, "color: [kaputt\n", DECK.replace(
        "lang: de\n", 'lang: de\nbrand:\n  color:\n    primary: "#ffe14d"\n    background: white\n'))  # fmt: skip
    result = build(str(deck), "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0 and "_brand.yml" not in result.stderr  # the deck's own brand wins
    assert result.stderr.startswith("slides/talk.md:6: warning: brand colours primary #ffe14d on background #ffffff")
    css = (tmp_path / "_build" / "talk" / "lib" / "brand" / "brand.css").read_text(encoding="utf-8")
    assert "--r-link-color:#ffe14d" in css and "--deck-brand-on-primary:#000000" in css
    (deck).write_text(DECK, encoding="utf-8")
    broken = build(str(deck), "--no-pdf", cwd=tmp_path)
    assert broken.returncode == 0
    assert broken.stderr.startswith("_brand.yml:2: warning: brand file: expected ',' or ']'")
    assert not (tmp_path / "_build" / "talk" / "lib" / "brand").exists()  # the theme's design, as before


def test_a_starter_with_a_brand_file_to_fill_in(tmp_path: Path, build: Build) -> None:
    made = build("new", "vortrag", "--lang", "de", "--brand", cwd=tmp_path)
    assert made.returncode == 0 and "wrote _brand.yml" in made.stdout, made.stderr
    text = (tmp_path / "_brand.yml").read_text(encoding="utf-8")
    assert "primary: hausblau" in text and "# typography:" in text and "Hintergrund" in text
    built = build("slides/vortrag.md", "--no-pdf", cwd=tmp_path)
    assert built.returncode == 0 and built.stderr == "", built.stderr
    css = (tmp_path / "_build" / "vortrag" / "lib" / "brand" / "brand.css").read_text(encoding="utf-8")
    assert "--r-link-color:#1a4c8b" in css


def test_the_brand_wins_over_a_dark_theme(tmp_path: Path, build: Build, reused_page: Page) -> None:
    deck = _project(tmp_path, deck=DECK.replace("lang: de\n", "lang: de\ntheme: black\n"))
    result = build(str(deck), "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    page = reused_page
    page.goto((tmp_path / "_build" / "talk" / "index.html").as_uri() + "#/1")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    styles = page.evaluate(STYLES)
    assert (styles["background"], styles["text"], styles["heading"]) == (
        "rgb(251, 247, 238)", "rgb(26, 26, 26)", "rgb(0, 48, 94)",
    )  # fmt: skip
    assert page.evaluate("document.body.dataset.mermaidTheme") == "default"  # diagrams for a light ground
