"""Source stage: a deck file's bytes in, its text and FrontMatter out."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Author, FrontMatter, Navigation, Source
from mystdeck.notebook import RISE_SETTINGS, notebook_text
from mystdeck.yamltext import YamlDoc, YamlProblem, load_yaml

THEMES = (
    *("beige", "black", "black-contrast", "blood", "dracula", "league", "moon"),
    *("night", "serif", "simple", "sky", "solarized", "white", "white-contrast"),
)
CITATION_STYLES = ("author-year", "numeric")
_TEXT_KEYS = ("title", "subtitle", "author", "date", "lang", "theme", "footer", "institute", "logo")


def read_source(path: Path, reporter: Reporter) -> Source:
    """Decode the file, split off and check its front matter; an unusable file is fatal."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise reporter.fatal(SourceLoc(path), f"cannot read the file: {exc.strerror}", "no-input") from None
    outputs: dict[int, list[dict[str, Any]]] = {}
    if path.suffix.lower() == ".ipynb":
        _decode(path, data, reporter)  # a message with its line for bytes that are not UTF-8
        text, outputs = notebook_text(path, data, reporter)
    else:
        text = _decode(path, data, reporter)
    if not text.strip():
        raise reporter.fatal(
            SourceLoc(path, 1), "the file is empty: write a '# Title' and some '## Slides'", "empty-file"
        )
    yaml_text, body_line = _split_front_matter(path, text, reporter)
    front = _front_matter(path, yaml_text, reporter) if yaml_text is not None else FrontMatter()
    return Source(path=path, text=text, front=front, body_line=body_line, outputs=outputs)


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
        doc = load_yaml(yaml_text)
    except YamlProblem as exc:
        raise reporter.fatal(
            SourceLoc(path, exc.line + 2), f"front matter: {exc.message}: fix the YAML between the '---' lines",
            "bad-front-matter",
        ) from None  # fmt: skip
    if doc.data is None:
        return FrontMatter()
    if not isinstance(doc.data, dict):
        raise reporter.fatal(SourceLoc(path, 2), "front matter must be 'key: value' lines", "bad-front-matter")
    return _build_front_matter(path, doc, reporter)


@dataclass(slots=True)
class _Reader:
    """Reads one front matter: each value checked, each problem a warning at its key's line."""

    path: Path
    doc: YamlDoc
    reporter: Reporter

    def line(self, key: str) -> SourceLoc:
        return SourceLoc(self.path, self.doc.lines.get(key, 0) + 2)

    def bad(self, key: str, what: str) -> None:
        self.reporter.warning(self.line(key), f"front matter '{key}': {what}", "bad-front-matter")

    def text(self, key: str, value: Any) -> str:
        if isinstance(value, list) and all(_is_scalar(item) for item in value):
            return ", ".join(_scalar_text(item) for item in value)
        if _is_scalar(value):
            return _scalar_text(value)
        self.bad(key, "must be text (ignored)")
        return ""


