"""Bibliography stage, formatting: the cited entries in, each as HTML in a pybtex style and the deck's language out.

Every field is escaped and links go only to ``http(s)`` (a .bib is third-party data). A long list is
formatted on both cores: part of it in the helper process.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pybtex.errors
from pybtex import richtext
from pybtex.database import Entry, Person
from pybtex.database.input.bibtex import split_name_list
from pybtex.exceptions import PybtexError
from pybtex.plugin import find_plugin
from pybtex.style import FormattedEntry
from pybtex.style.template import Node

from mystdeck.bibread import Bibliography
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.helper import Helper
from mystdeck.lang import bib_words
from mystdeck.model import Reference

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
    with_people(bib, cited, reporter)
    style = _in_language(_style(style_name, reporter, style_loc), lang)
    references: dict[str, Reference] = {}
    for key, label, text, authors, year in _formatted(style, bib, cited, reporter, helper, (style_name, lang)):
        label = f"[{label}]" if numeric else ""
        references[key] = Reference(key=key, label=label, authors=authors, year=year, html=text)
    return references


PERSON_FIELDS = ("author", "editor")


def with_people(bib: Bibliography, keys: list[str], reporter: Reporter | None = None) -> None:
    """Turn the author and editor fields of these entries (and those they cross-reference) into people.

    A name met again is the same ``Person`` (pybtex never changes one once made): authors recur. A
    name pybtex finds odd (too many commas) is a warning at its entry, and split as pybtex can.
    """
    entries = bib.data.entries
    people: dict[str, Person] = {}
    todo = list(keys)
    while todo:
        entry = entries.get(todo.pop())
        if entry is None:
            continue
        for role in PERSON_FIELDS:
            if role not in entry.fields:
                continue
            with pybtex.errors.capture() as captured:
                for name in split_name_list(entry.fields.pop(role)):
                    person = people.get(name) or people.setdefault(name, Person(name))
                    entry.add_person(person, role)
            for problem in captured:
                if reporter is not None:
                    where = bib.lines.get(entry.key)
                    reporter.warning(where, f"bibliography entry '{entry.key}': {problem}", "bib-error")
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
            wait = helper.ask(format_portable, how, theirs)
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
