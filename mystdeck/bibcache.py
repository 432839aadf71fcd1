"""Citations helper: parsed bibliographies and formatted reference lists, cached by content hash.

A build reads each .bib once; a later build (or a rebuild while serving) with the same .bib finds its
keys and, when the same works are cited, the formatted list without asking pybtex at all. The cache
lives in memory for the life of the process and on disk in the output's ``.cache/bib/`` folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pybtex

from mystdeck import citations
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Deck, Reference
from mystdeck.output import atomic_write

FORMAT_VERSION = "1"


@dataclass(slots=True)
class BibCache:
    folder: Path | None  # None: memory only
    _parsed: dict[str, citations.Bibliography] = field(default_factory=dict)
    _keys: dict[str, dict[str, int]] = field(default_factory=dict)
    _formatted: dict[str, dict[str, Any]] = field(default_factory=dict)

    def references(self, deck: Deck, paths: list[Path], reporter: Reporter) -> dict[str, Reference]:
        front = deck.source.front
        digest = _digest(paths)
        keys = self._keys.get(digest) or self._read(f"{digest}.keys.json")
        if keys is None:
            bib = self._bibliography(digest, paths, reporter)
            keys = {key: loc.line for key, loc in bib.lines.items()}
            self._keys[digest] = keys
            self._write(f"{digest}.keys.json", keys)
        else:
            _report_missing_files(paths, reporter)
        cited = citations.cited_keys(deck, keys, reporter)
        numeric = front.citation_style == "numeric"
        wanted = json.dumps([digest, front.bibliography_style, numeric, cited])
        name = hashlib.sha256(wanted.encode("utf-8")).hexdigest()[:24] + ".refs.json"
        hit = self._formatted.get(name) or self._read(name)
        if hit is None:
            start = len(reporter.diagnostics)
            bib = self._bibliography(digest, paths, reporter)
            refs = citations.format_references(cited, bib, reporter, front.bibliography_style, numeric)
            hit = {
                "refs": [asdict(ref) for ref in refs.values()],
                "warnings": [_as_dict(d) for d in reporter.diagnostics[start:]],
            }
            self._write(name, hit)
        else:
            for warning in hit["warnings"]:
                reporter.warning(SourceLoc(Path(warning["path"]), warning["line"]), warning["message"], warning["code"])
        self._formatted[name] = hit
        return {ref["key"]: Reference(**ref) for ref in hit["refs"]}

    def _bibliography(self, digest: str, paths: list[Path], reporter: Reporter) -> citations.Bibliography:
        bib = self._parsed.get(digest) or self._unpickle(f"{digest}.pickle")
        if bib is None:
            seen_before = self._read(f"{digest}.keys.json") is not None
            bib = citations.load_bibliography(paths, reporter)
            # The first build of a .bib keeps only its keys and formatted list; the parsed data is
            # kept once a later build cites other works of the same file and so needs it again.
            if seen_before:
                self._write_bytes(f"{digest}.pickle", pickle.dumps(bib, protocol=pickle.HIGHEST_PROTOCOL))
        self._parsed[digest] = bib
        return bib

    def _read(self, name: str) -> Any:
        if self.folder is None:
            return None
        try:
            return json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _unpickle(self, name: str) -> citations.Bibliography | None:
        if self.folder is None:
            return None
        try:
            value = pickle.loads((self.folder / name).read_bytes())  # our own cache file, written above
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return value if isinstance(value, citations.Bibliography) else None

    def _write(self, name: str, value: Any) -> None:
        self._write_bytes(name, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def _write_bytes(self, name: str, data: bytes) -> None:
        """A cache that cannot be written only costs time, so failures are ignored."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            atomic_write(self.folder / name, data)


def _digest(paths: list[Path]) -> str:
    """One hash over every .bib's content (a missing file counts as such), pybtex's and our format."""
    sha = hashlib.sha256(f"{FORMAT_VERSION}\0{pybtex.__version__}".encode())
    for path in paths:
        sha.update(str(path.resolve()).encode("utf-8") + b"\0")
        try:
            sha.update(path.read_bytes())
        except OSError:
            sha.update(b"\0missing\0")
    return sha.hexdigest()[:24]


def _report_missing_files(paths: list[Path], reporter: Reporter) -> None:
    for path in paths:
        if not path.is_file():
            citations.report_missing_bib(path, reporter)


def _as_dict(diagnostic: Any) -> dict[str, Any]:
    loc = diagnostic.loc
    return {
        "path": str(loc.path) if loc else "",
        "line": loc.line if loc else 0,
        "message": diagnostic.message,
        "code": diagnostic.code,
    }
