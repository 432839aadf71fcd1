"""Cache helper: plain JSON files on disk, signed, read back only when their signature holds.

The caches live in the output folder (``_build/.cache/``), which anyone who can write the output can
change. Their values end up in the deck page (formatted references, diagram SVG), so a cache file is
untrusted input: each is JSON (never pickle), signed with HMAC-SHA256 under a key kept outside the
output folder, in the user's own cache folder (``$XDG_CACHE_HOME/mystdeck/key``, else
``~/.cache/mystdeck/key``; ``%LOCALAPPDATA%`` on Windows), readable by its owner only. A file with
a wrong signature, too large, or not JSON is ignored, costing only the time to make it again; its
content is then checked by the caller's own validation. Without a usable key nothing is cached on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 256 * 1024 * 1024
KEY_BYTES = 32


def key_folder(environ: dict[str, str] | None = None) -> Path:
    environ = dict(os.environ) if environ is None else environ
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "mystdeck"
    if os.name == "nt" and environ.get("LOCALAPPDATA"):
        return Path(environ["LOCALAPPDATA"]) / "mystdeck"
    return Path.home() / ".cache" / "mystdeck"


def private_folder(name: str) -> Path | None:
    """A folder of the user's own cache folder that only the user can read and write, or None."""
    folder = key_folder() / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if folder.stat().st_mode & 0o077 or (hasattr(os, "getuid") and folder.stat().st_uid != os.getuid()):
            return None
    except OSError:
        return None
    return folder


def load_key(folder: Path | None = None) -> bytes | None:
    """The signing key, made on first use; None when it can be neither read nor made."""
    path = (folder or key_folder()) / "key"
    with contextlib.suppress(OSError):
        key = path.read_bytes()
        if len(key) == KEY_BYTES:
            return key
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".key.{os.getpid()}.{secrets.token_hex(4)}")
        partial.write_bytes(secrets.token_bytes(KEY_BYTES))
        partial.chmod(0o600)
        try:
            os.link(partial, path)  # fails if another build made the key meanwhile: use theirs
        except FileExistsError:
            pass
        finally:
            partial.unlink()
        key = path.read_bytes()
    except (OSError, NotImplementedError):
        return None
    return key if len(key) == KEY_BYTES else None


@dataclass(slots=True, frozen=True)
class Store:
    """Signed JSON files in ``folder``; with no folder or no key, every read misses and writes do nothing."""

    folder: Path | None
    key: bytes | None
    writable: bool = True

    def read(self, name: str) -> Any:
        if self.folder is None or self.key is None:
            return None
        try:
            path = self.folder / name
            if path.stat().st_size > MAX_BYTES:
                return None
            signature, _, payload = path.read_bytes().partition(b"\n")
        except OSError:
            return None
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            return json.loads(payload)
        except (ValueError, RecursionError):
            return None

    def write(self, name: str, value: Any) -> None:
        """A cache that cannot be written only costs time, so failures are ignored."""
        if self.folder is None or self.key is None or not self.writable:
            return
        payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with contextlib.suppress(OSError):
            atomic_write(self.folder / name, self._sign(payload) + b"\n" + payload)

    def _sign(self, payload: bytes) -> bytes:
        assert self.key is not None
        return hmac.new(self.key, payload, hashlib.sha256).hexdigest().encode("ascii")


def atomic_write(target: Path, data: bytes) -> None:
    """Write one file so that a reader sees the old or the new one, never half of it: a failed write
    leaves the old file as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)  # ours, named above: a full disk leaves no half file behind
        raise
