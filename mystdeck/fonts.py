"""Theme fonts: the fonts a reveal.js theme inlines, carried as woff2 files cut to what the deck uses.

reveal.js' white and black themes inline Source Sans Pro as four base64 woff fonts, 0.57 MB of the
style sheet; league, beige, moon and solarized inline League Gothic. mystdeck takes each inlined face
out of the theme's style sheet and cuts it (fontTools) into woff2 files by ``unicode-range``: ``latin``
(the range Google Fonts calls latin: ASCII, Latin-1 with the umlauts and ß, general punctuation, €) and
``more`` (every other character of the font). The cut keeps the glyph outlines and the layout features a
browser applies by itself (kerning, ligatures, marks; small capitals for a deck that uses them) and
leaves out the hinting, which Chromium does not use for web fonts: the pages show the same pixels
(compared in the tests).

A deck carries only the faces its text asks for — the regular face always, the heading or bold face when
it has headings or bold text, the italic faces when it has italic text, bold italic where one holds the
other — and the ``more`` files only when its text has a character outside ``latin``. What the text asks
is kept in the deck's cache; what is cut, in the user's private cache folder (``fonts/``, named by the
theme file's content), read back only when it is a woff2 file.

A theme's ``@import`` of a web font service is left out: a deck never fetches at run time, so such a
theme shows the next font of its font stack that the computer has (see the README).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mystdeck.store import Store, atomic_write, private_folder

RECIPE = "1"  # part of every cached file's name: a change in how fonts are cut makes them again
LATIN = (
    "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,"
    "U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"
)
SMALL_CAPS = ("smcp", "c2sc")  # beyond fontTools' default features, for a deck with small capitals
MAX_FONT_BYTES = 4 * 1024 * 1024  # a cached file larger than this is not one of ours

_FACE = re.compile(rb"@font-face\s*\{([^}]*)\}")
_DATA_SRC = re.compile(rb"url\(\s*['\"]?data:font/[a-z0-9.+-]+;base64,")
_REMOTE_IMPORT = re.compile(rb"@import\s+(?:url\()?\s*['\"]?(?:https?:)?//[^;]*;")
_PROPERTY = re.compile(rb"(font-family|font-weight|font-style)\s*:\s*([^;}]+)")


def _ranges(text: str) -> frozenset[int]:
    points: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


LATIN_POINTS = _ranges(LATIN)


@dataclass(slots=True, frozen=True)
class Face:
    """One inlined font of the theme: its family, weight (100–900), style, and the font file in base64
    (decoded only when it is cut)."""

    family: str
    weight: int
    italic: bool
    encoded: bytes

    def data(self) -> bytes | None:
        try:
            return base64.b64decode(re.sub(rb"[\s'\")]+", b"", self.encoded), validate=True)
        except (binascii.Error, ValueError):
            return None

    @property
    def slug(self) -> str:
        family = re.sub(r"[^a-z0-9]+", "-", self.family.lower()).strip("-") or "font"
        return f"{family}-{self.weight}-{'italic' if self.italic else 'normal'}"


@dataclass(slots=True)
class Usage:
    """What the deck's text asks of a font: (bold, italic) pairs and the characters it shows."""

    styles: set[tuple[bool, bool]] = field(default_factory=lambda: {(False, False)})
    chars: set[str] = field(default_factory=set)
    small_caps: bool = False


@dataclass(slots=True, frozen=True)
class ThemeFonts:
    """The theme's style sheet without its inlined fonts and remote imports, and the woff2 files it names
    (paths relative to the style sheet's folder)."""

    css: bytes
    files: dict[str, bytes]


def theme_fonts(css_path: Path, usage: Usage) -> ThemeFonts:
    """The theme's style sheet rewritten for ``usage``; a face that cannot be cut stays inlined."""
    css = css_path.read_bytes()  # bytes throughout: the file is large, its text is copied as it is
    if b"@import" in css:
        css = _REMOTE_IMPORT.sub(b"", css)
    digest = hashlib.sha256(css).hexdigest()[:16]
    faces = [(match, _face(match.group(1))) for match in _FACE.finditer(css)]
    wanted = _wanted_faces([face for _match, face in faces if face is not None], _heading_weight(css), usage)
    more = any(ord(char) not in LATIN_POINTS for char in usage.chars)
    files: dict[str, bytes] = {}
    pieces: list[bytes] = []
    rules: list[str] = []
    last = 0
    for match, face in faces:
        pieces.append(css[last : match.start()])
        last = match.end()
        if face is None:
            pieces.append(match.group(0))
            continue
        if face not in wanted:
            continue
        cut = _cut_face(face, digest, more, usage.small_caps)
        if cut is None:
            pieces.append(match.group(0))
            continue
        for subset, data in cut.items():
            name = f"fonts/{face.slug}-{subset}.woff2"
            files[name] = data
            rules.append(_rule(face, name, LATIN if subset == "latin" else None))
    pieces.append(css[last:])
    return ThemeFonts("".join(rules).encode("utf-8") + b"".join(pieces), files)


