"""Bibliography stage, reading: the .bib files in (parsed by pybtex), their entries with the line each starts on out.

A .bib is third-party data (exports, co-authors' files): it is bounded in size, must be UTF-8, a repeated
key keeps its first entry (as in BibTeX), and a ``crossref`` chain that loops is cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError

from mystdeck.bibnormal import normalise
from mystdeck.diagnostics import BuildError, Reporter, SourceLoc


@dataclass(slots=True)
class Bibliography:
    data: BibliographyData = field(default_factory=BibliographyData)
    lines: dict[str, SourceLoc] = field(default_factory=dict)


def load_bibliography(paths: list[Path], reporter: Reporter) -> Bibliography:
    """Parse every .bib file. An entry pybtex cannot read is a warning with its file and line, and is left
    out; the others are read all the same. A file that cannot be read at all (not UTF-8, too large) is an
    error that stops the build."""
    bib = Bibliography()
    failed = False
    for path in paths:
        text = _read_bib(path, reporter)
        if text is None:
            failed = failed or path.is_file()
            continue
        data, captured = _parse(text)
        for problem in captured:
            line = getattr(problem, "lineno", 0) or 0
            if isinstance(problem, BibliographyDataError) and "repeated" in str(problem):
                _report_repeated(problem, path, text, reporter)
                continue
            reporter.warning(SourceLoc(path, line), f"bibliography: {_bib_message(problem)}", "bib-error")
        _merge(bib, data, path, text)
        _normalise(bib, data, reporter)
    if failed:
        raise BuildError("the bibliography cannot be read")
    _break_crossref_cycles(bib, reporter)
    return bib


def _parse(text: str) -> tuple[BibliographyData, list[Exception]]:
    """The entries pybtex reads, and its complaints. An entry it cannot read (an unclosed brace) would
    swallow every entry after it, so then the file is read again entry by entry (each ``@`` that starts
    a line starts one), in one parser, so that the ``@string``s before an entry hold for it."""
    # Names are split into people only for the works a deck cites (bibstyle.with_people).
    whole, problems = _parse_with(Parser(person_fields=()), [(text, 0)])
    if not any(not _repeated(problem) for problem in problems):
        return whole, problems
    starts = [match.start() for match in _LINE_AT.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    chunks = [(text[a:b], text.count("\n", 0, a)) for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return _parse_with(Parser(person_fields=()), chunks)


def _parse_with(parser: Parser, chunks: list[tuple[str, int]]) -> tuple[BibliographyData, list[Exception]]:
    problems: list[Exception] = []
    for chunk, lines_before in chunks:
        before = set(parser.data.entries.keys())
        with pybtex.errors.capture() as captured:
            try:
                parser.parse_string(chunk)
            except PybtexError as exc:
                captured.append(exc)
        for problem in captured:
            if len(chunks) > 1 and not _repeated(problem):
                problem.lineno = lines_before + 1  # the first line of the entry
        if len(chunks) > 1 and any(not _repeated(problem) for problem in captured):
            for key in set(parser.data.entries.keys()) - before:  # half read: left out, as the warning says
                del parser.data.entries[key]
        problems.extend(captured)
    return parser.data, problems


def _repeated(problem: Exception) -> bool:
    return isinstance(problem, BibliographyDataError) and "repeated" in str(problem)


_LINE_AT = re.compile(r"^@", re.MULTILINE)


def _normalise(bib: Bibliography, data: BibliographyData, reporter: Reporter) -> None:
    """biblatex's and BibTeX's entries in one model (``bibnormal``); what cannot be read is a warning at
    the entry's line, and the entry stays."""
    for key, entry in data.entries.items():
        for problem in normalise(key, entry):
            reporter.warning(bib.lines.get(key), f"bibliography entry '{key}': {problem.message}", "bib-error")


def _report_repeated(problem: Exception, path: Path, text: str, reporter: Reporter) -> None:
    """BibTeX keeps the first of two entries with one key and warns; so do we, at the second one."""
    key = str(problem).rpartition(": ")[2].strip()
    starts = [m for m in _ENTRY_START.finditer(text) if m.group(1).lower() == key.lower()]
    line = text.count("\n", 0, starts[1].start()) + 1 if len(starts) > 1 else 0
    reporter.warning(
        SourceLoc(path, line), f"bibliography: the key '{key}' is used again: the first entry is kept", "bib-error"
    )


def _break_crossref_cycles(bib: Bibliography, reporter: Reporter) -> None:
    """An entry whose ``crossref`` chain comes back to itself would never finish: its link is dropped."""
    entries = bib.data.entries
    for key in list(entries.keys()):
        chain = [key]
        while (target := entries[chain[-1]].fields.get("crossref")) and target in entries:
            target = entries[target].key
            if target in chain:
                del entries[chain[-1]].fields["crossref"]
                reporter.warning(
                    bib.lines.get(chain[-1]),
                    f"bibliography: entry '{chain[-1]}' cross-references '{target}', which leads back to it "
                    "(crossref ignored)",
                    "bib-error",
                )
                break
            chain.append(target)


MAX_BIB_BYTES = 100 * 1024 * 1024


def _read_bib(path: Path, reporter: Reporter) -> str | None:
    try:
        if path.stat().st_size > MAX_BIB_BYTES:
            reporter.error(SourceLoc(path), f"bibliography: larger than {MAX_BIB_BYTES >> 20} MiB", "bib-error")
            return None
        data = path.read_bytes()
    except OSError:
        report_missing_bib(path, reporter)
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reporter.error(SourceLoc(path, line), "bibliography: not UTF-8 text: save the .bib as UTF-8", "bib-error")
        return None


def report_missing_bib(path: Path, reporter: Reporter) -> None:
    reporter.warning(SourceLoc(path), "bibliography not found: citations are shown as their keys", "bib-missing")


def _bib_message(exc: Exception) -> str:
    text = str(exc)
    return re.sub(r"^syntax error in line \d+: ", "", text) + ": this entry is left out; fix it in the .bib file"


_ENTRY_START = re.compile(r"@\w+\s*[{(]\s*([^,\s]+)\s*,")


def _merge(bib: Bibliography, data: BibliographyData, path: Path, text: str) -> None:
    """Add the entries, each with the line it starts on (pybtex does not keep lines)."""
    line, position = 1, 0
    starts: dict[str, int] = {}
    for match in _ENTRY_START.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        starts.setdefault(match.group(1), line)
    for key, entry in data.entries.items():
        bib.data.entries[key] = entry
        bib.lines[key] = SourceLoc(path, starts.get(key, 0))


def entries_json(bib: Bibliography) -> list[list[Any]]:
    """Each entry as [key, type, fields, file, line], taken before people were split from names."""
    return [
        [key, entry.type, dict(entry.fields), str(bib.lines[key].path), bib.lines[key].line]
        for key, entry in bib.data.entries.items()
    ]


def from_json(value: Any) -> Bibliography | None:
    """The entries ``entries_json`` made (kept on disk, or sent by the helper), checked one by one; None
    when anything does not fit."""
    if not isinstance(value, list):
        return None
    bib = Bibliography(BibliographyData())
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
