"""Directives, notes family: ``{note}`` becomes speaker notes, which the slides stage lifts out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.registry import DirectiveCall, directive
from mystdeck.tokens import make_token


@directive(
    "note",
    "notes",
    example=":::{note}\nNur kurz zeigen.\n:::",
    summary="speaker notes, shown in the speaker view (S), not on the slide or in the PDF",
)
def note(call: DirectiveCall) -> list[Token]:
    opening = make_token("deck_note_open", "aside", 1)
    opening.map = [call.line - 1, call.line]
    return [opening, *call.parse_body(), make_token("deck_note_close", "aside", -1)]


def _step_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return f'<div class="{escapeHtml(" ".join(tokens[idx].meta["classes"]))}">\n'


def plugin(md: MarkdownIt) -> None:
    """A slide's notes go into reveal.js' notes element (the section template); a note that follows a
    step is rendered inside that step, where the speaker view finds it when the step appears."""
    md.add_render_rule("deck_step_open", _step_open)
    md.add_render_rule("deck_step_close", lambda *args: "</div>\n")
    md.add_render_rule("deck_step_note_open", lambda *args: '<aside class="notes">\n')
    md.add_render_rule("deck_step_note_close", lambda *args: "</aside>\n")
