"""Citations stage: each citation's HTML in the deck's citation style and language, linked to its reference.

The roles that write citations, and their grammar, are in ``roles``; a parsed citation carries its form
as flags (``CiteForm``), which are read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.common.utils import escapeHtml

from mystdeck.lang import words
from mystdeck.model import Cite, Deck, Reference


@dataclass(slots=True)
class CiteFormatter:
    """Turns a Cite into HTML in the deck's citation style and language; used by the render stage."""

    references: dict[str, Reference]
    lang: str
    numeric: bool

    def format(self, cite: Cite) -> str:
        base, capital, full = cite.form.base, cite.form.capital, cite.form.full
        if base == "empty":
            return ""
        if cite.styled and base in ("p", "alp"):
            return self._styled(cite, base == "alp")
        parts = [self._one(base, pre, key, post, full) for pre, key, post in cite.keys]
        text = "; ".join(parts)
        if capital and text and not text.startswith("<"):
            text = text[0].upper() + text[1:]
        elif capital:
            text = re.sub(r"^(<[^>]+>)(\w)", lambda m: m.group(1) + m.group(2).upper(), text)
        if base in ("p", "authorpar", "yearpar"):
            return f"[{text}]" if self.numeric and base == "p" else f"({text})"
        return text

    def _styled(self, cite: Cite, bare: bool) -> str:
        """A citation as its CSL style writes it, linked to the first work's reference; bare: without the
        parentheses or brackets around it."""
        text = cite.styled
        if bare and len(text) > 1 and (text[0], text[-1]) in (("(", ")"), ("[", "]")):
            text = text[1:-1]
        ref = next((self.references[key] for _pre, key, _post in cite.keys if key in self.references), None)
        if ref is None:
            return text
        return f'<a class="deck-cite" href="#/{ref.slide_id}" title="{_title(ref)}">{text}</a>'

    def _one(self, base: str, pre: str, key: str, post: str, full: bool) -> str:
        ref = self.references.get(key)
        if ref is None:
            title = words(self.lang, "cite_missing")
            return f'<span class="deck-cite-missing" title="{title}">{escapeHtml(key)}?</span>'
        names = self._names(ref.authors, full) or key
        year = escapeHtml(ref.year) if ref.year else words(self.lang, "no_year")
        number = escapeHtml(ref.label.strip("[]."))
        numeric = self.numeric or bool(number)  # a numeric CSL style numbers its list too
        styled = _AUTHOR_DATE.fullmatch(ref.cited_as)  # a CSL author-date style names the work its own way
        if styled and base in ("t", "author", "year", "authorpar", "yearpar"):
            names = styled.group(1) if not full else names
            year = styled.group(2)
        if base == "t":  # the notes go inside the parentheses: Ho et al. (see 2020, p. 3)
            shown = f"{names} [{_with_notes(number, pre, post)}]" if numeric else None
            shown = shown or f"{names} ({_with_notes(year, pre, post)})"
        elif base in ("p", "alp"):
            shown = _with_notes(number if self.numeric else f"{names}, {year}", pre, post)
        else:
            shown = _with_notes(names if base.startswith("author") else year, pre, post)
        return f'<a class="deck-cite" href="#/{ref.slide_id}" title="{_title(ref)}">{shown}</a>'

    def _names(self, authors: list[str], full: bool) -> str:
        authors = [escapeHtml(a) for a in authors]
        if len(authors) <= 1:
            return "".join(authors)
        conj = words(self.lang, "and")
        if len(authors) == 2:
            return f"{authors[0]} {conj} {authors[1]}"
        if not full:
            return f"{authors[0]} {words(self.lang, 'et_al')}"
        comma = "," if self.lang.split("-")[0] == "en" else ""
        return f"{', '.join(authors[:-1])}{comma} {conj} {authors[-1]}"


# "(Müller et al., 2020)": the names and the year of an author-date style's citation (HTML as it wrote it).
_AUTHOR_DATE = re.compile(r"\((.+), ([^,()]+)\)")


def _with_notes(shown: str, pre: str, post: str) -> str:
    pre_html = escapeHtml(pre) + " " if pre else ""
    post_html = ", " + escapeHtml(post) if post else ""
    return f"{pre_html}{shown}{post_html}"


def _title(ref: Reference) -> str:
    """The reference as attribute text: pybtex's text is escaped already but for quotes."""
    plain = re.sub(r"<[^>]+>", "", ref.html).replace("\n", " ")
    return plain.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def make_formatter(deck: Deck) -> CiteFormatter:
    front = deck.source.front
    return CiteFormatter(deck.references, front.lang, front.citation_style == "numeric")
