"""Directives, boxes family: the containers of books and documentation sites, adapted to slides —
``{dropdown}``, ``{tab-set}`` with ``{tab-item}``, ``{epigraph}`` and its kin, ``{margin}`` and its kin."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.registry import DirectiveCall, class_names, directive, flag, text
from mystdeck.tokens import context_of, fixed_html, make_token

# sphinx-design's look options: accepted, the deck's theme decides the look.
_LOOKS = {key: text for key in ("color", "icon", "animate", "chevron", "margin", "class-container", "class-title")}


@directive(
    "dropdown",
    argument="optional",
    options={"open": flag, "class": class_names, "name": text, "class-body": text, **_LOOKS},
    example=":::{dropdown} Lösung\n:open:\nDer Text darunter klappt auf.\n:::",
    summary="a box that opens on click (:open: starts open); the PDF shows it open",
)
def dropdown(call: DirectiveCall) -> list[Token]:
    opening = make_token("deck_dropdown_open", "details", 1, open=call.options.get("open", False))
    opening.meta["extra"] = call.options.get("class", "")
    title = call.parse_inline(call.argument, "deck_summary") or [make_token("deck_summary_default", "summary", 0)]
    return [opening, *title, *call.parse_body(), make_token("deck_dropdown_close", "details", -1)]


def _render_dropdown(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    classes = " ".join(c for c in ("deck-dropdown", meta["extra"]) if c)
    return f'<details class="{escapeHtml(classes)}"{" open" if meta["open"] else ""}>\n'


@directive(
    "tab-set",
    options={"class": class_names, "sync-group": text},
    example="::::{tab-set}\n:::{tab-item} Python\n`print(1)`\n:::\n:::{tab-item} R\n`print(1)`\n:::\n::::",
    summary="tabs that switch on click; the PDF shows every tab one after another",
)
def tab_set(call: DirectiveCall) -> list[Token]:
    body = call.parse_body()
    items = _top_level(body, "deck_tab_item_open", "deck_tab_item_close")
    if not items:
        call.warn("{tab-set} holds no {tab-item}: write :::{tab-item} Label blocks inside it")
        return body
    set_id = call.state.next_id("deck-tabs")
    chosen = next((n for n, (start, _end) in enumerate(items) if body[start].meta["selected"]), 0)
    tabs: list[Token] = [make_token("deck_tab_list_open", "div", 1)]
    panels: list[Token] = []
    for number, (start, end) in enumerate(items):
        ident = f"{set_id}-{number + 1}"
        label, content = body[start + 1 : start + 4], body[start + 4 : end]
        tabs += [make_token("deck_tab_open", "button", 1, id=ident, selected=number == chosen), label[1]]
        tabs.append(make_token("deck_tab_close", "button", -1))
        panels.append(make_token("deck_tab_panel_open", "div", 1, id=ident, selected=number == chosen))
        panels += [make_token("deck_tab_print_open", "p", 1), copy.copy(label[1])]
        panels += [make_token("deck_tab_print_close", "p", -1), *content, make_token("deck_tab_panel_close", "div", -1)]
    tabs.append(make_token("deck_tab_list_close", "div", -1))
    opening = make_token("deck_tab_set_open", "div", 1, extra=call.options.get("class", ""))
    return [opening, *tabs, *panels, make_token("deck_tab_set_close", "div", -1)]


@directive(
    "tab-item",
    argument="required",
    options={"selected": flag, "sync": text, "name": text, "class-label": text, "class-content": text},
    example=":::{tab-item} Python\n`print(1)`\n:::",
    summary="one tab of a {tab-set}, titled by its argument (:selected: shows it first)",
)
def tab_item(call: DirectiveCall) -> list[Token]:
    label = call.parse_inline(call.argument, "deck_tab_label")
    opening = make_token("deck_tab_item_open", "div", 1, selected=call.options.get("selected", False))
    return [opening, *label, *call.parse_body(), make_token("deck_tab_item_close", "div", -1)]


def _top_level(tokens: list[Token], open_type: str, close_type: str) -> list[tuple[int, int]]:
    """Where each top-level ``open_type`` … ``close_type`` pair of ``tokens`` starts and ends."""
    found, depth, start = [], 0, 0
    for index, token in enumerate(tokens):
        if depth == 0 and token.type == open_type:
            start = index
        depth += token.nesting
        if depth == 0 and token.type == close_type:
            found.append((start, index))
    return found


def _render_tab(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    ident = escapeHtml(meta["id"])
    return (
        f'<button class="deck-tab" role="tab" id="{ident}" aria-controls="{ident}-panel" '
        f'aria-selected="{str(meta["selected"]).lower()}" tabindex="{0 if meta["selected"] else -1}">'
    )


def _render_panel(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    ident = escapeHtml(meta["id"])
    hidden = "" if meta["selected"] else " hidden"
    return f'<div class="deck-tab-panel" role="tabpanel" id="{ident}-panel" aria-labelledby="{ident}"{hidden}>\n'


_QUOTES = {
    "epigraph": "a quotation opening a slide; a last paragraph '-- Name' is its attribution",
    "pull-quote": "a quotation set large; a last paragraph '-- Name' is its attribution",
    "highlights": "the slide's key points as a quotation",
}


def _quote(call: DirectiveCall) -> list[Token]:
    body = call.parse_body()
    attribution: list[Token] = []
    if len(body) >= 3 and body[-3].type == "paragraph_open" and body[-3].level == 0:  # ends with a paragraph
        inline = body[-2]
        first = (inline.children or [Token("", "", 0)])[0]
        if first.type == "text" and first.content.startswith(("--", "—", "–")):
            first.content = first.content.lstrip("-—– ")
            attribution = [make_token("deck_attribution_open", "figcaption", 1), inline]
            attribution.append(make_token("deck_attribution_close", "figcaption", -1))
            body = body[:-3]
    opening = make_token("deck_quote_open", "figure", 1, kind=call.name, extra=call.options.get("class", ""))
    inner = make_token("deck_quote_body_open", "blockquote", 1)
    return [opening, inner, *body, make_token("deck_quote_body_close", "blockquote", -1), *attribution,
            make_token("deck_quote_close", "figure", -1)]  # fmt: skip


for _kind, _summary in _QUOTES.items():
    directive(
        _kind,
        options={"class": class_names},
        example=f":::{{{_kind}}}\nDie Grenzen meiner Sprache bedeuten die Grenzen meiner Welt.\n\n-- Wittgenstein\n:::",
        summary=_summary,
    )(_quote)


def _render_quote(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    classes = " ".join(c for c in ("deck-quote", f"deck-{meta['kind']}", meta["extra"]) if c)
    return f'<figure class="{escapeHtml(classes)}">\n'


_ASIDES = {
    "margin": "a box at the side of the slide (an optional title)",
    "aside": "the same as {margin}",
    "sidebar": "a box at the side of the slide, titled by its argument",
    "topic": "a box at the side of the slide, titled by its argument",
}


def _aside(call: DirectiveCall) -> list[Token]:
    kind = "margin" if call.name == "aside" else call.name
    opening = make_token("deck_aside_open", "aside", 1, kind=kind, extra=call.options.get("class", ""))
    title = call.parse_inline(call.argument, "deck_aside_title")
    return [opening, *title, *call.parse_body(), make_token("deck_aside_close", "aside", -1)]


for _kind, _summary in _ASIDES.items():
    directive(
        _kind,
        argument="optional",
        options={"class": class_names, "name": text, "subtitle": text},
        example=f":::{{{_kind}}} Am Rande\nDALL·E 2 heißt intern unCLIP.\n:::",
        summary=_summary,
    )(_aside)


def _render_aside(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    classes = " ".join(c for c in ("deck-aside", f"deck-{meta['kind']}", meta["extra"]) if c)
    return f'<aside class="{escapeHtml(classes)}">\n'


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_dropdown_open", _render_dropdown)
    md.add_render_rule("deck_dropdown_close", fixed_html("</details>\n"))
    md.add_render_rule(
        "deck_summary_default", lambda s, t, i, o, env: f"<summary>{context_of(env).words('more')}</summary>\n"
    )
    md.add_render_rule("deck_summary_open", fixed_html("<summary>"))
    md.add_render_rule("deck_summary_close", fixed_html("</summary>\n"))
    md.add_render_rule("deck_tab_set_open", lambda s, t, i, o, e: _open_div("deck-tab-set", t[i].meta["extra"]))
    md.add_render_rule("deck_tab_set_close", fixed_html("</div>\n"))
    md.add_render_rule("deck_tab_list_open", fixed_html('<div class="deck-tab-list" role="tablist">\n'))
    md.add_render_rule("deck_tab_list_close", fixed_html("</div>\n"))
    md.add_render_rule("deck_tab_open", _render_tab)
    md.add_render_rule("deck_tab_close", fixed_html("</button>\n"))
    md.add_render_rule("deck_tab_panel_open", _render_panel)
    md.add_render_rule("deck_tab_panel_close", fixed_html("</div>\n"))
    md.add_render_rule("deck_tab_print_open", fixed_html('<p class="deck-tab-print-label" aria-hidden="true">'))
    md.add_render_rule("deck_tab_print_close", fixed_html("</p>\n"))
    # A {tab-item} outside a {tab-set}: a titled box.
    md.add_render_rule("deck_tab_item_open", fixed_html('<div class="deck-tab-panel">\n'))
    md.add_render_rule("deck_tab_item_close", fixed_html("</div>\n"))
    md.add_render_rule("deck_tab_label_open", fixed_html('<p class="deck-tab-print-label">'))
    md.add_render_rule("deck_tab_label_close", fixed_html("</p>\n"))
    md.add_render_rule("deck_quote_open", _render_quote)
    md.add_render_rule("deck_quote_body_open", fixed_html("<blockquote>\n"))
    md.add_render_rule("deck_quote_body_close", fixed_html("</blockquote>\n"))
    md.add_render_rule("deck_quote_close", fixed_html("</figure>\n"))
    md.add_render_rule("deck_attribution_open", fixed_html("<figcaption>— "))
    md.add_render_rule("deck_attribution_close", fixed_html("</figcaption>\n"))
    md.add_render_rule("deck_aside_open", _render_aside)
    md.add_render_rule("deck_aside_close", fixed_html("</aside>\n"))
    md.add_render_rule("deck_aside_title_open", fixed_html('<p class="deck-aside-title">'))
    md.add_render_rule("deck_aside_title_close", fixed_html("</p>\n"))


def _open_div(base: str, extra: str) -> str:
    return f'<div class="{escapeHtml(" ".join(c for c in (base, extra) if c))}">\n'
