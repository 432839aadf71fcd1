"""Directives, notes family: ``{note}`` becomes speaker notes, which the slides stage lifts out."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

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


def plugin(md: MarkdownIt) -> None:
    """Notes are rendered by the slides stage into reveal.js' notes element; nothing to add here."""
