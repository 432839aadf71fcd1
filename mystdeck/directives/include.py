"""Directives, include family: ``{include}`` reads markdown into the deck, ``{literalinclude}`` shows a
file as code. Paths are relative to the file that names them; a file outside the project (the deck's
folder and the one above it) is read with a warning. Included files are inputs of the deck: the live
preview rebuilds when one changes."""

from __future__ import annotations

import textwrap
from pathlib import Path

from markdown_it.token import Token

from mystdeck.diagnostics import SourceLoc
from mystdeck.directives.code import code_block
from mystdeck.directives.registry import (
    REGISTRY,
    DirectiveCall,
    class_names,
    directive,
    flag,
    line_steps,
    number,
    text,
)
from mystdeck.tokens import parse_text

MAX_INCLUDE = 10 * 1024 * 1024  # bytes; an included file bigger than that is a mistake
_CUTS = {"start-after": text, "end-before": text, "start-at": text, "end-at": text}


def _line_number(value: str) -> int:
    value = value.strip()
    if not value.lstrip("-").isdigit():
        raise ValueError("must be a line number")
    return int(value)


@directive(
    "include",
    argument="required",
    options={
        **_CUTS,
        "start-line": _line_number,
        "end-line": _line_number,
        "literal": flag,
        "code": text,
        "heading-offset": text,
    },
    body="none",
    example="```{include} teile/einleitung.md\n:start-after: <!-- start -->\n```",
    summary="the slides and text of another markdown file, read as part of the deck",
)
def include(call: DirectiveCall) -> list[Token]:
    read = _read(call)
    if read is None:
        return []
    path, lines, first = read
    if call.options.get("literal") or "code" in call.options:
        return _as_code(call, lines, call.options.get("code", ""))
    state = call.state
    outer = (state.path, state.file_depth)
    state.reading.append(path)
    state.path, state.file_depth = path, state.depth + 1
    try:
        tokens = parse_text(call.md, "\n".join(lines), state, first - 1)
    finally:
        state.path, state.file_depth = outer
        state.reading.pop()
    for token in tokens:
        if token.type == "heading_open":
            token.meta["path"] = path  # the slide it starts is in this file
    return tokens


@directive(
    "literalinclude",
    argument="required",
    options={
        **_CUTS,
        "language": text,
        "lines": line_steps,
        "emphasize-lines": line_steps,
        "linenos": flag,
        "caption": text,
        "name": text,
        "class": class_names,
        "dedent": _line_number,
        "lineno-start": number,
        "encoding": text,
    },
    body="none",
    example="```{literalinclude} code/train.py\n:language: python\n:lines: 3-12\n```",
    summary="a file shown as highlighted code (:lines:, :start-after:, :end-before:, :emphasize-lines:)",
)
def literalinclude(call: DirectiveCall) -> list[Token]:
    read = _read(call)
    if read is None:
        return []
    _path, lines, _first = read
    if "lines" in call.options:
        wanted = [n for step in call.options["lines"] for first, last in step for n in range(first, last + 1)]
        lines = [lines[n - 1] for n in wanted if 0 < n <= len(lines)]
    if "dedent" in call.options:
        amount = call.options["dedent"]
        lines = [line[amount:] if line[:amount].strip() == "" else line.lstrip() for line in lines]
    else:
        lines = textwrap.dedent("\n".join(lines)).split("\n") if lines else lines
    language = call.options.get("language", "") or _LANGUAGES.get(_path.suffix.lower(), "")
    return _as_code(call, lines, language)


# A file's language when :language: does not say it, from its name.
_LANGUAGES = {
    ".py": "python", ".r": "r", ".jl": "julia", ".js": "javascript", ".ts": "typescript", ".sh": "bash",
    ".c": "c", ".h": "c", ".cpp": "cpp", ".java": "java", ".rs": "rust", ".go": "go", ".json": "json",
    ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".sql": "sql", ".html": "html", ".css": "css",
    ".tex": "latex", ".md": "markdown", ".m": "matlab",
}  # fmt: skip


def _as_code(call: DirectiveCall, lines: list[str], language: str) -> list[Token]:
    """The lines as a ``{code-block}`` with the options of this directive that one takes."""
    taken = REGISTRY.directives["code-block"].options
    call.options = {key: value for key, value in call.options.items() if key in taken}
    call.argument, call.body = language, "\n".join(lines).rstrip("\n")
    return code_block(call)


def _read(call: DirectiveCall) -> tuple[Path, list[str], int] | None:
    """The included file, its lines after the cuts the options ask for, and the number of the first one."""
    state = call.state
    path = (state.path.parent / call.argument).resolve()
    chain = [state.deck_path, *state.reading]
    if path in [p.resolve() for p in chain]:
        shown = " → ".join(str(SourceLoc(p)) for p in [*chain, path])
        state.reporter.error(
            state.loc(call.line), f"{{{call.name}}} {call.argument} makes a circle ({shown}): remove one include",
            "bad-include",
        )  # fmt: skip
        return None
    content = read_file(call, call.argument, "bad-include", error=True)
    if content is None:
        return None
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return path, *_cut(call, lines)


def read_file(call: DirectiveCall, relative: str, code: str, error: bool) -> str | None:
    """A file a directive names, relative to the file that names it: its text, or None after a message (an
    error or a warning) naming both files. A file outside the project is read, with a warning; it becomes an
    input of the deck (the live preview watches it)."""
    state = call.state
    path = (state.path.parent / relative).resolve()
    try:
        if path.stat().st_size > MAX_INCLUDE:
            raise OSError(0, f"it is larger than {MAX_INCLUDE // (1024 * 1024)} MiB")
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        message = f"{{{call.name}}} in {SourceLoc(state.path)} cannot read {SourceLoc(path)}: {reason}; fix the path"
        if error:
            state.reporter.error(state.loc(call.line), message, code)
        else:
            call.warn(message, code)
        return None
    project = state.deck_path.resolve().parent.parent
    if not path.is_relative_to(project):
        call.warn(f"{{{call.name}}} reads {SourceLoc(path)}, outside the project folder {SourceLoc(project)}", code)
    state.parsed.includes.append(path)
    return content.removeprefix("\ufeff").replace("\r\n", "\n")


def _cut(call: DirectiveCall, lines: list[str]) -> tuple[list[str], int]:
    first = 1
    options = call.options
    if "start-line" in options or "end-line" in options:
        start = options.get("start-line", 0)
        lines = lines[start : options.get("end-line", len(lines))]
        first += start if start >= 0 else 0
    for key, after in (("start-after", True), ("start-at", False)):
        if key in options:
            found = next((n for n, line in enumerate(lines) if options[key] in line), None)
            if found is None:
                call.warn(f"{{{call.name}}} ':{key}:' text not found in {call.argument}: {options[key]}")
            else:
                cut = found + 1 if after else found
                lines, first = lines[cut:], first + cut
    for key, before in (("end-before", True), ("end-at", False)):
        if key in options:
            found = next((n for n, line in enumerate(lines) if options[key] in line), None)
            if found is None:
                call.warn(f"{{{call.name}}} ':{key}:' text not found in {call.argument}: {options[key]}")
            else:
                lines = lines[: found if before else found + 1]
    return lines, first


def plugin(md: object) -> None:
    """Included files become tokens of the deck: nothing of their own to render."""
