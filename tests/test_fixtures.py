"""The converter's fixture files: markdown in, the slides' HTML (or the warning lines) out, compared exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from conftest import FIXTURES, slides_html
from mystdeck.pipeline import Resources

HTML_FIXTURES = sorted(p for p in FIXTURES.glob("*.md") if p.name != "warnings.md")


def _cases(path: Path) -> list[tuple[int, str, str, str]]:
    return [tuple(case) for case in read_fixture_file(path)]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("line", "title", "source", "expected"),
    [pytest.param(*case, id=f"{path.stem}:{case[0]}") for path in HTML_FIXTURES for case in _cases(path)],
)
def test_html(
    line: int, title: str, source: str, expected: str, tmp_path: Path, res: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    html, _messages = slides_html(source, tmp_path, res)
    assert html == expected


@pytest.mark.parametrize(
    ("line", "title", "source", "expected"),
    [pytest.param(*case, id=f"warnings:{case[0]}") for case in _cases(FIXTURES / "warnings.md")],
)
def test_warnings(
    line: int, title: str, source: str, expected: str, tmp_path: Path, res: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _html, messages = slides_html(source, tmp_path, res)
    assert "".join(m + "\n" for m in messages) == expected
