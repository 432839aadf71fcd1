"""Slides stage: the token stream in, a Deck of stacks of slides out; the heading rule lives here only.

``#`` is the title slide, every ``##`` starts a horizontal stack, every deeper heading a vertical slide
in the current stack. Content before the first ``##`` belongs to the title slide. A slide with only its
heading (notes allowed) is a section slide. Once the cited works are known, ``add_reference_slides``
closes the deck with the reference list. Every slide id comes from ``slugify`` and ``unique_id``.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it.token import Token

from mystdeck import attributes, cells
from mystdeck.diagnostics import Reporter, SourceLoc, token_line
from mystdeck.lang import words
from mystdeck.model import Deck, Parsed, Reference, Slide, Source, Stack
from mystdeck.tokens import TOC, heading_tokens, make_token

_NOT_CONTENT = ("front_matter", "myst_line_comment")
_CELL_MARKS = (cells.BREAK, cells.CODE_CELL)  # a notebook's cell breaks: without slide types, only breaks
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def split_slides(parsed: Parsed, source: Source, reporter: Reporter) -> Deck:
    """The deck's slides. No slide gets an id from its title that a labelled element of the slides
    uses (a figure's ``:name:``)."""
    tokens = parsed.tokens
    if cells.has_slide_metadata(tokens):
        return _split_cells(parsed, source, reporter)
    deck = Deck(source=source, parsed=parsed)
    hidden: list[Slide] = []
    labels: list[str] = []  # (label)= lines right before a heading: they name its slide
    depth = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if depth == 0 and token.type == "myst_target" and _before_heading(tokens, i):
            labels.append(token.content)
            i += 1
            continue
        if depth == 0 and token.type == "heading_open":
            if deck.stacks:
                _drop_unread_attributes(deck.stacks[-1].slides[-1], reporter)
            if not _start_slide(deck, tokens[i : i + 3], source, reporter):
                hidden.append(deck.stacks[-1].slides[-1])
            slide = deck.stacks[-1].slides[-1]
            slide.labels, labels = labels, []
            if slide.labels and not slide.attrs.id:
                slide.attrs.id = slide.labels[0]  # as in MyST: the label is the heading's id
            i += 3
            continue
        if depth == 0 and token.type == "deck_slide_break" and deck.stacks:
            _continue_slide(deck)  # a cell's outputs on a slide of their own (output-location: slide)
            i += 1
            continue
        depth += token.nesting
        if token.type in _NOT_CONTENT or (depth == 0 and token.type in _CELL_MARKS):
            i += 1
            continue
        _current_slide(deck, source).body.append(token)
        i += 1
    _title_from_front_matter(deck, source)
    for slide in deck.slides:
        slide.body, slide.notes, slide.note_places = _lift_notes(slide.body)
        if slide.kind == "content" and not slide.body:
            slide.kind = "section"
            slide.attrs.classes.append("deck-section")
        elif slide.kind == "content":
            _stretch_alone(slide.body)
            _title_agenda(slide, source)
    _leave_out(deck, hidden)
    _assign_ids(deck.slides, {target.label for target in parsed.targets if target.label})
    return deck


def _split_cells(parsed: Parsed, source: Source, reporter: Reporter) -> Deck:
    """A notebook's slides, cut by its cells' slide types (``cells``); a slide's first heading is its title."""
    deck = Deck(source=source, parsed=parsed)
    for made in cells.cut([t for t in parsed.tokens if t.type not in _NOT_CONTENT]):
        heading = _first_heading(made.tokens)
        level = int(heading[0].tag[1:]) if heading else 2
        loc = SourceLoc(source.path, token_line(next((t for t in made.tokens if t.map), make_token("x"))))
        slide = _new_slide(_plain_text(heading[1]) if heading else "", level, loc)
        slide.heading = heading
        slide.body = [token for token in made.tokens if not any(token is part for part in heading)]
        if made.vertical and deck.stacks:
            deck.stacks[-1].slides.append(slide)
        else:
            deck.stacks.append(Stack([slide]))
    if deck.stacks and deck.stacks[0].slides[0].level == 1:
        first = deck.stacks[0].slides[0]
        first.kind = "title"
        first.attrs.classes.append("deck-title")
    _title_from_front_matter(deck, source)
    for slide in deck.slides:
        slide.body, slide.notes, slide.note_places = _lift_notes(slide.body)
        if slide.kind == "content" and not slide.body and slide.heading:
            slide.kind = "section"
            slide.attrs.classes.append("deck-section")
    _assign_ids(deck.slides, {target.label for target in parsed.targets if target.label})
    return deck


def _title_agenda(slide: Slide, source: Source) -> None:
    """A slide with an empty heading that shows the agenda is titled "Gliederung" (German) or "Outline"."""
    if not slide.title and slide.heading and any(token.type == TOC for token in slide.body):
        slide.title = words(source.front.lang, "outline")
        slide.heading = heading_tokens(slide.title, slide.level)


def _continue_slide(deck: Deck) -> None:
    """A slide after the current one, with its title: what follows goes there."""
    current = deck.stacks[-1].slides[-1]
    slide = _new_slide(current.title, current.level, current.loc)
    slide.heading = heading_tokens(current.title, current.level) if current.heading else []
    if current.level <= 2:
        deck.stacks.append(Stack([slide]))
    else:
        deck.stacks[-1].slides.append(slide)


def _first_heading(tokens: list[Token]) -> list[Token]:
    """The three tokens of the first heading at the top of a slide's tokens (not inside a step or a box)."""
    depth = 0
    for index, token in enumerate(tokens):
        if depth == 0 and token.type == "heading_open":
            return tokens[index : index + 3]
        depth += token.nesting
    return []


def _before_heading(tokens: list[Token], index: int) -> bool:
    """Whether only more labels and comments stand between ``tokens[index]`` and a heading."""
    for token in tokens[index + 1 :]:
        if token.type == "heading_open":
            return True
        if token.type not in ("myst_target", "myst_line_comment"):
            return False
    return False


_MEDIA = ("deck_image", "deck_figure_open", "deck_video_open", "deck_iframe_open")


def _stretch_alone(body: list[Token]) -> None:
    """A figure, image or video alone below the title fills the free space (reveal.js' ``r-stretch``),
    unless it has a size of its own."""
    first, depth = body[0], 0
    for token in body:
        depth += token.nesting
        if depth == 0 and token is not body[-1]:
            return  # more than one block
    if first.type in _MEDIA and not ({"width", "height"} & first.meta.keys()):
        first.meta["stretch"] = True
    elif first.type == "paragraph_open" and len(body) == 3:
        children = [c for c in body[1].children or [] if c.type != "softbreak" and c.content.strip() != ""]
        if len(children) == 1 and children[0].type == "image":
            first.attrSet("class", "r-stretch deck-image-alone")


def _drop_unread_attributes(slide: Slide, reporter: Reporter) -> None:
    """A ``{…}`` line right before a heading that did not parse as attributes: a warning, not slide text."""
    body = slide.body
    if len(body) >= 3 and body[-1].type == "paragraph_close" and body[-3].type == "paragraph_open":
        text = body[-2].content.strip()
        if text.startswith("{") and text.endswith("}") and "\n" not in text:
            reporter.warning(
                SourceLoc(slide.loc.path, token_line(body[-3])),
                f"cannot read the slide attributes {text}: write them as {{#id .class key=value}}",
                "bad-attribute",
            )
            del body[-3:]


def _leave_out(deck: Deck, hidden: list[Slide]) -> None:
    """Hidden slides are left out of the deck, the PDF and the slide count (with their vertical slides
    when they open a stack)."""
    for stack in deck.stacks:
        if stack.slides and stack.slides[0] in hidden and stack.slides[0].level <= 2:
            stack.slides.clear()
        stack.slides[:] = [slide for slide in stack.slides if slide not in hidden]
    deck.stacks[:] = [stack for stack in deck.stacks if stack.slides]


def _new_slide(title: str, level: int, loc: SourceLoc, kind: str = "content") -> Slide:
    slide = Slide(title, level, loc, kind)
    if loc.line:
        slide.attrs.data["source-line"] = str(loc.line)
    if kind == "title":
        slide.attrs.classes.append("deck-title")
    elif kind == "references":
        slide.attrs.classes.append("deck-references-slide")
    return slide


def _start_slide(deck: Deck, heading: list[Token], source: Source, reporter: Reporter) -> bool:
    """Open the slide a heading starts; False when its attributes hide it."""
    level = int(heading[0].tag[1:])
    kind = "title" if level == 1 and not deck.stacks else "content"
    attrs = dict(heading[0].attrs)  # from the line before the heading, and from after its text (parse stage)
    heading[0].attrs = {}  # they belong on the <section>, not on the <h2>
    path = heading[0].meta.get("path", source.path)  # an {include}d file's heading starts a slide there
    slide = _new_slide(_plain_text(heading[1]), level, SourceLoc(path, token_line(heading[0])), kind)
    slide.heading = heading
    shown = attributes.apply(slide, {str(k): str(v) for k, v in attrs.items()}, deck.parsed.images, reporter)
    if level <= 2 or not deck.stacks:
        deck.stacks.append(Stack())
    deck.stacks[-1].slides.append(slide)
    return shown


def _title_from_front_matter(deck: Deck, source: Source) -> None:
    """Front matter's ``title`` makes the title slide when the source starts without a ``#``."""
    title = source.front.title
    if not title:
        return
    first = deck.stacks[0].slides[0] if deck.stacks else None
    if first is None or first.kind != "title":
        first = _new_slide(title, 1, SourceLoc(source.path, 1), "title")
        deck.stacks.insert(0, Stack([first]))
    if not first.heading:
        first.heading = heading_tokens(title, 1)
        first.title = title


def _current_slide(deck: Deck, source: Source) -> Slide:
    """The slide that content belongs to; content before any heading makes the title slide."""
    if not deck.stacks:
        slide = _new_slide(source.front.title, 1, SourceLoc(source.path, source.body_line), "title")
        deck.stacks.append(Stack([slide]))
    return deck.stacks[-1].slides[-1]


def _lift_notes(body: list[Token]) -> tuple[list[Token], list[list[Token]], list[int]]:
    """Take every ``{note}`` out of the slide's body, keeping the notes in their order. A note right after
    a step (a ``{.fragment}`` block) belongs to that step: it stays in the body, inside the step, where
    reveal.js' speaker view shows it when the step appears."""
    kept: list[Token] = []
    notes: list[list[Token]] = []
    places: list[int] = []
    inside = 0
    current: list[Token] = []
    for token in body:
        if token.type == "deck_note_open":
            if inside == 0:
                current = []
            inside += 1
            continue
        if token.type == "deck_note_close":
            inside -= 1
            if inside == 0 and not _attach_to_step(kept, current):
                notes.append(current)
                places.append(len(kept))
            continue
        (current if inside else kept).append(token)
    return kept, notes, places


def _attach_to_step(kept: list[Token], note: list[Token]) -> bool:
    """Put ``note`` inside the step that ends ``kept``, if the last block there is one."""
    start = _last_block(kept)
    if start is None:
        return False
    opening = kept[start]
    aside = [make_token("deck_step_note_open", "aside", 1), *note, make_token("deck_step_note_close", "aside", -1)]
    classes = str(opening.attrGet("class") or "").split()
    if "fragment" in classes:  # a block that appears as one step: the note goes in a wrapper with its classes
        del opening.attrs["class"]
        wrapper = make_token("deck_step_open", "div", 1, classes=classes)
        kept[start:] = [wrapper, *kept[start:], *aside, make_token("deck_step_close", "div", -1)]
        return True
    if opening.type not in ("bullet_list_open", "ordered_list_open"):
        return False
    level = opening.level + 1
    items = [i for i in range(start, len(kept)) if kept[i].level == level and kept[i].type.startswith("list_item")]
    if items and "fragment" in str(kept[items[-2]].attrGet("class") or ""):
        kept[items[-1] : items[-1]] = aside  # a list shown item by item: the note belongs to its last item
        return True
    return False


def _last_block(tokens: list[Token]) -> int | None:
    """Where the last top-level block of ``tokens`` starts."""
    depth = 0
    for index in range(len(tokens) - 1, -1, -1):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return None


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


def _assign_ids(slides: list[Slide], taken: set[str]) -> None:
    """Each slide's id: the one its attributes give (``#id``), else from its title; a repeated one gets
    ``-2``, ``-3``, …"""
    taken.update(slide.attrs.id for slide in slides if slide.attrs.id)
    for slide in slides:
        if not slide.attrs.id:
            base = slugify(slide.title) or ("title" if slide.kind == "title" else "slide")
            slide.attrs.id = unique_id(base, taken)


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, … : the first that ``taken`` lacks (and now holds)."""
    number, candidate = 1, base
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


REFERENCES_PER_SLIDE = 5


def add_reference_slides(deck: Deck, references: list[Reference], title: str) -> None:
    """Point every reference at the slide that lists it: the ``{bibliography}`` slide if the deck has
    one, else closing reference slides (five works to a slide) added here."""
    if not references:
        return
    placed = next((s for s in deck.slides if any(t.type == "deck_bibliography" for t in s.body)), None)
    if placed is not None:
        for ref in references:
            ref.slide_id = placed.slide_id
        return
    stack = Stack()
    loc = SourceLoc(deck.source.path)
    for number, start in enumerate(range(0, len(references), REFERENCES_PER_SLIDE), start=1):
        chunk = references[start : start + REFERENCES_PER_SLIDE]
        slide = _new_slide(title if number == 1 else f"{title} ({number})", 2, loc, "references")
        slide.heading = heading_tokens(slide.title, 2)
        slide.body = [make_token("deck_bibliography", "div", 0, references=chunk)]
        stack.slides.append(slide)
    _assign_ids(stack.slides, {slide.slide_id for slide in deck.slides})  # reference slides
    for slide in stack.slides:
        for ref in slide.body[0].meta["references"]:
            ref.slide_id = slide.slide_id
    deck.stacks.append(stack)
