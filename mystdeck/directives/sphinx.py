"""Directives, Sphinx and docutils family: what documentation written for Sphinx holds, as a reader expects it
on a slide: ``{versionadded}`` and its kin (a small box, "Neu in Version 2.1"), ``{rubric}``, ``{centered}``,
``{hlist}`` (columns), ``{line-block}``, ``{parsed-literal}``, ``{container}``, ``{class}``, ``{compound}``,
``{footer}`` (the deck's footer when the front matter has none), and mystmd's ``{embed}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.registry import DirectiveCall, class_names, directive, number, text
from mystdeck.tokens import context_of, fixed_html, make_token

_VERSION_KINDS = {
    "versionadded": "added",
    "versionchanged": "changed",
    "deprecated": "deprecated",
    "versionremoved": "removed",
}


@directive(
    *_VERSION_KINDS,
    argument="required",
    options={"class": class_names},
    example=":::{versionadded} 2.1\nDie Folien kennen jetzt Abschnitte.\n:::",
    summary="a small box: “Neu in Version 2.1” (versionchanged: “Geändert in”, deprecated: “Veraltet seit”, "
    "versionremoved: “Entfernt in”) and the text",
)
def version_note(call: DirectiveCall) -> list[Token]:
    version, _, rest = call.argument.partition(" ")
    kind = _VERSION_KINDS[call.name]
    opening = make_token("deck_div_open", "div", 1, classes=["deck-versionmodified", kind], attrs={})
    label = make_token("deck_version_label", "", 0, kind=kind, version=version)
    inline = call.parse_text_inline(rest)
    first = [make_token("paragraph_open", "p", 1), inline, make_token("paragraph_close", "p", -1)] if inline else []
    return [opening, label, *first, *call.parse_body(), make_token("deck_div_close", "div", -1)]


@directive(
    "rubric",
    argument="required",
    options={"class": class_names, "name": text},
    body="none",
    example="```{rubric} Fußnoten\n```",
    summary="a heading that starts no slide",
)
def rubric(call: DirectiveCall) -> list[Token]:
    return call.parse_inline(call.argument, "deck_rubric")


@directive(
    "centered",
    argument="required",
    body="none",
    example="```{centered} Eine zentrierte Zeile\n```",
    summary="a centred line in bold",
)
def centered(call: DirectiveCall) -> list[Token]:
    return call.parse_inline(call.argument, "deck_centered")


@directive(
    "hlist",
    options={"columns": number},
    example=":::{hlist}\n:columns: 3\n- eins\n- zwei\n- drei\n- vier\n:::",
    summary="a list in columns (:columns:, 2 when not given)",
)
def hlist(call: DirectiveCall) -> list[Token]:
    columns = call.options.get("columns", 2)
    if not 1 <= columns <= 6:
        call.warn("{hlist} ':columns:' takes 1 to 6; using 2")
        columns = 2
    opening = make_token("deck_hlist_open", "div", 1, columns=columns)
    return [opening, *call.parse_body(), make_token("deck_hlist_close", "div", -1)]


@directive(
    "line-block",
    body="raw",
    example=":::{line-block}\nZeile eins,\n    eingerückt,\nZeile *drei*\n:::",
    summary="lines kept as written, with their indentation (inline markdown in each)",
)
def line_block(call: DirectiveCall) -> list[Token]:
    made = [make_token("deck_line_block_open", "div", 1)]
    for offset, line in enumerate(call.body.split("\n")):
        indent = len(line) - len(line.lstrip(" "))
        made.append(make_token("deck_line_open", "div", 1, indent=indent))
        inline = call.parse_text_inline(line)
        if inline is not None:
            inline.map = [call.body_line - 1 + offset, call.body_line + offset]
            made.append(inline)
        made.append(make_token("deck_line_close", "div", -1))
    return [*made, make_token("deck_line_block_close", "div", -1)]


@directive(
    "parsed-literal",
    body="raw",
    options={"class": class_names},
    example=":::{parsed-literal}\nmystdeck *talk*.md --pdf-notes\n:::",
    summary="preformatted text in which markdown and roles still work",
)
def parsed_literal(call: DirectiveCall) -> list[Token]:
    made = [make_token("deck_parsed_literal_open", "pre", 1)]
    for line in call.body.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        made.append(make_token("deck_literal_line", "", 0, indent=indent))
        inline = call.parse_text_inline(line)
        if inline is not None:
            made.append(inline)
    return [*made, make_token("deck_parsed_literal_close", "pre", -1)]


@directive(
    "container",
    "compound",
    argument="optional",
    options={"class": class_names, "name": text},
    example=":::{container} hinweis\nText in einem Block mit der Klasse hinweis.\n:::",
    summary="a block with the classes its argument names (docutils)",
)
def container(call: DirectiveCall) -> list[Token]:
    try:
        classes = class_names(call.argument).split() + call.options.get("class", "").split()
    except ValueError as exc:
        call.warn(f"{{{call.name}}} {call.argument!r}: {exc}")
        classes = []
    attrs = {"id": call.options["name"]} if call.options.get("name") else {}
    opening = make_token("deck_div_open", "div", 1, classes=[f"deck-{call.name}", *classes], attrs=attrs)
    return [opening, *call.parse_body(), make_token("deck_div_close", "div", -1)]


@directive(
    "class",
    argument="required",
    example=":::{class} wichtig\nDieser Absatz bekommt die Klasse.\n:::",
    summary="its content with the classes it names; without content, the block after it gets them",
)
def class_(call: DirectiveCall) -> list[Token]:
    try:
        classes = class_names(call.argument)
    except ValueError as exc:
        call.warn(f"{{class}} {call.argument!r}: {exc}")
        return call.parse_body()
    if not call.body.strip():
        return [make_token("deck_class_next", "", 0, classes=classes)]
    return [
        make_token("deck_div_open", "div", 1, classes=classes.split(), attrs={}),
        *call.parse_body(),
        make_token("deck_div_close", "div", -1),
    ]


@directive(
    "footer",
    example=":::{footer}\nVorlesung *Generative Modelle*\n:::",
    summary="the deck's footer (when the front matter has no 'footer'), on every slide but the title slide",
)
def footer(call: DirectiveCall) -> list[Token]:
    inline = call.parse_text_inline(" ".join(line.strip() for line in call.body.split("\n")))
    if inline is not None and not call.state.parsed.footer:
        call.state.parsed.footer = list(inline.children or [])
    return []


@directive(
    "embed",
    argument="required",
    options={"remove-input": text, "remove-output": text},
    body="none",
    example="```{embed} abb-eisbaer\n```",
    summary="the labelled block (figure, table, equation, exercise, a '(label)=' block or slide) again, here (mystmd)",
)
def embed(call: DirectiveCall) -> list[Token]:
    token = make_token("deck_embed", "", 0, label=call.argument.strip().removeprefix("#"))
    token.map = [call.line - 1, call.line]
    return [token]


# Sphinx's object descriptions: what the API documentation of a project is made of.
_OBJECTS = (
    *("object", "describe", "option", "cmdoption", "envvar", "confval", "program-option"),
    *(f"py:{k}" for k in ("function", "method", "class", "attribute", "data", "exception", "decorator",
                          "property", "classmethod", "staticmethod", "type", "decoratormethod")),
    *(f"c:{k}" for k in ("function", "macro", "struct", "union", "enum", "enumerator", "type", "member", "var")),
    *(f"cpp:{k}" for k in ("class", "struct", "union", "function", "member", "var", "type", "enum", "enumerator",
                           "concept", "alias")),
    *(f"js:{k}" for k in ("function", "method", "class", "data", "attribute")),
    *("rst:directive", "rst:directive:option", "rst:role"),
)  # fmt: skip
_OBJECT_OPTIONS = {
    name: text
    for name in (
        *("noindex", "no-index", "noindexentry", "no-index-entry", "nocontentsentry", "no-contents-entry"),
        *("no-typesetting", "module", "annotation", "type", "value", "canonical", "async", "abstractmethod"),
        *("classmethod", "staticmethod", "final", "property", "single-line-parameter-list", "default"),
    )
}


@directive(
    *_OBJECTS,
    argument="required",
    options=_OBJECT_OPTIONS,
    example=":::{py:function} denoise(x, t)\nEntfernt das Rauschen eines Schritts.\n:::",
    summary="an object of the API documentation (Sphinx's object descriptions): its signature as code, its text below",
)
def object_description(call: DirectiveCall) -> list[Token]:
    kind = call.name.split(":")[-1]
    signature = make_token("deck_signature", "", 0, text=call.argument, kind=kind)
    opening = make_token("deck_div_open", "div", 1, classes=["deck-object-description", kind], attrs={})
    return [opening, signature, *call.parse_body(), make_token("deck_div_close", "div", -1)]


@directive(
    "productionlist",
    argument="optional",
    body="raw",
    example="```{productionlist}\ntry_stmt: try1_stmt | try2_stmt\n```",
    summary="a grammar, shown as written",
)
def productionlist(call: DirectiveCall) -> list[Token]:
    token = make_token("code_block", "code", 0)
    token.content = "\n".join(part for part in (call.argument, call.body) if part.strip()) + "\n"
    token.map = [call.line - 1, call.line]
    return [token]


@directive(
    "acks",
    options={"class": class_names},
    example=":::{acks}\n- Ada Lovelace\n- Alan Turing\n:::",
    summary="acknowledgements: its list, compact",
)
def acks(call: DirectiveCall) -> list[Token]:
    opening = make_token("deck_div_open", "div", 1, classes=["deck-acks"], attrs={})
    return [opening, *call.parse_body(), make_token("deck_div_close", "div", -1)]


@directive(
    "eval-rst",
    body="raw",
    example="```{eval-rst}\n.. note:: reStructuredText\n```",
    summary="reStructuredText, which a slide does not read: shown as written, as code, with a warning",
)
def eval_rst(call: DirectiveCall) -> list[Token]:
    call.warn("{eval-rst}: reStructuredText is shown as written, as code; write it in MyST to have it on the slide")
    token = make_token("code_block", "code", 0)
    token.content = call.body + "\n"
    token.map = [call.line - 1, call.line]
    return [token]


@directive(
    "role",
    argument="required",
    options={"language": text, "class": class_names, "format": text},
    body="none",
    example="```{role} python(code)\n:language: python\n```\n\n{python}`print(1)`",
    summary="defines a role for this deck: {python}`…` as code in Python, {role} html(raw) with :format: html",
)
def role_definition(call: DirectiveCall) -> list[Token]:
    return []  # read before the deck's roles are (roles.define_roles)


def apply_class_markers(tokens: list[Token]) -> list[Token]:
    """``{class}`` without content: its classes go to the next block at its level."""
    result: list[Token] = []
    waiting: list[str] = []
    for token in tokens:
        if token.type == "deck_class_next":
            waiting.extend(token.meta["classes"].split())
            continue
        if waiting and token.nesting == 1 and token.block:
            found = str(token.attrGet("class") or "").split()
            token.attrSet("class", " ".join(dict.fromkeys([*found, *waiting])))
            waiting = []
        result.append(token)
    return result


def _version_label(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    said = context_of(env).words(f"version_{meta['kind']}").format(version=meta["version"])
    return f'<p class="deck-versionmodified-label">{escapeHtml(said)}</p>\n'


def _signature(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return f'<p class="deck-signature"><code>{escapeHtml(tokens[idx].meta["text"])}</code></p>\n'


def _hlist_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return f'<div class="deck-hlist" style="--deck-cols:{tokens[idx].meta["columns"]}">\n'


def _line_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    indent = tokens[idx].meta["indent"]
    style = f' style="padding-left:{indent / 2:g}em"' if indent else ""
    empty = idx + 1 < len(tokens) and tokens[idx + 1].type == "deck_line_close"
    return f'<div class="deck-line"{style}>' + ("<br>" if empty else "")


def _literal_line(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    first = idx > 0 and tokens[idx - 1].type == "deck_parsed_literal_open"
    indent: int = tokens[idx].meta["indent"]
    return ("" if first else "\n") + " " * indent


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_version_label", _version_label)
    md.add_render_rule("deck_signature", _signature)
    md.add_render_rule("deck_rubric_open", fixed_html('<p class="deck-rubric">'))
    md.add_render_rule("deck_rubric_close", fixed_html("</p>\n"))
    md.add_render_rule("deck_centered_open", fixed_html('<p class="deck-centered-line"><strong>'))
    md.add_render_rule("deck_centered_close", fixed_html("</strong></p>\n"))
    md.add_render_rule("deck_hlist_open", _hlist_open)
    md.add_render_rule("deck_hlist_close", fixed_html("</div>\n"))
    md.add_render_rule("deck_line_block_open", fixed_html('<div class="deck-line-block">\n'))
    md.add_render_rule("deck_line_block_close", fixed_html("</div>\n"))
    md.add_render_rule("deck_line_open", _line_open)
    md.add_render_rule("deck_line_close", fixed_html("</div>\n"))
    md.add_render_rule("deck_parsed_literal_open", fixed_html('<pre class="deck-parsed-literal">'))
    md.add_render_rule("deck_parsed_literal_close", fixed_html("</pre>\n"))
    md.add_render_rule("deck_literal_line", _literal_line)
    md.add_render_rule("deck_class_next", fixed_html(""))
