"""Directives, layout family: sphinx-design's ``{grid}`` and ``{card}``, mystmd's ``{div}``, and the fenced
divs pandoc and Quarto users write (``::: {.columns}``, ``::: {.column width="40%"}``, ``::: {.incremental}``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.attrs.parse import ParseError, parse

from mystdeck.directives.registry import DirectiveCall, class_names, directive, text
from mystdeck.tokens import make_token

# sphinx-design options that shape a web page's spacing; on a slide mystdeck's own spacing is used.
_PAGE_OPTIONS = {name: text for name in ("gutter", "margin", "padding", "outline", "reverse", "class-container")}
_CARD_OPTIONS = {
    "class-card": class_names, "class-header": class_names, "class-body": class_names,
    "class-footer": class_names, "class-title": class_names, "link": text, "link-type": text, "link-alt": text,
    "shadow": text, "text-align": text, "img-top": text, "img-bottom": text, "width": text, **_PAGE_OPTIONS,
}  # fmt: skip


@directive(
    "grid",
    argument="optional",
    options={"class-row": class_names, **_PAGE_OPTIONS},
    example="::::{grid} 2\n:::{grid-item}\nLinks\n:::\n:::{grid-item}\nRechts\n:::\n::::",
    summary="columns side by side (sphinx-design); '1 2 2 2' (counts per screen size) takes the last",
)
def grid(call: DirectiveCall) -> list[Token]:
    counts = call.argument.split()
    if counts and not all(c.isdigit() and 1 <= int(c) <= 12 for c in counts):
        call.warn(f"{{grid}} takes column counts from 1 to 12, such as 2 or '1 2 2 2' (not '{call.argument}')")
        counts = []
    body = call.parse_body()
    items = _children(body, ("deck_grid_item_open",))
    if not items:
        call.warn("{grid} has no {grid-item} or {grid-item-card}: its content is shown as one column")
    columns = int(counts[-1]) if counts else max(len(items), 1)
    opening = make_token("deck_grid_open", "div", 1, columns=columns, extra=call.options.get("class-row", ""))
    opening.map = [call.line - 1, call.line]
    return [opening, *body, make_token("deck_grid_close", "div", -1)]


@directive(
    "grid-item",
    options={"columns": text, "class": class_names, "child-direction": text, "child-align": text, **_PAGE_OPTIONS},
    example=":::{grid-item}\nEine Spalte.\n:::",
    summary="one column of a {grid}",
)
def grid_item(call: DirectiveCall) -> list[Token]:
    opening = make_token("deck_grid_item_open", "div", 1, extra=call.options.get("class", ""))
    return [opening, *call.parse_body(), make_token("deck_grid_item_close", "div", -1)]


@directive(
    "grid-item-card",
    argument="optional",
    options={"columns": text, "class-item": class_names, **_CARD_OPTIONS},
    example=":::{grid-item-card} Prior\nCLIP-Text → Bild-Embedding\n:::",
    summary="one column of a {grid}, as a card with a title",
)
def grid_item_card(call: DirectiveCall) -> list[Token]:
    opening = make_token("deck_grid_item_open", "div", 1, extra=call.options.get("class-item", ""))
    return [opening, *_card(call), make_token("deck_grid_item_close", "div", -1)]


@directive(
    "card",
    argument="optional",
    options=_CARD_OPTIONS,
    example=":::{card} Decoder\nDiffusion vom Embedding zum Bild\n+++\nGLIDE-Architektur\n:::",
    summary="a framed box with a title; a header above '^^^' and a footer below '+++'",
)
def card(call: DirectiveCall) -> list[Token]:
    return _card(call)


def _card(call: DirectiveCall) -> list[Token]:
    """A card's header (above a ``^^^`` line), body, and footer (below a ``+++`` line)."""
    lines = call.body.split("\n")
    marks = {line.strip(): number for number, line in enumerate(lines) if line.strip() in ("^^^", "+++")}
    top = marks["^^^"] + 1 if "^^^" in marks else 0
    bottom = marks.get("+++", len(lines))
    parts = [("header", 0, marks.get("^^^", 0)), ("body", top, bottom), ("footer", bottom + 1, len(lines))]
    tokens = [make_token("deck_card_open", "div", 1, extra=call.options.get("class-card", ""))]
    if call.argument:  # the title, as inline markdown (emphasis, code, roles)
        title = call.parse_body(call.argument, call.line)
        if title and title[0].type == "paragraph_open":
            title[0].attrSet("class", "deck-card-title")
        tokens.extend(title)
    for name, start, end in parts:
        text_part = "\n".join(lines[start:end])
        if text_part.strip():
            tokens.append(make_token("deck_card_part_open", "div", 1, part=name))
            tokens.extend(call.parse_body(text_part, call.body_line + start))
            tokens.append(make_token("deck_card_part_close", "div", -1))
    tokens.append(make_token("deck_card_close", "div", -1))
    return tokens


