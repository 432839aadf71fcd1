"""Slides stage, frame breaks: a slide too long for its page continues on follow-up slides, when the deck asks
(``overflow: split`` in the front matter, or ``{.allowframebreaks}`` on one slide, after Beamer's
``allowframebreaks``).

The browser measures where the slide's blocks end (``pdf.measure_cuts``, on the page as it is printed);
the slide is cut between blocks, never inside a paragraph, list, code block, formula or figure. Each
follow-up slide repeats the title with "(Forts.)" / "(cont.)", below the slide it continues; a note
stays with the part it follows; nothing is left out. A block taller than a whole page stays whole.
"""

from __future__ import annotations

import itertools

from mystdeck.lang import words
from mystdeck.model import Deck, Slide
from mystdeck.tokens import heading_tokens, top_level_blocks

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
        if (every or asked) and slide.kind == "content" and len(top_level_blocks(slide.body)) > 1:
            slide.attrs.data[SPLIT] = ""
            found = True
    return found


def split(deck: Deck, cuts: dict[str, list[int]]) -> int:
    """Cut each slide named in ``cuts`` before the blocks listed (by their index); the follow-up slides
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
    blocks = top_level_blocks(slide.body)
    starts = [blocks[index][0] for index in sorted(set(cuts)) if 0 < index < len(blocks)]
    if not starts:
        return []
    bounds = [0, *starts, len(slide.body)]
    body, notes, places = slide.body, slide.notes, slide.note_places
    made = []
    for number, (start, end) in enumerate(itertools.pairwise(bounds)):
        # A note stays with the part whose last block it follows.
        mine = [i for i, place in enumerate(places) if start < place <= end or (number == 0 and place == 0)]
        if number == 0:
            slide.body, slide.notes = body[start:end], [notes[i] for i in mine]
            slide.note_places = [places[i] - start for i in mine]
            continue
        title = f"{slide.title} {word}" if slide.title else word
        part = Slide(title, max(slide.level, 3), slide.loc, "content")
        part.attrs.classes = [c for c in slide.attrs.classes if c != "deck-section"]
        part.attrs.data = {k: v for k, v in slide.attrs.data.items() if k != SPLIT}
        part.attrs.data[CUT] = ""
        part.heading = heading_tokens(title, int(slide.heading[0].tag[1:])) if slide.heading else []
        part.body, part.notes = body[start:end], [notes[i] for i in mine]
        part.note_places = [places[i] - start for i in mine]
        ident, count = f"{slide.slide_id}-{number + 1}", number + 1
        while ident in taken:
            count += 1
            ident = f"{slide.slide_id}-{count}"
        taken.add(ident)
        part.attrs.id = ident
        made.append(part)
    return made
