"""Bibliography stage, normalising: an entry as pybtex read it (BibTeX's or biblatex's data model) in, one
model out, which every style reads.

Reference managers write biblatex (Zotero's BibLaTeX export, Better BibTeX, JabRef in biblatex mode,
Citavi) or BibTeX (DBLP, Google Scholar, arXiv, doi.org). After this step an entry has BibTeX's names
for what both know (``journal``, ``address``, ``school``, ``year``, ``month``, ``number``) and one of
BibTeX's entry types, which pybtex's styles format; biblatex's own type is kept (``_type``), as are the
fields only biblatex has (``urldate``, ``eprint``, ``langid``, ``translator``…), which mystdeck's styles
print. Nothing is ever dropped here: an unknown type is formatted as ``misc``, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database import Entry

#: biblatex's and BibTeX's entry types → the BibTeX type formatted for them. ``inbook`` and its kin are
#: biblatex's part of a book with a title of its own (BibTeX's ``incollection``).
TYPES = {
    **dict.fromkeys(("article", "periodical"), "article"),
    **dict.fromkeys(("book", "mvbook", "collection", "mvcollection", "reference", "mvreference"), "book"),
    **dict.fromkeys(("inbook", "bookinbook", "suppbook", "incollection", "suppcollection"), "incollection"),
    **dict.fromkeys(("inreference", "suppperiodical"), "incollection"),
    "booklet": "booklet",
    **dict.fromkeys(("proceedings", "mvproceedings"), "proceedings"),
    **dict.fromkeys(("inproceedings", "conference"), "inproceedings"),
    "manual": "manual",
    **dict.fromkeys(("misc", "online", "electronic", "www", "patent", "software", "dataset", "artwork"), "misc"),
    **dict.fromkeys(("audio", "video", "image", "music", "movie", "performance", "standard", "letter"), "misc"),
    **dict.fromkeys(("report", "techreport"), "techreport"),
    **dict.fromkeys(("thesis", "phdthesis"), "phdthesis"),
    "mastersthesis": "mastersthesis",
    "unpublished": "unpublished",
}
# The ``type`` of a biblatex ``@thesis`` that makes it a master's (or bachelor's) thesis.
_MASTERS = re.compile(r"(ma|master|bachelor|ba|diplom|magister)", re.IGNORECASE)
# biblatex's keys for the ``type`` of a thesis or report (a ``type`` in words, "Dissertation", is printed).
_TYPE_KEYS = {"phdthesis", "mathesis", "mastersthesis", "bathesis", "candthesis", "techreport", "resreport"}
# biblatex's keys of ``langid``/``language`` → the language codes of mystdeck's tables.
LANGUAGES = {
    **dict.fromkeys(("german", "ngerman", "austrian", "naustrian", "swissgerman", "nswissgerman", "deutsch"), "de"),
    **dict.fromkeys(("english", "american", "british", "usenglish", "ukenglish", "canadian", "australian"), "en"),
    **dict.fromkeys(("newzealand", "englisch"), "en"),
    **dict.fromkeys(("french", "francais", "français"), "fr"),
}
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")
_GERMAN_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")  # as Citavi writes a German urldate
EN_DASH = "\u2013"


@dataclass(slots=True, frozen=True)
class Problem:
    key: str
    message: str


def normalise(key: str, entry: Entry) -> list[Problem]:
    """Bring ``entry`` into mystdeck's model, in place; what it could not read, as problems to report."""
    problems: list[Problem] = []
    fields = entry.fields
    written = entry.type.lower()
    known = TYPES.get(written)
    if known is None:
        problems.append(Problem(key, f"the entry type @{entry.original_type} is unknown: it is shown as @misc"))
        known = "misc"
    if written == "thesis":
        known = "mastersthesis" if _MASTERS.search(fields.get("type", "")) else "phdthesis"
    if fields.get("type", "").strip().lower() in _TYPE_KEYS:
        del fields["type"]  # biblatex's key for the kind of thesis or report: said by the entry type now
    if written in ("inbook", "bookinbook", "suppbook") and not _any(fields, "booktitle", "maintitle"):
        known = "book"  # a part with no book around it: itself the book
    fields["_type"] = written
    entry.type = known
    _rename(fields, "journaltitle", "journal")
    _rename(fields, "location", "address")
    _rename(fields, "institution", "school" if known in ("phdthesis", "mastersthesis") else "institution")
    if known in ("phdthesis", "mastersthesis") and "institution" in fields and "school" not in fields:
        fields["school"] = fields["institution"]
    if "booktitle" not in fields and "maintitle" in fields and known in ("incollection", "inproceedings"):
        fields["booktitle"] = fields["maintitle"]
    _join_title(fields, "title", "subtitle", "titleaddon")
    _join_title(fields, "booktitle", "booksubtitle", "booktitleaddon")
    _join_title(fields, "journal", "journalsubtitle")
    _join_title(fields, "maintitle", "mainsubtitle", "maintitleaddon")
    if "number" not in fields and "issue" in fields and known == "article":
        fields["number"] = fields["issue"]
    problems += _dates(key, fields)
    for name in ("publisher", "organization", "address", "institution", "school"):
        if name in fields:
            fields[name] = _list(fields[name])
    if "addendum" in fields:
        fields["note"] = ". ".join(filter(None, [fields.get("note", "").rstrip("."), fields["addendum"]]))
    _eprint(fields)
    language = (fields.get("langid") or fields.get("language") or "").strip().lower()
    if language:
        fields["_lang"] = LANGUAGES.get(language, language.split("-")[0][:2])
    return problems


