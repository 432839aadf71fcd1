"""Media files for test decks, made here: a PNG drawn pixel by pixel, and bytes that stand for a video."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def png(path: Path, width: int = 320, height: int = 180) -> Path:
    """A colour gradient as a valid PNG file."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (40 + x * 180 // width, 90 + y * 120 // height, 160))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    )
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
