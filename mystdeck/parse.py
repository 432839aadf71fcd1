"""Parse stage: every markdown-it plugin choice in one place; Source in, a token stream out."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError, parse
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from mystdeck import roles
from mystdeck.directives import directives_plugin
from mystdeck.fragments import fragments_plugin
from mystdeck.lang import quotes
from mystdeck.model import ParseState, Source
from mystdeck.tokens import parse_text, state_of


def create_parser() -> MarkdownIt:
    """CommonMark with the MyST extensions mystdeck supports, and mystdeck's own rules."""
    md = MarkdownIt("commonmark", {"linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify", "smartquotes"])  # smartquotes acts only with typographer on
    for plugin in (
        front_matter_plugin,
        footnote_plugin,
        deflist_plugin,
        attrs_block_plugin,
        myst_block_plugin,
        myst_role_plugin,
        colon_fence_plugin,
        amsmath_plugin,
    ):
        md.use(plugin)
    md.use(attrs_plugin, spans=True)
    md.use(dollarmath_plugin, double_inline=True)
    md.core.ruler.after("block", "deck_shift_lines", _shift_lines)
    md.core.ruler.after("deck_shift_lines", "deck_heading_attributes", _heading_attributes)
    md.use(directives_plugin)
    md.use(roles.roles_plugin)
    md.use(fragments_plugin)
    md.add_render_rule("myst_target", _render_target)
    return md


def _render_target(self: object, tokens: Sequence[Token], idx: int, options: object, env: object) -> str:
    """A MyST target ``(label)=`` is an invisible anchor, not text on the slide."""
    return f'<span id="{escapeHtml(tokens[idx].content)}"></span>\n'


def parse_source(md: MarkdownIt, source: Source, state: ParseState) -> list[Token]:
    """The deck's tokens; straight quotes in its text become the quotation marks of its language."""
    marks = quotes(source.front.lang)
    md.options["typographer"] = bool(marks)  # only the smartquotes rule is enabled, no other replacement
    md.options["quotes"] = marks or "\u201c\u201d\u2018\u2019"
    return parse_text(md, source.text, state, line_offset=0)


def _heading_attributes(core: StateCore) -> None:
    """``## Teil 2 {.center background="#1e3a5f"}``: attributes after a heading's text (as pandoc and Quarto
    write them) join those of a MyST attribute line before it, before the text is parsed as inline markdown."""
    for opening, inline in zip(core.tokens, core.tokens[1:], strict=False):
        if opening.type == "heading_open" and inline.type == "inline":
            attrs = take_trailing_attributes(inline)
            if attrs:
                classes = " ".join(filter(None, [str(opening.attrGet("class") or ""), attrs.pop("class", "")]))
                opening.attrs.update(attrs)
                if classes:
                    opening.attrSet("class", classes)


def take_trailing_attributes(inline: Token) -> dict[str, str]:
    """Attributes written after a heading's text, taken off its (not yet parsed) inline content.

    A brace group that does not parse as attributes stays part of the title.
    """
    match = _TRAILING.search(inline.content)
    if match is None:
        return {}
    try:
        end, attrs = parse(match.group(1))
    except ParseError:
        return {}
    if end != len(match.group(1)) - 1:  # parse() gives the index of the closing brace
        return {}
    inline.content = inline.content[: match.start()]
    return dict(attrs)


_TRAILING = re.compile(r"\s*(\{[^{}]*\})\s*$")


def _shift_lines(core: StateCore) -> None:
    """Make every token map absolute in the deck file, so nested bodies report their real lines."""
    offset = state_of(core.env).line_offset
    if offset:
        for token in core.tokens:
            if token.map:
                token.map = [token.map[0] + offset, token.map[1] + offset]
