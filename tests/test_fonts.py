"""The theme's fonts as woff2 files cut to what a deck uses: lighter decks that look exactly as before."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import ROOT
from mystdeck import fonts

THEMES = ROOT / "node_modules" / "reveal.js" / "dist" / "theme"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = (False, False), (True, False), (False, True), (True, True)


@pytest.fixture(scope="module")
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of this module's own: the fonts are cut here, not read from an earlier run."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder / "mystdeck" / "fonts"


def _usage(html: str, css: str = "") -> fonts.Usage:
    return fonts.text_usage([html], [], [css] if css else [])


def test_the_text_decides_which_faces_are_asked_for() -> None:
    assert _usage("<p>Hallo</p>").styles == {REGULAR}
    assert _usage("<h2>Titel</h2><p>Text</p>").styles == {REGULAR, BOLD}
    assert _usage("<p>ein <em>Wort</em></p>").styles == {REGULAR, ITALIC}
    # Bold italic where one holds the other (the italic face comes along: a few KB, never a face missing).
    assert _usage("<p><strong>fett <em>und schräg</em></strong></p>").styles == {REGULAR, BOLD, ITALIC, BOLD_ITALIC}
    assert _usage("<h3>Über <i>Bilder</i></h3><p><em>x</em></p>").styles == {REGULAR, BOLD, ITALIC, BOLD_ITALIC}
    assert _usage("<h3>Über Bilder</h3><p><em>x</em></p>").styles == {REGULAR, BOLD, ITALIC}
    # Tag names are read whole: <br>, <img> and <blockquote> are not <b> or <i>.
    assert _usage('<p>a<br>b <img src="x.png" alt=""></p>').styles == {REGULAR}
    # A class the style sheets make bold, italic or small capitals counts as such.
    css = ".reveal .note-title { font-weight: bold; }\n.reveal .quote, .x .said { font-style: italic }\n" \
          ".reveal .sc { font-variant: small-caps; }"  # fmt: skip
    usage = _usage('<p class="note-title">N</p><p class="said">Q</p><p class="sc">Sc</p>', css)
    assert usage.styles == {REGULAR, BOLD, ITALIC} and usage.small_caps
    assert {"Ä", "ß", "N", "~"} <= _usage("<p>Äß</p>").chars | fonts.text_usage([], ["N"], []).chars
    # A Greek letter only in a typeset formula is KaTeX's to show; in the text, it is the theme font's.
    formula = '<span class="katex">\u03b1</span>'
    assert "\u03b1" not in fonts.text_usage([f"<p>Sei {formula}.</p>"], [], [], [formula]).chars
    assert "\u03b1" in fonts.text_usage([f"<p>\u03b1 und {formula}</p>"], [], [], [formula]).chars


def test_white_theme_carries_only_the_faces_and_characters_used(own_cache: Path) -> None:
    made = fonts.theme_fonts(THEMES / "white.css", _usage("<h1>Titel</h1><p>Text mit Umlauten: äöü</p>"))
    css = made.css.decode("utf-8")
    assert "data:" not in css  # the 0.57 MB of inlined fonts are gone
    assert sorted(made.files) == [
        "fonts/source-sans-pro-400-normal-latin.woff2",
        "fonts/source-sans-pro-600-normal-latin.woff2",
    ]
    assert all(data.startswith(b"wOF2") and len(data) < 30_000 for data in made.files.values())
    assert css.count("@font-face") == 2 and css.count("unicode-range:U+0000-00FF") == 2
    assert 'src:url(fonts/source-sans-pro-600-normal-latin.woff2) format("woff2");font-weight:600' in css
    assert css.endswith((THEMES / "white.css").read_text(encoding="utf-8").rsplit("}", 1)[-1])


def test_cut_fonts_are_kept_and_a_damaged_cache_file_is_made_again(
    own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = _usage("<p>Text</p>")
    first = fonts.theme_fonts(THEMES / "white.css", usage)
    kept = sorted(own_cache.glob("*-source-sans-pro-400-normal-latin.woff2"))
    assert len(kept) == 1 and kept[0].read_bytes() == first.files["fonts/source-sans-pro-400-normal-latin.woff2"]

    def no_cutting(*args: object) -> bytes:
        raise AssertionError("cut again although kept")

    with monkeypatch.context() as patch:
        patch.setattr(fonts, "_subset", no_cutting)
        assert fonts.theme_fonts(THEMES / "white.css", usage) == first
    kept[0].write_bytes(b"<script>not a font</script>")  # the cache is not trusted
    assert fonts.theme_fonts(THEMES / "white.css", usage) == first
    assert kept[0].read_bytes().startswith(b"wOF2")


def test_themes_fetch_no_web_fonts(own_cache: Path) -> None:
    assert "fonts.googleapis.com" in (THEMES / "league.css").read_text(encoding="utf-8")
    made = fonts.theme_fonts(THEMES / "league.css", _usage("<h2>Titel</h2>"))
    assert b"@import" not in made.css and b"googleapis" not in made.css
    assert list(made.files) == ["fonts/league-gothic-400-normal-latin.woff2"]
    # Greek letters in the text bring the rest of the font, in a file the browser takes for them only.
    greek = fonts.theme_fonts(THEMES / "league.css", _usage("<h2>\u03b1 und \u03b2</h2>"))
    assert list(greek.files) == [
        "fonts/league-gothic-400-normal-latin.woff2",
        "fonts/league-gothic-400-normal-more.woff2",
    ]
    assert greek.css.count(b"@font-face") == 2 and greek.css.count(b"unicode-range") == 1
    assert b"@import" not in fonts.theme_fonts(THEMES / "sky.css", _usage("<p>x</p>")).css


def test_the_seed_deck_is_light(seed_build: Path) -> None:
    carried = [path for path in seed_build.rglob("*") if path.is_file() and path.suffix not in (".pdf", ".html")]
    carried.append(seed_build / "index.html")
    total = sum(path.stat().st_size for path in carried)
    assert total <= 450_000, f"the seed deck weighs {total} bytes"
    assert (seed_build / "dalle2.html").stat().st_size <= 600_000
    theme_fonts = sorted(path.name for path in (seed_build / "lib" / "reveal" / "theme" / "fonts").iterdir())
    assert theme_fonts == [  # the references' titles are italic; nothing bold is italic
        "source-sans-pro-400-italic-latin.woff2",
        "source-sans-pro-400-normal-latin.woff2",
        "source-sans-pro-600-normal-latin.woff2",
    ]


SHOWN = """() => {
  Reveal.configure({ controls: false, progress: false, transition: 'none', backgroundTransition: 'none' });
  return document.fonts.ready.then(() => [...document.fonts].filter((face) => face.status === 'error').length);
}"""


def test_the_lighter_deck_looks_exactly_as_before(seed_build: Path, tmp_path: Path, reused_page: Page) -> None:
    before = tmp_path / "before"
    shutil.copytree(seed_build, before, ignore=shutil.ignore_patterns("*.pdf", "*.html", "fonts"))
    shutil.copyfile(seed_build / "index.html", before / "index.html")
    shutil.copyfile(THEMES / "white.css", before / "lib" / "reveal" / "theme" / "white.css")  # fonts inlined
    page = reused_page
    shots: dict[str, list[bytes]] = {}
    for name, folder in (("before", before), ("after", seed_build)):
        page.goto((folder / "index.html").as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        assert page.evaluate(SHOWN) == 0
        assert page.evaluate("document.fonts.check('italic 400 42px \"Source Sans Pro\"')")
        shots[name] = []
        for index in (0, 6, -1):  # the title, a page of text with a citation, the references (italic)
            page.evaluate(f"(() => {{ const s = Reveal.getSlides().at({index}); const i = Reveal.getIndices(s);"
                          " Reveal.slide(i.h, i.v, 99); })()")  # fmt: skip
            page.evaluate("document.fonts.ready.then(() => new Promise(requestAnimationFrame))")
            shots[name].append(page.screenshot())
    assert [len(shot) for shot in shots["after"]] == [len(shot) for shot in shots["before"]]
    assert shots["after"] == shots["before"]
