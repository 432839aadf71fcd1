"""--self-contained: one HTML file that opens offline and asks for no other file."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Error, Page, Request

from conftest import Build


def test_self_contained_file_needs_nothing_else(tmp_path: Path, reused_page: Page, seed_build: Path) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    single = alone / "dalle2.html"
    shutil.copyfile(seed_build / "dalle2.html", single)
    page = reused_page
    requests: list[str] = []
    errors: list[str] = []

    def asked(request: Request) -> None:
        requests.append(request.url)

    def failed(exc: Error) -> None:
        errors.append(str(exc))

    page.on("request", asked)
    page.on("pageerror", failed)
    try:
        page.goto(single.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        assert page.evaluate("Reveal.getTotalSlides()") == 19
        assert page.evaluate("document.querySelectorAll('figure.deck-mermaid svg').length") == 1
        assert [url for url in requests if not url.startswith("data:")] == [single.as_uri()]
        # The speaker view works from the single file too, in the deck's language.
        with page.context.expect_page() as popup:
            page.keyboard.press("s")
        speaker = popup.value
        speaker.wait_for_function("document.querySelector('#upcoming-slide .label')")
        assert speaker.inner_text("#upcoming-slide .label") == "Als Nächstes"
        speaker.close()
    finally:
        page.remove_listener("request", asked)
        page.remove_listener("pageerror", failed)
    assert errors == []


def test_self_contained_file_inlines_images_and_fonts(tmp_path: Path, chromium: Path, build: Build) -> None:
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "talk.md").write_text(
        '# T\n\n## S\n\n![p](pic.png) and $x^2$\n\n## B {background-image="pic.png"}\n\nText\n', encoding="utf-8"
    )
    result = build("talk.md", "--self-contained", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "_build" / "talk" / "talk.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html
    assert 'data-background-image="data:image/png;base64,' in html  # a slide's background too
    assert "data:font/woff2;base64," in html  # KaTeX's fonts
    assert 'src="lib/' not in html and 'href="lib/' not in html and 'src="media/' not in html
