"""Output stage: the page and the files a deck carries in, a complete deck folder out.

Everything is written to a staging folder beside the target and swapped into place only when all of
it was written, so a failed build never leaves a half-written deck or destroys the last good one.

Only what mystdeck wrote is ever replaced or removed. Every deck folder carries a marker file
(``.mystdeck.json``, which also remembers the deck's title for the index page); a folder without it,
a file or a link where the deck folder would go, or a folder that holds one of the deck's own inputs
(its markdown, images, ``.bib``, templates) is left alone and the build stops with a message. The
swap exchanges the two folders in one step where the system can (Linux ``renameat2``, macOS
``renamex_np``); elsewhere it renames twice, and a build killed between the two renames leaves the old
folder as ``.<name>.old``, which the next build puts back. Staging folders of a killed build
(``.<name>.staging-<pid>-…``, with the marker) are removed by the next build once their process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Asset
from mystdeck.store import atomic_write

MARKER = ".mystdeck.json"
MARKER_MAX_BYTES = 64 * 1024
GENERATOR_TAG = '<meta name="generator" content="mystdeck">'


def written_by_mystdeck(folder: Path) -> bool:
    return read_marker(folder) is not None


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The marker's content, or None when ``folder`` is not a deck folder mystdeck wrote."""
    try:
        path = folder / MARKER
        if path.stat().st_size > MARKER_MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("generator") == "mystdeck" else None


def check_target(out_dir: Path, inputs: Collection[Path], reporter: Reporter) -> None:
    """Stop unless ``out_dir`` is absent, empty, or a deck folder mystdeck wrote that holds no input."""
    problem = _target_problem(out_dir, inputs)
    if problem:
        raise reporter.fatal(SourceLoc(out_dir), problem, "output-error")


def _target_problem(out_dir: Path, inputs: Collection[Path]) -> str:
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        return "is not a folder mystdeck wrote, so it is left alone: move it away, or choose another --out"
    resolved = out_dir.resolve()
    held = sorted(str(path) for path in inputs if path.resolve().is_relative_to(resolved))
    if held:
        return (
            f"holds the deck's own files ({', '.join(held[:3])}), so it is not replaced: "
            "choose another --out, or rename the deck"
        )
    if out_dir.is_dir() and not written_by_mystdeck(out_dir) and any(out_dir.iterdir()):
        return (
            f"exists and was not written by mystdeck (it has no {MARKER}), so it is not replaced: "
            "move it away, or choose another --out"
        )
    return ""


