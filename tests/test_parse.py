"""The parse stage: its ordered core rules, and that no other stage parses markdown."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT
from mystdeck.diagnostics import Reporter
from mystdeck.directives import REGISTRY
from mystdeck.model import FrontMatter, Source
from mystdeck.parse import create_parser, parse_deck

PARSE_STAGE = {"parse", "directives", "roles", "fragments", "tokens"}
TEXT_METHODS = {"parse", "parseInline", "render", "renderInline"}  # MarkdownIt's: they take markdown text


def test_the_core_rules_run_in_their_declared_order() -> None:
    assert create_parser().core.ruler.get_all_rules() == [
        *("normalize", "block", "deck_shift_lines", "deck_heading_attributes", "attr", "inline", "footnote_tail"),
        *("linkify", "replacements", "smartquotes", "text_join"),
        *("deck_images", "deck_roles", "deck_links", "deck_directives", "deck_gates", "deck_figure_rows"),
        "deck_code",
        *("deck_math", "deck_fragments"),
    ]


def _parses_markdown(node: ast.AST) -> bool:
    """A call of a MarkdownIt's text methods (``md.parse(…)``, ``self.md.renderInline(…)``), or of
    mystdeck's nested parsing."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in TEXT_METHODS:
        receiver = func.value
        return (isinstance(receiver, ast.Name) and receiver.id == "md") or (
            isinstance(receiver, ast.Attribute) and receiver.attr == "md"
        )
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name in ("parse_text", "parse_inline_text")


def test_no_module_parses_markdown_outside_the_parse_stage() -> None:
    found = []
    for path in sorted((ROOT / "mystdeck").rglob("*.py")):
        module = path.relative_to(ROOT / "mystdeck").parts[0].removesuffix(".py")
        if module in PARSE_STAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _parses_markdown(node):
                found.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}")
    assert found == []


def test_the_check_finds_a_parse_during_rendering() -> None:
    tree = ast.parse("html = md.renderInline(front.footer, env)\ntokens = call.md.parse(text)\nparse_text(md, t, s, 0)")
    assert [_parses_markdown(node) for node in ast.walk(tree) if isinstance(node, ast.Call)] == [True, True, True]
    rendering = ast.parse("renderer.renderInline(tokens, md.options, env)")
    assert not any(_parses_markdown(node) for node in ast.walk(rendering))


@pytest.mark.parametrize("name", sorted({spec.example and spec.name for spec in REGISTRY.directives.values()} - {""}))
def test_each_directive_opens_what_it_closes(name: str, tmp_path: Path) -> None:
    """Unbalanced tokens would hide the headings after a directive from the slide cutter."""
    example = REGISTRY.directives[name].example
    text = f"## Vorher\n\n{example}\n\n## Nachher\n\nText\n"
    path = tmp_path / "d.md"
    tokens = parse_deck(create_parser(), Source(path, text, FrontMatter(), 1), Reporter()).tokens
    depth = 0
    for token in tokens:
        depth += token.nesting
        assert depth >= 0, f"{token.type} closes more than was opened"
    assert depth == 0
    assert [t.level for t in tokens if t.type == "heading_open"] == [0, 0]
