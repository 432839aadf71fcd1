"""Slides stage, frame breaks: a slide too long for its page continues on follow-up slides, when the deck asks
(``overflow: split`` in the front matter, or ``{.allowframebreaks}`` on one slide, after Beamer's
``allowframebreaks``).

The browser measures where the slide's blocks end (``pdf.measure_cuts``, on the page as it is printed);
the slide is cut between blocks, never inside a paragraph, list item, code block, formula or figure. A
list may be cut between its items (an ordered list goes on counting), and a box (an admonition, an
exercise, a solution, a proof) between the blocks inside it: the box goes on, under its title again, on
the next slide. Each follow-up slide repeats the title with "(Forts.)" / "(cont.)", below the slide it
continues; a note stays with the part it follows; nothing is left out. A block taller than a whole
page stays whole; its part shrinks (down to 40 per cent) until it fits.

The browser and this module count the same places to cut ("units"): each top-level block, except that a
list or box with more than one thing inside is as many units as it has items or inner blocks (the first
of them starting where the list or box starts). ``measured`` marks them for the browser.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from markdown_it.token import Token

from mystdeck.lang import words
from mystdeck.model import Deck, Slide
from mystdeck.tokens import heading_tokens, top_level_blocks

LISTS = ("bullet_list_open", "ordered_list_open")
BOXES = ("deck_statement_open", "deck_admonition_open")
SPLIT = "deck-split"  # the data attribute of a slide that may be cut (its blocks are wrapped, to be measured)
CUT = "deck-cut"  # the data attribute of a slide that was measured for cutting (and of its follow-ups)


def mark(deck: Deck) -> bool:
    """Mark the slides that may be cut; whether there is any."""
    every = deck.source.front.overflow == "split"
    found = False
    for slide in deck.slides:
        asked = "allowframebreaks" in slide.attrs.classes
        if asked:
            slide.attrs.classes.remove("allowframebreaks")
        if (every or asked) and slide.kind in ("content", "title"):
            found = _mark(slide) or found
    return found


def mark_again(deck: Deck) -> bool:
    """After a cut, mark the slides that were measured for cutting again (a part may still be too long:
    a two-line title, a box's title on its follow-up); whether there is any."""
    found = False
    for slide in deck.slides:
        if CUT in slide.attrs.data:
            found = _mark(slide) or found
    return found


def _mark(slide: Slide) -> bool:
    """Mark ``slide`` as one that may be cut, if there is a place to cut it."""
    if len(units(slide.body)) < 2:
        return False
    slide.attrs.data[SPLIT] = ""
    return True


SHRINK_STEPS = tuple(range(95, 35, -5))  # the sizes (in per cent) a part too tall may shrink to: deck-shrink-95 …


def shrink(deck: Deck, factors: dict[str, float]) -> bool:
    """A part that holds a block taller than a page (a long code block, a tall formula) shrinks its blocks, as
    Beamer's ``shrink`` does, to the largest size that fits, down to 40 per cent; whether any did."""
    changed = False
    for slide in deck.slides:
        factor = factors.get(slide.slide_id)
        # One step to spare: the printed page lays a shrunk listing out a little taller than the measured one.
        step = next((step for step in SHRINK_STEPS if factor is not None and step <= factor * 100 - 5), None)
        if step is not None:
            slide.attrs.classes = [c for c in slide.attrs.classes if not c.startswith("deck-shrink-")]
            slide.attrs.classes.append(f"deck-shrink-{step}")
            changed = True
    return changed


def unmark(deck: Deck) -> None:
    for slide in deck.slides:
        slide.attrs.data.pop(SPLIT, None)


@dataclass(slots=True, frozen=True)
class Unit:
    """A place a slide may be cut before: its first token, and the lists and boxes already open there (the
    index of each one's first token), which the part before closes and the part after opens again."""

    start: int
    inside: tuple[int, ...]


def units(tokens: list[Token]) -> list[Unit]:
    found: list[Unit] = []
    _add_units(tokens, 0, len(tokens), (), found)
    return found


def _add_units(tokens: list[Token], lo: int, hi: int, inside: tuple[int, ...], found: list[Unit]) -> None:
    for start, end in top_level_blocks(tokens[lo:hi]):
        start, end = start + lo, end + lo
        inner = _inner(tokens, start, end)
        if len(inner) < 2:
            found.append(Unit(start, inside))
            continue
        first = len(found)
        for inner_start, inner_end in inner:
            if tokens[start].type in LISTS:
                found.append(Unit(inner_start, (*inside, start)))
            else:
                _add_units(tokens, inner_start, inner_end, (*inside, start), found)
        found[first] = Unit(start, inside)  # the first part of a list or box starts with it


def _inner(tokens: list[Token], start: int, end: int) -> list[tuple[int, int]]:
    """The items of a list, or the blocks inside a box after its title; nothing for other blocks."""
    kind = tokens[start].type
    if kind not in LISTS and kind not in BOXES:
        return []
    head = start + 1
    if kind == "deck_statement_open":
        head = next((i + 1 for i in range(start + 1, end) if tokens[i].type == "deck_statement_heading_end"), head)
    elif kind == "deck_admonition_open" and tokens[head].type == "deck_admonition_title_open":
        head += 3
    return [(a + head, b + head) for a, b in top_level_blocks(tokens[head : end - 1])]


def measured(tokens: list[Token]) -> list[Token]:
    """A copy of one top-level block as the browser measures it: a list that may be cut marked, each block
    inside a box that may be cut wrapped (``deck-part``)."""
    tokens = [token.copy() for token in tokens]
    return _marked(tokens, 0, len(tokens))


def _marked(tokens: list[Token], start: int, end: int) -> list[Token]:
    inner = _inner(tokens, start, end)
    if len(inner) < 2:
        return tokens[start:end]
    opening = tokens[start]
    if opening.type in LISTS:
        opening.attrs = {**opening.attrs, "data-deck-parts": ""}
        return tokens[start:end]
    wrapped = tokens[start : inner[0][0]]
    for inner_start, inner_end in inner:
        wrapped.append(_html('<div class="deck-part">\n'))
        wrapped += _marked(tokens, inner_start, inner_end)
        wrapped.append(_html("</div>\n"))
    return wrapped + tokens[inner[-1][1] : end]


def _html(text: str) -> Token:
    return Token("html_block", "", 0, content=text, block=True)


def split(deck: Deck, cuts: dict[str, list[int]]) -> int:
    """Cut each slide named in ``cuts`` before the units listed (by their index); the follow-up slides
    go below it. Returns how many slides were added."""
    added = 0
    word = words(deck.source.front.lang, "continued")
    taken = {slide.slide_id for slide in deck.slides}
    for stack in deck.stacks:
        placed: list[Slide] = []
        for slide in stack.slides:
            placed.append(slide)
            asked = slide.attrs.data.pop(SPLIT, None) is not None
            found = cuts.get(slide.slide_id)
            if asked:
                slide.attrs.data[CUT] = ""
            if found:
                parts = _parts(slide, found, word, taken)
                placed += parts
                added += len(parts)
        stack.slides[:] = placed
    return added


def _parts(slide: Slide, cuts: list[int], word: str, taken: set[str]) -> list[Slide]:
    """The follow-up slides of ``slide`` (which keeps the first part)."""
    found = units(slide.body)
    chosen = [found[index] for index in sorted(set(cuts)) if 0 < index < len(found)]
    if not chosen:
        return []
    bounds = [Unit(0, ()), *chosen, Unit(len(slide.body), ())]
    body, notes, places = slide.body, slide.notes, slide.note_places
    made = []
    for number, (first, after) in enumerate(itertools.pairwise(bounds)):
        start, end = first.start, after.start
        opened = [token for at in first.inside for token in _reopened(body, at, start)]
        closed = [_closing(body, at) for at in reversed(after.inside)]
        tokens = opened + body[start:end] + closed
        # A note stays with the part whose last block it follows.
        mine = [i for i, place in enumerate(places) if start < place <= end or (number == 0 and place == 0)]
        moved = [places[i] - start + len(opened) for i in mine]
        if number == 0:
            slide.body, slide.notes, slide.note_places = tokens, [notes[i] for i in mine], moved
            continue
        base = slide.continues or slide.title
        title = f"{base} {word}" if base else word
        part = Slide(title, max(slide.level, 3), slide.loc, "content", continues=base)
        part.attrs.classes = [c for c in slide.attrs.classes if c not in ("deck-section", "deck-title")]
        part.attrs.data = {k: v for k, v in slide.attrs.data.items() if k != SPLIT}
        part.attrs.data[CUT] = ""
        part.heading = heading_tokens(title, max(int(slide.heading[0].tag[1:]), 2)) if slide.heading else []
        part.body, part.notes, part.note_places = tokens, [notes[i] for i in mine], moved
        ident, count = f"{slide.slide_id}-{number + 1}", number + 1
        while ident in taken:
            count += 1
            ident = f"{slide.slide_id}-{count}"
        taken.add(ident)
        part.attrs.id = ident
        made.append(part)
    return made


def _reopened(body: list[Token], at: int, cut: int) -> list[Token]:
    """The list or box that starts at ``at``, opened again for the part that begins at ``cut``: a box with
    its title (and without its label, which its first part keeps), an ordered list counting on."""
    opening = body[at].copy()
    if opening.type in LISTS:
        level = opening.level + 1
        before = sum(1 for t in body[at:cut] if t.type == "list_item_open" and t.level == level)
        if opening.type == "ordered_list_open":
            first = int(str(opening.attrs.get("start", 1)))
            opening.attrs = {**opening.attrs, "start": first + before}
        return [opening]
    opening.meta = {**opening.meta, "label": ""}
    if "id" in opening.attrs:
        opening.attrs = {k: v for k, v in opening.attrs.items() if k != "id"}
    head = _inner(body, at, _end_of(body, at))[0][0]
    return [opening, *body[at + 1 : head]]


def _closing(body: list[Token], at: int) -> Token:
    return body[_end_of(body, at) - 1]


def _end_of(body: list[Token], at: int) -> int:
    depth = 0
    for index in range(at, len(body)):
        depth += body[index].nesting
        if depth == 0:
            return index + 1
    return len(body)
