"""Cutting a long slide (frames): where it may be cut, and what each part holds — without a browser."""

from __future__ import annotations

from pathlib import Path

from mystdeck import frames
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import FrontMatter, Slide, Source
from mystdeck.parse import create_parser, parse_deck


def _slide(text: str, tmp_path: Path) -> Slide:
    tokens = parse_deck(create_parser(), Source(tmp_path / "d.md", text, FrontMatter(), 1), Reporter()).tokens
    slide = Slide("Lang", 2, SourceLoc(tmp_path / "d.md", 1))
    slide.body = tokens
    slide.attrs.id = "lang"
    return slide


def _cut(slide: Slide, before: list[int]) -> list[Slide]:
    return [slide, *frames._parts(slide, before, "(Forts.)", {"lang"})]


def _render(slide: Slide) -> str:
    md = create_parser()
    return md.renderer.render(slide.body, md.options, {})


def test_a_list_is_as_many_places_to_cut_as_it_has_items(tmp_path: Path) -> None:
    slide = _slide("Vorher\n\n3. drei\n4. vier\n5. fünf\n\nNachher\n", tmp_path)
    assert len(frames.units(slide.body)) == 5  # paragraph, three items (the first where the list starts), paragraph
    first, second = _cut(slide, [3])
    assert _render(first).count("<li>") == 2 and '<ol start="3">' in _render(first)
    assert _render(second).startswith('<ol start="5">\n<li>fünf</li>\n</ol>\n<p>Nachher</p>')  # counting on
    assert second.title == "Lang (Forts.)" and second.continues == "Lang"


def test_a_box_goes_on_under_its_title_on_the_next_part(tmp_path: Path) -> None:
    text = ":::{exercise}\n:label: ueb\nErster Absatz.\n\nZweiter Absatz.\n\n- a\n- b\n:::\n\nDanach.\n"
    slide = _slide(text, tmp_path)
    # the box's first paragraph (where the box starts), its second, the list's two items, the paragraph after
    assert len(frames.units(slide.body)) == 5
    first, second, third = _cut(slide, [1, 3])
    texts = [[t.content for t in part.body if t.type == "inline"] for part in (first, second, third)]
    assert texts == [["Erster Absatz."], ["Zweiter Absatz.", "a"], ["b", "Danach."]]  # nothing lost or doubled
    opening = [next(t for t in part.body if t.type == "deck_statement_open") for part in (first, second, third)]
    assert [t.meta["label"] for t in opening] == ["ueb", "", ""]  # one box keeps the label the references use
    assert [t.meta.get("number") for t in opening] == [opening[0].meta.get("number")] * 3  # its title again
    for part in (first, second, third):
        assert sum(t.nesting for t in part.body) == 0
        assert [t.type for t in part.body[:1]] == ["deck_statement_open"] or part is third
    assert [t.type for t in third.body][:3] == ["deck_statement_open", "deck_statement_heading_end", "bullet_list_open"]


def test_a_list_item_is_never_cut(tmp_path: Path) -> None:
    slide = _slide("- eins\n\n  noch eins\n- zwei\n", tmp_path)
    assert len(frames.units(slide.body)) == 2
