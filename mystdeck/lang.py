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
        "diagram": "Diagram",
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
        "speaker_upcoming": "Upcoming",
        "speaker_time": "Time",
        "speaker_reset": "Click to Reset",
        "speaker_pacing": "Pacing – Time to finish current slide",
        "speaker_notes": "Notes",
        "speaker_layout": "Layout",
        "speaker_default": "Default",
        "speaker_wide": "Wide",
        "speaker_tall": "Tall",
        "speaker_notes_only": "Notes only",
        "speaker_loading": "Loading speaker view...",
        "speaker_smaller": "Smaller notes (-)",
        "speaker_larger": "Larger notes (+)",
        "slide_of": "Slide {n} / {total}",
        "pdf_link": "Link",
        "pdf_link_page": "Link to page {page}",
        "page_of": "Page {n} / {total}",
        "notes_none": "No notes",
        # What numbered things are called: captions ("Figure 2: …"), {numref}, exercises, prf: statements.
        "kind_figure": "Figure",
        "kind_table": "Table",
        "kind_equation": "Equation",
        "kind_code": "Listing",
        "kind_slide": "Slide",
        "kind_exercise": "Exercise",
        "kind_solution": "Solution",
        "solution_to": "Solution to {ref}",
        "numref_equation": "({number})",
        "kind_prf:algorithm": "Algorithm",
        "kind_prf:assumption": "Assumption",
        "kind_prf:axiom": "Axiom",
        "kind_prf:conjecture": "Conjecture",
        "kind_prf:corollary": "Corollary",
        "kind_prf:criterion": "Criterion",
        "kind_prf:definition": "Definition",
        "kind_prf:example": "Example",
        "kind_prf:lemma": "Lemma",
        "kind_prf:observation": "Observation",
        "kind_prf:proof": "Proof",
        "kind_prf:property": "Property",
        "kind_prf:proposition": "Proposition",
        "kind_prf:remark": "Remark",
        "kind_prf:theorem": "Theorem",
        "glossary": "Glossary",
        "more": "More",
        "cite_missing": "not in the bibliography",
        "show_code": "Show the code",
        "continued": "(cont.)",
        "show_output": "Show the output",
        "xref_missing": "no slide, figure, table or equation has this label",
        "outline": "Outline",
        "nav_sections": "Sections",
        "nav_progress": "Progress in this section",
        "menu_title": "Slides",
        "menu_filter": "Filter slides by title or text",
        "menu_close": "Close",
        "menu_open": "Slide menu (M)",
        "menu_none": "No slide matches",
        "menu_slide": "Slide {n}",
        "menu_search": "Search",
        "menu_reading": "Reading view (R)",
        "ink_toolbar": "Pen",
        "ink_pen": "Pen",
        "ink_highlighter": "Highlighter",
        "ink_laser": "Laser pointer",
        "ink_eraser": "Eraser",
        "ink_undo": "Undo",
        "ink_clear": "Clear this slide",
        "ink_download": "Download the drawings",
        "ink_colour_black": "Black",
        "ink_colour_red": "Red",
        "ink_colour_blue": "Blue",
        "ink_colour_green": "Green",
        "remote_address": "Phone remote",
        "remote_next": "Next",
        "remote_prev": "Back",
        "remote_blackout": "Black screen",
        "remote_notes": "Notes",
        "remote_slide": "Slide {n} / {total}",
        "remote_time": "Time",
        "remote_waiting": "Waiting for the deck …",
        "remote_offline": "Connection lost, trying again …",
        "remote_smaller": "Smaller notes",
        "remote_larger": "Larger notes",
        "version_added": "New in version {version}",
        "version_changed": "Changed in version {version}",
        "version_deprecated": "Deprecated since version {version}",
        "version_removed": "Removed in version {version}",
    },
    "de": {
        "references": "Literatur",
        "and": "und",
        "et_al": "u. a.",
        "no_year": "o. J.",
        "image_missing": "Bild nicht gefunden",
        "video_missing": "Video nicht gefunden",
        "video": "Video",
        "web_page": "Webseite",
        "page_refused": "Keine http(s)-Adresse",
        "diagram_error": "Dieses Diagramm konnte nicht gezeichnet werden",
        "diagram": "Diagramm",
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
        "speaker_upcoming": "Als Nächstes",
        "speaker_time": "Zeit",
        "speaker_reset": "Klicken zum Zurücksetzen",
        "speaker_pacing": "Tempo – Zeit bis zum Ende dieser Folie",
        "speaker_notes": "Notizen",
        "speaker_layout": "Ansicht",
        "speaker_default": "Standard",
        "speaker_wide": "Breit",
        "speaker_tall": "Hoch",
        "speaker_notes_only": "Nur Notizen",
        "speaker_loading": "Referentenansicht wird geladen …",
        "speaker_smaller": "Notizen kleiner (-)",
        "speaker_larger": "Notizen größer (+)",
        "slide_of": "Folie {n} / {total}",
        "pdf_link": "Verweis",
        "pdf_link_page": "Verweis auf Seite {page}",
        "page_of": "Seite {n} / {total}",
        "notes_none": "Keine Notizen",
        "kind_figure": "Abbildung",
        "kind_table": "Tabelle",
        "kind_equation": "Gleichung",
        "kind_code": "Listing",
        "kind_slide": "Folie",
        "kind_exercise": "Aufgabe",
        "kind_solution": "Lösung",
        "solution_to": "Lösung zu {ref}",
        "numref_equation": "Gleichung ({number})",
        "kind_prf:algorithm": "Algorithmus",
        "kind_prf:assumption": "Annahme",
        "kind_prf:axiom": "Axiom",
        "kind_prf:conjecture": "Vermutung",
        "kind_prf:corollary": "Korollar",
        "kind_prf:criterion": "Kriterium",
        "kind_prf:definition": "Definition",
        "kind_prf:example": "Beispiel",
        "kind_prf:lemma": "Lemma",
        "kind_prf:observation": "Beobachtung",
        "kind_prf:proof": "Beweis",
        "kind_prf:property": "Eigenschaft",
        "kind_prf:proposition": "Proposition",
        "kind_prf:remark": "Bemerkung",
        "kind_prf:theorem": "Satz",
        "glossary": "Glossar",
        "more": "Mehr",
        "cite_missing": "nicht im Literaturverzeichnis",
        "show_code": "Code anzeigen",
        "continued": "(Forts.)",
        "show_output": "Ausgabe anzeigen",
        "xref_missing": "keine Folie, Abbildung, Tabelle oder Gleichung trägt diese Marke",
        "outline": "Gliederung",
        "nav_sections": "Abschnitte",
        "nav_progress": "Fortschritt im Abschnitt",
        "menu_title": "Folien",
        "menu_filter": "Folien nach Titel oder Text filtern",
        "menu_close": "Schließen",
        "menu_open": "Folienmenü (M)",
        "menu_none": "Keine Folie passt",
        "menu_slide": "Folie {n}",
        "menu_search": "Suchen",
        "menu_reading": "Leseansicht (R)",
        "ink_toolbar": "Stift",
        "ink_pen": "Stift",
        "ink_highlighter": "Textmarker",
        "ink_laser": "Laserpointer",
        "ink_eraser": "Radierer",
        "ink_undo": "Rückgängig",
        "ink_clear": "Folie leeren",
        "ink_download": "Zeichnungen herunterladen",
        "ink_colour_black": "Schwarz",
        "ink_colour_red": "Rot",
        "ink_colour_blue": "Blau",
        "ink_colour_green": "Grün",
        "remote_address": "Fernbedienung",
        "remote_next": "Weiter",
        "remote_prev": "Zurück",
        "remote_blackout": "Schwarzbild",
        "remote_notes": "Notizen",
        "remote_slide": "Folie {n} / {total}",
        "remote_time": "Zeit",
        "remote_waiting": "Warte auf das Deck …",
        "remote_offline": "Verbindung verloren, neuer Versuch …",
        "remote_smaller": "Notizen kleiner",
        "remote_larger": "Notizen größer",
        "version_added": "Neu in Version {version}",
        "version_changed": "Geändert in Version {version}",
        "version_deprecated": "Veraltet seit Version {version}",
        "version_removed": "Entfernt in Version {version}",
    },
}


