"""Source stage: a deck file's bytes in, its text and FrontMatter out."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import FrontMatter, Source

THEMES = (
    *("beige", "black", "black-contrast", "blood", "dracula", "league", "moon"),
    *("night", "serif", "simple", "sky", "solarized", "white", "white-contrast"),
)
CITATION_STYLES = ("author-year", "numeric")
_TEXT_KEYS = ("title", "subtitle", "author", "date", "lang", "theme")


def read_source(path: Path, reporter: Reporter) -> Source:
    """Decode the file, split off and check its front matter; an unusable file is fatal."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise reporter.fatal(SourceLoc(path), f"cannot read the file: {exc.strerror}", "no-input") from None
    text = _decode(path, data, reporter)
    if not text.strip():
        raise reporter.fatal(
            SourceLoc(path, 1), "the file is empty: write a '# Title' and some '## Slides'", "empty-file"
        )
    yaml_text, body_line = _split_front_matter(path, text, reporter)
    front = _front_matter(path, yaml_text, reporter) if yaml_text is not None else FrontMatter()
    return Source(path=path, text=text, front=front, body_line=body_line)


def _decode(path: Path, data: bytes, reporter: Reporter) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise reporter.fatal(
            SourceLoc(path, line),
            f"byte 0x{data[exc.start]:02x} is not UTF-8: save the file as UTF-8",
            "bad-encoding",
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _split_front_matter(path: Path, text: str, reporter: Reporter) -> tuple[str | None, int]:
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, 1
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == "---":
            return "\n".join(lines[1 : number - 1]), number + 1
    raise reporter.fatal(
        SourceLoc(path, 1), "the front matter opened here is never closed: add a line '---'", "bad-front-matter"
    )


def _front_matter(path: Path, yaml_text: str, reporter: Reporter) -> FrontMatter:
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise reporter.fatal(
            SourceLoc(path, line), f"front matter: {problem}: fix the YAML between the '---' lines", "bad-front-matter"
        ) from None
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise reporter.fatal(SourceLoc(path, 2), "front matter must be 'key: value' lines", "bad-front-matter")
    return _build_front_matter(path, data, yaml_text, reporter)


def _key_line(yaml_text: str, key: str) -> int:
    for number, line in enumerate(yaml_text.split("\n"), start=2):
        if line.startswith(f"{key}:"):
            return number
    return 2


def _build_front_matter(path: Path, data: dict[str, Any], yaml_text: str, reporter: Reporter) -> FrontMatter:
    front = FrontMatter()

    def bad(key: str, what: str) -> None:
        reporter.warning(
            SourceLoc(path, _key_line(yaml_text, key)), f"front matter '{key}': {what}", "bad-front-matter"
        )

    for key, value in data.items():
        name = str(key).replace("-", "_")
        if key in _TEXT_KEYS:
            setattr(front, name, _as_text(value))
        elif key == "bibliography":
            items = value if isinstance(value, list) else [value]
            front.bibliography = [(path.parent / str(item)) for item in items if item]
        elif key == "bibliography-style":
            front.bibliography_style = str(value)
        elif key == "citation-style":
            if value in CITATION_STYLES:
                front.citation_style = str(value)
            else:
                bad(key, f"'{value}' is not one of {', '.join(CITATION_STYLES)}; using author-year")
        elif key == "reveal":
            if isinstance(value, dict):
                front.reveal = {str(k): v for k, v in value.items()}
            else:
                bad(key, "must be a mapping of reveal.js options, such as 'transition: fade'")
        else:
            reporter.warning(
                SourceLoc(path, _key_line(yaml_text, str(key))),
                f"unknown front-matter key '{key}' (ignored)",
                "unknown-key",
            )
    if front.theme not in THEMES:
        bad("theme", f"'{front.theme}' is not a reveal.js theme; using white")
        front.theme = "white"
    return front


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)