def recover(out_dir: Path) -> None:
    """Put back a deck folder a killed build left aside, and remove staging folders of dead builds."""
    old = _old_name(out_dir)
    if written_by_mystdeck(old) and not old.is_symlink():
        if not out_dir.exists():
            with contextlib.suppress(OSError):
                old.rename(out_dir)
        elif written_by_mystdeck(out_dir):
            shutil.rmtree(old, ignore_errors=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        if not leftover.is_symlink() and written_by_mystdeck(leftover) and not _alive(_pid_of(leftover)):
            shutil.rmtree(leftover, ignore_errors=True)


def make_staging(out_dir: Path, reporter: Reporter) -> Path:
    """A new staging folder beside ``out_dir``, marked as mystdeck's from its first moment."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{out_dir.name}.staging-{os.getpid()}-"
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
        write_marker(staging, {})
    except OSError as exc:
        raise reporter.fatal(
            SourceLoc(out_dir), f"cannot create the output folder: {_reason(exc)}", "output-error"
        ) from None
    return staging


def write_deck(folder: Path, page: str, files: list[Asset], out_dir: Path, reporter: Reporter) -> None:
    """The HTML deck into the staging ``folder``: its page and every file it carries (``out_dir`` names it)."""
    try:
        (folder / "index.html").write_text(page, encoding="utf-8")
        for asset in files:
            target = folder / asset.target
            target.parent.mkdir(parents=True, exist_ok=True)
            if asset.data is not None:
                target.write_bytes(asset.data)
            else:
                shutil.copy2(asset.source, target)  # keeps the time stamp, so the preview can tell it is unchanged
    except OSError as exc:
        raise reporter.fatal(
            SourceLoc(folder.parent / folder.name.split(".staging-")[0].lstrip(".")),
            f"cannot write the deck: {_reason(exc)}",
            "output-error",
        ) from None


def write_marker(folder: Path, info: dict[str, Any]) -> None:
    text = json.dumps({"generator": "mystdeck", **info}, ensure_ascii=False, indent=1)
    (folder / MARKER).write_text(text + "\n", encoding="utf-8")


def write_output(target: Path, data: bytes) -> None:
    """One file of a deck (a PDF, the self-contained page) into the staging folder: under a temporary
    name, renamed once complete, so a failed write (a full disk) leaves no half file to be swapped in."""
    atomic_write(target, data)


def carry_over(out_dir: Path, staging: Path, name: str) -> bool:
    """Keep ``name`` of the last good deck in the new one (a PDF that could not be made again): a second
    link to the same file, which needs no space on a full disk; else a copy, complete or none."""
    source = out_dir / name
    if not written_by_mystdeck(out_dir) or source.is_symlink():
        return False
    if source.is_dir():  # a folder of pictures: each of its files, as a file is kept
        shutil.rmtree(staging / name, ignore_errors=True)  # what the failed output began in the new deck
        kept = [_keep(path, staging / name / path.name) for path in sorted(source.iterdir()) if path.is_file()]
        return bool(kept) and all(kept)
    return source.is_file() and _keep(source, staging / name)


def _keep(source: Path, target: Path) -> bool:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
        return True
    except OSError:
        pass
    try:
        atomic_write(target, source.read_bytes())
    except OSError:
        return False
    return True


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def swap_into_place(staging: Path, out_dir: Path, inputs: Collection[Path], reporter: Reporter) -> None:
    """Replace ``out_dir`` by ``staging`` in one step; the old folder is removed once the new one is there."""
    check_target(out_dir, inputs, reporter)  # again: the folder may have changed while the deck was built
    staging.chmod(0o755)
    try:
        if out_dir.is_dir() and _exchange(staging, out_dir):
            shutil.rmtree(staging, ignore_errors=True)  # now the old deck
            return
        old = _old_name(out_dir)
        if out_dir.is_dir():
            if old.exists():
                shutil.rmtree(old)
            out_dir.rename(old)
        staging.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise reporter.fatal(
            SourceLoc(out_dir), f"cannot put the deck in place: {_reason(exc)}", "output-error"
        ) from None


def write_file(target: Path, text: str, reporter: Reporter) -> None:
    """Write a page of mystdeck's own (the index of decks); a file of the same name that it did not write stays."""
    try:
        existing = target.read_text(encoding="utf-8", errors="replace") if target.exists() else None
    except OSError:
        existing = ""
    if existing is not None and GENERATOR_TAG not in existing:
        raise reporter.fatal(
            SourceLoc(target),
            "exists and was not written by mystdeck, so it is left alone: move it away",
            "output-error",
        )
    try:
        atomic_write(target, text.encode("utf-8"))
    except OSError as exc:
        raise reporter.fatal(SourceLoc(target), f"cannot write the file: {_reason(exc)}", "output-error") from None


def _old_name(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.old")


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full: free some space and build again"
    return exc.strerror or str(exc)


def _pid_of(staging: Path) -> int:
    pid = staging.name.rpartition(".staging-")[2].split("-")[0]
    return int(pid) if pid.isdigit() else 0


def _alive(pid: int) -> bool:
    """Whether a build process may still be writing (on Windows, always assumed: no probe there)."""
    if pid <= 0 or os.name == "nt":
        return pid > 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically; False where the system or file system cannot."""
    if not (sys.platform.startswith("linux") or sys.platform == "darwin"):
        return False
    import ctypes  # only here: the swap is the one place that needs the C library

    libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols, libc among them
    a, b = os.fsencode(first), os.fsencode(second)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(-100, a, -100, b, 2)  # AT_FDCWD, RENAME_EXCHANGE
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(a, b, 2)  # RENAME_SWAP
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code))
