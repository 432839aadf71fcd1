"""The installed tool, as a presenter gets it: the wheel is built from a clean copy of the repository (its
build step runs npm ci), installed into a fresh virtual environment, and used in an unrelated folder.

Slow (a minute: npm ci, pip), so it is not part of the main run: ``./run test`` runs it after the suite
(``pytest -m wheel``)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import ROOT

pytestmark = pytest.mark.wheel


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=dict(os.environ)
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


def test_the_wheel_installs_and_builds_a_starter_deck_anywhere(tmp_path: Path, browser: Browser) -> None:
    source = tmp_path / "source"
    tracked = _run("git", "ls-files", "-z", cwd=ROOT, timeout=60).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    assert not (source / "node_modules").exists()
    _run(sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", tmp_path / "dist", cwd=source)
    (wheel,) = (tmp_path / "dist").glob("mystdeck-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mystdeck/data/templates/deck.html.j2" in names
    assert "mystdeck/data/node_modules/reveal.js/dist/reveal.js" in names
    assert not [n for n in names if n.endswith((".map", ".mjs", ".ts", ".scss", ".woff", ".ttf"))]
    assert wheel.stat().st_size < 6 * 1024 * 1024

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run(bin_dir / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel, cwd=tmp_path)

    talks = tmp_path / "elsewhere" / "talks"
    talks.mkdir(parents=True)
    _run(bin_dir / "mystdeck", "new", "vortrag", "--lang", "de", cwd=talks, timeout=60)
    bib = talks / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Probabilistic Models", "Models aus diesem Ordner"))
    built = _run(bin_dir / "mystdeck", cwd=talks, timeout=300)
    assert "warning" not in built.stderr and "error" not in built.stderr, built.stderr
    assert (talks / "_build" / "vortrag" / "vortrag.pdf").is_file()

    deck = talks / "_build" / "vortrag"
    page = browser.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: None if r.url.startswith((deck.as_uri(), "data:", "blob:")) else outside.append(r.url))
    page.goto((deck / "index.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert "Models aus diesem Ordner" in (page.text_content(".deck-references") or "")  # as written, edited here
    assert page.locator("a.deck-cite").first.text_content() == "Ho u. a., 2020"
    page.close()
    assert errors == [] and outside == [], (errors, outside)
