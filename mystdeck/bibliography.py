"""Bibliography stage: the .bib files in (read by pybtex), the cited works formatted as HTML references out.

A .bib is third-party data (exports, co-authors' files): every field is escaped, links go only to
``http(s)``, a repeated key keeps its first entry, and a ``crossref`` chain that loops is cut.
"""

from __future__ import annotations

import difflib
import functools
import html
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pybtex.errors
from pybtex import richtext
from pybtex.database import BibliographyData, BibliographyDataError, Entry, Person, parse_string
from pybtex.database.input.bibtex import split_name_list
from pybtex.exceptions import PybtexError
from pybtex.plugin import find_plugin
from pybtex.style import FormattedEntry
from pybtex.style.template import Node

from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.helper import Helper
from mystdeck.lang import bib_words
from mystdeck.model import Deck, Reference

pybtex.errors.set_strict_mode(False)


@dataclass(slots=True)
class Bibliography:
    data: BibliographyData = field(default_factory=BibliographyData)
    lines: dict[str, SourceLoc] = field(default_factory=dict)


def load_bibliography(paths: list[Path], reporter: Reporter) -> Bibliography:
    """Parse every .bib file; syntax errors are reported with their file and line, then stop the build."""
    bib = Bibliography()
    failed = False
    for path in paths:
        text = _read_bib(path, reporter)
        if text is None:
            failed = failed or path.is_file()
            continue
        with pybtex.errors.capture() as captured:
            try:
                # Names are split into people only for the works a deck cites (see _with_people).
                data = parse_string(text, "bibtex", person_fields=())
            except PybtexError as exc:
                captured.append(exc)
                data = BibliographyData()
        for problem in captured:
            line = getattr(problem, "lineno", 0) or 0
            if isinstance(problem, BibliographyDataError) and "repeated" in str(problem):
                _report_repeated(problem, path, text, reporter)
                continue
            reporter.error(SourceLoc(path, line), f"bibliography: {_bib_message(problem)}", "bib-error")
            failed = True
        _merge(bib, data, path, text)
    if failed:
        raise BuildError("the bibliography cannot be read")
    _break_crossref_cycles(bib, reporter)
    return bib


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
    return re.sub(r"^syntax error in line \d+: ", "", text) + ": fix the entry in the .bib file"


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


def cited_keys(deck: Deck, known: Collection[str], reporter: Reporter, paths: Sequence[Path]) -> list[str]:
    """The cited keys the bibliography has, in citation order; warn once for each one it lacks.

    Keys match whatever their case, as in pybtex; each citation is rewritten to the .bib's spelling.
    """
    spelled = {key.lower(): key for key in known}
    cited: dict[str, None] = {}
    for cite in sorted(deck.cites, key=lambda c: c.loc.line):
        for index, (pre, key, post) in enumerate(cite.keys):
            found = spelled.get(key.lower())
            if found is None:
                reporter.warning(cite.loc, _missing(key, spelled, paths), "cite-missing")
                continue
            cite.keys[index] = (pre, found, post)
            cited[found] = None
    return list(cited)


def _missing(key: str, spelled: dict[str, str], paths: Sequence[Path]) -> str:
    close = difflib.get_close_matches(key.lower(), list(spelled), n=1, cutoff=0.6)
    hint = f" (did you mean {spelled[close[0]]}?)" if close else ""
    searched = ", ".join(str(SourceLoc(path)) for path in paths) or "the bibliography"
    return f"citation key not found in {searched}: {key}{hint}"


PARALLEL_MIN = 300  # from this many cited works on, a helper process formats part of them
OWN_SHARE = 0.53  # the parent's part: the helper's costs a little more (the entries travel as JSON)


def format_references(
    cited: list[str],
    bib: Bibliography,
    reporter: Reporter,
    style_name: str,
    numeric: bool,
    style_loc: SourceLoc,
    lang: str = "en",
    helper: Helper | None = None,
) -> dict[str, Reference]:
    """Format only the cited entries with a pybtex style; with a running ``helper``, part of them there."""
    if not cited:
        return {}
    _with_people(bib, cited)
    style = _in_language(_style(style_name, reporter, style_loc), lang)
    references: dict[str, Reference] = {}
    for key, label, text, authors, year in _formatted(style, bib, cited, reporter, helper, (style_name, lang)):
        label = f"[{label}]" if numeric else ""
        references[key] = Reference(key=key, label=label, authors=authors, year=year, html=text)
    return references


PERSON_FIELDS = ("author", "editor")


