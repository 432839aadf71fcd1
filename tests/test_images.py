"""--png and --pptx: a picture a printed slide (1920 by 1080) and the preview, and a PowerPoint file read back."""

from __future__ import annotations

import struct
from pathlib import Path

from pptx import Presentation

from conftest import Build

DECK = (
    "---\ntitle: Bilder\nauthor: Erika Mustermann\nlang: de\n---\n\n## Eins\n\nText.\n\n:::{note}\nErstens.\n\n"
    "- mit $\\alpha$\n:::\n\n## Versteckt {visibility=hidden}\n\nNie.\n\n## Anhang {visibility=uncounted}\n\n"
    "Dazu.\n"
)


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_pictures_and_powerpoint_of_the_printed_slides(tmp_path: Path, build: Build) -> None:
    (tmp_path / "bilder.md").write_text(DECK, encoding="utf-8")
    result = build("bilder.md", "--png", "--pptx", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "_build" / "bilder"
    pictures = sorted((out / "bilder-png").iterdir())
    assert [p.name for p in pictures] == ["01.png", "02.png", "03.png"]  # title, Eins, Anhang: the hidden one out
    assert all(_size(p.read_bytes()) == (1920, 1080) for p in pictures)
    assert (out / "bilder-preview.png").read_bytes() == pictures[0].read_bytes()
    deck = Presentation(str(out / "bilder.pptx"))
    assert (deck.slide_width, deck.slide_height) == (12_192_000, 6_858_000)  # 16:9
    slides = list(deck.slides)
    assert [s.shapes.title.text for s in slides] == ["Bilder", "Eins", "Anhang"]
    assert slides[1].notes_slide.notes_text_frame.text == "Erstens.\nmit $\\alpha$"
    assert not slides[0].has_notes_slide or slides[0].notes_slide.notes_text_frame.text == ""
    pictures_in = [shape for shape in slides[1].shapes if shape.shape_type == 13]  # a picture, over the title
    assert len(pictures_in) == 1 and list(slides[1].shapes)[-1].shape_type == 13  # the picture is on top
    properties = deck.core_properties
    assert (properties.title, properties.author, properties.language) == ("Bilder", "Erika Mustermann", "de")
