"""Citations helper: parsed bibliographies and formatted reference lists, cached by content hash.

A build reads each .bib once; a later build (or a rebuild while serving) with the same .bib finds its
keys and, when the same works are cited, the formatted list without asking pybtex at all. The cache
lives in memory for the life of the process and on disk in the output's ``.cache/bib/`` folder as
signed JSON (``store``); whatever is read back is checked field by field and ignored when it does
not fit, so a changed cache file costs time, never safety.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pybtex
from pybtex.database import BibliographyData, Entry

from mystdeck import bibliography
from mystdeck.diagnostics import CODES, BuildError, Diagnostic, Reporter, SourceLoc
from mystdeck.helper import Answer, Helper
from mystdeck.model import Deck, Reference
from mystdeck.store import Store

FORMAT_VERSION = "3"
READ_AHEAD_BYTES = 256 * 1024  # about a thousand entries: reading takes longer than starting a helper
_REFERENCE_FIELDS = {"key": str, "label": str, "authors": list, "year": str, "html": str, "slide_id": str}


@dataclass(slots=True)
class BibCache:
    store: Store = field(default_factory=lambda: Store(None, None))
    _parsed: dict[str, bibliography.Bibliography] = field(default_factory=dict)
    _keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # the .bib's keys and its own warnings
    _formatted: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ahead: dict[str, Answer] = field(default_factory=dict)  # .bib files the helper is reading, this build

    def read_ahead(self, paths: list[Path], helper: Helper) -> None:
        """Have the helper read a large .bib this cache has never seen, while the deck is parsed."""
        self._ahead.clear()
        try:
            if sum(path.stat().st_size for path in paths if path.is_file()) < READ_AHEAD_BYTES:
                return
        except OSError:  # gone meanwhile: the build reads it and says so
            return
        digest = _digest(paths)
        if digest in self._parsed or digest in self._keys:
            return
        known = _valid_keys(self.store.read(f"{digest}.keys.json"))
        if known is not None:  # read before: kept for the build, which needs the keys anyway
            self._keys[digest] = known
            return
        helper.start()
        self._ahead[digest] = helper.ask("mystdeck.bibcache:read_in_helper", [str(path) for path in paths])

    def references(self, deck: Deck, paths: list[Path], reporter: Reporter, helper: Helper) -> dict[str, Reference]:
        try:
            return self._references(deck, paths, reporter, helper)
        finally:
            self._ahead.clear()

    def _references(self, deck: Deck, paths: list[Path], reporter: Reporter, helper: Helper) -> dict[str, Reference]:
        front = deck.source.front
        digest = _digest(paths)
        many = len(_distinct_keys(deck)) >= bibliography.PARALLEL_MIN
        known = self._keys.get(digest) or _valid_keys(self.store.read(f"{digest}.keys.json"))
        if known is None:
            if many:
                helper.start()  # a first build of this .bib: its start-up overlaps reading the .bib
            start = len(reporter.diagnostics)
            bib = self._bibliography(digest, paths, reporter)
            known = {
                "keys": {key: loc.line for key, loc in bib.lines.items()},
                "warnings": [_as_dict(d) for d in reporter.diagnostics[start:]],
            }
            self.store.write(f"{digest}.keys.json", known)
        else:
            _replay(known["warnings"], reporter)
        self._keys[digest] = known
        cited = bibliography.cited_keys(deck, known["keys"], reporter, paths)
        numeric = front.citation_style == "numeric"
        style_loc = SourceLoc(deck.source.path, front.lines.get("bibliography-style", 0))
        wanted = json.dumps([digest, front.bibliography_style, numeric, front.lang, cited, str(style_loc)])
        name = hashlib.sha256(wanted.encode("utf-8")).hexdigest()[:24] + ".refs.json"
        hit = self._formatted.get(name) or _valid_formatted(self.store.read(name))
        if hit is None:
            if many:
                helper.start()
            start = len(reporter.diagnostics)
            bib = self._bibliography(digest, paths, Reporter())  # its own warnings came with its keys
            refs = bibliography.format_references(
                cited, bib, reporter, front.bibliography_style, numeric, style_loc, front.lang, helper
            )
            hit = {
                "refs": [asdict(ref) for ref in refs.values()],
                "warnings": [_as_dict(d) for d in reporter.diagnostics[start:]],
            }
            self.store.write(name, hit)
        else:
            _replay(hit["warnings"], reporter)
        self._formatted[name] = hit
        return {ref["key"]: Reference(**ref) for ref in hit["refs"]}

    def _bibliography(self, digest: str, paths: list[Path], reporter: Reporter) -> bibliography.Bibliography:
        bib = self._parsed.get(digest) or _bibliography_from(self.store.read(f"{digest}.bib.json"))
        if bib is None and digest in self._ahead:
            bib = _read_by_helper(self._ahead.pop(digest)(), reporter)
        if bib is None:
            seen_before = self.store.read(f"{digest}.keys.json") is not None
            bib = bibliography.load_bibliography(paths, reporter)
            # The first build of a .bib keeps only its keys and formatted list; the parsed data is
            # kept once a later build cites other works of the same file and so needs it again.
            if seen_before:
                self.store.write(f"{digest}.bib.json", _bibliography_json(bib))
        self._parsed[digest] = bib
        return bib


def read_in_helper(paths: list[str]) -> dict[str, Any]:
    """In the helper process: read the .bib files as the parent would, its messages included."""
    reporter = Reporter()
    try:
        entries = _bibliography_json(bibliography.load_bibliography([Path(path) for path in paths], reporter))
    except BuildError:
        entries = None
    return {"entries": entries, "messages": [{**_as_dict(d), "severity": d.severity} for d in reporter.diagnostics]}


def _read_by_helper(answer: Any, reporter: Reporter) -> bibliography.Bibliography | None:
    """The parsed .bib from the helper's answer, its messages reported here; None if it has none."""
    if not (isinstance(answer, dict) and set(answer) == {"entries", "messages"}):
        return None
    messages = answer["messages"]
    if not isinstance(messages, list) or not all(_valid_message(m) for m in messages):
        return None
    bib = _bibliography_from(answer["entries"]) if answer["entries"] is not None else None
    if bib is None and answer["entries"] is not None:
        return None
    for message in messages:
        report = reporter.error if message["severity"] == "error" else reporter.warning
        report(_loc(message), message["message"], message["code"])
    if bib is None:
        raise BuildError("the bibliography cannot be read")
    return bib


