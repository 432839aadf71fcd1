"""Bibliography stage's memo: what earlier builds made of a .bib, kept by content hash, for the
bibliography module to ask before it does the work again.

It remembers, in memory for the life of the process and on disk in the output's ``.cache/bib/``
folder as signed JSON (``store``): a .bib's keys and its own warnings, the formatted reference list
of a set of cited works, and the parsed entries of a .bib read more than once. Whatever is read back
is checked field by field and ignored when it does not fit, so a changed cache file costs time,
never safety. It knows nothing of pybtex: the entries it keeps are plain lists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pybtex

from mystdeck.diagnostics import CODES, Diagnostic, Reporter, SourceLoc
from mystdeck.store import Store

FORMAT_VERSION = "6"
_REFERENCE_FIELDS = {
    "key": str, "label": str, "authors": list, "year": str, "html": str, "slide_id": str, "cited_as": str,
    "math": list, "parts": list,
}  # fmt: skip


@dataclass(slots=True)
class BibMemo:
    store: Store = field(default_factory=lambda: Store(None, None))
    parsed: dict[str, Any] = field(default_factory=dict)  # digest → the parsed bibliography, this process
    ahead: dict[str, Callable[[], Any]] = field(default_factory=dict)  # digest → the helper's answer, this build
    _keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    _formatted: dict[str, dict[str, Any]] = field(default_factory=dict)

    def keys(self, digest: str) -> dict[str, Any] | None:
        """``{"keys": {key: line}, "warnings": [...]}`` of a .bib read before, or None."""
        found = self._keys.get(digest) or _valid_keys(self.store.read(f"{digest}.keys.json"))
        if found is not None:
            self._keys[digest] = found
        return found

    def keep_keys(self, digest: str, known: dict[str, Any]) -> None:
        self._keys[digest] = known
        self.store.write(f"{digest}.keys.json", known)

    def seen(self, digest: str) -> bool:
        """Whether a build read this .bib before (on disk: an earlier process)."""
        return digest in self.parsed or digest in self._keys or self.store.read(f"{digest}.keys.json") is not None

    def formatted(self, name: str) -> dict[str, Any] | None:
        """``{"refs": [...], "warnings": [...]}`` of a reference list made before, or None."""
        found = self._formatted.get(name) or _valid_formatted(self.store.read(name))
        if found is not None:
            self._formatted[name] = found
        return found

    def keep_formatted(self, name: str, made: dict[str, Any]) -> None:
        self._formatted[name] = made
        self.store.write(name, made)

    def entries(self, digest: str) -> Any:
        """The parsed entries kept on disk (for a .bib read by more than one build), unchecked: the
        bibliography module checks them as it builds its entries."""
        return self.store.read(f"{digest}.bib.json")

    def keep_entries(self, digest: str, entries: list[list[Any]]) -> None:
        self.store.write(f"{digest}.bib.json", entries)


def digest(paths: list[Path]) -> str:
    """One hash over every .bib's content (a missing file counts as such), pybtex's and our format."""
    sha = hashlib.sha256(f"{FORMAT_VERSION}\0{pybtex.__version__}".encode())
    for path in paths:
        sha.update(str(path.resolve()).encode("utf-8") + b"\0")
        try:
            sha.update(path.read_bytes())
        except OSError:
            sha.update(b"\0missing\0")
    return sha.hexdigest()[:24]


def list_name(wanted: str) -> str:
    """The file of a formatted list, named by everything it depends on (given as one text)."""
    return hashlib.sha256(wanted.encode("utf-8")).hexdigest()[:24] + ".refs.json"


def replay(warnings: list[dict[str, Any]], reporter: Reporter) -> None:
    for warning in warnings:
        reporter.warning(loc_of(warning), warning["message"], warning["code"])


def as_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """A diagnostic as it was reported, so a remembered one prints exactly the same line again."""
    loc = diagnostic.loc
    return {
        "path": str(loc.path) if loc else None,
        "line": loc.line if loc else 0,
        "message": diagnostic.message,
        "code": diagnostic.code,
    }


def loc_of(warning: dict[str, Any]) -> SourceLoc | None:
    return SourceLoc(Path(warning["path"]), warning["line"]) if warning["path"] is not None else None


# What a cache file (or a helper's answer) must hold to be used; anything else is ignored and made again.


def _valid_keys(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or set(value) != {"keys", "warnings"}:
        return None
    keys, warnings = value["keys"], value["warnings"]
    if not isinstance(keys, dict) or not all(isinstance(k, str) and type(v) is int for k, v in keys.items()):
        return None
    return value if isinstance(warnings, list) and all(valid_warning(w) for w in warnings) else None


def _valid_formatted(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or set(value) != {"refs", "warnings", "citations"}:
        return None
    refs, warnings, citations = value["refs"], value["warnings"], value["citations"]
    if not isinstance(refs, list) or not isinstance(warnings, list) or not isinstance(citations, list):
        return None
    if not all(isinstance(citation, str) for citation in citations):
        return None
    if not all(_valid_reference(ref) for ref in refs) or not all(valid_warning(w) for w in warnings):
        return None
    return value


def _valid_reference(ref: Any) -> bool:
    return (
        isinstance(ref, dict)
        and set(ref) == set(_REFERENCE_FIELDS)
        and all(isinstance(ref[name], kind) for name, kind in _REFERENCE_FIELDS.items())
        and all(isinstance(item, str) for name in ("authors", "math", "parts") for item in ref[name])
        and (not ref["math"] or len(ref["parts"]) == len(ref["math"]) + 1)
    )


def valid_message(message: Any) -> bool:
    if not isinstance(message, dict) or message.get("severity") not in ("warning", "error"):
        return False
    return valid_warning({k: v for k, v in message.items() if k != "severity"})


def valid_warning(warning: Any) -> bool:
    return (
        isinstance(warning, dict)
        and set(warning) == {"path", "line", "message", "code"}
        and (warning["path"] is None or isinstance(warning["path"], str))
        and type(warning["line"]) is int
        and isinstance(warning["message"], str)
        and warning["code"] in CODES
    )
