"""Directives, bibliography family: ``{bibliography}`` places the reference list."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mystdeck.directives.registry import DirectiveCall, directive
from mystdeck.tokens import REFERENCE_LIST_KEY, make_token


@directive(
    "bibliography",
    body="none",
    example=":::{bibliography}\n:::",
    summary="the list of cited works at this place (else a References slide closes the deck)",
)
def bibliography(call: DirectiveCall) -> list[Token]:
    token = make_token("deck_bibliography", "div", 0)
    token.map = [call.line - 1, call.line]
    return [token]


def plugin(md: MarkdownIt) -> None:
    # The render stage puts the formatted list into env once the citations are known.
    md.add_render_rule("deck_bibliography", lambda self, tokens, idx, options, env: env[REFERENCE_LIST_KEY])
