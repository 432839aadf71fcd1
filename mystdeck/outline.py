"""Outline stage: the split deck in, its sections out, with the agenda slides the front matter asks for and
each slide's place among the sections (for the section bar, the agenda and ``slide-number: section``).

A deck's sections are its section slides (a heading alone). A deck without any has its ``##`` slides as
sections. The closing reference slides are a section of their own; the title slide and the slides that show
an agenda are none. ``agenda: true`` puts an agenda slide of its own before every section's first slide
(rather than on the section slide, which keeps its large title): it is ``uncounted``, marks the section that
follows, and is left out of every PDF unless ``agenda: pdf`` asks.
"""

from __future__ import annotations

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.lang import words
from mystdeck.model import Deck, Place, Section, Slide, Stack
from mystdeck.slides import unique_id
from mystdeck.tokens import TOC, heading_tokens, make_token

AGENDA_CLASS = "deck-agenda-slide"


MANY_SECTIONS = 12  # more, and an agenda before each is more agenda than talk


def find_sections(deck: Deck, reporter: Reporter) -> None:
    """Fill ``deck.sections``; then add the agenda slides when the front matter asks for them."""
    candidates = [slide for slide in deck.slides if slide.kind != "title" and not shows_agenda(slide)]
    chosen = [slide for slide in candidates if slide.kind == "section"]
    if chosen:
        first_refs = next((slide for slide in candidates if slide.kind == "references"), None)
        chosen += [first_refs] if first_refs is not None else []
    else:
        chosen = [slide for slide in candidates if slide.level <= 2 and not slide.continues]
    deck.sections = [Section(number, slide) for number, slide in enumerate(chosen, start=1)]
    if deck.source.front.agenda:
        _add_agenda_slides(deck)
        if len(deck.sections) > MANY_SECTIONS:
            line = deck.source.front.lines.get("agenda", 0)
            reporter.warning(SourceLoc(deck.source.path, line), f"'agenda: true' repeats an agenda of "
                             f"{len(deck.sections)} sections before each of them: give the deck section slides (a "
                             "heading alone) to group its slides", "empty-agenda")  # fmt: skip


def shows_agenda(slide: Slide) -> bool:
    return AGENDA_CLASS in slide.attrs.classes or any(token.type == TOC for token in slide.body)


def _add_agenda_slides(deck: Deck) -> None:
    title = words(deck.source.front.lang, "outline")
    taken = {slide.slide_id for slide in deck.slides}
    for section in deck.sections:
        agenda = Slide(title, section.slide.level, SourceLoc(deck.source.path, section.slide.loc.line))
        agenda.heading = heading_tokens(title, max(section.slide.level, 2))
        agenda.body = [make_token(TOC, "nav", 0, depth=1, current=section.number)]
        agenda.attrs.classes = [AGENDA_CLASS]
        agenda.attrs.data["visibility"] = "uncounted"
        if deck.source.front.agenda != "pdf":
            agenda.attrs.data["deck-print"] = "no"
        agenda.attrs.id = unique_id(f"{section.slide.slide_id}-agenda", taken)
        _insert_before(deck, section.slide, agenda)


def _insert_before(deck: Deck, slide: Slide, new: Slide) -> None:
    for index, stack in enumerate(deck.stacks):
        if stack.slides and stack.slides[0] is slide:
            deck.stacks.insert(index, Stack([new]))
            return
        for at, other in enumerate(stack.slides):
            if other is slide:
                stack.slides.insert(at, new)
                return


def place_slides(deck: Deck) -> None:
    """Each slide's place: its section and which of the section's counted slides it is. Run again after the
    long slides are cut, so that their follow-up slides count too."""
    starts = {id(section.slide): section.number for section in deck.sections}
    current = 0
    members: list[list[Slide]] = [[] for _ in range(len(deck.sections) + 1)]
    slides = deck.slides
    for at, slide in enumerate(slides):
        if AGENDA_CLASS in slide.attrs.classes:
            following = next((s for s in slides[at + 1 :] if id(s) in starts), None)
            slide.place = Place(starts[id(following)] if following is not None else current, 0, 0)
            continue
        current = starts.get(id(slide), current)
        members[current].append(slide)
    for number, found in enumerate(members):
        for index, slide in enumerate(found, start=1):
            slide.place = Place(number, index, len(found))
    if deck.source.front.slide_number == "section":
        for slide in slides:
            slide.attrs.data["deck-number"] = section_number(slide)


def section_slides(deck: Deck) -> list[tuple[Section, list[Slide]]]:
    """Every section with the slides under it that have a title of their own (not the follow-up slides of a
    long one, not an agenda), for an agenda of depth 2."""
    entries: list[tuple[Section, list[Slide]]] = [(section, []) for section in deck.sections]
    by_number = {section.number: index for index, section in enumerate(deck.sections)}
    for slide in deck.slides:
        place = slide.place
        if place is None or place.section == 0 or place.index <= 1 or slide.continues or shows_agenda(slide):
            continue
        entries[by_number[place.section]][1].append(slide)
    return entries


def section_number(slide: Slide) -> str:
    """``slide-number: section``: "2.3" (the section and the slide within it); a slide before the first
    section has its plain count, an agenda slide none."""
    place = slide.place
    if place is None or place.index == 0:
        return ""
    return f"{place.section}.{place.index}" if place.section else str(place.index)
