"""Directives: the markdown-it rule that turns ```{name} and :::{name} fences into mystdeck tokens."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from mystdeck.diagnostics import token_line
from mystdeck.directives import sphinx
from mystdeck.directives.registry import REGISTRY, DirectiveCall, DirectiveSpec, split_options
from mystdeck.model import ParseState
from mystdeck.tokens import make_token, state_of

__all__ = ["REGISTRY", "apply_directives", "directives_plugin"]

_NAME = re.compile(r"^\{([A-Za-z][\w:-]*)\}\s*(.*)$")
_FENCED_DIV = re.compile(r"^\{\s*[.#][^{}]*\}$")  # pandoc's and Quarto's ::: {.class #id key=value}
# Every module of this package but the registry is a family of directives: a new family is a new
# module and nothing else. Sorted, so the registry (and the README's table) has a stable order.
_FAMILIES = [
    importlib.import_module(f"{__name__}.{module.name}")
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    if module.name != "registry"
]


def directives_plugin(md: MarkdownIt) -> None:
    """Each family's render rules (the core rule, ``apply_directives``, is in the parser's ordered list)."""
    for family in _FAMILIES:
        family.plugin(md)


def apply_directives(core: StateCore) -> None:
    state = state_of(core.env)
    lines = core.src.split("\n")
    result: list[Token] = []
    for token in core.tokens:
        if token.type in ("fence", "colon_fence"):
            _check_closed(token, lines, state)
            match = _NAME.match(token.info.strip())
            if match:
                result.extend(_run(core.md, state, token, match.group(1), match.group(2)))
                continue
            if token.type == "colon_fence" and _FENCED_DIV.match(token.info.strip()):
                result.extend(_run(core.md, state, token, "div", token.info.strip()))
                continue
        result.append(token)
    core.tokens = sphinx.apply_class_markers(result)


def _check_closed(token: Token, lines: list[str], state: ParseState) -> None:
    """A fence never closed runs to the end of the file, as CommonMark reads it. That is a warning when
    it ends the file anyway; an error when it swallowed what follows (a `##` heading after a blank line),
    or when it is inside another directive."""
    assert token.map is not None
    last = lines[token.map[1] - 1 - state.line_offset] if token.map[1] - state.line_offset <= len(lines) else ""
    closing = last.strip()
    marker = token.markup[:1]
    closed = token.map[1] - token.map[0] > 1 and len(closing) >= len(token.markup) and closing == marker * len(closing)
    if closed:
        return
    where = state.loc(token_line(token))
    if state.depth == state.file_depth and not _SWALLOWED_HEADING.search(token.content):
        state.reporter.warning(
            where,
            f"this '{token.markup}' fence is never closed, so it ends with the file: add a line '{token.markup}'",
            "unclosed-fence",
        )
        return
    hint = ""
    if state.depth > state.file_depth:  # the fence of the directive around it ended it early
        hint = f"; a directive inside another needs a shorter fence than the outer one ('{token.markup}' inside "
        hint += f"'{token.markup[:1] * (len(token.markup) + 1)}')"
    state.reporter.error(
        where,
        f"this '{token.markup}' fence is never closed: add a line '{token.markup}' where it ends{hint}",
        "unclosed-fence",
    )


_SWALLOWED_HEADING = re.compile(r"\n\s*\n#{2,6} \S")  # a slide heading; "# x" is more often a comment


def _run(md: MarkdownIt, state: ParseState, token: Token, name: str, argument: str) -> list[Token]:
    assert token.map is not None
    line = token_line(token)
    spec = REGISTRY.directives.get(name)
    if spec is None:
        if name in STRUCTURAL:  # a known name is never taken for speaker notes ({target-notes})
            if name not in state.noted:
                state.noted.add(name)
                state.reporter.note(state.loc(line), f"{{{name}}} has no meaning on a slide: left out", "left-out")
            return []
        if _looks_like_notes(name):
            state.reporter.error(
                state.loc(line),
                f"'{{{name}}}' looks like speaker notes, but only {{note}} keeps text off the slide and out of "
                "the PDF: write :::{note}",
                "unknown-directive",
            )
            return []
        close = difflib.get_close_matches(name, [*REGISTRY.directives, *STRUCTURAL], n=1, cutoff=0.6)
        hint = f"did you mean {{{close[0]}}}?" if close else "known: see the README's syntax table"
        state.reporter.warning(
            state.loc(line), f"unknown directive '{name}': its text is shown as it is ({hint})", "unknown-directive"
        )
        shown = f"{{{name}}} {argument}".rstrip() + "\n" + token.content
        return [_literal(shown, token.map)]
    call = _make_call(md, state, spec, token, name, argument.strip(), line)
    if call is None:
        return [_literal(token.content, token.map)]
    return spec.handler(call)


def _make_call(
    md: MarkdownIt, state: ParseState, spec: DirectiveSpec, token: Token, name: str, argument: str, line: int
) -> DirectiveCall | None:
    body = token.content
    if body.endswith("\n"):
        body = body[:-1]
    raw, used, problem = split_options(body)
    call = DirectiveCall(name, argument, {}, "", line, line + 1 + used, state, md)
    if problem:
        call.warn(f"{{{name}}}: {problem}")
        return None
    call.body = "\n".join(body.split("\n")[used:])
    if spec.argument == "none" and argument:
        call.body = argument + ("\n" + call.body if call.body else "")
        call.body_line = line
        call.argument = ""
    if spec.argument == "required" and not argument:
        call.warn(f"{{{name}}} needs an argument on its first line, for example {spec.example.splitlines()[0]}")
        return None
    if spec.body == "none" and call.body.strip():
        call.warn(f"{{{name}}} takes no content; the text below it is ignored")
    for key, value in raw.items():
        convert = spec.options.get(key)
        if convert is None:
            known = ", ".join(f":{k}:" for k in spec.options) or "none"
            call.warn(f"{{{name}}} has no option ':{key}:' (ignored; options: {known})")
            continue
        try:
            call.options[key] = convert(value)
        except ValueError as exc:
            call.warn(f"{{{name}}} option ':{key}:' {exc} (ignored)")
    return call


#: Directives of books and documentation sites that show nothing on a slide: accepted, and left out.
STRUCTURAL = (
    *("index", "toctree", "only", "sectionauthor", "codeauthor", "moduleauthor", "meta"),
    *("tabularcolumns", "ifconfig", "currentmodule", "default-role", "target-notes", "sectnum", "default-domain"),
    *("header", "title", "program"),
)
_NOTE_WORDS = ("note", "notes", "notiz", "notizen", "speakernotes", "speakernote", "speaker", "sprechernotizen")


def _looks_like_notes(name: str) -> bool:
    """``{speaker-notes}``, ``{notiz}``, ``{notes:}``, ``{Note}``: meant as private notes, so never shown."""
    letters = re.sub(r"[^a-z]", "", name.lower())
    if any(word in letters for word in ("note", "notiz")):
        return True
    return bool(difflib.get_close_matches(letters, _NOTE_WORDS, n=1, cutoff=0.75))


def _literal(content: str, line_map: list[int] | None) -> Token:
    token = make_token("code_block", "code")
    token.content = content
    token.map = line_map
    return token
