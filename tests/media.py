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
