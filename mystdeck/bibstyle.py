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
from pybtex.style.template import Node, field, sentence

from mystdeck.bibauthoryear import AuthorYearStyle
from mystdeck.bibread import Bibliography
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.helper import Helper
from mystdeck.lang import bib_words, month_name, numeric_date, ordinal
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
    style = make_style(style_name, lang)
    references: dict[str, Reference] = {}
    for key, label, text, authors, year, parts, math in _formatted(
        style, bib, cited, reporter, helper, (style_name, lang)
    ):
        label = f"[{label}]" if numeric else ""
        references[key] = Reference(key, label, authors, year, text, math=math, parts=parts)
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


AUTHOR_YEAR = "author-year"
PYBTEX_STYLES = ("plain", "unsrt", "alpha", "unsrtalpha")


def is_pybtex_style(name: str) -> bool:
    try:
        find_plugin("pybtex.style.formatting", name)
    except PybtexError:
        return False
    return True


def make_style(name: str, lang: str) -> Any:
    """The style ``name`` in the deck's language: mystdeck's author-year list, or a pybtex style (the
    bibliography stage checked the name)."""
    if name == AUTHOR_YEAR or not is_pybtex_style(name):
        return AuthorYearStyle(lang)
    return _in_language(find_plugin("pybtex.style.formatting", name)(), lang)


def _in_language(style: Any, lang: str) -> Any:
    """A pybtex style speaking the deck's language: a subclass of the chosen style whose templates have
    their English words ("pages", "editors", "In", "and") replaced by the language table's, and whose
    titles keep the case they are written in unless the work is English (pybtex's styles lower-case
    them, which only English titles bear)."""
    table = bib_words(lang)

    class InLanguage(type(style)):  # type: ignore[misc]
        def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
            with _in_words(entry, lang):
                get_template = getattr(self, f"get_{entry.type}_template", None)
                if get_template is None or not table:
                    return super().format_entry(label, entry, bib_data)
                context = {"entry": entry, "style": self, "bib_data": bib_data}
                return FormattedEntry(entry.key, _translated(get_template(entry), table).format_data(context), label)

        def format_title(self, e: Entry, which_field: str, as_sentence: bool = True) -> Any:
            if language_of(e, lang) == "en":
                return super().format_title(e, which_field, as_sentence)
            title = field(which_field)
            return sentence[title] if as_sentence else title

    made = InLanguage()
    made.lang = lang
    return made


@contextmanager
def _in_words(entry: Entry, lang: str) -> Iterator[None]:
    """While a pybtex style formats ``entry``, the values it prints as they are read in the deck's
    language: the month ("Juni"), a numbered edition ("2."), the day a page was read ("15.01.2025")."""
    fields = entry.fields
    saved = {name: fields[name] for name in ("month", "edition", "urldate") if name in fields}
    month = saved.get("month", "").strip()
    number = int(month) if month.isdigit() else _ENGLISH_MONTHS.get(month.lower()[:3], 0)
    if 1 <= number <= 12:
        fields["month"] = month_name(number, lang)
    if saved.get("edition", "").strip().isdigit():
        fields["edition"] = ordinal(int(saved["edition"]), lang)
    if "urldate" in saved:
        fields["urldate"] = numeric_date(saved["urldate"], lang)
    try:
        yield
    finally:
        fields.update(saved)


_ENGLISH_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}  # fmt: skip


def language_of(entry: Entry, deck_lang: str) -> str:
    """The language an entry is written in: its ``langid``/``language``, else the deck's."""
    return entry.fields.get("_lang") or deck_lang.split("-")[0].lower()


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


# key, label, HTML, authors' last names, year, the HTML around formulas, their TeX
Formatted = tuple[str, str, str, list[str], str, list[str], list[str]]


def _formatted(
    style: Any, bib: Bibliography, cited: list[str], reporter: Reporter, helper: Helper | None, how: tuple[str, str]
) -> list[Formatted]:
    """Sort and label together (as pybtex's ``format_bibliography`` does), then format entry by entry,
    the last part in the helper process when it runs and the list is long. An entry the style cannot
    format (a pybtex style's required field missing) is reported and shown as the author-year list
    shows it; one that cannot even be sorted is reported and left out."""
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
        for key, message in failed + also:
            reporter.warning(bib.lines.get(key), f"bibliography entry '{key}': {message}", "bib-error")
        return done + more
    return []