def _with_people(bib: Bibliography, keys: list[str]) -> None:
    """Turn the author and editor fields of these entries (and those they cross-reference) into people.

    A name met again is the same ``Person`` (pybtex never changes one once made): authors recur.
    """
    entries = bib.data.entries
    people: dict[str, Person] = {}
    todo = list(keys)
    while todo:
        entry = entries.get(todo.pop())
        if entry is None:
            continue
        for role in PERSON_FIELDS:
            if role in entry.fields:
                for name in split_name_list(entry.fields.pop(role)):
                    person = people.get(name) or people.setdefault(name, Person(name))
                    entry.add_person(person, role)
        if "crossref" in entry.fields:
            todo.append(entry.fields["crossref"])


def _style(name: str, reporter: Reporter | None, loc: SourceLoc | None = None):  # type: ignore[no-untyped-def]
    try:
        return find_plugin("pybtex.style.formatting", name)()
    except PybtexError:
        if reporter is not None:
            reporter.warning(loc, f"bibliography style '{name}' is not installed; using plain", "bad-style")
        return find_plugin("pybtex.style.formatting", "plain")()


def _in_language(style: Any, lang: str) -> Any:
    """The style speaking the deck's language: a subclass of the chosen style whose templates have
    their English words ("pages", "editors", "In", "and") replaced by the language table's."""
    table = bib_words(lang)
    if not table:
        return style

    class InLanguage(type(style)):  # type: ignore[misc]
        def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
            get_template = getattr(self, f"get_{entry.type}_template", None)
            if get_template is None:
                return super().format_entry(label, entry, bib_data)
            context = {"entry": entry, "style": self, "bib_data": bib_data}
            return FormattedEntry(entry.key, _translated(get_template(entry), table).format_data(context), label)

    return InLanguage()


def _translated(node: Any, table: dict[str, str]) -> Any:
    """A copy of a pybtex template with its literal words (and name separators) translated."""
    if isinstance(node, str):
        return table.get(node, node)
    if not isinstance(node, Node):
        return node
    copy = node._clone()
    copy.children = [_translated(child, table) for child in node.children]
    copy.kwargs = {k: table.get(v, v) if k in ("sep2", "last_sep") else v for k, v in node.kwargs.items()}
    return copy


Formatted = tuple[str, str, str, list[str], str]  # key, label, HTML, authors' last names, year


def _formatted(
    style: Any, bib: Bibliography, cited: list[str], reporter: Reporter, helper: Helper | None, how: tuple[str, str]
) -> list[Formatted]:
    """Sort and label together (as pybtex's ``format_bibliography`` does), then format entry by entry,
    the last part in the helper process when it runs and the list is long. An entry the style cannot
    format is reported and left out, and the rest is labelled again without it."""
    keys = list(cited)
    while keys:
        try:
            with pybtex.errors.capture():
                entries = [bib.data.entries[key] for key in bib.data.add_extra_citations(keys, style.min_crossrefs)]
                ordered = list(style.sort(entries))
                labelled = list(zip(style.format_labels(ordered), ordered, strict=True))
        except PybtexError as exc:
            _drop(_culprit(keys, exc), str(exc), keys, bib, reporter)
            continue
        wait = None
        half = len(labelled)
        if helper is not None and helper.running and len(labelled) >= PARALLEL_MIN:
            half = round(len(labelled) * OWN_SHARE)
            theirs = [(label, _portable(entry)) for label, entry in labelled[half:]]
            wait = helper.ask("mystdeck.bibliography:format_portable", how, theirs)
        done, failed = _format_entries(style, labelled[:half])
        answer = wait() if wait is not None else None
        more, also = answer if answer is not None else _format_entries(style, labelled[half:])
        if not failed and not also:
            return done + more
        for key, message in failed + also:
            _drop(key, message, keys, bib, reporter)
    return []


def _culprit(keys: list[str], exc: Exception) -> str:
    return next((k for k in keys if k in str(exc)), keys[-1])


def _drop(key: str, message: str, keys: list[str], bib: Bibliography, reporter: Reporter) -> None:
    reporter.warning(bib.lines.get(key), f"bibliography entry '{key}': {message}", "bib-error")
    keys.remove(key)


