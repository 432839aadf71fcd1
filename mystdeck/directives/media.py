"""Directives, media family: ``{iframe}`` (a web page, YouTube and Vimeo pages as their players) and ``{video}``.

On screen they play; the PDF, printed by an offline browser, shows a framed placeholder with the address
or file name instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.registry import DirectiveCall, class_names, directive, flag, length
from mystdeck.model import ImageUse, RenderContext
from mystdeck.tokens import context_of, make_token, plain_text

VIDEO_SUFFIXES = (".mp4", ".webm", ".ogg", ".ogv", ".m4v", ".mov")
_YOUTUBE = re.compile(r"^https?://(?:www\.|m\.)?(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/)([\w-]{6,})")
_VIMEO = re.compile(r"^https?://(?:www\.)?vimeo\.com/(\d+)")
_WEB = re.compile(r"^https?://", re.IGNORECASE)


def is_video(src: str) -> bool:
    return PurePosixPath(src.split("?")[0].split("#")[0]).suffix.lower() in VIDEO_SUFFIXES


def embed_url(url: str) -> str:
    """A YouTube or Vimeo page's address → its player's; any other address as it is."""
    if match := _YOUTUBE.match(url):
        return f"https://www.youtube.com/embed/{match.group(1)}"
    if match := _VIMEO.match(url):
        return f"https://player.vimeo.com/video/{match.group(1)}"
    return url


@directive(
    "iframe",
    argument="required",
    options={"width": length, "height": length, "class": class_names, "title": lambda v: v.strip()},
    example=":::{iframe} https://www.youtube.com/watch?v=SVcsDDABEkM\n:width: 80%\nDALL·E 2, erklärt\n:::",
    summary="a web page in the slide (YouTube and Vimeo pages become their players); the body is its caption",
)
def iframe(call: DirectiveCall) -> list[Token]:
    url = call.argument
    if not _WEB.match(url):
        call.warn(f"{{iframe}} takes an http(s) address, not '{url}' (shown as a placeholder)")
        url = ""
    caption = call.parse_body() if call.body.strip() else []
    name = call.options.pop("title", "") or plain_text(caption) or call.argument  # every frame needs a name
    opening = make_token(
        "deck_iframe_open", "figure", 1, url=embed_url(url), shown=call.argument, caption=bool(caption), title=name,
        **call.options,
    )  # fmt: skip
    opening.map = [call.line - 1, call.line]
    return [opening, *caption, make_token("deck_media_close", "figure", -1, caption=bool(caption))]


@directive(
    "video",
    argument="required",
    options={
        "autoplay": flag, "loop": flag, "muted": flag, "controls": flag,
        "width": length, "height": length, "class": class_names,
    },
    example=":::{video} media/diffusion.mp4\n:loop:\n:muted:\n:::",
    summary="a video file (copied into the deck) or address; :autoplay: plays it with the slide; body: caption",
)  # fmt: skip
def video(call: DirectiveCall) -> list[Token]:
    call.state.parsed.images.append(ImageUse(call.argument, call.state.loc(call.line), "video"))
    caption = call.parse_body() if call.body.strip() else []
    opening = make_token("deck_video_open", "figure", 1, src=call.argument, caption=bool(caption), **call.options)
    opening.map = [call.line - 1, call.line]
    return [opening, *caption, make_token("deck_media_close", "figure", -1, caption=bool(caption))]


def video_html(meta: dict[str, Any], context: RenderContext) -> str:
    """A video element, or a placeholder when its file is missing; shared with figures of video files."""
    ref = context.images.get(meta["src"])
    if ref is None or ref.missing:
        return _placeholder(meta["src"], context.words("video_missing"))
    flags = [name for name in ("loop", "muted") if meta.get(name)]
    if meta.get("autoplay"):
        flags += ["data-autoplay", "muted"] if "muted" not in flags else ["data-autoplay"]
    if meta.get("controls") or not meta.get("autoplay"):
        flags.append("controls")
    style = _size(meta)
    attributes = "".join(f" {name}" for name in dict.fromkeys(flags))
    video_tag = f'<video src="{escapeHtml(ref.target)}"{attributes}{style} playsinline></video>'
    return video_tag + _print_stand_in(meta["src"], context.words("video"))


def _size(meta: dict[str, Any]) -> str:
    style = "".join(f"{key}:{meta[key]};" for key in ("width", "height") if key in meta)
    return f' style="{escapeHtml(style)}"' if style else ""


def _placeholder(shown: str, label: str) -> str:
    return (
        f'<span class="deck-placeholder" role="img" aria-label="{escapeHtml(shown)}">'
        f'<span class="deck-placeholder-label">{escapeHtml(label)}</span><code>{escapeHtml(shown)}</code></span>'
    )


def _print_stand_in(shown: str, label: str) -> str:
    """What the PDF shows instead of the playing media (hidden on screen)."""
    return (
        f'<span class="deck-media-print"><span class="deck-placeholder-label">▶ {escapeHtml(label)}</span>'
        f"<code>{escapeHtml(shown)}</code></span>"
    )


def _class(meta: dict[str, Any], base: str) -> str:
    names = [base, meta.get("class", ""), "r-stretch" if meta.get("stretch") else ""]
    return escapeHtml(" ".join(name for name in names if name))


def _iframe_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta, context = tokens[idx].meta, context_of(env)
    if not meta["url"]:
        inner = _placeholder(meta["shown"], context.words("page_refused"))
    else:
        title = f' title="{escapeHtml(meta["title"])}"'
        inner = (
            f'<iframe data-src="{escapeHtml(meta["url"])}"{title}{_size(meta)} allowfullscreen '
            'allow="autoplay; fullscreen; picture-in-picture"></iframe>'
        ) + _print_stand_in(meta["shown"], context.words("web_page"))
    return f'<figure class="{_class(meta, "deck-iframe")}">\n{inner}\n' + _caption_open(meta)


def _video_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    return f'<figure class="{_class(meta, "deck-video")}">\n{video_html(meta, context_of(env))}\n' + _caption_open(meta)


def _caption_open(meta: dict[str, Any]) -> str:
    return "<figcaption>\n" if meta["caption"] else ""


def _close(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return ("</figcaption>\n" if tokens[idx].meta.get("caption") else "") + "</figure>\n"


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_iframe_open", _iframe_open)
    md.add_render_rule("deck_video_open", _video_open)
    md.add_render_rule("deck_media_close", _close)
