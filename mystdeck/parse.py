"""Parse stage: every markdown-it plugin choice in one place; Source in, Parsed out (the token stream and all
that its rules gathered: citations, images, code, diagrams, formulas, cross-references, the footer)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

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

from mystdeck import fragments, roles
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.directives import apply_directives, code, directives_plugin, figures, math, statements
from mystdeck.lang import quotes
from mystdeck.model import CodeCell, ImageUse, Parsed, ParseState, Source
from mystdeck.tokens import parse_inline_text, parse_text, state_of


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
    previous = ""
    for after, name, rule in CORE_RULES:
        md.core.ruler.after(after or previous, name, rule)
        previous = name
    md.use(directives_plugin)
    md.use(roles.roles_plugin)
    md.add_render_rule("myst_target", _render_target)
    for cell_mark in ("myst_block_break", "deck_cell", "deck_slide_break"):  # cell breaks: never a visible rule
        md.add_render_rule(cell_mark, lambda *args: "")
    return md


def _render_target(self: object, tokens: Sequence[Token], idx: int, options: object, env: object) -> str:
    """A MyST target ``(label)=`` is an invisible anchor, not text on the slide."""
    return f'<span id="{escapeHtml(tokens[idx].content)}"></span>\n'


def parse_deck(md: MarkdownIt, source: Source, reporter: Reporter) -> Parsed:
    """Every piece of markdown the deck holds, each with its own lines: the deck file (and what it
    includes), and the front matter's footer. Straight quotes become the quotation marks of its language."""
    marks = quotes(source.front.lang)
    md.options["typographer"] = bool(marks)  # only the smartquotes rule is enabled, no other replacement
    md.options["quotes"] = marks or "\u201c\u201d\u2018\u2019"
    front = source.front
    state = ParseState(
        source.path, reporter, incremental=front.incremental, kernel_language=front.kernel_language,
        outputs=source.outputs,
    )  # fmt: skip
    state.date, state.word_count = front.date, len(re.findall(r"\w+", source.text))
    parsed = state.parsed
    parsed.tokens = parse_text(md, source.text, state, line_offset=0)
    if front.footer:
        parsed.footer = parse_inline_text(md, front.footer, state, front.lines.get("footer", 1))
    if front.logo:
        parsed.images.append(ImageUse(front.logo, SourceLoc(source.path, front.lines.get("logo", 0))))
    parsed.includes = list(dict.fromkeys(parsed.includes))
    return parsed


def code_cells(md: MarkdownIt, source: Source) -> list[CodeCell]:
    """The deck's code cells in their order, for the kernel that runs them before the deck is parsed with
    their outputs (a first, quiet pass: the real parse reports whatever there is to report)."""
    state = ParseState(source.path, Reporter(), kernel_language=source.front.kernel_language)
    found = []
    for token in parse_text(md, source.text, state, line_offset=0):
        if token.type == "deck_cell":
            tags = token.meta["metadata"].get("tags", [])
            found.append(CodeCell(token.meta["number"], token.meta["code"], token.meta["line"], list(tags)))
    return found


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


#: mystdeck's core rules, in the order they run: (the rule it follows, "" for the one before it; its
#: name; the rule). Two run before inline parsing, the rest after markdown-it's own. A directive's body
#: is parsed (by all of these) while ``deck_directives`` runs, so the rules after it meet those tokens
#: done already and leave them be; the rules before it see each role and link once.
CORE_RULES: list[tuple[str, str, Callable[[StateCore], None]]] = [
    ("block", "deck_shift_lines", _shift_lines),  # token lines absolute in the deck file, before anyone reads them
    ("", "deck_heading_attributes", _heading_attributes),  # before the heading's text is parsed
    ("text_join", "deck_images", figures.note_inline_images),
    ("", "deck_roles", roles.gather_roles),
    ("", "deck_links", roles.gather_links),
    ("", "deck_directives", apply_directives),
    ("", "deck_gates", statements.close_gates),  # sphinx-exercise's -start/-end pairs, once all directives ran
    ("", "deck_figure_rows", figures.group_rows),
    ("", "deck_code", code.mark_code),
    ("", "deck_math", math.mark_math),
    ("", "deck_fragments", fragments.incremental_lists),
]
