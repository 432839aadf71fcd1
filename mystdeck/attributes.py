"""Slides stage helper: a heading's attributes (``{#id .class key=value}``) in, its section's attributes out.

They are written on the line before the heading (MyST's block attributes) or after its text, as pandoc
and Quarto users write them (``## Teil 2 {.center background="#1e3a5f"}``). Each key becomes one of
reveal.js' ``data-*`` attributes; values are escaped by the section template, and a ``javascript:``
address is refused.
"""

from __future__ import annotations

import re

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import ImageUse, Slide

# key → the data attribute it becomes (without "data-"); "" for keys handled apart.
KEYS = {
    "id": "",
    "class": "",
    "background": "",
    "background-color": "background-color",
    "background-image": "background-image",
    "background-video": "background-video",
    "background-iframe": "background-iframe",
    "background-size": "background-size",
    "background-position": "background-position",
    "background-repeat": "background-repeat",
    "background-opacity": "background-opacity",
    "background-transition": "background-transition",
    "transition": "transition",
    "transition-speed": "transition-speed",
    "auto-animate": "auto-animate",
    "visibility": "",
    "timing": "timing",
    "short": "",
}
MEDIA_KEYS = ("background-image", "background-video")  # local files, copied into the deck

# The README's syntax table: (syntax, what it gives, example).
SYNTAX = [
    (
        "slide attributes `{#id .class key=value}`",
        "on the line before a heading, or after its text: the slide's id, classes and reveal.js settings: "
        "`background` (a colour or an image), `background-video`, `background-iframe`, `background-size`, "
        "`background-position`, `background-opacity`, `transition`, `auto-animate`, `visibility` "
        "(`hidden`, `uncounted`), `timing` (seconds), `short` (the title the section bar and the slide menu "
        "show), any `data-*`; `.center` centres the content",
        '{#teil-2 .center background="#1e3a5f" transition="zoom"}\n## Teil 2',
    ),
]
_COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla|hwb|lab|lch|oklab|oklch|color)\([^()]*\)|[a-zA-Z]+",
)
_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)


def apply(slide: Slide, attrs: dict[str, str], uses: list[ImageUse], reporter: Reporter) -> bool:
    """Put ``attrs`` on ``slide``; returns False when the slide is hidden (left out of the deck)."""
    loc = slide.loc
    for key, value in attrs.items():
        if key == "id":
            slide.attrs.id = value
        elif key == "class":
            # reveal.js gives a slide class "center" a print layout of its own; mystdeck centres by itself.
            names = ["deck-centered" if name == "center" else name for name in value.split()]
            slide.attrs.classes.extend(name for name in names if name not in slide.attrs.classes)
        elif key.startswith("data-"):
            _put(slide, key.removeprefix("data-"), value, loc, reporter)
        elif key == "visibility":
            if value == "hidden":
                return False
            if value == "uncounted":
                slide.attrs.data["visibility"] = "uncounted"
            else:
                _warn(reporter, loc, f"visibility '{value}' is not 'hidden' or 'uncounted' (ignored)")
        elif key == "short":
            slide.short = value.strip()
        elif key == "background":
            _background(slide, value, uses, reporter)
        elif key in KEYS:
            _put(slide, KEYS[key], value, loc, reporter, uses if key in MEDIA_KEYS else None)
        else:
            known = ", ".join(["#id", ".class", *(k for k in KEYS if k not in ("id", "class")), "data-*"])
            _warn(reporter, loc, f"unknown slide attribute '{key}' (ignored; known: {known})")
    return True


def _background(slide: Slide, value: str, uses: list[ImageUse], reporter: Reporter) -> None:
    """``background``: a colour, or else an image (a path or an address)."""
    if _COLOUR.fullmatch(value.strip()):
        _put(slide, "background-color", value.strip(), slide.loc, reporter)
    else:
        _put(slide, "background-image", value.strip(), slide.loc, reporter, uses)


def _put(
    slide: Slide, name: str, value: str, loc: SourceLoc, reporter: Reporter, uses: list[ImageUse] | None = None
) -> None:
    if _UNSAFE_URL.match(value):
        _warn(reporter, loc, f"slide attribute '{name}': a '{value.split(':')[0]}:' address is refused")
        return
    if name == "timing" and not value.strip().isdigit():
        _warn(reporter, loc, f"timing '{value}' must be whole seconds, such as timing=120 (ignored)")
        return
    if name == "auto-animate" and value in ("", "true"):
        value = ""
    slide.attrs.data[name] = value
    if uses is not None:
        kind = "video" if name == "background-video" else "image"
        uses.append(ImageUse(value, loc, kind, slide=slide, data_key=name))


def _warn(reporter: Reporter, loc: SourceLoc, message: str) -> None:
    reporter.warning(loc, message, "bad-attribute")
