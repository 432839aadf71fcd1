"""Cross-reference stage: once the slides are known, every target gets its slide and its number, and every
cross-reference its target and the text it shows.

Figures, tables and code listings with a caption or a name are numbered through the deck, each kind on its
own; equations when they have a label (all of them when ``numbering: {equation: true}``); exercises and
``prf:`` statements always. A caption shows its number (“Abbildung 2: …”) when the front matter's
``numbering`` asks for that kind, or when anything in the deck references that kind; ``numbering: false``
for a kind hides its numbers even then. Labels match whatever their case.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import PurePosixPath

from markdown_it.token import Token

from mystdeck.diagnostics import Reporter, SourceLoc, token_line
from mystdeck.directives.glossary import term_label
from mystdeck.lang import numbered, words
from mystdeck.model import Deck, Slide, Target, XRef
from mystdeck.roles.xrefs import OUTSIDE_FORMS

_ALWAYS_SHOWN = ("exercise",)
EQUATION = "\0eq:"  # the key of an equation whose label another target also has


def resolve_references(deck: Deck, reporter: Reporter) -> None:
    parsed = deck.parsed
    place: dict[int, tuple[int, Slide]] = {}  # the place of each token that can be a target (not in notes)
    wanted = {id(t.token) for t in parsed.targets if t.token is not None}
    order = 0
    for slide in deck.slides:
        for token in _tokens(slide):
            order += 1
            if id(token) in wanted or token.type == "myst_target":
                place[id(token)] = (order, slide)
    targets = _slide_targets(deck, place)
    placed = [t for t in parsed.targets if t.token is not None and id(t.token) in place]
    placed.sort(key=lambda t: place[id(t.token)][0])
    for target in placed:
        target.slide_id = place[id(target.token)][1].slide_id
    targets += placed
    deck.targets = _by_label(targets, reporter)
    for xref in parsed.xrefs:
        key = term_label(xref.label) if xref.form == "term" else xref.label.lower()
        xref.target = deck.targets.get(EQUATION + key) if xref.form == "eq" else None
        xref.target = xref.target or deck.targets.get(key)
        if xref.target is None and xref.form == "doc":  # {doc}`../intro.md`: a page named like a label
            xref.target = deck.targets.get(PurePosixPath(key.replace("\\", "/")).stem)
    _number(placed, deck, {x.target.kind for x in parsed.xrefs if x.target})
    slide_numbers = {slide.slide_id: number for number, slide in enumerate(deck.slides, start=1)}
    embed_blocks(deck, reporter)
    lang = deck.source.front.lang
    outside: set[str] = set()
    for xref in parsed.xrefs:
        if xref.target is None and xref.form in OUTSIDE_FORMS:
            if xref.label.lower() not in outside:  # once per label: a book's chapter names its pages often
                outside.add(xref.label.lower())
                _outside(xref, deck.targets, reporter)
        elif xref.target is None:
            _unknown(xref, deck.targets, reporter)
        else:
            xref.text = _text(xref, xref.target, lang, slide_numbers)


def embed_blocks(deck: Deck, reporter: Reporter) -> None:
    """``{embed} label``: a copy of the labelled block (or slide) in its place, without the ids that name the
    original; an unknown label is a warning, and nothing is shown."""
    for slide in deck.slides:
        if not any(token.type == "deck_embed" for token in slide.body):
            continue
        body: list[Token] = []
        for token in slide.body:
            if token.type != "deck_embed":
                body.append(token)
                continue
            found = _block_of(deck, deck.targets.get(token.meta["label"].lower()))
            if found is None:
                loc = SourceLoc(slide.loc.path, token_line(token))
                reporter.warning(loc, f"{{embed}}: no block has the label '{token.meta['label']}'", "unknown-label")
            body.extend(_copy(found or []))
        slide.body = body


def _block_of(deck: Deck, target: Target | None) -> list[Token] | None:
    if target is None:
        return None
    if target.kind == "slide":
        slide = next((s for s in deck.slides if s.slide_id == target.slide_id), None)
        return [t for t in slide.body if t.type != "deck_embed"] if slide is not None else None
    for slide in deck.slides:
        for index, token in enumerate(slide.body):
            if token is target.token:
                start = index + 1 if token.type == "myst_target" else index  # the block after a (label)= line
                depth, end = 0, start
                for end in range(start, len(slide.body)):
                    depth += slide.body[end].nesting
                    if depth <= 0:
                        break
                return slide.body[start : end + 1]
    return None


def _copy(tokens: list[Token]) -> list[Token]:
    copies = []
    for token in tokens:
        copy = token.copy()
        copy.attrs = {key: value for key, value in token.attrs.items() if key != "id"}
        copy.meta = {**token.meta, **{key: "" for key in ("label", "name", "id") if key in token.meta}}
        if isinstance(copy.meta.get("attrs"), dict):
            copy.meta["attrs"] = {key: value for key, value in copy.meta["attrs"].items() if key != "id"}
        copies.append(copy)
    return copies


def _tokens(slide: Slide) -> list[Token]:
    """A slide's tokens that the audience sees: not its notes."""
    shown, inside = [], 0
    for token in slide.heading + slide.body:
        inside += token.type == "deck_step_note_open"
        if not inside:
            shown.append(token)
        inside -= token.type == "deck_step_note_close"
    return shown


