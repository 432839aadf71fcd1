"""Finding the browser: each step of the order, with fake executables, and the messages when none is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Build, no_browser_env, run_build
from mystdeck.browser import PATH_NAMES, find_browser


def _fake(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 1\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return no_browser_env(tmp_path)


def test_explicit_path_comes_first(tmp_path: Path, env: dict[str, str]) -> None:
    explicit = _fake(tmp_path / "mine" / "chrome")
    env["MYSTDECK_BROWSER"] = str(_fake(tmp_path / "env" / "chrome"))
    assert find_browser(str(explicit), env).path == explicit


def test_environment_variable_comes_second(tmp_path: Path, env: dict[str, str]) -> None:
    from_env = _fake(tmp_path / "env" / "chrome")
    env["MYSTDECK_BROWSER"] = str(from_env)
    _fake(tmp_path / "bin" / "chromium")
    env["PATH"] = str(tmp_path / "bin")
    assert find_browser(None, env).path == from_env


def test_playwright_managed_browser_comes_third(tmp_path: Path, env: dict[str, str]) -> None:
    managed = _fake(tmp_path / "pw" / "chromium-1200" / "chrome-linux" / "chrome")
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "pw")
    _fake(tmp_path / "bin" / "chromium")
    env["PATH"] = str(tmp_path / "bin")
    found = find_browser(None, env)
    assert found.path == managed and found.how == "Playwright's own browser"


@pytest.mark.parametrize("index", range(len(PATH_NAMES)))
def test_path_names_in_order(index: int, tmp_path: Path, env: dict[str, str]) -> None:
    for name in PATH_NAMES[index:]:
        _fake(tmp_path / "bin" / name)
    env["PATH"] = str(tmp_path / "bin")
    assert find_browser(None, env).path == tmp_path / "bin" / PATH_NAMES[index]


@pytest.mark.parametrize(
    ("variable", "app"),
    [
        ("HOME", "Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
        ("HOME", "Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
        ("PROGRAMFILES", "Google/Chrome/Application/chrome.exe"),
        ("LOCALAPPDATA", "Chromium/Application/chrome.exe"),
        ("ProgramFiles(x86)", "Microsoft/Edge/Application/msedge.exe"),
    ],
)
def test_macos_and_windows_install_folders_come_last(
    variable: str, app: str, tmp_path: Path, env: dict[str, str]
) -> None:
    installed = _fake(tmp_path / "base" / app)
    env[variable] = str(tmp_path / "base")
    found = find_browser(None, env)
    assert found.path == installed and found.how == f"installed at {installed}"
    _fake(tmp_path / "bin" / "msedge")
    env["PATH"] = str(tmp_path / "bin")
    assert find_browser(None, env).path == tmp_path / "bin" / "msedge"  # PATH first


@pytest.mark.parametrize(
    "layout",
    [
        "chromium-1200/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chromium-1200/chrome-win64/chrome.exe",
    ],
)
def test_playwright_browsers_of_macos_and_windows(layout: str, tmp_path: Path, env: dict[str, str]) -> None:
    managed = _fake(tmp_path / "pw" / layout)
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "pw")
    assert find_browser(None, env).path == managed


def test_a_named_browser_that_is_not_there(tmp_path: Path, env: dict[str, str]) -> None:
    found = find_browser(str(tmp_path / "nope"), env)
    assert found.path is None and "--browser names" in found.how


def test_none_found_builds_html_and_says_so_in_one_line(tmp_path: Path, env: dict[str, str], build: Build) -> None:
    (tmp_path / "talk.md").write_text("# T\n\n## S\n", encoding="utf-8")
    result = build("talk.md", cwd=tmp_path, env=env)
    assert result.returncode == 0
    lines = [line for line in result.stderr.splitlines() if "[browser-missing]" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: PDF skipped: no Chromium or Chrome found")
    assert "apt-get install chromium" in lines[0] and "--browser PATH" in lines[0]
    assert (tmp_path / "_build" / "talk" / "index.html").is_file()
    assert not (tmp_path / "_build" / "talk" / "talk.pdf").exists()


@pytest.mark.parametrize("flag", ["--pdf", "--strict"])
def test_none_found_is_an_error_when_the_pdf_is_asked_for_or_strict(
    flag: str, tmp_path: Path, env: dict[str, str], build: Build
) -> None:
    (tmp_path / "talk.md").write_text("# T\n\n## S\n", encoding="utf-8")
    result = build("talk.md", flag, cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "error: PDF skipped: no Chromium or Chrome found" in result.stderr


def test_no_pdf_needs_no_browser(tmp_path: Path, env: dict[str, str], build: Build) -> None:
    (tmp_path / "talk.md").write_text("# T\n\n## S\n", encoding="utf-8")
    result = build("talk.md", "--no-pdf", cwd=tmp_path, env=env)
    assert result.returncode == 0 and result.stderr == ""


def test_a_browser_that_does_not_start_is_a_message(tmp_path: Path) -> None:
    broken = _fake(tmp_path / "bin" / "chromium")
    (tmp_path / "talk.md").write_text("# T\n\n## S\n\n:::{mermaid}\ngraph LR\n  A --> B\n:::\n", encoding="utf-8")
    result = run_build("talk.md", "--browser", str(broken), cwd=tmp_path)
    assert result.returncode == 1
    assert "talk.md: error: talk.pdf could not be made:" in result.stderr
    assert "talk.md:5: warning: the browser could not draw the diagrams" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    # A failed PDF never keeps the HTML deck from being written.
    assert not (tmp_path / "_build" / "talk" / "talk.pdf").exists()
    html = (tmp_path / "_build" / "talk" / "index.html").read_text(encoding="utf-8")
    # The deck draws its diagram itself when it opens.
    assert 'class="deck-mermaid-source"' in html and (tmp_path / "_build" / "talk" / "lib" / "mermaid").is_dir()


def test_a_rebuild_without_pdf_loads_no_browser_code(tmp_path: Path, build: Build) -> None:
    """Formulas, code, citations and a diagram drawn before: nothing left for a browser, so Playwright
    is not even imported (it is a good part of a quick rebuild's time)."""
    import subprocess
    import sys

    from conftest import FIXTURES

    (tmp_path / "references.bib").write_bytes((FIXTURES / "refs.bib").read_bytes())
    (tmp_path / "talk.md").write_text(
        "# T\n\n## S\n\n$x^2$ {cite:t}`ho2020`\n\n```python\nx = 1\n```\n\n:::{mermaid}\ngraph LR\n  A --> B\n:::\n",
        encoding="utf-8",
    )
    assert build("talk.md", "--no-pdf", cwd=tmp_path).returncode == 0  # draws the diagram into the cache
    probe = (
        "import sys\nfrom mystdeck.cli import main\ncode = main(['talk.md', '--no-pdf'])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('playwright', 'greenlet', 'pyee')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr
