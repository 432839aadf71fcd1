"""Bibliography stage, mystdeck's author-year list: a pybtex style whose reference list matches the author-year
citations in the text (Müller und Schmidt (2020) → "Müller, Jörg; Schmidt, Anna (2020). …").

It reads the normalised model (``bibnormal``), so biblatex's and BibTeX's entries alike, and never needs
a field: what an entry lacks is left out, and an entry with no year reads "o. J." / "n.d.". Titles keep the
case their author wrote. Its words come from the language table (``lang.REFERENCE_WORDS``): "Hrsg.",
"2. Aufl.", "S. 541–546", "Diss.", "abgerufen am 15.01.2025" in a German deck.
"""

from __future__ import annotations

import re
from typing import Any

from pybtex.database import Entry, Person
from pybtex.richtext import BaseText, HRef, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from mystdeck.lang import numeric_date, ordinal, reference_words

_PARTS = ("article", "incollection", "inproceedings")  # titles of parts are upright, of wholes italic
_SAFE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


class AuthorYearStyle(BaseStyle):  # type: ignore[misc]
    default_name_style = "lastfirst"
    default_label_style = "number"
    default_sorting_style = "author_year_title"

    def __init__(self, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.words = reference_words(lang)

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
        return FormattedEntry(entry.key, _Entry(self, entry).text(), label)


class _Entry:
    """One entry being formatted: its blocks, each ended by a full stop, then joined by spaces."""

    def __init__(self, style: AuthorYearStyle, entry: Entry) -> None:
        self.style, self.entry, self.words = style, entry, style.words
        self.kind = entry.type
        self.fields = entry.fields

    def text(self) -> BaseText:
        blocks = [*self._head(), *self._body(), self._field("note"), *self._links()]
        sentences = [_sentence(block) for block in blocks if block]
        return Text(" ").join(sentences)

    # What is said first: who, and when (or the title and when, for a work without a person).

    def _head(self) -> list[BaseText]:
        who = self._who()
        year = self._field("year") or Text(self.words["no_year"])
        if who:
            self.title_said = False
            return [Text(who, " (", year, ")")]
        self.title_said = True
        return [Text(self._title(), " (", year, ")")]

    def _who(self) -> BaseText:
        if self.entry.persons.get("author"):
            return self._people("author")
        if self.entry.persons.get("editor"):
            editors = self.entry.persons["editor"]
            word = self.words["editors" if len(editors) > 1 else "editor"]
            return Text(self._people("editor"), f" ({word})")
        return self._field("organization") or self._field("institution") or Text()

    def _people(self, role: str, name_style: str = "lastfirst") -> BaseText:
        people = self.entry.persons.get(role, [])
        shown = [self._name(person) for person in people]
        if len(shown) <= 1:
            return Text(*shown)
        return Text(Text("; ").join(shown[:-1]), f" {self.words['and']} ", shown[-1])

    def _name(self, person: Person) -> BaseText:
        made = self.style.format_name(person, self.style.abbreviate_names)
        return made if isinstance(made, BaseText) else made.format_data(None)

    # The title, and what follows it for each kind of work.

    def _title(self) -> BaseText:
        title = self._field("title")
        if not title:
            return Text()
        part = self.kind in _PARTS and self.fields.get("_type") != "periodical"
        return title if part else Tag("em", title)

    def _body(self) -> list[BaseText]:
        blocks = [] if self.title_said else [self._title()]
        if self.kind == "article":
            return [*blocks, self._journal()]
        if self.kind in ("incollection", "inproceedings"):
            return [*blocks, self._container(), self._publication(pages=True)]
        if self.kind in ("phdthesis", "mastersthesis"):
            return [*blocks, self._thesis()]
        if self.kind == "techreport":
            return [*blocks, self._report()]
        return [*blocks, self._type_word(), *self._book_details(), self._howpublished(), self._publication()]

    def _journal(self) -> BaseText:
        journal = self._field("journal")
        volume, number = self._field("volume"), self._field("number")
        issue = (
            Text(volume, "(", number, ")") if volume and number else volume or _labelled(self.words["number"], number)
        )
        where = Text(" ").join([part for part in (Tag("em", journal) if journal else Text(), issue) if part])
        pages = self._pages()
        shown = Text(", ").join([part for part in (where, pages) if part])
        return Text(self.words["in"], " ", shown) if journal else shown

    def _container(self) -> BaseText:
        book = self._field("booktitle") or self._field("maintitle")
        editors = Text()
        if self.entry.persons.get("editor") and self.entry.persons.get("author"):
            word = self.words["editors" if len(self.entry.persons["editor"]) > 1 else "editor"]
            editors = Text(self._people("editor"), f" ({word}): ")
        inside = Text(editors, Tag("em", book)) if book else editors
        details = [inside, *self._book_details()]
        shown = Text(". ").join([_unstop(part) for part in details if part])
        return Text(self.words["in"], " ", shown) if shown else Text()

    def _book_details(self) -> list[BaseText]:
        """Edition, volume and series of a book (or of the book a part is in)."""
        edition = self._edition()
        volume = _labelled(self.words["volume"], self._field("volume")) if self.kind != "article" else Text()
        series = self._field("series")
        number = self._field("number") if self.kind != "article" else Text()
        series_shown = Text(series, " ", number) if series and number else series
        editors = Text()
        if (
            self.kind in ("book", "proceedings")
            and self.entry.persons.get("author")
            and self.entry.persons.get("editor")
        ):
            editors = Text(self.words["edited_by"], " ", self._people("editor"))
        translators = self._field("translator")
        translated = Text(self.words["translated_by"], " ", translators) if translators else Text()
        return [part for part in (editors, translated, edition, volume, series_shown) if part]

    def _edition(self) -> BaseText:
        edition = self.fields.get("edition", "").strip()
        if not edition:
            return Text()
        if edition.isdigit():
            return Text(ordinal(int(edition), self.style.lang), " ", self.words["edition"])
        return self._field("edition")

    def _publication(self, pages: bool = False) -> BaseText:
        """``Address: Publisher`` (and the pages of a part), as it is written in both languages."""
        address, publisher = self._field("address"), self._field("publisher") or self._field("organization")
        place = Text(address, ": ", publisher) if address and publisher else address or publisher
        page_text = self._pages() if pages else Text()
        return Text(", ").join([part for part in (place, page_text) if part])

    def _howpublished(self) -> BaseText:
        """How a ``@misc`` or ``@booklet`` came out (Google Scholar writes an arXiv preprint's as ``journal``)."""
        return self._field("howpublished") or self._field("journal")

    def _thesis(self) -> BaseText:
        word = self._field("type") or Text(self.words[self.kind])
        school, address = self._field("school"), self._field("address")
        return Text(", ").join([part for part in (word, school, address) if part])

    def _report(self) -> BaseText:
        word = self._field("type") or Text(self.words["techreport"])
        number = self._field("number")
        what = Text(word, " ", number) if number else word
        place = [self._field("institution"), self._field("address")]
        return Text(", ").join([part for part in (what, *place) if part])

    def _type_word(self) -> BaseText:
        """What kind of work a ``@misc`` is, when biblatex said so (software, a data set, a patent)."""
        written = self.fields.get("_type", "")
        if self.kind == "misc" and written in ("software", "dataset", "patent"):
            return Text(self.words[written])
        return Text()

    def _pages(self) -> BaseText:
        pages = self.fields.get("pages", "").strip()
        if not pages:
            return Text()
        dashed = re.sub(r"\s*-+\s*", "\u2013", pages)
        word = self.words["pages" if "\u2013" in dashed or "," in dashed else "page"]
        return Text(word, "\u00a0", Text.from_latex(dashed))

    # Where to find it.

    def _links(self) -> list[BaseText]:
        links: list[BaseText] = []
        doi = _unescape(self.fields.get("doi", "").strip())
        doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.IGNORECASE)
        if doi:
            links.append(Text(self.words["doi"], ": ", _link(f"https://doi.org/{doi}", doi)))
        if self.fields.get("_eprint"):
            links.append(_link(self.fields["_eprint_url"], self.fields["_eprint"]))
        url = _unescape(self.fields.get("url", "").strip())
        if url and not (doi and "doi.org/" in url) and url != self.fields.get("_eprint_url"):
            shown = Text(self.words["url"], ": ", _link(url, url))
            read = self.fields.get("urldate", "").strip()
            if read:
                shown = Text(shown, " (", self.words["accessed"].format(date=numeric_date(read, self.style.lang)), ")")
            links.append(shown)
        return links

    def _field(self, name: str) -> BaseText:
        value = self.fields.get(name, "")
        return Text.from_latex(value) if value.strip() else Text()


def _unescape(text: str) -> str:
    """An address as LaTeX escapes it (DBLP writes ``\\_``): the address itself."""
    return re.sub(r"\\([_%&#$])", r"\1", text)


def _labelled(word: str, value: BaseText) -> BaseText:
    return Text(word, "\u00a0", value) if value else Text()


def _link(url: str, text: str) -> BaseText:
    """A link only to the web (a .bib is third-party data); anything else is shown as text."""
    return HRef(url, text) if _SAFE_URL.match(url) else Text(text)


def _unstop(text: BaseText) -> BaseText:
    return text[:-1] if str(text).endswith(".") else text


def _sentence(block: BaseText) -> BaseText:
    """A block ends with a full stop, unless it ends with punctuation of its own."""
    plain = str(block).rstrip()
    return block if plain.endswith((".", "?", "!")) else Text(block, ".")
