"""Render stage: the slides' tokens in, HTML per slide and per note out.

Every render rule gets one RenderContext (the deck's language and words, the citation formatter, the
reference list's template, the resolved images, the real reporter) under ``env["deck"]``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from mystdeck.citations import make_formatter
from mystdeck.diagnostics import Reporter
from mystdeck.directives.math import math_html
from mystdeck.frames import SPLIT, measured
from mystdeck.model import Deck, Reference, RenderContext, Slide
from mystdeck.tokens import RENDER_KEY, top_level_blocks


def render_deck(
    md: MarkdownIt,
    deck: Deck,
    reference_list: Callable[[list[Reference]], str],
    agenda: Callable[[dict[str, Any], Slide | None], str],
    reporter: Reporter,
) -> None:
    context = RenderContext(
        path=deck.source.path,
        lang=deck.source.front.lang,
        reporter=reporter,
        cites=make_formatter(deck),
        reference_list=lambda refs: reference_list([_with_formulas(ref, deck) for ref in refs]),
        images=deck.images,
        agenda=agenda,
    )
    env: dict[str, object] = {RENDER_KEY: context}
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)
    context.render_inline = lambda tokens: renderer.renderInline(tokens, md.options, env)
    deck.footer_html = context.render_inline(deck.parsed.footer)
    for slide in deck.slides:
        context.slide = slide
        if SPLIT in slide.attrs.data:  # a slide that may be cut: each block in a wrapper the browser measures
            blocks = [_render(md, measured(slide.body[a:b]), env) for a, b in top_level_blocks(slide.body)]
            wrapped = "".join(f'<div class="deck-block">\n{block}</div>\n' for block in blocks)
            slide.html = _render(md, slide.heading, env) + wrapped
        else:
            slide.html = _render(md, slide.heading + slide.body, env)
        slide.notes_html = "".join(_render(md, note, env) for note in slide.notes)


def _with_formulas(ref: Reference, deck: Deck) -> Reference:
    """A reference as the list shows it: the formulas in its title as the formulas stage typeset them."""
    found = deck.reference_math.get(ref.key)
    if not found:
        return ref
    pieces = [piece for text, formula in zip(ref.parts, found, strict=False) for piece in (text, math_html(formula))]
    return dataclasses.replace(ref, html="".join([*pieces, ref.parts[-1]]))


def _render(md: MarkdownIt, tokens: list[Token], env: dict[str, object]) -> str:
    return md.renderer.render(tokens, md.options, env) if tokens else ""