def _build_front_matter(path: Path, doc: YamlDoc, reporter: Reporter) -> FrontMatter:
    front = FrontMatter(lines={key: line + 2 for key, line in doc.lines.items()})
    read = _Reader(path, doc, reporter)
    for key, value in doc.data.items():
        key = str(key)
        if key in _TEXT_KEYS:
            setattr(front, key, read.text(key, value))
        elif key == "bibliography":
            items = value if isinstance(value, list) else [value]
            front.bibliography = [path.parent / read.text(key, item) for item in items if item]
        elif key == "bibliography-style":
            front.bibliography_style = read.text(key, value) or front.bibliography_style
        elif key == "citation-style":
            if value in CITATION_STYLES:
                front.citation_style = str(value)
            else:
                read.bad(key, f"'{value}' is not one of {', '.join(CITATION_STYLES)}; using author-year")
        elif key == "reveal":
            front.reveal = {**front.reveal, **_reveal_options(read, value)}
        elif key == "rise":  # RISE's settings, as a notebook's metadata or a MyST notebook's front matter has them
            rise = value if isinstance(value, dict) else {}
            if isinstance(rise.get("theme"), str) and rise["theme"] in THEMES:
                front.theme = rise["theme"]
            chosen = {k: v for k, v in rise.items() if k in RISE_SETTINGS}
            front.reveal = {**_reveal_options(read, chosen), **front.reveal}
        elif key == "authors":
            front.authors = _authors(read, value)
        elif key == "incremental":
            if isinstance(value, bool):
                front.incremental = value
            else:
                read.bad(key, "must be true or false")
        elif key == "duration":
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 24 * 60:
                front.duration = float(value)
            else:
                read.bad(key, "must be the talk's length in minutes, such as 'duration: 20'")
        elif key == "numbering":
            front.numbering = _numbering(read, value)
        elif key == "kernelspec":
            language = value.get("language") if isinstance(value, dict) else None
            front.kernel_language = language if isinstance(language, str) else ""
            name = value.get("name") if isinstance(value, dict) else None
            front.kernel_name = name if isinstance(name, str) else ""
        elif key == "execute":
            _execute(read, front, value)
        elif key == "overflow":
            if value in ("split", "warn"):
                front.overflow = str(value)
            else:
                read.bad(key, "must be 'split' (a long slide continues on follow-up slides) or 'warn'")
        elif key in _OUTLINE_KEYS:
            _OUTLINE_KEYS[key](read, front, value)
        elif key == "brand":
            if isinstance(value, dict | str) or value is False:
                front.brand = value
            else:
                read.bad(key, "must be a brand (color, typography, logo), a brand file's path, or false")
        elif key in _NOTEBOOK_KEYS:
            pass  # a MyST notebook's own settings, nothing a slide shows
        else:
            reporter.warning(read.line(key), f"unknown front-matter key '{key}' (ignored)", "unknown-key")
    if front.authors and not front.author:
        front.author = ", ".join(author.name for author in front.authors)
    if front.theme not in THEMES:
        read.bad("theme", f"'{front.theme}' is not a reveal.js theme; using white")
        front.theme = "white"
    if front.date and _ISO_DATE.fullmatch(front.date) and not _is_calendar_date(front.date):
        read.bad("date", f"{front.date} is not a date of the calendar (shown as written)")
    return front


_NOTEBOOK_KEYS = ("jupytext", "kernel", "jupyter", "kernel_name")


def _agenda(read: _Reader, front: FrontMatter, value: Any) -> None:
    """``agenda: true`` (the agenda before every section, left out of the PDF), ``pdf`` (kept there), false."""
    if value is True or value == "pdf":
        front.agenda = "pdf" if value == "pdf" else "slides"
    elif value is not False:
        read.bad("agenda", "must be true, false or 'pdf' (the agenda slides in the PDF too)")


def _navigation(read: _Reader, front: FrontMatter, value: Any) -> None:
    """``navigation: sections``, or ``navigation: {position: bottom, pdf: true}`` (also the section bar)."""
    if value in (False, None, "none"):
        front.navigation = None
        return
    if value == "sections" or value is True:
        front.navigation = Navigation()
        return
    if not isinstance(value, dict):
        read.bad("navigation", "must be 'sections' or a mapping such as '{position: bottom, pdf: true}'")
        return
    position, pdf = value.get("position", "top"), value.get("pdf", False)
    if position not in ("top", "bottom"):
        read.bad("navigation", f"position '{position}' is not 'top' or 'bottom'; using top")
        position = "top"
    if not isinstance(pdf, bool):
        read.bad("navigation", "'pdf' must be true or false; the bar stays out of the PDF")
        pdf = False
    unknown = [str(name) for name in value if name not in ("position", "pdf", "bar")]
    if unknown:
        read.bad("navigation", f"'{unknown[0]}' is not one of position, pdf (ignored)")
    front.navigation = Navigation(str(position), pdf)


SLIDE_NUMBER_FORMATS = ("c/t", "c", "h.v", "h/v", "section")


def _slide_number(read: _Reader, front: FrontMatter, value: Any) -> None:
    """reveal.js' formats (``c/t``, ``c``, ``h.v``, ``h/v``), ``section`` ("2.3"), or false (none)."""
    if value is False:
        front.slide_number = False
    elif value is True:
        front.slide_number = "c/t"
    elif value in SLIDE_NUMBER_FORMATS:
        front.slide_number = str(value)
    else:
        read.bad("slide-number", f"'{value}' is not one of {', '.join(SLIDE_NUMBER_FORMATS)} or false; using c/t")


def _math(read: _Reader, front: FrontMatter, value: Any) -> None:
    r"""mystmd's ``math``: ``{'\R': '\mathbb{R}'}``; a value may also be ``{macro: …, description: …}``.
    KaTeX checks the definitions when the formulas are typeset."""
    if not isinstance(value, dict):
        read.bad("math", r"must be a mapping of macros, such as '\R': '\mathbb{R}'")
        return
    for key, definition in value.items():
        name = str(key).strip()
        name = name if name.startswith("\\") else "\\" + name
        if isinstance(definition, dict):
            definition = definition.get("macro")
        if not isinstance(definition, str | int | float) or isinstance(definition, bool):
            read.bad(f"math.{key}", r"a macro's definition must be text, such as '\mathbb{R}' (ignored)")
        elif not re.fullmatch(r"\\(?:[A-Za-z]+|[^A-Za-z\s])", name):
            read.bad(f"math.{key}", rf"'{key}' is not a macro name such as '\R' (ignored)")
        else:
            front.math_macros[name] = str(definition)