# The words pybtex's styles write into a reference list (their English, as written in their templates),
# for the languages that say them otherwise; "names" are the separators between authors.
BIB_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "pages": "S.", "editor": "Hrsg.", "editors": "Hrsg.", "Volume": "Bd.", "volume": "Bd.", "of": "von",
        "Number": "Nr.", "number": "Nr.", "in": "in", "chapter": "Kap.", "edition": "Aufl.", "In": "In:",
        "Master's thesis": "Masterarbeit", "PhD thesis": "Dissertation", "Technical Report": "Technischer Bericht",
        " (visited on ": " (abgerufen am ", " and ": " und ", ", and ": " und ",
    },
}  # fmt: skip


def bib_words(lang: str) -> dict[str, str]:
    return BIB_WORDS.get(_table_key({"en": None, **BIB_WORDS}, lang), {})


# The words of mystdeck's author-year reference list. "edition" follows an ordinal (2nd ed., 2. Aufl.);
# "accessed" holds the date a web page was read, written as "accessed_date" says.
REFERENCE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "and": "and", "editor": "ed.", "editors": "eds.", "edited_by": "edited by", "translated_by": "translated by",
        "in": "In:", "page": "p.", "pages": "pp.", "volume": "Vol.", "number": "No.", "edition": "ed.",
        "chapter": "ch.", "phdthesis": "PhD thesis", "mastersthesis": "Master's thesis",
        "techreport": "Tech. rep.", "no_year": "n.d.", "accessed": "accessed {date}", "url": "URL",
        "doi": "doi", "isbn": "ISBN", "patent": "Patent", "software": "Software", "dataset": "Data set",
        "online": "Online",
    },
    "de": {
        "and": "und", "editor": "Hrsg.", "editors": "Hrsg.", "edited_by": "hrsg. von", "translated_by": "übers. von",
        "in": "In:", "page": "S.", "pages": "S.", "volume": "Bd.", "number": "Nr.", "edition": "Aufl.",
        "chapter": "Kap.", "phdthesis": "Diss.", "mastersthesis": "Masterarb.",
        "techreport": "Techn. Ber.", "no_year": "o. J.", "accessed": "abgerufen am {date}", "url": "URL",
        "doi": "DOI", "isbn": "ISBN", "patent": "Patent", "software": "Software", "dataset": "Datensatz",
        "online": "Online",
    },
}  # fmt: skip


