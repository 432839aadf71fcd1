"""Directives, bibliography family: ``{bibliography}`` places the reference list.

The same token, with the works of one slide, is the body of the closing reference slides the slides
stage adds; either way the list is rendered by the project's ``references.html.j2``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.diagnostics import token_line
from mystdeck.directives.registry import DirectiveCall, directive
from mystdeck.tokens import context_of, make_token


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


def _render(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    context = context_of(env)
    references = tokens[idx].meta.get("references")
    if references is None:  # the {bibliography} directive itself: every cited work
        references = list(context.cites.references.values())
        if not references:
            context.warn(
                token_line(tokens[idx]), "{bibliography}: the deck cites no work, so the list is empty", "bad-directive"
            )
    return context.reference_list(references)


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_bibliography", _render)
