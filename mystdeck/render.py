"""Render stage: the slides' tokens in, HTML per slide and per note out."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mystdeck.citations import make_formatter, reference_list_html
from mystdeck.model import Deck, ParseState
from mystdeck.roles import CITATIONS_KEY
from mystdeck.tokens import REFERENCE_LIST_KEY, STATE_KEY


def render_deck(md: MarkdownIt, deck: Deck, state: ParseState) -> None:
    env = {
        STATE_KEY: state,
        CITATIONS_KEY: make_formatter(deck),
        REFERENCE_LIST_KEY: reference_list_html(list(deck.references.values())),
    }
    for slide in deck.slides:
        slide.html = _render(md, slide.heading + slide.body, env)
        slide.notes_html = "".join(_render(md, note, env) for note in slide.notes)


def _render(md: MarkdownIt, tokens: list[Token], env: dict[str, object]) -> str:
    return md.renderer.render(tokens, md.options, env) if tokens else ""
