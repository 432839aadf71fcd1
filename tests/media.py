"""Media files for test decks, made here: a PNG drawn pixel by pixel, and bytes that stand for a video."""

from __future__ import annotations

from pathlib import Path

from mystdeck.starter import png_bytes


def png(path: Path, width: int = 320, height: int = 180) -> Path:
    """A colour gradient as a valid PNG file (drawn by the starter project's own code)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(width, height))
    return path


def design_deck(folder: Path, source: Path) -> Path:
    """The design test deck in ``folder``, with the images and the video it shows."""
    folder.mkdir(parents=True, exist_ok=True)
    deck = folder / "design.md"
    deck.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    png(folder / "bilder" / "hintergrund.png")
    png(folder / "bilder" / "logo.png", 96, 96)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "clip.webm").write_bytes(b"\x1a\x45\xdf\xa3 not a real video")
    return deck


def font_file(path: Path, family: str, weight: int = 400, italic: bool = False) -> Path:
    """A TrueType font drawn here (fontTools): every printable ASCII and Latin-1 character a box, wider
    for heavier weights, so that a test can tell it from any installed font; named ``family``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    chars = [code for code in range(0x20, 0x7F)] + [code for code in range(0xA0, 0x100)]
    names = [".notdef", *(f"u{code:04X}" for code in chars)]
    width = 500 + weight // 2
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({code: f"u{code:04X}" for code in chars})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name not in (".notdef", "u0020", "u00A0"):
            pen.moveTo((50, 0))
            pen.lineTo((50, 700))
            pen.lineTo((width - 50, 700))
            pen.lineTo((width - 50, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (width, 50) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    style = ("Bold" if weight >= 600 else "Regular") + (" Italic" if italic else "")
    builder.setupNameTable({"familyName": family, "styleName": style,
                            "psName": f"{family.replace(' ', '')}-{style.replace(' ', '')}"})  # fmt: skip
    builder.setupOS2(usWeightClass=weight, sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))
    return path