def reference_words(lang: str) -> dict[str, str]:
    return {**REFERENCE_WORDS["en"], **REFERENCE_WORDS[_table_key(REFERENCE_WORDS, lang)]}


def ordinal(number: int, lang: str) -> str:
    """2 → "2nd" in English, "2." in German (editions)."""
    if _table_key(REFERENCE_WORDS, lang) == "de":
        return f"{number}."
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def month_name(number: int, lang: str) -> str:
    return MONTHS[_table_key(MONTHS, lang)][number - 1]


def numeric_date(text: str, lang: str) -> str:
    """A day a web page was read, as the language writes it briefly: "15.01.2025", "January 15, 2025"."""
    try:
        date = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return text
    if _table_key(REFERENCE_WORDS, lang) == "de":
        return f"{date.day:02d}.{date.month:02d}.{date.year}"
    return format_date(text, lang)


MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
}  # fmt: skip
DATE_FORMATS = {"en": "{month} {day}, {year}", "de": "{day}. {month} {year}"}
HOUR12 = {"en": True, "de": False}  # the speaker view's clock
# Quotation marks for straight quotes in text (never in code or math): double open/close, single open/close.
# A language without an entry keeps the quotes as typed.
QUOTES = {"de": "„“‚‘"}


def quotes(lang: str) -> str:
    key = _table_key({"en": None, **QUOTES}, lang)
    return QUOTES.get(key, "")


def speaker_words(lang: str, title: str = "") -> dict[str, object]:
    """What the deck's script needs to speak the deck's language in the speaker view and the handouts."""
    table = {**WORDS["en"], **WORDS[_table_key(WORDS, lang)]}
    shown = prefixed_words(lang, "speaker_")
    return {
        "lang": lang,
        "hour12": HOUR12.get(_table_key(HOUR12, lang), True),
        "words": shown,
        "title": title,
        "slide_of": table["slide_of"],
        "page_of": table["page_of"],
        "remote": table["remote_address"],
    }


def prefixed_words(lang: str, prefix: str) -> dict[str, str]:
    """The words whose keys start with ``prefix`` (``menu_``, ``ink_``, ``remote_``), in the deck's language and
    without the prefix: what the deck's scripts write."""
    table = {**WORDS["en"], **WORDS[_table_key(WORDS, lang)]}
    return {key.removeprefix(prefix): value for key, value in table.items() if key.startswith(prefix)}


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


def numbered(lang: str, kind: str, number: int) -> str:
    """What a numbered thing is called: “Abbildung 2”, “Satz 1”; an equation “(3)”, in German “Gleichung (3)”."""
    if kind == "equation":
        return words(lang, "numref_equation").format(number=number)
    return f"{words(lang, 'kind_' + kind)} {number}"


def words(lang: str, key: str) -> str:
    """The word for ``key`` in ``lang`` (``de-AT`` falls back to ``de``, unknown languages to English)."""
    table = WORDS.get(lang) or WORDS.get(lang.split("-")[0].lower()) or WORDS["en"]
    return table.get(key) or WORDS["en"][key]


