"""The words mystdeck writes into a deck, per language: adding a language is one entry here."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "references": "References",
        "and": "and",
        "et_al": "et al.",
        "no_year": "n.d.",
        "image_missing": "Image not found",
        "video_missing": "Video not found",
        "video": "Video",
        "web_page": "Web page",
        "page_refused": "Not an http(s) address",
        "diagram_error": "This diagram could not be drawn",
        "tip": "Tip",
        "hint": "Hint",
        "important": "Important",
        "warning": "Warning",
        "caution": "Caution",
        "attention": "Attention",
        "danger": "Danger",
        "error": "Error",
        "seealso": "See also",
        "admonition": "Note",
    },
    "de": {
        "references": "Literatur",
        "and": "und",
        "et_al": "et al.",
        "no_year": "o. J.",
        "image_missing": "Bild nicht gefunden",
        "video_missing": "Video nicht gefunden",
        "video": "Video",
        "web_page": "Webseite",
        "page_refused": "Keine http(s)-Adresse",
        "diagram_error": "Dieses Diagramm konnte nicht gezeichnet werden",
        "tip": "Tipp",
        "hint": "Hinweis",
        "important": "Wichtig",
        "warning": "Warnung",
        "caution": "Vorsicht",
        "attention": "Achtung",
        "danger": "Gefahr",
        "error": "Fehler",
        "seealso": "Siehe auch",
        "admonition": "Notiz",
    },
}


MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
}  # fmt: skip
DATE_FORMATS = {"en": "{month} {day}, {year}", "de": "{day}. {month} {year}"}


def format_date(text: str, lang: str) -> str:
    """An ISO date (2025-05-13) in the deck's language: “13. Mai 2025”, “May 13, 2025”; other text as it is."""
    try:
        date = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return text
    short = _table_key(MONTHS, lang)
    month = MONTHS[short][date.month - 1]
    return DATE_FORMATS[short].format(day=date.day, month=month, year=date.year)


def _table_key(table: Mapping[str, object], lang: str) -> str:
    return lang if lang in table else lang.split("-")[0].lower() if lang.split("-")[0].lower() in table else "en"


def words(lang: str, key: str) -> str:
    """The word for ``key`` in ``lang`` (``de-AT`` falls back to ``de``, unknown languages to English)."""
    table = WORDS.get(lang) or WORDS.get(lang.split("-")[0].lower()) or WORDS["en"]
    return table.get(key) or WORDS["en"][key]
