"""Directives, code family: ``{code-block}``, ``{code}``, ``{code-cell}`` and fenced code.

Each block is noted for the highlight stage (Pygments, at build time) and rendered here from its
highlighted lines: line numbers, marked lines, and marked lines step by step (one copy of the block a
step, each later one a fragment over the one before, as reveal.js' own highlighter does it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.diagnostics import token_line
from mystdeck.directives.outputs import as_figure, output_tokens
from mystdeck.directives.registry import (
    DirectiveCall,
    choice,
    class_names,
    directive,
    flag,
    line_steps,
    mapping,
    number,
    text,
    words_list,
)
from mystdeck.model import CodeBlock
from mystdeck.tokens import caption_number, context_of, make_token, state_of


@directive(
    "code-block",
    "code",
    "sourcecode",
    argument="optional",
    options={
        "linenos": flag,
        "lineno-start": number,
        "emphasize-lines": line_steps,
        "caption": text,
        "name": text,
        "label": text,
        "class": class_names,
    },
    body="raw",
    example="```{code-block} python\n:linenos:\n:emphasize-lines: 2\nimport torch\nx = torch.randn(4)\n```",
    summary="highlighted code; :linenos: numbers the lines, :emphasize-lines: 1,3-4 marks some, 1|3-4 step by step",
)
def code_block(call: DirectiveCall) -> list[Token]:
    if "emphasize-lines" in call.options:
        call.options["emphasize-lines"] = _clip(call, call.options["emphasize-lines"])
    token = make_token("fence", "code", 0, **call.options)
    token.info = call.argument
    token.content = call.body + "\n"
    token.map = [call.line - 1, call.line]
    if {"caption", "name", "label"} & call.options.keys():
        call.add_target("code", token, call.options.get("caption", ""))
    return [token]


# A kernel's name → the highlighter's name of its language.
_KERNELS = {"ipython3": "python", "ipython": "python", "python3": "python", "ir": "r", "julia-1": "julia"}


@directive(
    "code-cell",
    argument="optional",
    options={
        "tags": words_list,
        "load": text,
        "slideshow": mapping,
        "mystnb": mapping,
        "cell": number,  # a notebook's code cell: its stored outputs are shown under it
        "output-location": choice("default", "fragment", "slide", "column"),
        "linenos": flag,
        "emphasize-lines": line_steps,
        "name": text,
        "caption": text,
        "class": class_names,
    },
    body="raw",
    example="```{code-cell} python\n:tags: [hide-output]\nprint(2 + 2)\n```",
    summary="a notebook cell shown as code, never run; :tags: remove-cell, remove-input, hide-input hide it; "
    "its slideshow: slide_type cuts a notebook into slides (see Notebooks); MyST-NB's mystnb: options are read",
)
def code_cell(call: DirectiveCall) -> list[Token]:
    """A cell: a mark carrying its metadata (for a notebook's slide types), then its code unless a tag hides it."""
    tags = set(call.options.pop("tags", []))
    metadata = {"slideshow": call.options.pop("slideshow", {}), "tags": sorted(tags)}
    number = call.options.pop("cell", None)
    if number is None:  # a MyST notebook's cells are numbered in their order (a notebook's carry their own)
        number = call.state.cells
    call.state.cells = number + 1
    mark = make_token("deck_cell", "", 0, metadata=metadata, number=number, code=call.body, line=call.body_line)
    mark.map = [call.line - 1, call.line]
    location = call.options.pop("output-location", "") or _quarto_options(call).get("output-location", "")
    mystnb = call.options.pop("mystnb", {})
    _check_mystnb(call, mystnb)
    stored = call.state.outputs.get(number, [])
    if mystnb.get("output_stderr") in ("remove", "remove-warn"):  # MyST-NB: stderr is left out
        stored = [o for o in stored if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    outputs = as_figure(call, output_tokens(call, stored), mystnb)
    if mystnb.get("number_source_lines") is True:
        call.options["linenos"] = True
    if "load" in call.options:
        call.warn("{code-cell} ':load:' is not read: a slide shows the code written in the cell")
    language = call.argument.strip() or call.state.kernel_language
    call.argument = _KERNELS.get(language.lower(), language.lower())
    call.options.pop("load", None)
    code = [] if tags & {"remove-cell", "remove-input"} else code_block(call)
    if tags & {"remove-cell", "remove-output"}:
        outputs = []
    if tags & {"hide-input", "hide-cell"} and code:
        code = _folded(code, "show_code", str(mystnb.get("code_prompt_show", "")).replace("{type}", "").strip())
    if tags & {"hide-output", "hide-cell"} and outputs:
        outputs = _folded(outputs, "show_output")
    return [mark, *_placed(code, outputs, location, call)]


def _quarto_options(call: DirectiveCall) -> dict[str, str]:
    """Quarto's cell options, ``#| key: value`` lines at the top of the code: read, and not shown."""
    lines = call.body.split("\n")
    found = {}
    while lines and (option := re.match(r"^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$", lines[0])):
        found[option.group(1)] = option.group(2)
        lines.pop(0)
        call.body_line += 1
    call.body = "\n".join(lines)
    return found


def _placed(code: list[Token], outputs: list[Token], location: str, call: DirectiveCall) -> list[Token]:
    """Quarto's ``output-location``: the outputs on the next click, on a slide of their own, or beside the code."""
    if not outputs or location in ("", "default"):
        return [*code, *outputs]
    if location == "fragment":
        step = make_token("deck_step_open", "div", 1, classes=["fragment"])
        return [*code, step, *outputs, make_token("deck_step_close", "div", -1)]
    if location == "slide":
        return [*code, make_token("deck_slide_break", "", 0), *outputs]
    if location == "column":

        def opening(css: str) -> Token:
            return make_token("deck_step_open", "div", 1, classes=[css])

        def closing() -> Token:
            return make_token("deck_step_close", "div", -1)

        left, right = [opening("deck-output-column"), *code, closing()], [opening("deck-output-column"), *outputs]
        return [opening("deck-output-columns"), *left, *right, closing(), closing()]
    call.warn(f"{{code-cell}} option 'output-location: {location}' is not one of fragment, slide, column (ignored)")
    return [*code, *outputs]


def _folded(tokens: list[Token], word: str, label: str = "") -> list[Token]:
    """Tokens behind a toggle (a ``<details>``, open in the PDF, as a {dropdown} is); ``label``: the cell's
    own words for it (MyST-NB's ``code_prompt_show``)."""
    opening = make_token("deck_dropdown_open", "details", 1, open=False, extra="deck-cell-toggle")
    summary = make_token("deck_cell_summary", "summary", 0, word=word, label=label)
    return [opening, summary, *tokens, make_token("deck_dropdown_close", "details", -1)]


# MyST-NB's cell options (``mystnb:`` in a cell's ``---`` block) that a cell may carry.
MYSTNB_OPTIONS = (
    "figure", "image", "code_prompt_show", "code_prompt_hide", "number_source_lines", "output_stderr",
    "remove_code_source", "remove_code_outputs", "merge_streams", "text_lexer", "error_lexer", "markdown_format",
)  # fmt: skip


def _check_mystnb(call: DirectiveCall, options: dict[str, object]) -> None:
    unknown = [name for name in options if name not in MYSTNB_OPTIONS]
    if unknown:
        call.warn(f"{{code-cell}} has no MyST-NB option '{unknown[0]}' (ignored; known: {', '.join(MYSTNB_OPTIONS)})")


def _clip(call: DirectiveCall, steps: list[list[tuple[int, int]]]) -> list[list[int]]:
    """The marked lines of each step that the block has; lines past its end are a warning, not a huge page."""
    count = call.body.count("\n") + 1
    clipped = [
        sorted({n for first, last in ranges for n in range(max(first, 1), min(last, count) + 1)}) for ranges in steps
    ]
    if any(last > count for ranges in steps for _first, last in ranges):
        call.warn(f"{{{call.name}}} option ':emphasize-lines:' names lines past the block's {count} (left out)")
    return clipped


@directive(
    "highlight",
    argument="required",
    options={"linenothreshold": number, "force": flag},
    body="none",
    example="```{highlight} python\n```",
    summary="the language of the code blocks after it that name none (Sphinx)",
)
def highlight(call: DirectiveCall) -> list[Token]:
    return [make_token("deck_highlight", "", 0, language=call.argument.split()[0])]


def mark_code(core: StateCore) -> None:
    """Note each block of code (once: a directive's body is parsed before the text around it)."""
    state = state_of(core.env)
    default = ""  # Sphinx's {highlight}: the language of the blocks after it that name none
    for token in core.tokens:
        if token.type == "deck_highlight":
            default = token.meta["language"]
        if token.type == "fence" and "code" not in token.meta:
            language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else default
            token.meta["code"] = block = CodeBlock(state.loc(token_line(token)), language, token.content)
            state.parsed.code.append(block)


def _render_fence(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    token = tokens[idx]
    meta = token.meta
    block: CodeBlock | None = meta.get("code")
    lines = block.lines if block is not None and block.lines else plain_lines(token.content)
    language = block.language if block is not None else ""
    steps = [set(step) for step in meta.get("emphasize-lines") or []]
    first = meta.get("lineno-start", 1) if meta.get("linenos") or "lineno-start" in meta or any(steps) else None
    classes = "deck-highlight" + (f" language-{escapeHtml(language)}" if language else "")
    classes += " deck-linenos" if first is not None else ""
    copies = []
    for n, marked in enumerate(steps or [set()]):
        shown = f' data-deck-lines="{",".join(str(line) for line in sorted(marked))}"' if steps else ""
        body = "".join(_line(html, number, number in marked, first) for number, html in enumerate(lines, start=1))
        copies.append(f'<code class="{classes}{" fragment" if n else ""}"{shown}>{body}</code>')
    kind = "deck-code-block deck-code-steps" if len(copies) > 1 else "deck-code-block"
    code = f'<pre class="{kind}">{"".join(copies)}</pre>\n'
    caption = meta.get("caption")
    if caption:
        number = caption_number(meta, env)
        return f'<figure class="deck-code"><figcaption>{number}{escapeHtml(caption)}</figcaption>\n{code}</figure>\n'
    return code


def _line(html: str, number: int, marked: bool, first: int | None) -> str:
    """One line of a block: its number (shown by the style sheet) when the block is numbered."""
    css_class = "deck-line deck-line-on" if marked else "deck-line"
    shown = f' data-n="{number - 1 + first}"' if first is not None else ""
    return f'<span class="{css_class}"{shown}>{html}</span>\n'


def plain_lines(content: str) -> list[str]:
    """A block's lines escaped, uncoloured (a language no highlighter knows, or none)."""
    return [escapeHtml(line) for line in content.removesuffix("\n").split("\n")]


def _render_summary(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    return f"<summary>{escapeHtml(meta.get('label') or context_of(env).words(meta['word']))}</summary>\n"


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("deck_highlight", lambda self, tokens, idx, options, env: "")
    md.add_render_rule("deck_cell_summary", _render_summary)