def _face(body: bytes) -> Face | None:
    source = _DATA_SRC.search(body)
    if source is None:
        return None
    end = body.find(b")", source.end())
    if end < 0:
        return None
    found = _PROPERTY.findall(body[: source.start()] + body[end:])
    props = {name.decode(): value.decode("utf-8", "replace").strip().strip("'\"") for name, value in found}
    weight = _weight(props.get("font-weight", "400"))
    italic = props.get("font-style", "normal") != "normal"
    return Face(props.get("font-family", ""), weight, italic, body[source.end() : end])


def _weight(value: str) -> int:
    value = value.strip().lower()
    if value == "bold":
        return 700
    return int(value) if value.isdigit() else 400


def _heading_weight(css: bytes) -> int:
    match = re.search(rb"--r-heading-font-weight\s*:\s*([^;}]+)", css)
    return _weight(match.group(1).decode("ascii", "replace")) if match else 700


def _wanted_faces(faces: list[Face], heading_weight: int, usage: Usage) -> set[Face]:
    """The faces the browser picks for what the deck asks (CSS font matching: the style first, then the
    nearest weight, heavier ones first for bold)."""
    wanted: set[Face] = set()
    by_family: dict[str, list[Face]] = {}
    for face in faces:
        by_family.setdefault(face.family, []).append(face)
    for family_faces in by_family.values():
        for bold, italic in usage.styles:
            weights = [heading_weight, 700] if bold else [400]
            for weight in weights:
                styled = [face for face in family_faces if face.italic == italic] or family_faces
                wanted.add(min(styled, key=lambda face, w=weight: _distance(face.weight, w)))  # type: ignore[misc]
    return wanted


def _distance(have: int, want: int) -> tuple[int, int]:
    if want > 500:  # bold: the nearest heavier face, else the nearest lighter one
        return (0, have - want) if have >= want else (1, want - have)
    return (0, want - have) if have <= want else (1, have - want)


def _rule(face: Face, name: str, unicode_range: str | None) -> str:
    style = "italic" if face.italic else "normal"
    rule = (
        f'@font-face{{font-family:{_css_string(face.family)};src:url({name}) format("woff2");'
        f"font-weight:{face.weight};font-style:{style}"
    )
    return rule + (f";unicode-range:{unicode_range}}}" if unicode_range else "}")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _cut_face(face: Face, digest: str, more: bool, small_caps: bool) -> dict[str, bytes] | None:
    """The face's ``latin`` file (and ``more`` when asked), from the cache or cut now; None when the font
    cannot be read."""
    subsets = ["latin", "more"] if more else ["latin"]
    folder = private_folder("fonts")
    out: dict[str, bytes] = {}
    for subset in subsets:
        name = f"{digest}-{RECIPE}-{face.slug}-{subset}{'-sc' if small_caps else ''}.woff2"
        data = _cached(folder, name)
        if data is None:
            data = _subset(face.data(), subset, small_caps)
            if data is None:
                return None
            if folder is not None:
                with contextlib.suppress(OSError):
                    atomic_write(folder / name, data)
        if data:  # a font without a character of the subset gives no file
            out[subset] = data
    return out


def _cached(folder: Path | None, name: str) -> bytes | None:
    if folder is None:
        return None
    try:
        path = folder / name
        if path.stat().st_size > MAX_FONT_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"wOF2") or data == b"" else None


def _subset(data: bytes | None, subset: str, small_caps: bool) -> bytes | None:
    from fontTools import subset as ft_subset  # only when a face is cut: a cached deck never imports it
    from fontTools.ttLib import TTFont

    if data is None:
        return None
    try:
        font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # the same bytes each time
        points = set(font.getBestCmap())
        chosen = points & LATIN_POINTS if subset == "latin" else points - LATIN_POINTS
        if not chosen:
            return b""
        options = ft_subset.Options()
        options.flavor = "woff2"
        options.layout_features = [*options.layout_features, *(SMALL_CAPS if small_caps else ())]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.hinting = False
        options.desubroutinize = True
        options.legacy_kern = True
        options.drop_tables = [*options.drop_tables, "FFTM", "webf"]
        cutter = ft_subset.Subsetter(options)
        cutter.populate(unicodes=chosen)
        cutter.subset(font)
        buffer = io.BytesIO()
        font.flavor = "woff2"
        font.save(buffer)
    except Exception:  # fontTools raises many kinds for a font it cannot read: the face stays inlined
        return None
    return buffer.getvalue()


# What the deck's text asks of a font ------------------------------------------------------------------

_STYLED_RULE = r"([^{}]+)\{([^}]*)\}"  # the patterns of this part are compiled when first used


_CLASS_STYLES = {
    "bold": r"font-weight\s*:\s*(bold|[6-9]00)",
    "italic": r"font-style\s*:\s*italic",
    "small_caps": r"font-variant(-caps)?\s*:\s*[a-z-]*small-caps",
}


