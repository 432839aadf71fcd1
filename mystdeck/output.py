"""Output stage: the page and the files a deck carries in, a complete deck folder out.

Everything is written to a temporary folder beside the target and swapped into place only when all
of it was written, so a failed build never leaves a half-written deck or destroys the last good one.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Asset


def stage_deck(out_dir: Path, page: str, files: list[Asset], reporter: Reporter) -> Path:
    """Write the deck into a new temporary folder beside ``out_dir`` and return that folder."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    except OSError as exc:
        raise reporter.fatal(
            SourceLoc(out_dir), f"cannot create the output folder: {exc.strerror}", "output-error"
        ) from None
    try:
        (staging / "index.html").write_text(page, encoding="utf-8")
        for asset in files:
            target = staging / asset.target
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(asset.source, target)  # keeps the time stamp, so the preview can tell it is unchanged
    except OSError as exc:
        discard(staging)
        raise reporter.fatal(SourceLoc(out_dir), f"cannot write the deck: {exc}", "output-error") from None
    return staging


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging``; the old folder is removed only after the new one is there."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
    staging.chmod(0o755)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def atomic_write(target: Path, data: bytes) -> None:
    """Write one file so that a reader sees the old or the new one, never half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)


def write_file(target: Path, text: str, reporter: Reporter) -> None:
    try:
        atomic_write(target, text.encode("utf-8"))
    except OSError as exc:
        raise reporter.fatal(SourceLoc(target), f"cannot write the file: {exc.strerror}", "output-error") from None
