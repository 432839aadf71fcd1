"""Shared test helpers: build decks in memory or on disk, and find the browser the browser tests need."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from mystdeck import page
from mystdeck.browser import LAUNCH_ARGS, HeadlessBrowser, find_browser
from mystdeck.diagnostics import BuildError, Reporter
from mystdeck.pipeline import Resources, make_resources, prepare_deck

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "slides" / "dalle2.md"


@pytest.fixture(scope="session")
def res() -> Resources:
    return fixture_resources()


def fixture_resources() -> Resources:
    """What the converter's fixtures are built with: no browser and formulas left to the deck, so that
    diagrams and formulas show as the deck gets them to draw and typeset itself (their source, short
    and readable); tests/test_formulas.py and the browser tests check what Node.js and Chromium make."""
    res = make_resources(Reporter(), None, browser=None)
    res.typeset_math = False
    return res


def slides_html(text: str, folder: Path, res: Resources, strict: bool = False) -> tuple[str, list[str]]:
    """Build ``text`` as folder/deck.md without writing anything, through the build's own preparation
    step: each slide's ``<section>`` as the deck page has it (through the same template), and the messages."""
    deck_path = folder / "deck.md"
    deck_path.write_text(text, encoding="utf-8")
    shutil.copyfile(FIXTURES / "refs.bib", folder / "references.bib")
    shutil.copytree(FIXTURES / "files", folder / "files", dirs_exist_ok=True)  # for {include} and :file:
    reporter = Reporter(strict=strict)
    try:
        deck = prepare_deck(deck_path, res, reporter)
        templates = res.templates(deck_path)
        html = "".join(page.render_slide(templates, deck, slide, reporter) for slide in deck.slides)
    except BuildError:
        return "", [str(d) for d in reporter.in_order()]
    return html, [str(d) for d in reporter.in_order()]


def run_build(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python build.py`` as a presenter would, from ``cwd``."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The browser for the browser tests: missing is a failure, never a skip."""
    found = find_browser(None)
    if found.path is None:
        pytest.fail(f"browser tests need Chromium: {found.how} (apt-get install chromium)")
    return found.path


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """One headless Chromium for every browser test of the run, started the way mystdeck starts it."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def _kept_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def reused_page(_kept_page: Page) -> Iterator[Page]:
    """One page for the tests that only open something and look at it: a page costs more to open than to
    reuse. Each test gets it at 1280 by 720 pixels; afterwards it is left on an empty page (never closed)."""
    _kept_page.set_viewport_size({"width": 1280, "height": 720})
    yield _kept_page
    _kept_page.goto("about:blank")


def _built_once(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, make: Callable[[Path], None]
) -> Path:
    """A folder that ``make`` fills once for the whole run: the run's processes (pytest-xdist's workers)
    share it, the first to come makes it while the others wait. Tests only read it."""
    root = tmp_path_factory.getbasetemp()
    root = root if worker_id == "master" else root.parent
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (root / f"{name}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (root / f"{name}.done").touch()
    return folder


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str, borrowed: HeadlessBrowser) -> Path:
    """The seed deck built once, as ``python build.py slides/dalle2.md --pdf-notes --pdf-handout 3
    --self-contained`` does, in this process (or another of the run's)."""

    def make(out: Path) -> None:
        args = ("--pdf-notes", "--pdf-handout", "3", "--self-contained")
        code, err = _main_with(borrowed, str(SEED), "--out", str(out), *args)
        assert code == 0, err
        assert "PDF: 19/19 pages" in err

    return _built_once(tmp_path_factory, worker_id, "seed-out", make) / "dalle2"


@pytest.fixture(scope="session")
def borrowed(browser: Browser, chromium: Path) -> HeadlessBrowser:
    """mystdeck's browser wrapper around the session's browser, kept (with its warm pages) for every build."""
    return HeadlessBrowser.borrowing(browser, chromium)


@pytest.fixture
def shared_browser(borrowed: HeadlessBrowser, chromium: Path, monkeypatch: pytest.MonkeyPatch) -> HeadlessBrowser:
    """In-process builds (``main([...])``) use the session's running browser instead of starting one."""
    from mystdeck import cli

    def headless(path: Path) -> HeadlessBrowser:
        # Only the real browser is shared; a test's own fake executable is started as usual.
        return borrowed if path == chromium else HeadlessBrowser(path)

    monkeypatch.setattr(cli, "HeadlessBrowser", headless)
    return browser


@dataclass(slots=True)
class Built:
    """What an in-process build printed, shaped like ``subprocess.CompletedProcess``."""

    returncode: int
    stdout: str
    stderr: str


Build = Callable[..., Built]


@pytest.fixture
def build(shared_browser: Browser, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Build:
    """``python build.py ARGS`` run in this process, with the session's browser: as ``run_build`` but
    without starting Python and Chromium again. Subprocesses stay for what they are about (the
    command itself, the preview server, a browser that does not start)."""
    from mystdeck.cli import main

    def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Built:
        monkeypatch.chdir(cwd)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as stopped:
            code = int(stopped.code or 0)
        printed = capsys.readouterr()
        return Built(code, printed.out, printed.err)

    return run


DESIGN = Path(__file__).resolve().parent / "decks" / "design.md"


@pytest.fixture(scope="session")
def design_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str, borrowed: HeadlessBrowser) -> Path:
    """The design test deck built once (HTML only: its PDF is another test's): its deck folder."""
    from media import design_deck

    def make(folder: Path) -> None:
        design_deck(folder, DESIGN)
        code, err = _main_with(borrowed, str(folder / "design.md"), "--out", str(folder / "_build"), "--no-pdf")
        assert code == 0 and err == "", err

    return _built_once(tmp_path_factory, worker_id, "design", make) / "_build" / "design"


def _main_with(borrowed: HeadlessBrowser, *args: str) -> tuple[int, str]:
    """``python build.py ARGS`` in this process with the session's browser: the exit code and what it printed
    on stderr (for session fixtures, which cannot use the function-scoped ``build``)."""
    from mystdeck import cli

    err = io.StringIO()
    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stderr(err),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        patch.setattr(cli, "HeadlessBrowser", lambda path: borrowed)
        code = cli.main(list(args))
    return code, err.getvalue()


def no_browser_env(tmp_path: Path) -> dict[str, str]:
    """An environment in which no browser can be found: empty PATH and Playwright cache, no variable."""
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    return {"PATH": str(empty), "PLAYWRIGHT_BROWSERS_PATH": str(empty), "MYSTDECK_BROWSER": ""}