# The starter deck of ``mystdeck new`` (its text is the author's to change): {title}, {lang} and {date}
# are filled in. Each shows a section, a citation, a figure, a note, a diagram, a formula and references.
STARTER: dict[str, str] = {
    "de": """---
title: {title}
lang: {lang}
date: {date}
---

# {title}

## Erster Teil

## Worum es geht

- Diffusionsmodelle entfernen Rauschen Schritt für Schritt {{cite:p}}`hoDenoisingDiffusionProbabilistic2020`.
- Schreib deine Folien in `slides/`, die Literatur in `references.bib`.
- `mystdeck` baut das Deck nach `_build/`, mit PDF.

:::{{note}}
Notizen sieht nur, wer vorträgt: in der Referentenansicht (Taste S), nicht auf der Folie und nicht im PDF.
:::

## Ein Bild

:::{{figure}} ../images/beispiel.png
:name: beispiel
:width: 55%
Ein Beispielbild: ersetze es durch deines.
:::

## Ein Diagramm

```{{mermaid}}
flowchart LR
  Text --> Prior --> Decoder --> Bild
```

## Eine Formel

$$ x_t = \\sqrt{{\\bar\\alpha_t}}\\, x_0 + \\sqrt{{1 - \\bar\\alpha_t}}\\, \\epsilon $$ (rauschen)

{{numref}}`beispiel` und {{eq}}`rauschen` sind Querverweise: ein Klick führt zur Folie.
""",
    "en": """---
title: {title}
lang: {lang}
date: {date}
---

# {title}

## Part one

## What this is about

- Diffusion models remove noise step by step {{cite:p}}`hoDenoisingDiffusionProbabilistic2020`.
- Write your slides in `slides/`, your references in `references.bib`.
- `mystdeck` builds the deck into `_build/`, with its PDF.

:::{{note}}
Only the presenter sees notes: in the speaker view (press S), never on the slide or in the PDF.
:::

## A picture

:::{{figure}} ../images/beispiel.png
:name: example
:width: 55%
An example picture: replace it with yours.
:::

## A diagram

```{{mermaid}}
flowchart LR
  Text --> Prior --> Decoder --> Image
```

## A formula

$$ x_t = \\sqrt{{\\bar\\alpha_t}}\\, x_0 + \\sqrt{{1 - \\bar\\alpha_t}}\\, \\epsilon $$ (noise)

{{numref}}`example` and {{eq}}`noise` are cross-references: a click moves to their slide.
""",
}

# ``mystdeck new NAME --brand``: a brand file to fill in (Quarto's _brand.yml, the part slides use).
BRAND_STARTER: dict[str, str] = {
    "de": """# Das Corporate Design der Folien: Farben, Schriften, Logo (Quartos _brand.yml-Format).
# mystdeck prüft jedes Farbpaar gegen WCAG AA und warnt, wenn der Kontrast nicht reicht.
meta:
  name: Meine Hochschule

color:
  palette:              # eigene Namen für die Farben des Designs
    hausblau: "#1a4c8b"
    akzent: "#c2571a"
  primary: hausblau     # Links, Titel der Abschnittsfolien, Fortschrittsbalken, Foliennummer
  secondary: akzent     # Markierung an Codeblöcken
  foreground: "#1f1f1f" # Text
  background: "#ffffff" # Hintergrund

# Schriften: die Dateien liegen neben dieser Datei; nichts wird heruntergeladen.
# typography:
#   fonts:
#     - family: Hausschrift
#       source: file
#       files:
#         - path: schriften/Hausschrift-Regular.woff2
#           weight: 400
#         - path: schriften/Hausschrift-Bold.woff2
#           weight: 700
#   base: Hausschrift
#   headings:
#     family: Hausschrift
#     weight: 700
#     color: primary
#   monospace: DejaVu Sans Mono

# Logo in der Ecke jeder Folie (wenn das Deck kein eigenes 'logo:' hat):
# logo:
#   images:
#     wortmarke: bilder/logo.svg
#   medium: wortmarke
""",
    "en": """# The slides' corporate design: colours, fonts, logo (Quarto's _brand.yml format).
# mystdeck checks every pair of colours against WCAG AA and warns when the contrast falls short.
meta:
  name: My University

color:
  palette:              # names of your own for the design's colours
    house-blue: "#1a4c8b"
    accent: "#c2571a"
  primary: house-blue   # links, section slides' titles, progress bar, slide number
  secondary: accent     # the mark on code blocks
  foreground: "#1f1f1f" # text
  background: "#ffffff" # background

# Fonts: the files lie beside this file; nothing is downloaded.
# typography:
#   fonts:
#     - family: House Sans
#       source: file
#       files:
#         - path: fonts/HouseSans-Regular.woff2
#           weight: 400
#         - path: fonts/HouseSans-Bold.woff2
#           weight: 700
#   base: House Sans
#   headings:
#     family: House Sans
#     weight: 700
#     color: primary
#   monospace: DejaVu Sans Mono

# The logo in a corner of every slide (when the deck names no 'logo:' of its own):
# logo:
#   images:
#     wordmark: images/logo.svg
#   medium: wordmark
""",
}
