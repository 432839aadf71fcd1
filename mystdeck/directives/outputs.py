"""Directives, notebook outputs: what a code cell's outputs show under it (tokens made while the cell is parsed).

As in Jupyter, the richest type the deck can show wins: HTML (a pandas table; scripts and event handlers
removed, with a warning), SVG, PNG, JPEG (written into the deck as files), markdown (parsed as the deck's
own), LaTeX (typeset like the deck's formulas), then plain text; a widget shows its text fallback; a stream
its text; an error its name and message, without the terminal's colour codes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.math import gather_formula
from mystdeck.directives.registry import DirectiveCall
from mystdeck.tokens import caption_number, make_token

# The types a deck can show, richest first (MyST-NB's order for HTML).
PRIORITY = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/latex", "text/plain")
_IMAGES = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def output_tokens(call: DirectiveCall, outputs: list[dict[str, Any]]) -> list[Token]:
    """The tokens of a cell's outputs, in their order."""
    tokens: list[Token] = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            tokens.append(_text(_joined(output.get("text", "")), f"deck-output-{output.get('name', 'stdout')}"))
        elif kind == "error":
            shown = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
            tokens.append(_text(_ANSI.sub("", shown), "deck-output-error"))
        elif kind in ("execute_result", "display_data"):
            tokens += _data(call, output.get("data", {}), output.get("metadata", {}))
    return tokens


def as_figure(call: DirectiveCall, tokens: list[Token], mystnb: dict[str, Any]) -> list[Token]:
    """MyST-NB's cell options on the outputs: ``image`` (width, alt) on each image, and ``figure`` (caption,
    name) around them, numbered and referenceable like a ``{figure}``."""
    found = mystnb.get("image")
    image: dict[str, Any] = found if isinstance(found, dict) else {}
    for token in tokens:
        if token.type == "deck_output_image":
            token.meta.update({key: str(image[key]) for key in ("width", "alt") if key in image})
    figure = mystnb.get("figure")
    if not isinstance(figure, dict) or not any(token.type == "deck_output_image" for token in tokens):
        return tokens
    caption = call.parse_inline(str(figure.get("caption", "")), "deck_output_caption")
    opening = make_token("deck_output_figure_open", "figure", 1, name=str(figure.get("name", "")), caption=caption)
    call.add_target("figure", opening, caption, label=str(figure.get("name", "")))
    return [opening, *tokens, *caption, make_token("deck_output_figure_close", "figure", -1)]


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _text(text: str, css_class: str) -> Token:
    return make_token("deck_output_text", "pre", 0, text=text.rstrip("\n"), css_class=css_class)


def _data(call: DirectiveCall, data: dict[str, Any], metadata: dict[str, Any]) -> list[Token]:
    kind = next((kind for kind in PRIORITY if kind in data), None)
    if kind is None:
        return []
    value = _joined(data[kind])
    if kind == "text/html":
        cleaned, removed = clean_html(value)
        if removed:
            _warn(call, f"a cell's HTML output held {removed}, which a slide does not run: left out")
        return [make_token("deck_output_html", "div", 0, html=cleaned)]
    if kind in _IMAGES:
        return _image(call, kind, value, metadata.get(kind, {}))
    if kind == "text/markdown":
        return call.parse_body(value)
    if kind == "text/latex":
        token = make_token("deck_math", "div", 0)
        gather_formula(token, call.state, _display_tex(value), True)
        return [token]
    return [_text(value, "deck-output-plain")]


def _image(call: DirectiveCall, kind: str, value: str, metadata: Any) -> list[Token]:
    try:
        data = value.encode("utf-8") if kind == "image/svg+xml" else base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError):
        _warn(call, "a cell's image output cannot be read (left out)")
        return []
    target = f"media/outputs/{hashlib.sha256(data).hexdigest()[:16]}.{_IMAGES[kind]}"
    call.state.parsed.made_files[target] = data
    width = metadata.get("width") if isinstance(metadata, dict) else None
    return [make_token("deck_output_image", "img", 0, src=target, width=width if isinstance(width, int) else None)]


def _warn(call: DirectiveCall, message: str) -> None:
    """At the cell's first line of code (in a notebook: the line of its source in the .ipynb file)."""
    call.state.reporter.warning(call.state.loc(call.body_line), message, "output-html")


def _display_tex(value: str) -> str:
    """LaTeX output as KaTeX takes it: without the ``$$`` or ``$`` around it."""
    text = value.strip()
    for mark in ("$$", "$"):
        if text.startswith(mark) and text.endswith(mark) and len(text) > 2 * len(mark):
            return text[len(mark) : -len(mark)]
    return text


class _Cleaner(HTMLParser):
    """HTML as a slide shows it: no script, no event handler, no ``javascript:`` address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.removed: set[str] = set()
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.removed.add(f"a <{tag}>")
            self.skipping += tag == "script"
            return
        kept = []
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.removed.add("an event handler")
            elif value is not None and re.match(r"\s*javascript:", value, re.IGNORECASE):
                self.removed.add("a javascript: address")
            else:
                kept.append(f' {name}="{html.escape(value, quote=True)}"' if value is not None else f" {name}")
        self.out.append(f"<{tag}{''.join(kept)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.skipping -= tag == "script" and self.skipping > 0
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


def clean_html(text: str) -> tuple[str, str]:
    """The HTML without what runs code, and what was taken out (as words), "" when nothing."""
    cleaner = _Cleaner()
    cleaner.feed(text)
    cleaner.close()
    return "".join(cleaner.out), " and ".join(sorted(cleaner.removed))


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    return f'<pre class="deck-output {meta["css_class"]}">{escapeHtml(meta["text"])}</pre>\n'


def _render_html(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return f'<div class="deck-output deck-output-html">{tokens[idx].meta["html"]}</div>\n'


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    width = str(meta["width"]) if meta.get("width") else ""
    style = f' style="width:{escapeHtml(width if not width.isdigit() else width + "px")}"' if width else ""
    alt = escapeHtml(str(meta.get("alt", "")))
    return f'<img class="deck-output deck-output-image" src="{escapeHtml(meta["src"])}" alt="{alt}"{style}>\n'


def _render_figure_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    name = tokens[idx].meta["name"]
    ident = f' id="{escapeHtml(name)}"' if name else ""
    return f'<figure class="deck-figure deck-output-figure"{ident}>\n'


def _render_caption_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    opening = next(t for t in reversed(tokens[:idx]) if t.type == "deck_output_figure_open")
    return f"<figcaption>\n{caption_number(opening.meta, env)}"


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_output_figure_open", _render_figure_open)
    md.add_render_rule("deck_output_figure_close", lambda *args: "</figure>\n")
    md.add_render_rule("deck_output_caption_open", _render_caption_open)
    md.add_render_rule("deck_output_caption_close", lambda *args: "</figcaption>\n")
    md.add_render_rule("deck_output_text", _render_text)
    md.add_render_rule("deck_output_html", _render_html)
    md.add_render_rule("deck_output_image", _render_image)
