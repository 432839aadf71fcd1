"""Slides stage: the token stream in, a Deck of stacks of slides out; the heading rule lives here only.

``#`` is the title slide, every ``##`` starts a horizontal stack, every deeper heading a vertical slide
in the current stack. Content before the first ``##`` belongs to the title slide.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it.token import Token

from mystdeck.diagnostics import SourceLoc, token_line
from mystdeck.model import Deck, Slide, Source, Stack
from mystdeck.tokens import heading_tokens

_NOT_CONTENT = ("front_matter", "myst_line_comment")
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def split_slides(tokens: list[Token], source: Source) -> Deck:
    deck = Deck(source=source)
    depth = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if depth == 0 and token.type == "heading_open":
            _start_slide(deck, tokens[i : i + 3], source)
            i += 3
            continue
        depth += token.nesting
        if token.type in _NOT_CONTENT:
            i += 1
            continue
        _current_slide(deck, source).body.append(token)
        i += 1
    _title_from_front_matter(deck, source)
    for slide in deck.slides:
        slide.body, slide.notes = _lift_notes(slide.body)
    _assign_ids(deck)
    return deck


def _start_slide(deck: Deck, heading: list[Token], source: Source) -> None:
    level = int(heading[0].tag[1:])
    title = _plain_text(heading[1])
    slide = Slide(slide_id="", title=title, level=level, loc=SourceLoc(source.path, token_line(heading[0])))
    slide.heading = heading
    is_title = level == 1 and not deck.stacks
    if is_title:
        slide.classes.append("deck-title")
    if level <= 2 or not deck.stacks:
        deck.stacks.append(Stack())
    deck.stacks[-1].slides.append(slide)


def _title_from_front_matter(deck: Deck, source: Source) -> None:
    """Front matter's ``title`` makes the title slide when the source starts without a ``#``."""
    title = source.front.title
    if not title:
        return
    first = deck.stacks[0].slides[0] if deck.stacks else None
    if first is None or "deck-title" not in first.classes:
        first = Slide("", title, 1, SourceLoc(source.path, 1), classes=["deck-title"])
        deck.stacks.insert(0, Stack([first]))
    if not first.heading:
        first.heading = heading_tokens(title, 1)
        first.title = title


def _current_slide(deck: Deck, source: Source) -> Slide:
    """The slide that content belongs to; content before any heading makes the title slide."""
    if not deck.stacks:
        front = source.front
        slide = Slide(slide_id="", title=front.title, level=1, loc=SourceLoc(source.path, source.body_line))
        slide.classes.append("deck-title")
        deck.stacks.append(Stack([slide]))
    return deck.stacks[-1].slides[-1]


def _lift_notes(body: list[Token]) -> tuple[list[Token], list[list[Token]]]:
    """Take every ``{note}`` out of the slide's body, keeping the notes in their order."""
    kept: list[Token] = []
    notes: list[list[Token]] = []
    inside = 0
    for token in body:
        if token.type == "deck_note_open":
            if inside == 0:
                notes.append([])
            inside += 1
            continue
        if token.type == "deck_note_close":
            inside -= 1
            continue
        (notes[-1] if inside else kept).append(token)
    return kept, notes


def _plain_text(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "myst_role", "math_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def slugify(text: str) -> str:
    """``OpenAI DALL·E-2`` → ``openai-dall-e-2``; umlauts become ae/oe/ue so links stay plain ASCII."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _assign_ids(deck: Deck) -> None:
    seen: dict[str, int] = {}
    for slide in deck.slides:
        base = slugify(slide.title) or ("title" if "deck-title" in slide.classes else "slide")
        seen[base] = seen.get(base, 0) + 1
        slide.slide_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