@directive(
    "div",
    argument="optional",
    options={"class": class_names},
    example=':::: {.columns}\n::: {.column width="40%"}\nLinks\n:::\n::: {.column}\nRechts\n:::\n::::',
    summary="a block with classes: also pandoc's and Quarto's '::: {.class}' (.columns/.column, .incremental)",
)
def div(call: DirectiveCall) -> list[Token]:
    attrs = _fence_attributes(call)
    classes = [*attrs.pop("class", "").split(), *call.options.get("class", "").split()]
    state = call.state
    outer = state.incremental
    if {"incremental", "fragment"} & set(classes) and not ({"fragment"} & set(classes) and len(classes) > 1):
        state.incremental = True  # Quarto: every list inside appears item by item
    elif "nonincremental" in classes:
        state.incremental = False
    try:
        body = call.parse_body()
    finally:
        state.incremental = outer
    if "incremental" in classes or "nonincremental" in classes:
        classes = [c for c in classes if c not in ("incremental", "nonincremental")]
    opening = make_token("deck_div_open", "div", 1, classes=classes, attrs=attrs)
    opening.map = [call.line - 1, call.line]
    return [opening, *body, make_token("deck_div_close", "div", -1)]


def _fence_attributes(call: DirectiveCall) -> dict[str, str]:
    """``{#id .class key=value}`` after a fence's colons (pandoc), or nothing."""
    if not call.argument:
        return {}
    try:
        end, attrs = parse(call.argument)
    except ParseError:
        end, attrs = -1, {}
    if end != len(call.argument) - 1:  # parse() gives the index of the closing brace
        call.warn(f"cannot read the attributes {call.argument}: write them as {{#id .class key=value}}")
        return {}
    return dict(attrs)


def _children(tokens: list[Token], kinds: tuple[str, ...]) -> list[Token]:
    depth, found = 0, []
    for token in tokens:
        if depth == 0 and token.type in kinds:
            found.append(token)
        depth += token.nesting
    return found


def _class(*names: str) -> str:
    return escapeHtml(" ".join(name for name in names if name))


def _grid_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    return f'<div class="{_class("deck-grid", meta["extra"])}" style="--deck-cols:{meta["columns"]}">\n'


def _item_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return f'<div class="{_class("deck-grid-item", tokens[idx].meta["extra"])}">\n'


def _card_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return f'<div class="{_class("deck-card", tokens[idx].meta["extra"])}">\n'


def _part_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return f'<div class="deck-card-{tokens[idx].meta["part"]}">\n'


def _div_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    html = "<div"
    attrs = dict(meta["attrs"])
    if "id" in attrs:
        html += f' id="{escapeHtml(attrs.pop("id"))}"'
    if meta["classes"]:
        html += f' class="{_class(*meta["classes"])}"'
    if "width" in attrs:
        html += f' style="width:{escapeHtml(attrs.pop("width"))}"'
    for key, value in attrs.items():
        name = key if key.startswith("data-") else f"data-{key}"
        html += f' {escapeHtml(name)}="{escapeHtml(value)}"'
    return html + ">\n"


def _close(*args: Any) -> str:
    return "</div>\n"


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_grid_open", _grid_open)
    md.add_render_rule("deck_grid_item_open", _item_open)
    md.add_render_rule("deck_card_open", _card_open)
    md.add_render_rule("deck_card_part_open", _part_open)
    md.add_render_rule("deck_div_open", _div_open)
    for kind in (
        "deck_grid_close",
        "deck_grid_item_close",
        "deck_card_close",
        "deck_card_part_close",
        "deck_div_close",
    ):
        md.add_render_rule(kind, _close)


@directive(
    "raw",
    argument="required",
    options={"file": text, "url": text, "encoding": text},
    body="raw",
    example="```{raw} html\n<kbd>Strg</kbd> + <kbd>S</kbd>\n```",
    summary="'html' passes its text into the slide as written, like the author's own HTML; any other format "
    "(latex, jupyter, …) has no slide meaning and is left out with a warning naming it",
)
def raw(call: DirectiveCall) -> list[Token]:
    """docutils' raw passthrough: only HTML reaches a slide."""
    formats = call.argument.lower().split()
    if "html" not in formats:
        call.warn(f"{{raw}} {call.argument}: a slide shows only 'html'; this block is left out", "unknown-directive")
        return []
    if call.options.get("file") or call.options.get("url"):
        call.warn("{raw} reads no :file: or :url: (write the HTML in the block); it is left out")
        return []
    token = make_token("html_block")
    token.content = call.body.rstrip("\n") + "\n"
    token.map = [call.line - 1, call.line]
    return [token]