def _slide_targets(deck: Deck, place: dict[int, tuple[int, Slide]]) -> list[Target]:
    """Labels written before a heading name the slide; one on a line of its own inside a slide, its place."""
    found = []
    for number, slide in enumerate(deck.slides, start=1):
        for label in [*slide.labels, slide.slide_id]:
            found.append(Target(label, "slide", slide.loc, None, slide.title, number, slide.slide_id))
        for token in slide.body:
            if token.type == "myst_target" and id(token) in place:
                loc = SourceLoc(slide.loc.path, token_line(token))
                found.append(Target(token.content, "target", loc, token, slide.title, 0, slide.slide_id))
    return found


def _by_label(targets: list[Target], reporter: Reporter) -> dict[str, Target]:
    """Targets by label; a slide's id counts as a label unless a label of the same name is written."""
    auto = {t.label.lower(): t for t in targets if t.kind == "slide" and t.label == t.slide_id}
    written: dict[str, Target] = {}
    for target in targets:
        key = target.label.lower()
        if not key or auto.get(key) is target:
            continue
        earlier = written.get(key)
        if earlier is not None and (earlier.kind == "equation") != (target.kind == "equation"):
            # Sphinx and MyST keep equations' labels apart from the others: {eq} finds one, {ref} the other.
            if target.kind != "equation":
                written[EQUATION + key] = earlier
                del written[key]
            else:
                key = EQUATION + key
            earlier = written.get(key)
        if earlier is not None:
            reporter.warning(
                target.loc, f"the label '{target.label}' is given twice (first at {earlier.loc}): rename one",
                "unknown-label",
            )  # fmt: skip
            continue
        written[key] = target
    return {**auto, **written}


def _number(targets: list[Target], deck: Deck, referenced: set[str]) -> None:
    numbering = deck.source.front.numbering
    counters: Counter[str] = Counter()
    for target in targets:
        if target.kind == "equation" and not (target.label or numbering.get("equation")):
            continue
        if target.kind == "term" or (target.token is not None and target.token.meta.get("nonumber")):
            continue
        counters[target.kind] += 1
        target.number = counters[target.kind]
        assert target.token is not None
        shown = numbering.get(target.kind, target.kind in referenced)
        target.token.meta["number"] = target.number
        target.token.meta["number_shown"] = shown or target.kind in _ALWAYS_SHOWN or target.kind.startswith("prf:")


def _text(xref: XRef, target: Target, lang: str, slide_numbers: dict[str, int]) -> str:
    number = target.number or (slide_numbers.get(target.slide_id, 0) if target.kind in ("slide", "target") else 0)
    kind = "slide" if target.kind == "target" else target.kind
    name = target.title or target.label
    if xref.form == "numref" and number:
        if xref.template:
            return xref.template.replace("%s", str(number)).replace("{number}", str(number)).replace("{name}", name)
        return numbered(lang, kind, number)
    if xref.form == "eq" and number:
        return numbered(lang, "equation", number)
    if xref.template:
        return xref.template
    if target.title:
        return target.title
    if not number and target.token is not None and target.token.meta.get("nonumber"):
        return words(lang, f"kind_{kind}")  # an exercise without a number: “Aufgabe”
    return numbered(lang, kind, number) if number else target.label


def _outside(xref: XRef, targets: dict[str, Target], reporter: Reporter) -> None:
    labels = [t.label for t in targets.values() if t.kind != "term" and t.label]
    close = difflib.get_close_matches(xref.label, labels, n=1, cutoff=0.75)
    if close:
        message = f"unknown label '{xref.label}': did you mean '{close[0]}'? (its text is shown without a link)"
        reporter.warning(xref.loc, message, "unknown-label")
        return
    message = f"'{xref.label}' points outside the deck (a page of the book): its text is shown without a link"
    reporter.note(xref.loc, message, "outside-deck")


def _unknown(xref: XRef, targets: dict[str, Target], reporter: Reporter) -> None:
    terms = xref.form == "term"
    labels = [t.title if terms else t.label for t in targets.values() if (t.kind == "term") == terms and t.label]
    close = difflib.get_close_matches(xref.label, labels, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "give a slide '(label)=' or a figure ':label:'"
    if terms and not close:
        hint = "add it to a {glossary}"
    what = "term" if terms else "label"
    reporter.warning(xref.loc, f"unknown {what} '{xref.label}': {hint}", "unknown-label")