def styled_classes(css: str) -> dict[str, set[str]]:
    """Class names a style sheet makes bold, italic or small capitals (the last class of each selector)."""
    found: dict[str, set[str]] = {kind: set() for kind in _CLASS_STYLES}
    for selectors, body in re.findall(_STYLED_RULE, re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)):
        kinds = [kind for kind, pattern in _CLASS_STYLES.items() if re.search(pattern, body)]
        for selector in selectors.split(","):
            last = selector.split()[-1] if selector.split() else ""
            for kind in kinds:
                found[kind].update(re.findall(r"\.([A-Za-z0-9_-]+)", last)[-1:])
    return found


def text_usage(
    html_parts: Iterable[str], plain_texts: Iterable[str], style_sheets: Iterable[str], formulas: Iterable[str] = ()
) -> Usage:
    """What the deck's HTML (and its plain texts: titles, the words of its scripts) asks of the theme's font.

    The HTML is mystdeck's own, so patterns read it (a large deck's thousands of elements in milliseconds):
    bold text where a bold element or class is, italic likewise, bold italic where a bold element holds an
    italic one or the other way round. The characters are the page's (markdown-it writes every character
    but ``&<>"`` as itself); those of tags and code can only add a file, never leave one out. A character
    beyond ``latin`` that only the typeset ``formulas`` (their HTML) show is set in KaTeX's fonts: not counted."""
    classes: dict[str, set[str]] = {kind: set() for kind in _CLASS_STYLES}
    for css in style_sheets:
        for kind, names in styled_classes(css).items():
            classes[kind] |= names
    usage = Usage()
    html = "\n".join(html_parts)
    bold = bool(re.search(_OPENS["bold"], html) or _has_class(html, classes["bold"]))
    italic = bool(re.search(_OPENS["italic"], html) or _has_class(html, classes["italic"]))
    if bold:
        usage.styles.add((True, False))
    if italic:
        usage.styles.add((False, True))
    if bold and italic and (re.search(_HOLDS["bold"], html) or re.search(_HOLDS["italic"], html)):
        usage.styles.add((True, True))
    usage.small_caps = _has_class(html, classes["small_caps"])
    shown = set(re.sub(_ASCII, "", html))  # every character outside ASCII (all of ASCII is added below)
    formulas = list(formulas)
    for char in [char for char in shown if ord(char) not in LATIN_POINTS]:
        if html.count(char) <= sum(formula.count(char) for formula in formulas):
            shown.discard(char)
    usage.chars.update(shown)
    for plain in plain_texts:
        usage.chars.update(plain)
    usage.chars.update(chr(point) for point in range(0x20, 0x7F))
    return usage


def _has_class(html: str, names: set[str]) -> bool:
    if not names:
        return False
    alternatives = "|".join(re.escape(name) for name in sorted(names))
    return re.search(rf'\sclass="(?:[^"]*\s)?(?:{alternatives})[\s"]', html) is not None


_ASCII = r"[\x00-\x7f]+"
_TAGS = {"bold": "h[1-6]|strong|b|th|summary|dt", "italic": "em|i|cite|dfn|var|address|blockquote"}
_OPENS = {kind: rf"<(?:{tags})[\s>]" for kind, tags in _TAGS.items()}
# A bold element holding an italic one (and the other way round): from its start tag to its end tag.
_HOLDS = {
    kind: rf"(?s)<({tags})(?:\s[^>]*)?>(?:(?!</\1\s*>).)*?<(?:{other})[\s>]"
    for (kind, tags), other in zip(_TAGS.items(), reversed(_TAGS.values()), strict=True)
}


def cached_usage(
    html_parts: list[str],
    plain_texts: list[str],
    style_sheets: list[str],
    formulas: list[str],
    cache: Store | None,
    name: str,
) -> Usage:
    """``text_usage``, kept in the deck's cache under the digest of everything it reads: a large deck's text
    is read again only when it changed."""
    digest = hashlib.sha256()
    for part in (*html_parts, "\0", *plain_texts, "\0", *style_sheets, "\0", *formulas):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    key = digest.hexdigest()
    kept = cache.read(name) if cache is not None else None
    usage = _usage_from(kept.get("usage")) if isinstance(kept, dict) and kept.get("key") == key else None
    if usage is not None:
        return usage
    usage = text_usage(html_parts, plain_texts, style_sheets, formulas)
    if cache is not None:
        chars = "".join(sorted(char for char in usage.chars if ord(char) > 0x7F))
        value = {
            "styles": sorted([list(pair) for pair in usage.styles]),
            "small_caps": usage.small_caps,
            "chars": chars,
        }
        cache.write(name, {"key": key, "usage": value})
    return usage


def _usage_from(value: Any) -> Usage | None:
    """A cached usage, checked: the cache is read back from disk."""
    if not isinstance(value, dict):
        return None
    styles, small_caps, chars = value.get("styles"), value.get("small_caps"), value.get("chars")
    if not (isinstance(styles, list) and isinstance(small_caps, bool) and isinstance(chars, str)):
        return None
    if len(chars) > 1_000_000 or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(flag, bool) for flag in pair) for pair in styles
    ):
        return None
    usage = Usage({(bool(pair[0]), bool(pair[1])) for pair in styles} | {(False, False)}, set(chars), small_caps)
    usage.chars.update(chr(point) for point in range(0x20, 0x7F))
    return usage