def _format_entries(style: Any, labelled: Sequence[tuple[str, Entry]]) -> tuple[list[Formatted], list[tuple[str, str]]]:
    """Each entry as HTML with its label, authors and year; and the (key, problem) of those that failed."""
    backend = _safe_backend()
    done: list[Formatted] = []
    failed: list[tuple[str, str]] = []
    with pybtex.errors.capture(), _latex_memo(), _names_memo(style):
        for label, entry in labelled:
            try:
                text = style.format_entry(label, entry).text.render(backend)
            except PybtexError as exc:
                failed.append((entry.key, str(exc)))
                continue
            authors = [_last_name(person) for person in _people(entry)]
            done.append((entry.key, label, text, authors, str(entry.fields.get("year", ""))))
    return done, failed


Portable = tuple[str, str, dict[str, str], dict[str, list[list[list[str]]]]]


def _portable(entry: Entry) -> Portable:
    """An entry as plain lists and strings, quick to send to the helper process."""
    persons = {
        role: [[p.first_names, p.middle_names, p.prelast_names, p.last_names, p.lineage_names] for p in people]
        for role, people in entry.persons.items()
    }
    return entry.key, entry.original_type, dict(entry.fields), persons


def format_portable(
    how: tuple[str, str], labelled: list[tuple[str, Portable]]
) -> tuple[list[Formatted], list[tuple[str, str]]]:
    """In the helper process: the style by name and language, then the entries as ``_format_entries``."""
    style_name, lang = how
    style = _in_language(_style(style_name, None), lang)  # its warning, if any, came from the parent
    entries = []
    for label, (key, kind, fields, persons) in labelled:
        entry = Entry(kind, fields=fields)
        entry.key = key
        for role, people in persons.items():
            for first, middle, prelast, last, lineage in people:
                person = Person()
                person.first_names, person.middle_names, person.prelast_names = first, middle, prelast
                person.last_names, person.lineage_names = last, lineage
                entry.add_person(person, role)
        entries.append((label, entry))
    return _format_entries(style, entries)


@contextmanager
def _names_memo(style: Any) -> Iterator[None]:
    """While formatting, each person's name is formatted once (authors recur across entries).

    Only for pybtex's own name styles, whose templates depend on the person alone; a name style
    from elsewhere might look at the entry, and is asked every time.
    """
    if not type(style.name_style).__module__.startswith("pybtex.style.names."):
        yield
        return
    format_name = style.format_name
    made: dict[tuple[Any, ...], Any] = {}

    def remembered(person: Person, abbr: bool = False) -> Any:
        key = (*map(tuple, (person.first_names, person.middle_names, person.prelast_names)), abbr)
        key += (tuple(person.last_names), tuple(person.lineage_names))
        text = made.get(key)
        if text is None:
            text = made[key] = format_name(person, abbr).format_data(None)  # rich text: used as it is
        return text

    style.format_name = remembered
    try:
        yield
    finally:
        style.format_name = format_name


@contextmanager
def _latex_memo() -> Iterator[None]:
    """While formatting, pybtex's ``Text.from_latex`` remembers what it made of each field's text.

    Names, journals and publishers repeat across a bibliography, and decoding LaTeX (latexcodec, one
    character at a time) is most of pybtex's formatting time. pybtex treats rich text as immutable
    (its parts are set only when made), so one result serves every entry that has the same text.
    """
    original = richtext.Text.__dict__["from_latex"]
    decode = original.__func__
    made: dict[str, Any] = {}

    def from_latex(cls: type, latex: str) -> Any:
        text = made.get(latex)
        if text is None:
            text = made[latex] = decode(cls, latex)
        return text

    richtext.Text.from_latex = classmethod(from_latex)
    try:
        yield
    finally:
        richtext.Text.from_latex = original


def _people(entry: Entry) -> list[Person]:
    return list(entry.persons.get("author") or entry.persons.get("editor") or [])


def _last_name(person: Person) -> str:
    return " ".join(str(part) for part in person.rich_prelast_names + person.rich_last_names)


@functools.cache
def _safe_backend() -> Any:
    """pybtex's HTML backend, with links only to http(s) and every address escaped as an attribute.

    The ``url``, ``doi``, ``eprint`` and ``pubmed`` fields reach ``href`` unescaped in pybtex's own
    backend; a .bib is third-party data, so here a quote cannot leave the attribute and a
    ``javascript:`` address is shown as text, not as a link. Made on first use: looking pybtex's
    plugin up costs time that a deck without citations need not spend.
    """

    class SafeHtml(find_plugin("pybtex.backends", "html")):  # type: ignore[misc]
        @staticmethod
        def format_href(url: str, text: str, external: bool = False) -> str:
            if not text:
                return ""
            if not _SAFE_URL.match(url):
                return text
            return f'<a href="{html.escape(url, quote=True)}">{text}</a>'

    return SafeHtml()


_SAFE_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
