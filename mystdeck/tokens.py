"""Helpers shared by the markdown-it rules: the parse state and the render context kept in ``env``,
nested parsing, new tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from mystdeck.diagnostics import token_line
from mystdeck.lang import numbered
from mystdeck.model import ParseState, RenderContext

STATE_KEY = "deck_state"  # while parsing: the ParseState
RENDER_KEY = "deck"  # while rendering: the RenderContext
TOC = "deck_toc"  # the agenda {tableofcontents} and {contents} make; the outline stage lists the sections in it


def state_of(env: Any) -> ParseState:
    state = env[STATE_KEY]
    assert isinstance(state, ParseState)
    return state


def context_of(env: Any) -> RenderContext:
    context = env[RENDER_KEY]
    assert isinstance(context, RenderContext)
    return context


MAX_NESTING = 30  # directives inside directives; deeper is a mistake, and Python's stack has a limit


def parse_text(md: MarkdownIt, text: str, state: ParseState, line_offset: int, inline: bool = False) -> list[Token]:
    """Parse ``text`` whose first line is line ``line_offset + 1`` of the deck file (as one inline
    token when ``inline``)."""
    if state.depth >= MAX_NESTING:
        state.reporter.error(
            state.loc(line_offset), f"directives nested deeper than {MAX_NESTING} levels: close some", "bad-directive"
        )
        return []
    outer = state.line_offset
    state.line_offset = line_offset
    state.depth += 1
    try:
        env = {STATE_KEY: state}
        return md.parseInline(text, env) if inline else md.parse(text, env)
    finally:
        state.line_offset = outer
        state.depth -= 1


def parse_inline_text(md: MarkdownIt, text: str, state: ParseState, line: int) -> list[Token]:
    """``text`` (a footer, a role's body) as inline markdown written on line ``line`` of the deck file:
    its inline tokens, whatever they hold gathered into the parse like the rest of the deck."""
    tokens = parse_text(md, text, state, line - 1, inline=True)
    return tokens[0].children or [] if tokens else []


def make_token(token_type: str, tag: str = "", nesting: Literal[-1, 0, 1] = 0, **meta: Any) -> Token:
    token = Token(token_type, tag, nesting)
    token.meta = dict(meta)
    token.block = True
    return token


def inline_children(tokens: list[Token]) -> Iterator[tuple[Token, int, Token]]:
    """Every inline child with the inline token holding it and its 1-based line."""
    for parent in tokens:
        if parent.type != "inline" or not parent.children:
            continue
        line = token_line(parent)
        for child in parent.children:
            yield parent, line, child
            if child.type in ("softbreak", "hardbreak"):
                line += 1


def top_level_blocks(tokens: list[Token]) -> list[tuple[int, int]]:
    """The [start, end) ranges of the top-level blocks of ``tokens`` (a paragraph, a list, a figure, …):
    where a long slide may be cut."""
    blocks, depth, start = [], 0, 0
    for index, token in enumerate(tokens):
        if depth == 0:
            start = index
        depth += token.nesting
        if depth == 0:
            blocks.append((start, index + 1))
    return blocks


def heading_tokens(title: str, level: int) -> list[Token]:
    """The three tokens of a heading the source did not write (title slide, References)."""
    text = Token("text", "", 0, content=title)
    inline = Token("inline", "", 0, content=title, children=[text])
    tag = f"h{level}"
    tokens = [Token("heading_open", tag, 1, block=True), inline, Token("heading_close", tag, -1, block=True)]
    inline.block = True
    return tokens


_ROLE = re.compile(r"\{[^{}`]+\}`([^`]*)`")
_MARKS = re.compile(r"[*_`\[\]]|\]\([^)]*\)")


def plain_text(tokens: list[Token]) -> str:
    """The text of parsed markdown without its markup (a caption as an image's alternative text)."""
    text = " ".join(token.content for token in tokens if token.type == "inline")
    return " ".join(_MARKS.sub("", _ROLE.sub(r"\1", text)).split())


def caption_number(meta: dict[str, Any], env: Any) -> str:
    """“Abbildung 2: ” before a caption, when the cross-reference stage decided the deck shows it."""
    if not meta.get("number_shown"):
        return ""
    shown = numbered(context_of(env).lang, meta["target_kind"], meta["number"])
    return f'<span class="deck-caption-number">{escapeHtml(shown)}:</span> '


def fixed_html(html: str) -> Any:
    """A render rule that always writes ``html`` (the closing tag of a block, an opening without attributes)."""
    return lambda *args: html