def _any(fields: dict[str, str], *names: str) -> bool:
    return any(fields.get(name, "").strip() for name in names)


def _rename(fields: dict[str, str], biblatex: str, bibtex: str) -> None:
    if biblatex in fields and not fields.get(bibtex, "").strip():
        fields[bibtex] = fields[biblatex]


def _join_title(fields: dict[str, str], main: str, *more: str) -> None:
    """biblatex's subtitle and title addon follow the title after a full stop, as biblatex prints them."""
    parts = [fields[name].strip() for name in (main, *more) if fields.get(name, "").strip()]
    if main in fields and len(parts) > 1:
        fields[main] = ". ".join(part.rstrip(".") for part in parts)


def _dates(key: str, fields: dict[str, str]) -> list[Problem]:
    """biblatex's ``date`` (``2020``, ``2020-05``, ``2020-05-23``, ``2019/2020``, open ``2019/``) gives the
    ``year`` that BibTeX writes; ``urldate`` is checked the same way."""
    problems = []
    for name in ("date", "urldate", "eventdate", "origdate"):
        text = fields.get(name, "").strip()
        if not text:
            continue
        parsed = parse_date(text)
        if parsed is None:
            problems.append(Problem(key, f"'{name} = {{{text}}}' is not a date like 2020-05-23 or 2019/2020"))
            continue
        if name != "date":
            continue
        start, end, open_end = parsed
        if not fields.get("year", "").strip():
            year = start[0] + (EN_DASH + end[0] if end and end[0] != start[0] else EN_DASH if open_end else "")
            fields["year"] = year
    return problems


def parse_date(text: str) -> tuple[list[str], list[str] | None, bool] | None:
    """``2019-05/2020`` → (["2019", "05"], ["2020"], False); ``2019/`` → (["2019"], None, True); None when
    it is not a date."""
    first, slash, second = text.partition("/")
    start = _date_parts(first)
    if start is None:
        return None
    if not slash:
        return start, None, False
    if not second.strip() or second.strip() == "..":
        return start, None, True
    end = _date_parts(second)
    return (start, end, False) if end is not None else None


def _date_parts(text: str) -> list[str] | None:
    match = _DATE.match(text)
    if match is not None:
        parts = [part for part in match.groups() if part]
    elif german := _GERMAN_DATE.match(text):
        parts = [german.group(3), german.group(2), german.group(1)]
    else:
        return None
    if len(parts) > 1 and not 1 <= int(parts[1]) <= 12:
        return None
    if len(parts) > 2 and not 1 <= int(parts[2]) <= 31:
        return None
    return parts


def _list(text: str) -> str:
    """biblatex's lists (``publisher = {Springer and Teubner}``) as one text: ``Springer; Teubner``.
    An ``and`` inside braces (``{Johnson and Johnson}``) stays."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", text):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return "; ".join(part.strip() for part in parts if part.strip())


EPRINTS = {"arxiv": "https://arxiv.org/abs/{}", "pubmed": "https://pubmed.ncbi.nlm.nih.gov/{}/"}
EPRINTS["pmid"] = EPRINTS["pubmed"]
EPRINTS["hdl"] = "https://hdl.handle.net/{}"


def _eprint(fields: dict[str, str]) -> None:
    """arXiv's and PubMed's eprints as links (``eprinttype`` as biblatex writes it, ``archivePrefix`` as
    arXiv's own BibTeX does)."""
    kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
    number = fields.get("eprint", "").strip()
    if kind in EPRINTS and number and re.fullmatch(r"[\w./:-]+", number):
        fields["_eprint_url"] = EPRINTS[kind].format(number)
        fields["_eprint"] = f"{'arXiv' if kind == 'arxiv' else kind.upper()}: {number}"
