"""Directives, math family: ``{math}`` blocks and ``$…$`` / ``$$…$$``, typeset by KaTeX in the deck."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.registry import DirectiveCall, directive, text
from mystdeck.tokens import make_token, state_of

MATH_TYPES = ("math_inline", "math_inline_double", "math_block", "math_block_label", "deck_math")


@directive(
    "math",
    options={"label": text, "name": text},
    body="raw",
    example="```{math}\nq(x_t \\mid x_{t-1}) = \\mathcal{N}(x_t; \\sqrt{1-\\beta_t}\\,x_{t-1}, \\beta_t I)\n```",
    summary="a displayed formula, typeset by KaTeX (also $…$ inline and $$…$$ displayed)",
)
def math_block(call: DirectiveCall) -> list[Token]:
    token = make_token("deck_math", "div", 0, label=call.options.get("label") or call.options.get("name", ""))
    token.content = call.body
    token.map = [call.line - 1, call.line]
    return [token]


def math_html(tex: str, display: bool, block: bool = False) -> str:
    tag = "div" if block else "span"
    return f'<{tag} class="deck-math" data-display="{str(display).lower()}">{escapeHtml(tex.strip())}</{tag}>'


def _mark_math(core: StateCore) -> None:
    for token in core.tokens:
        if token.type in MATH_TYPES or any(c.type in MATH_TYPES for c in token.children or []):
            state_of(core.env).features.add("math")
            return


def _inline(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return math_html(tokens[idx].content, display=tokens[idx].type == "math_inline_double")


def _block(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return math_html(tokens[idx].content, display=True, block=True) + "\n"


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("deck_math", _mark_math)
    md.add_render_rule("math_inline", _inline)
    md.add_render_rule("math_inline_double", _inline)
    for kind in ("math_block", "math_block_label", "deck_math"):
        md.add_render_rule(kind, _block)
