"""Drawings stage: the strokes a presenter drew on the slides (the deck's ``D`` downloads them as
``NAME-drawings.json``) in, the audience PDF with the strokes drawn on its pages out (``--drawings``).

The file comes from a browser, so it is not trusted: its size, the number of strokes and points, every
number and colour are checked, and what does not fit is left out with a warning. Strokes are matched to
slides by id, so a file made for an earlier version of the deck still fits; strokes of slides the deck no
longer has are reported. Each stroke is drawn as a vector path where the slide sits on its page (the page
is the slide's size; the slide is shrunk inside by reveal.js' margin, as the deck's script does for print).
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Deck

MAX_BYTES = 32 * 1024 * 1024
MAX_STROKES = 50_000
MAX_POINTS = 20_000
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(slots=True, frozen=True)
class Stroke:
    slide: str
    step: int  # -1: drawn before the slide's first step
    color: str
    width: float  # in the slide's pixels
    opacity: float
    points: tuple[tuple[float, float], ...]


def read_drawings(path: Path, reporter: Reporter) -> list[Stroke] | None:
    """The strokes of a drawings file; None (and a warning naming the file) when it cannot be read at all: the
    annotated PDF is then not made, and the deck and its other files are."""
    loc = SourceLoc(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            reporter.warning(loc, f"the drawings file is larger than {MAX_BYTES // 2**20} MB: not read", "bad-drawings")
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        reporter.warning(loc, f"cannot read the drawings file: {exc.strerror}", "bad-drawings")
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = SourceLoc(path, getattr(exc, "lineno", 0))
        reporter.warning(where, "this is not a drawings file (JSON) as the deck's D key writes it", "bad-drawings")
        return None
    raw = data.get("strokes") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        reporter.warning(loc, "this is not a drawings file: it has no list of 'strokes'", "bad-drawings")
        return None
    strokes = [stroke for item in raw[:MAX_STROKES] if (stroke := _stroke(item)) is not None]
    dropped = len(raw) - len(strokes)
    if dropped:
        reporter.warning(loc, f"{dropped} stroke(s) of the drawings file cannot be read (left out)", "bad-drawings")
    return strokes


def _stroke(item: Any) -> Stroke | None:
    if not isinstance(item, dict):
        return None
    slide, step, color = item.get("slide"), item.get("step", -1), item.get("color")
    width, opacity, points = item.get("width", 4), item.get("opacity", 1), item.get("points")
    if not (isinstance(slide, str) and 0 < len(slide) <= 300 and isinstance(color, str) and _COLOUR.fullmatch(color)):
        return None
    if not (_number(step) and _number(width) and _number(opacity) and isinstance(points, list)):
        return None
    if not (0.1 <= width <= 200 and 0 < opacity <= 1) or not 0 < len(points) <= MAX_POINTS:
        return None
    found = []
    for point in points:
        if not (isinstance(point, list) and len(point) >= 2 and _number(point[0]) and _number(point[1])):
            return None
        if not (-10_000 <= point[0] <= 20_000 and -10_000 <= point[1] <= 20_000):
            return None
        found.append((float(point[0]), float(point[1])))
    return Stroke(slide, int(step), color.lower(), float(width), float(opacity), tuple(found))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(slots=True, frozen=True)
class Frame:
    """Where the slide sits on a printed page: its size in pixels and reveal.js' margin."""

    width: int
    height: int
    margin: float


def annotate(
    pdf: bytes, pages: list[list[str]], strokes: list[Stroke], frame: Frame, deck: Deck, path: Path, reporter: Reporter
) -> bytes:
    """The PDF with each stroke drawn on its slide's page(s): on every page of the slide that shows its step
    (a page per step with ``--pdf-fragments``; the one page, every step shown, otherwise)."""
    from pypdf import PdfReader, PdfWriter  # only a build that annotates pays for importing pypdf

    known = {slide.slide_id for slide in deck.slides}
    missing = sorted({stroke.slide for stroke in strokes if stroke.slide not in known})
    if missing:
        lost = sum(1 for stroke in strokes if stroke.slide in missing)
        shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        reporter.warning(SourceLoc(path), f"{lost} stroke(s) are on slides this deck no longer has ({shown}): "
                         "left out", "bad-drawings")  # fmt: skip
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    per_slide = Counter(ids[0] for ids in pages if len(ids) == 1)
    seen: Counter[str] = Counter()
    for number, slide_ids in enumerate(pages):
        if len(slide_ids) != 1 or number >= len(writer.pages):
            continue
        slide_id = slide_ids[0]
        step = seen[slide_id] - 1 if per_slide[slide_id] > 1 else math.inf  # a page per step: the k-th shows step k-1
        seen[slide_id] += 1
        mine = [stroke for stroke in strokes if stroke.slide == slide_id and stroke.step <= step]
        if mine:
            _draw(writer, writer.pages[number], mine, frame)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _draw(writer: Any, page: Any, strokes: list[Stroke], frame: Frame) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject

    box = page.mediabox
    page_w, page_h = float(box.width), float(box.height)
    scale = 1 / (1 + frame.margin)
    offset = frame.height * (1 - scale) / 2
    to_pt = page_w / frame.width

    def place(x: float, y: float) -> str:
        css_x = frame.width / 2 + (x - frame.width / 2) * scale
        css_y = offset + y * scale
        return f"{css_x * to_pt:.2f} {page_h - css_y * page_h / frame.height:.2f}"

    states = DictionaryObject()
    ops = ["q"]
    for index, stroke in enumerate(strokes):
        red, green, blue = (int(stroke.color[i : i + 2], 16) / 255 for i in (1, 3, 5))
        ops.append("q")
        if stroke.opacity < 1:
            name = f"/MystdeckInk{index}"
            states[NameObject(name)] = DictionaryObject(
                {NameObject("/Type"): NameObject("/ExtGState"), NameObject("/CA"): FloatObject(stroke.opacity)}
            )
            ops.append(f"{name} gs")
        ops.append(f"{red:.3f} {green:.3f} {blue:.3f} RG {stroke.width * scale * to_pt:.2f} w 1 J 1 j")
        first, *rest = stroke.points
        ops.append(f"{place(*first)} m " + " ".join(f"{place(*p)} l" for p in rest or [(first[0] + 0.1, first[1])]))
        ops.append("S Q")
    ops.append("Q")
    stream = StreamObject()
    stream.set_data("\n".join(ops).encode("ascii"))
    before, after = StreamObject(), StreamObject()
    before.set_data(b"q")
    after.set_data(b"Q")
    contents = page.get("/Contents")
    existing = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *existing, writer._add_object(after), writer._add_object(stream)]
    )
    if len(states):
        resources = page["/Resources"].get_object()
        found = resources.get("/ExtGState")
        merged = DictionaryObject(found.get_object()) if found is not None else DictionaryObject()
        merged.update(states)
        resources[NameObject("/ExtGState")] = merged
