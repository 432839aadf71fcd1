"""Slides stage, notebook cells: a notebook's slide metadata (RISE's and nbconvert's ``slide_type``) cuts the token
stream into slides, as RISE and nbconvert cut a notebook.

A cell starts at a MyST cell break (``+++``, with its JSON metadata or without) and at each ``{code-cell}``.
``slide`` starts a slide, ``subslide`` a vertical slide, ``fragment`` a step, ``skip`` is left out, ``notes``
becomes speaker notes, and ``-`` (or no type) continues the slide and the step before it. A deck whose cells
carry such metadata is cut by it alone (headings do not start slides there); a deck without any is cut by
its headings, and its cell breaks are only breaks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from mystdeck.tokens import make_token

SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
BREAK = "myst_block_break"  # MyST's ``+++`` cell break (mdit-py-plugins' myst_blocks)
CODE_CELL = "deck_cell"  # the mark a {code-cell} leaves before its tokens, with its metadata


@dataclass(slots=True)
class CellSlide:
    """One slide a notebook's metadata makes: a vertical one (``subslide``) or not, and its tokens (steps
    already wrapped, notes as ``{note}`` tokens, which the slides stage lifts out)."""

    vertical: bool
    tokens: list[Token] = field(default_factory=list)


def slide_type(token: Token) -> str | None:
    """The slide type a cell break or a code cell's mark names; None for a cell without one."""
    if token.type == BREAK:
        try:
            metadata = json.loads(token.content) if token.content.strip() else {}
        except ValueError:
            return None
        return _type_of(metadata)
    if token.type == CODE_CELL:
        return _type_of(token.meta.get("metadata", {}))
    return None


def _type_of(metadata: Any) -> str | None:
    show = metadata.get("slideshow") if isinstance(metadata, dict) else None
    kind = show.get("slide_type") if isinstance(show, dict) else None
    return kind if kind in SLIDE_TYPES else None


def has_slide_metadata(tokens: list[Token]) -> bool:
    return any(slide_type(token) not in (None, "-") for token in tokens if token.type in (BREAK, CODE_CELL))


def cut(tokens: list[Token]) -> list[CellSlide]:
    """The slides the cells' metadata makes (the top-level tokens, in their order)."""
    slides: list[CellSlide] = []
    step: list[Token] | None = None  # the step being filled, until a slide or another step starts
    kind: str | None = None
    depth = 0
    for token in tokens:
        if depth == 0 and token.type == "deck_slide_break" and slides:
            slides.append(CellSlide(vertical=False))  # a cell's outputs on a slide of their own
            step = None
            continue
        if depth == 0 and token.type in (BREAK, CODE_CELL):
            kind = slide_type(token) or "-"
            if kind in ("slide", "subslide") or not slides:
                slides.append(CellSlide(vertical=kind == "subslide"))
                step = None
            if kind == "fragment":
                step = []
                slides[-1].tokens.append(_step(step))
            elif kind in ("skip", "notes") or kind in ("slide", "subslide"):
                step = None
            if token.type == BREAK:
                continue
        depth += token.nesting
        if not slides:
            slides.append(CellSlide(vertical=False))
        if kind == "skip":
            continue
        if kind == "notes":
            _add_note(slides[-1].tokens, token)
        elif step is not None:
            step.append(token)
        else:
            slides[-1].tokens.append(token)
    return [_unwrapped(slide) for slide in slides]


def _step(inside: list[Token]) -> Token:
    """A placeholder for a step, filled while its cells come and opened into tokens at the end."""
    holder = make_token("deck_cell_step", "", 0)
    holder.children = inside
    return holder


def _add_note(tokens: list[Token], token: Token) -> None:
    """A ``notes`` cell's tokens, inside one ``{note}`` per run of such cells."""
    if tokens and tokens[-1].type == "deck_note_close":
        tokens.insert(len(tokens) - 1, token)
        return
    tokens.extend([make_token("deck_note_open", "aside", 1), token, make_token("deck_note_close", "aside", -1)])


def _unwrapped(slide: CellSlide) -> CellSlide:
    tokens: list[Token] = []
    for token in slide.tokens:
        if token.type == "deck_cell_step":
            inside = token.children or []
            tokens += [make_token("deck_step_open", "div", 1, classes=["fragment"]), *inside]
            tokens.append(make_token("deck_step_close", "div", -1))
        else:
            tokens.append(token)
    slide.tokens = [token for token in tokens if token.type != CODE_CELL]
    return slide
