"""Directives, admonitions family: visible callouts, all sharing one handler."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.registry import DirectiveCall, class_names, directive
from mystdeck.tokens import context_of, make_token

KINDS = ("tip", "hint", "important", "warning", "caution", "attention", "danger", "error", "seealso")


@directive(
    *KINDS,
    options={"class": class_names},
    example=":::{tip}\nPress S for the speaker view.\n:::",
    summary="a callout box titled with its kind (Tip, Warning, …)",
)
def callout(call: DirectiveCall) -> list[Token]:
    return _box(call, call.name, "")


@directive(
    "admonition",
    argument="required",
    options={"class": class_names},
    example=":::{admonition} Merke\nDiffusion braucht kein Adversarial Training.\n:::",
    summary="a callout box with your own title",
)
def admonition(call: DirectiveCall) -> list[Token]:
    return _box(call, "admonition", call.argument)


def _box(call: DirectiveCall, kind: str, title: str) -> list[Token]:
    """The box; a title of its own is inline markdown, else the kind's word in the deck's language."""
    titled = call.parse_inline(title, "deck_admonition_title")
    opening = make_token("deck_admonition_open", "div", 1, kind=kind, titled=bool(titled))
    opening.meta["extra"] = call.options.get("class", "")
    opening.map = [call.line - 1, call.line]
    return [opening, *titled, *call.parse_body(), make_token("deck_admonition_close", "div", -1)]


def _render_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    classes = " ".join(dict.fromkeys(c for c in ("admonition", meta["kind"], meta["extra"]) if c))
    html = f'<div class="{escapeHtml(classes)}">\n'
    if not meta["titled"]:
        html += f'<p class="admonition-title">{escapeHtml(context_of(env).words(meta["kind"]))}</p>\n'
    return html


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_admonition_open", _render_open)
    md.add_render_rule("deck_admonition_close", lambda *args: "</div>\n")
    md.add_render_rule("deck_admonition_title_open", lambda *args: '<p class="admonition-title">')
    md.add_render_rule("deck_admonition_title_close", lambda *args: "</p>\n")
