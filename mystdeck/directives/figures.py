"""Directives, figures family: ``{figure}``, ``{image}`` and markdown images, and rows of figures."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.media import is_video, video_html
from mystdeck.directives.registry import DirectiveCall, choice, class_names, directive, length, text
from mystdeck.model import ImageUse, RenderContext
from mystdeck.tokens import caption_number, context_of, inline_children, make_token, plain_text, state_of

IMAGE_OPTIONS = {
    "alt": text,
    "width": length,
    "height": length,
    "align": choice("left", "center", "right"),
    "name": text,
    "label": text,
    "class": class_names,
}


@directive(
    "figure",
    argument="required",
    options=IMAGE_OPTIONS,
    example=":::{figure} bilder/eisbaer.png\n:width: 60%\nEin Eisbär spielt Bass {cite}`rameshHowDALLWorks`.\n:::",
    summary="an image with a caption (markdown, links, roles); several in a row sit side by side",
)
def figure(call: DirectiveCall) -> list[Token]:
    opening = _image_token("deck_figure_open", call, nesting=1)
    caption = call.parse_body() if call.body.strip() else []
    opening.meta["caption"] = bool(caption)
    opening.meta.setdefault("alt", plain_text(caption))  # without :alt:, the caption describes the image
    if not opening.meta["alt"].strip():
        _no_alternative_text(call, opening.meta)
    call.add_target("figure", opening, caption)
    return [opening, *caption, make_token("deck_figure_close", "figure", -1, caption=bool(caption))]


@directive(
    "image",
    argument="required",
    options=IMAGE_OPTIONS,
    body="none",
    example="```{image} bilder/eisbaer.png\n:alt: Ein Eisbär\n```",
    summary="an image without a caption",
)
def image(call: DirectiveCall) -> list[Token]:
    token = _image_token("deck_image", call, nesting=0)
    if not str(token.meta.get("alt", "")).strip():
        _no_alternative_text(call, token.meta)
    return [token]


DECORATIVE = "decorative"  # :class: decorative: an ornament, skipped by screen readers and the PDF's tags


def _no_alternative_text(call: DirectiveCall, meta: dict[str, Any]) -> None:
    if DECORATIVE in str(meta.get("class", "")).split() or is_video(call.argument):
        return
    call.warn(f"{{{call.name}}} {call.argument} has no alternative text: say what it shows with ':alt: …'"
              f"{' or a caption' if call.name == 'figure' else ''}, or mark an ornament ':class: decorative'",
              "image-alt")  # fmt: skip


def _image_token(kind: str, call: DirectiveCall, nesting: Literal[0, 1]) -> Token:
    media = "video" if is_video(call.argument) else "image"
    call.state.parsed.images.append(ImageUse(call.argument, call.state.loc(call.line), media))
    token = make_token(kind, "figure", nesting, src=call.argument, **call.options)
    token.map = [call.line - 1, call.line]
    return token


def _image_html(meta: dict[str, Any], context: RenderContext) -> str:
    if is_video(meta["src"]):
        return video_html({**meta, "controls": True}, context)
    ref = context.images[meta["src"]]
    style = "".join(f"{key}:{meta[key]};" for key in ("width", "height") if key in meta)
    style_attr = f' style="{escapeHtml(style)}"' if style else ""
    alt = escapeHtml(meta.get("alt", ""))
    if ref.missing:
        label = escapeHtml(context.words("image_missing"))
        return (
            f'<span class="deck-placeholder" role="img" aria-label="{alt or escapeHtml(ref.src)}"{style_attr}>'
            f'<span class="deck-placeholder-label">{label}</span><code>{escapeHtml(ref.src)}</code></span>'
        )
    return f'<img src="{escapeHtml(ref.target)}" alt="{alt}"{style_attr}>'


def _figure_attrs(meta: dict[str, Any], base: str) -> str:
    stretch = "r-stretch" if meta.get("stretch") else ""
    classes = " ".join(c for c in (base, f"align-{meta.get('align', 'center')}", meta.get("class", ""), stretch) if c)
    name = meta.get("label") or meta.get("name")
    ident = f' id="{escapeHtml(name)}"' if name else ""
    return f'class="{escapeHtml(classes)}"{ident}'


def _render_figure_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    html = f"<figure {_figure_attrs(meta, 'deck-figure')}>\n{_image_html(meta, context_of(env))}\n"
    return html + (f"<figcaption>\n{caption_number(meta, env)}" if meta["caption"] else "")


def _render_figure_close(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return ("</figcaption>\n" if tokens[idx].meta["caption"] else "") + "</figure>\n"


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    return f"<div {_figure_attrs(meta, 'deck-image')}>{_image_html(meta, context_of(env))}</div>\n"


def _render_row_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    count = tokens[idx].meta["count"]
    return f'<div class="deck-figure-row" style="--deck-count:{count};--deck-cols:{_columns(count)}">\n'


def _columns(count: int) -> int:
    """Up to three figures share one row; more wrap into rows of about equal length."""
    rows = -(-count // 3)
    return -(-count // rows)


def group_rows(core: StateCore) -> None:
    """Wrap two or more figures that follow each other in a row container."""
    tokens = core.tokens
    result: list[Token] = []
    i = 0
    while i < len(tokens):
        run_end, count = _figure_run(tokens, i)
        if count >= 2:
            result.append(make_token("deck_figure_row_open", "div", 1, count=count))
            result.extend(tokens[i:run_end])
            result.append(make_token("deck_figure_row_close", "div", -1))
            i = run_end
        else:
            result.append(tokens[i])
            i += 1
    core.tokens = result


def _figure_run(tokens: list[Token], start: int) -> tuple[int, int]:
    """The end of the figures that follow each other from ``start``, and how many there are."""
    i, count = start, 0
    while i < len(tokens) and tokens[i].type in ("deck_figure_open", "deck_image"):
        if tokens[i].type == "deck_image":
            i += 1
        else:
            depth = 0
            while True:
                depth += tokens[i].nesting if tokens[i].type.startswith("deck_figure") else 0
                i += 1
                if depth == 0:
                    break
        count += 1
    return i, count


def note_inline_images(core: StateCore) -> None:
    """Markdown images are noted like figures; the assets stage looks for the files."""
    state = state_of(core.env)
    for _parent, line, child in inline_children(core.tokens):
        if child.type == "image":
            src = str(child.attrGet("src") or "")
            state.parsed.images.append(ImageUse(src, state.loc(line), "video" if is_video(src) else "image"))
            if not child.content.strip() and not is_video(src):
                state.reporter.warning(state.loc(line), f"image {src} has no alternative text: say what it shows in "
                                       f"the brackets, ![…]({src})", "image-alt")  # fmt: skip


def plugin(md: MarkdownIt) -> None:
    default_image = md.renderer.rules["image"]  # type: ignore[attr-defined]

    def render_inline_image(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
        token, context = tokens[idx], context_of(env)
        src = str(token.attrGet("src") or "")
        ref = context.images.get(src)
        if is_video(src):
            return video_html({"src": src}, context)
        if ref is not None and ref.missing:
            return _image_html({"src": src, "alt": token.content}, context)
        if ref is not None:
            token = copy.copy(token)
            token.attrs = {**token.attrs, "src": ref.target}
            return str(default_image([*tokens[:idx], token], idx, options, env))
        return str(default_image(tokens, idx, options, env))

    md.add_render_rule("image", render_inline_image)
    md.add_render_rule("deck_figure_open", _render_figure_open)
    md.add_render_rule("deck_figure_close", _render_figure_close)
    md.add_render_rule("deck_image", _render_image)
    md.add_render_rule("deck_figure_row_open", _render_row_open)
    md.add_render_rule("deck_figure_row_close", lambda *args: "</div>\n")