def _problem(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


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
            except Exception as exc:  # a style plugin may raise anything; the entry is shown all the same
                failed.append((entry.key, f"{_problem(exc)}: shown as the author-year list shows it"))
                text = AuthorYearStyle(getattr(style, "lang", "en")).format_entry(label, entry).text.render(backend)
            authors = [_last_name(person) for person in _people(entry)]
            readable, parts, math = split_math(text)
            done.append((entry.key, label, readable, authors, str(entry.fields.get("year", "")), parts, math))
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
    style = make_style(style_name, lang)  # its warning, if any, came from the parent
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
            text = made[latex] = latex_text(latex, lambda part: decode(cls, part))
        return text

    richtext.Text.from_latex = classmethod(from_latex)
    try:
        yield
    finally:
        richtext.Text.from_latex = original


# LaTeX commands a reference manager writes into titles, and the rich text they become.
_COMMANDS = {
    **dict.fromkeys(("emph", "textit", "mkbibemph", "textsl"), "em"),
    **dict.fromkeys(("textbf", "mkbibbold"), "strong"),
    **dict.fromkeys(("textsuperscript", "mkbibsuperscript"), "sup"),
    **dict.fromkeys(("textsubscript",), "sub"),
    **dict.fromkeys(("textsc", "textrm", "textsf", "textup", "textnormal", "mbox", "texttt"), ""),
    **dict.fromkeys(("enquote", "mkbibquote"), "quote"),
    **dict.fromkeys(("url", "href"), "url"),
}
_COMMAND = re.compile(r"\\(" + "|".join(_COMMANDS) + r")\s*\{")


def latex_text(latex: str, decode: Any) -> Any:
    """A field's LaTeX as rich text: pybtex decodes accents and escapes (``{\\"u}``, ``\\ss{}``, ``\\&``,
    ``--``, ``~``); the formatting commands above, which pybtex leaves as they are, become emphasis,
    quotes and links. A command's argument may hold more of them."""
    latex = latex.replace(MATH_OPEN, "").replace(MATH_CLOSE, "")  # these two mark formulas: never a .bib's
    math = _MATH.search(latex)
    if math is not None:  # $…$: a formula, typeset like the deck's own
        before = latex_text(latex[: math.start()], decode) if math.start() else richtext.Text()
        rest = latex[math.end() :]
        after = latex_text(rest, decode) if rest.strip() else richtext.Text()
        space = " " if rest[:1].isspace() and rest.strip() else ""  # pybtex drops a group's leading space
        formula = richtext.Tag(MATH_TAG, richtext.String(math.group(1).strip()))
        return richtext.Text(before, formula, space, after)
    match = _COMMAND.search(latex)
    if match is None:
        return decode(latex.replace("\\$", "$"))  # latexcodec leaves an escaped dollar escaped
    end = _closing_brace(latex, match.end())
    inner = latex[match.end() : end]
    kind = _COMMANDS[match.group(1)]
    if kind == "url":
        made: Any = richtext.HRef(inner.strip(), inner.strip())
    elif kind == "quote":
        made = richtext.Text("\u201c", latex_text(inner, decode), "\u201d")
    elif kind:
        made = richtext.Tag(kind, latex_text(inner, decode))
    else:
        made = latex_text(inner, decode)
    after = latex[end + 1 :]
    rest = latex_text(after, decode) if after.strip() else richtext.Text()
    space = " " if after[:1].isspace() and after.strip() else ""  # pybtex drops a group's leading space
    before = decode(latex[: match.start()]) if match.start() else richtext.Text()
    return richtext.Text(before, made, space, rest)


# A formula in a rendered reference: its TeX between two private-use characters, taken out at once
# (``split_math``) into the HTML around it and the TeX; no .bib can write these characters.
MATH_TAG, MATH_OPEN, MATH_CLOSE = "deck-math", "\ue000", "\ue001"
_MATH = re.compile(r"(?<!\\)\$([^$]+)(?<!\\)\$")
_MATH_MARKED = re.compile(MATH_OPEN + "(.*?)" + MATH_CLOSE, re.DOTALL)


def split_math(rendered: str) -> tuple[str, list[str], list[str]]:
    """A rendered reference → its HTML with each formula as ``$TeX$``, the HTML around the formulas,
    and their TeX."""
    pieces = _MATH_MARKED.split(rendered)
    if len(pieces) == 1:
        return rendered, [], []
    parts, math = pieces[0::2], [html.unescape(tex) for tex in pieces[1::2]]
    readable = _MATH_MARKED.sub(lambda m: "$" + m.group(1) + "$", rendered)
    return readable, parts, math


def _closing_brace(text: str, start: int) -> int:
    """Where the group opened before ``start`` closes (its end when it never does)."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{" and text[index - 1] != "\\":
            depth += 1
        elif text[index] == "}" and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


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
        def format_protected(self, text: str) -> str:
            return text  # braces keep a word's case from a style; on the slide they are just text

        def format_tag(self, tag: str, text: str) -> str:
            if tag == MATH_TAG:
                return MATH_OPEN + text + MATH_CLOSE
            return str(super().format_tag(tag, text))

        @staticmethod
        def format_href(url: str, text: str, external: bool = False) -> str:
            if not text:
                return ""
            if not _SAFE_URL.match(url):
                return text
            return f'<a href="{html.escape(url, quote=True)}">{text}</a>'

    return SafeHtml()


_SAFE_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