_OUTLINE_KEYS = {"agenda": _agenda, "navigation": _navigation, "slide-number": _slide_number, "math": _math}


def _execute(read: _Reader, front: FrontMatter, value: Any) -> None:
    """``execute: true``, or ``execute: {cache: true, timeout: 30, allow_errors: false}``."""
    if isinstance(value, bool):
        front.execute = value
        return
    if not isinstance(value, dict):
        read.bad("execute", "must be true, false or a mapping such as '{timeout: 60}'")
        return
    front.execute = value.get("enabled", True) is True
    for name, kind in (("cache", bool), ("timeout", int), ("allow_errors", bool)):
        if name not in value:
            continue
        if not isinstance(value[name], kind) or (kind is int and (isinstance(value[name], bool) or value[name] < 1)):
            read.bad("execute", f"'{name}' must be {'true or false' if kind is bool else 'a number of seconds'}")
            continue
        setattr(front, f"execute_{name}", value[name])
    unknown = [name for name in value if name not in ("enabled", "cache", "timeout", "allow_errors")]
    if unknown:
        read.bad("execute", f"'{unknown[0]}' is not one of enabled, cache, timeout, allow_errors (ignored)")


#: What ``numbering`` may switch on, as mystmd names it.
NUMBERED_KINDS = ("figure", "table", "equation", "code")


def _numbering(read: _Reader, value: Any) -> dict[str, bool]:
    """mystmd's ``numbering``: true or false for every kind, or ``{figure: true, equation: false, …}`` (a
    kind's value may also be ``{enabled: true}``). Shown numbers only: everything is numbered anyway."""
    if isinstance(value, bool):
        return dict.fromkeys(NUMBERED_KINDS, value)
    if not isinstance(value, dict):
        read.bad("numbering", "must be true, false or a mapping such as 'figure: true'")
        return {}
    shown: dict[str, bool] = {}
    for kind, setting in value.items():
        if isinstance(setting, dict):
            setting = setting.get("enabled", True)
        if kind not in NUMBERED_KINDS:
            if kind not in ("heading_1", "heading_2", "heading_3", "heading_4", "heading_5", "heading_6", "title"):
                read.bad("numbering", f"'{kind}' is not one of {', '.join(NUMBERED_KINDS)} (ignored)")
            continue
        if not isinstance(setting, bool):
            read.bad("numbering", f"'{kind}' must be true or false (ignored)")
            continue
        shown[str(kind)] = setting
    return shown


# reveal.js options whose value mystdeck itself uses (page size, print scale): numbers in a range.
_REVEAL_NUMBERS = {
    "width": (200, 8000),
    "height": (150, 8000),
    "margin": (0, 1),
    "minScale": (0.01, 10),
    "maxScale": (0.01, 10),
}


def _reveal_options(read: _Reader, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        read.bad("reveal", "must be a mapping of reveal.js options, such as 'transition: fade'")
        return {}
    options: dict[str, Any] = {}
    for key, option in value.items():
        key = str(key)
        low, high = _REVEAL_NUMBERS.get(key, (None, None))
        number_ok = isinstance(option, int | float) and not isinstance(option, bool)
        if low is not None and not (number_ok and low <= option <= high):
            read.bad(f"reveal.{key}", f"must be a number from {low} to {high}; using mystdeck's default")
            continue
        options[key] = option
    return options


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _is_calendar_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _authors(read: _Reader, value: Any) -> list[Author]:
    """mystmd's ``authors``: names, or mappings with ``name`` and ``affiliations`` (text or a list)."""
    authors = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and _is_scalar(item.get("name")):
            places = item.get("affiliations") or item.get("affiliation") or []
            places = places if isinstance(places, list) else [places]
            authors.append(Author(_scalar_text(item["name"]), [_scalar_text(p) for p in places if _is_scalar(p)]))
        elif _is_scalar(item) and item is not None:
            authors.append(Author(_scalar_text(item)))
        else:
            read.bad("authors", "each author is a name, or 'name:' with 'affiliations:' (ignored)")
    return authors


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _scalar_text(value: Any) -> str:
    return "" if value is None else str(value)