def _distinct_keys(deck: Deck) -> set[str]:
    return {key.lower() for cite in deck.cites for _pre, key, _post in cite.keys}


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


def _replay(warnings: list[dict[str, Any]], reporter: Reporter) -> None:
    for warning in warnings:
        reporter.warning(_loc(warning), warning["message"], warning["code"])


def _as_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """A diagnostic as it was reported, so a cached one prints exactly the same line again."""
    loc = diagnostic.loc
    return {
        "path": str(loc.path) if loc else None,
        "line": loc.line if loc else 0,
        "message": diagnostic.message,
        "code": diagnostic.code,
    }


def _loc(warning: dict[str, Any]) -> SourceLoc | None:
    return SourceLoc(Path(warning["path"]), warning["line"]) if warning["path"] is not None else None


def _bibliography_json(bib: bibliography.Bibliography) -> list[list[Any]]:
    """Each entry as [key, type, fields, file, line], taken before people were split from names."""
    return [
        [key, entry.type, dict(entry.fields), str(bib.lines[key].path), bib.lines[key].line]
        for key, entry in bib.data.entries.items()
    ]


# What a cache file must hold to be used; anything else is ignored and made again.


def _valid_keys(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or set(value) != {"keys", "warnings"}:
        return None
    keys, warnings = value["keys"], value["warnings"]
    if not isinstance(keys, dict) or not all(isinstance(k, str) and type(v) is int for k, v in keys.items()):
        return None
    return value if isinstance(warnings, list) and all(_valid_warning(w) for w in warnings) else None


def _valid_formatted(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or set(value) != {"refs", "warnings"}:
        return None
    refs, warnings = value["refs"], value["warnings"]
    if not isinstance(refs, list) or not isinstance(warnings, list):
        return None
    if not all(_valid_reference(ref) for ref in refs) or not all(_valid_warning(w) for w in warnings):
        return None
    return value


def _valid_reference(ref: Any) -> bool:
    return (
        isinstance(ref, dict)
        and set(ref) == set(_REFERENCE_FIELDS)
        and all(isinstance(ref[name], kind) for name, kind in _REFERENCE_FIELDS.items())
        and all(isinstance(author, str) for author in ref["authors"])
    )


def _valid_message(message: Any) -> bool:
    if not isinstance(message, dict) or message.get("severity") not in ("warning", "error"):
        return False
    return _valid_warning({k: v for k, v in message.items() if k != "severity"})


def _valid_warning(warning: Any) -> bool:
    return (
        isinstance(warning, dict)
        and set(warning) == {"path", "line", "message", "code"}
        and (warning["path"] is None or isinstance(warning["path"], str))
        and type(warning["line"]) is int
        and isinstance(warning["message"], str)
        and warning["code"] in CODES
    )


def _bibliography_from(value: Any) -> bibliography.Bibliography | None:
    if not isinstance(value, list):
        return None
    bib = bibliography.Bibliography(BibliographyData())
    for item in value:
        if not (isinstance(item, list) and len(item) == 5):
            return None
        key, kind, fields, path, line = item
        if not (isinstance(key, str) and isinstance(kind, str) and isinstance(path, str) and type(line) is int):
            return None
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            return None
        if key in bib.data.entries:
            return None
        bib.data.add_entry(key, Entry(kind, fields=fields))
        bib.lines[key] = SourceLoc(Path(path), line)
    return bib
