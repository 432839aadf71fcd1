"""The words mystdeck writes into a deck, per language: adding a language is one entry here."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "references": "References",
        "and": "and",
        "et_al": "et al.",
        "no_year": "n.d.",
        "image_missing": "Image not found",
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


def words(lang: str, key: str) -> str:
    """The word for ``key`` in ``lang`` (``de-AT`` falls back to ``de``, unknown languages to English)."""
    table = WORDS.get(lang) or WORDS.get(lang.split("-")[0].lower()) or WORDS["en"]
    return table.get(key) or WORDS["en"][key]
