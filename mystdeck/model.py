"""The values the pipeline stages hand each other, from source text to written deck."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from markdown_it.token import Token

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.lang import words


@dataclass(slots=True)
class Author:
    name: str
    affiliations: list[str] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Navigation:
    """The section bar (``navigation: sections``): at the top or the bottom, in the PDF or not."""

    position: str = "top"
    pdf: bool = False


@dataclass(slots=True)
class FrontMatter:
    title: str = ""
    subtitle: str = ""
    author: str = ""  # every author as one line of text (the PDF's metadata, the index page)
    authors: list[Author] = field(default_factory=list)
    institute: str = ""
    date: str = ""
    footer: str = ""  # inline markdown, on every slide but the title slide
    logo: str = ""  # an image path or address, in a corner of every slide
    duration: float = 0  # the talk's length in minutes, for the speaker view's pacing timer
    incremental: bool = False
    lang: str = "en"
    theme: str = "white"
    bibliography: list[Path] = field(default_factory=list)
    bibliography_style: str = ""  # a pybtex style, "author-year", or a CSL style; "": by the citation style
    citation_style: str = "author-year"
    reveal: dict[str, Any] = field(default_factory=dict)
    numbering: dict[str, bool] = field(default_factory=dict)  # kind → its number shown on every caption
    kernel_language: str = ""  # a MyST notebook's kernelspec: the language of its {code-cell}s
    kernel_name: str = ""  # the kernelspec's name, which runs the cells when asked (python3 when none)
    execute: bool = False  # run the code cells when the deck is built
    execute_timeout: int = 30  # seconds a cell may run
    execute_cache: bool = True  # keep the outputs, and run again only when a cell's code changed
    execute_allow_errors: bool = True  # a cell that raises is a warning (False: an error)
    overflow: str = ""  # "split": a slide too long for its page continues on follow-up slides
    agenda: str = ""  # "slides": the agenda before every section (left out of the PDF); "pdf": kept there too
    navigation: Navigation | None = None  # the section bar, when asked for
    slide_number: str | bool = "c/t"  # reveal.js' formats, or "section" ("2.3"), or False
    math_macros: dict[str, str] = field(default_factory=dict)  # KaTeX macros, as mystmd writes them (math:)
    brand: Any = None  # ``brand:`` as written: a mapping, a brand file's path, or False; read by the brand stage
    lines: dict[str, int] = field(default_factory=dict)  # the line of each key in the deck file


@dataclass(slots=True)
class Source:
    path: Path
    text: str
    front: FrontMatter
    body_line: int  # first line of the markdown after the front matter (1-based)
    outputs: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # a notebook's, by code cell
    brand: Brand | None = None  # the corporate design, from the brand stage


@dataclass(slots=True, frozen=True)
class BrandFont:
    """A local font file of the brand, for one family, weight and style."""

    family: str
    path: Path
    weight: int
    italic: bool


@dataclass(slots=True)
class Brand:
    """A corporate design (``_brand.yml`` or ``brand:``): colours by role as ``#rrggbb``, the typography's
    roles (base, headings, monospace → family, weight, style, line-height, color), font files, the logo
    (a path from the deck's folder) and where each colour was set."""

    path: Path
    colors: dict[str, str] = field(default_factory=dict)
    typography: dict[str, dict[str, str]] = field(default_factory=dict)
    fonts: list[BrandFont] = field(default_factory=list)
    logo: str = ""
    logo_alt: str = ""
    lines: dict[str, SourceLoc] = field(default_factory=dict)

    @staticmethod
    def background_of(brand: Brand | None) -> str:
        """The brand's background colour, or "" (the theme's)."""
        return brand.colors.get("background", "") if brand is not None else ""


@dataclass(slots=True)
class SlideAttrs:
    """What goes on a slide's ``<section>``: its id, classes and ``data-*`` attributes (names without
    ``data-``), rendered by the one section template."""

    id: str = ""
    classes: list[str] = field(default_factory=list)
    data: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Slide:
    title: str
    level: int
    loc: SourceLoc
    kind: str = "content"  # "title", "content", "section" (a heading alone) or "references"
    attrs: SlideAttrs = field(default_factory=SlideAttrs)
    heading: list[Token] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # the ``(label)=`` lines written before its heading
    body: list[Token] = field(default_factory=list)
    notes: list[list[Token]] = field(default_factory=list)
    note_places: list[int] = field(default_factory=list)  # where in the body each note stood (a token index)
    continues: str = ""  # a follow-up slide's: the title of the slide it continues
    short: str = ""  # the heading's ``short="…"``: what the section bar and the menu show
    place: Place | None = None  # where it stands among the deck's sections (the outline stage fills it)
    html: str = ""
    notes_html: str = ""

    @property
    def slide_id(self) -> str:
        return self.attrs.id


@dataclass(slots=True)
class Section:
    """One section of the deck: a section slide (a heading alone), or a ``##`` slide in a deck without any;
    its number counts from 1."""

    number: int
    slide: Slide

    @property
    def title(self) -> str:
        return self.slide.title

    @property
    def short(self) -> str:
        return self.slide.short or self.slide.title


@dataclass(slots=True, frozen=True)
class Place:
    """A slide's place in the outline: its section (0 before the first), and which of the section's slides
    it is (from 1) of how many."""

    section: int
    index: int
    count: int


@dataclass(slots=True)
class Stack:
    slides: list[Slide] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class CiteForm:
    """How a citation shows: its base form (``p``, ``t``, ``alp``, ``author``, ``authorpar``, ``year``,
    ``yearpar``, ``empty``), capitalised, and with every author instead of "et al."."""

    base: str
    capital: bool = False
    full: bool = False


@dataclass(slots=True)
class Cite:
    """One citation role as written: its form and the keys with their pre- and post-notes."""

    loc: SourceLoc
    form: CiteForm
    keys: list[tuple[str, str, str]]  # (prenote, key, postnote)
    styled: str = ""  # the whole citation as a CSL style writes it (filled by the bibliography stage)


@dataclass(slots=True)
class Target:
    """Something a cross-reference can point at: a slide, a figure, a table, an equation, a code listing,
    an exercise, a ``prf:`` statement, a glossary term, or a ``(label)=`` line. ``token`` is the token that
    shows it (the cross-reference stage writes its number into the token's meta)."""

    label: str  # "" when nothing names it (it is numbered all the same)
    kind: str
    loc: SourceLoc
    token: Token | None = None
    title: str = ""  # plain text: a caption, a slide's title, a term
    number: int = 0
    slide_id: str = ""


@dataclass(slots=True)
class XRef:
    """One cross-reference as written: ``{ref}``, ``{numref}``, ``{eq}``, ``{term}`` or a ``[](#label)`` link."""

    loc: SourceLoc
    label: str
    form: str  # "ref", "numref", "eq", "term" or "link"
    template: str = ""  # {numref}'s own text, with %s, {number} or {name}
    target: Target | None = None
    text: str = ""  # what the link shows, once resolved (plain text)


@dataclass(slots=True)
class Reference:
    key: str
    label: str  # "[1]" in numeric style, "" otherwise
    authors: list[str]  # last names as plain text
    year: str
    html: str  # a formula in it as its TeX between dollar signs (the hover text of citations shows that)
    slide_id: str = ""
    cited_as: str = ""  # a CSL author-date style's citation of the work alone: "(Müller et al., 2020)"
    math: list[str] = field(default_factory=list)  # the TeX of formulas in its text ($…$ in a title)
    parts: list[str] = field(default_factory=list)  # with math: the HTML around the formulas, one more


@dataclass(slots=True, frozen=True)
class ImageUse:
    """An image or video the source shows, as written, with where it is written; resolved by the assets
    stage. A slide's background names the slide and the ``data-*`` attribute that gets the file's place."""

    src: str
    loc: SourceLoc
    kind: str = "image"  # or "video"
    slide: Slide | None = None
    data_key: str = ""


@dataclass(slots=True, frozen=True)
class ImageRef:
    """Where an image of the source ends up: ``target`` inside the deck, or ``missing``."""

    src: str
    target: str
    missing: bool


@dataclass(slots=True)
class Asset:
    """A file the deck carries: ``source`` is copied to ``target`` (relative to the deck folder), or, for a
    file the build made (a notebook's stored image), ``data`` is written there."""

    source: Path
    target: str
    data: bytes | None = None


@dataclass(slots=True)
class Formula:
    """A formula as written: its TeX as KaTeX gets it, and whether it is displayed. The formulas stage
    fills in KaTeX's HTML (or KaTeX's complaint) and the font files it is set in; left empty, the deck
    typesets it when it opens."""

    tex: str
    display: bool
    html: str = ""
    error: str = ""
    fonts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Parsed:
    """What the parse stage gives: the deck's tokens, its footer's, and everything the rules gathered on
    the way, each with its own source line. The later stages read it and fill in what they make
    (code colours, drawn diagrams, typeset formulas, resolved cross-references)."""

    tokens: list[Token] = field(default_factory=list)
    footer: list[Token] = field(default_factory=list)  # the front matter's footer: inline tokens
    cites: list[Cite] = field(default_factory=list)
    images: list[ImageUse] = field(default_factory=list)  # the slides stage adds the slides' backgrounds
    diagrams: list[Diagram] = field(default_factory=list)
    code: list[CodeBlock] = field(default_factory=list)
    formulas: list[Formula] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    xrefs: list[XRef] = field(default_factory=list)
    includes: list[Path] = field(default_factory=list)  # files read by {include} and {literalinclude}
    made_files: dict[str, bytes] = field(default_factory=dict)  # target → bytes: a notebook's stored images


@dataclass(slots=True)
class Deck:
    source: Source
    parsed: Parsed = field(default_factory=Parsed)
    stacks: list[Stack] = field(default_factory=list)
    references: dict[str, Reference] = field(default_factory=dict)
    assets: list[Asset] = field(default_factory=list)
    code_css: str = ""  # the highlighter's colours, for the page
    images: dict[str, ImageRef] = field(default_factory=dict)  # src as written → where it is in the deck
    footer_html: str = ""  # the front matter's footer, rendered
    targets: dict[str, Target] = field(default_factory=dict)  # label → what it names
    reference_math: dict[str, list[Formula]] = field(default_factory=dict)  # a work's key → its formulas
    sections: list[Section] = field(default_factory=list)  # the outline stage finds them

    @property
    def slides(self) -> list[Slide]:
        return [slide for stack in self.stacks for slide in stack.slides]

    @property
    def formulas(self) -> list[Formula]:
        """Every formula the deck shows: those of its markdown, then those in the titles of its references."""
        return self.parsed.formulas + [formula for found in self.reference_math.values() for formula in found]

    @property
    def math_fonts(self) -> set[str] | None:
        """KaTeX's font files the typeset formulas use; None when some formula is left to the deck,
        which then needs the whole of KaTeX."""
        formulas = self.formulas
        if any(not (formula.html or formula.error) for formula in formulas):
            return None
        return {font for formula in formulas for font in formula.fonts}


@dataclass(slots=True)
class CodeBlock:
    """A block of code; the highlight stage fills ``lines``, each line as HTML."""

    loc: SourceLoc
    language: str
    source: str
    lines: list[str] = field(default_factory=list)
    known: bool = True  # False: the language is not one the highlighter knows (shown plain)


@dataclass(slots=True, frozen=True)
class CodeCell:
    """A code cell as the kernel gets it: its number (the key of its outputs), code, first line and tags."""

    number: int
    code: str
    line: int
    tags: list[str]


@dataclass(slots=True)
class Diagram:
    loc: SourceLoc
    source: str
    svg: str = ""
    error: str = ""


@dataclass(slots=True)
class BuildResult:
    deck: Deck
    out_dir: Path
    extras: list[Path] = field(default_factory=list)  # the PDFs and the self-contained file written

    @property
    def slide_count(self) -> int:
        return len(self.deck.slides)

    @property
    def notes_count(self) -> int:
        return sum(1 for slide in self.deck.slides if slide.notes_html)


@dataclass(slots=True)
class ParseState:
    """The parse under way: where it is (file, line offset, nesting) and what it gathers (``parsed``);
    lives in the parser's ``env``.

    Parsing reads no file but those ``{include}`` and ``{literalinclude}`` name: images are only noted here,
    and the assets stage looks for them.
    """

    path: Path
    reporter: Reporter
    incremental: bool = False  # front matter: every list appears item by item
    line_offset: int = 0  # added to token maps of the text being parsed (for directive bodies)
    depth: int = 0  # how many parses are running inside each other (directive bodies)
    file_depth: int = 1  # the depth at which the file being read (the deck or an {include}d one) is parsed
    parsed: Parsed = field(default_factory=Parsed)
    reading: list[Path] = field(default_factory=list)  # the files being read, {include}s inside each other
    kernel_language: str = ""
    outputs: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # a notebook's, by code cell
    counter: int = 0  # for ids the deck's HTML needs unique (tab sets)
    cells: int = 0  # code cells met so far: a {code-cell} without a number gets the next
    noted: set[str] = field(default_factory=set)  # directives left out on purpose, each noted once
    date: str = ""  # the deck's date (front matter), for {sub-ref}`today`
    role_aliases: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)  # {role} name → base, options
    word_count: int = 0  # the deck's words, for {sub-ref}`wordcount-words`
    deck_path: Path = field(init=False)  # the deck, while ``path`` may be an {include}d file

    def __post_init__(self) -> None:
        self.deck_path = self.path

    def loc(self, line: int) -> SourceLoc:
        return SourceLoc(self.path, line)

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"


class CiteFormatter(Protocol):
    references: dict[str, Reference]  # the cited works, in the order of the reference list

    def format(self, cite: Cite) -> str: ...


@dataclass(slots=True)
class RenderContext:
    """Everything a render rule may use, in the parser's ``env`` under one key while the deck renders."""

    path: Path
    lang: str
    reporter: Reporter
    cites: CiteFormatter
    reference_list: Callable[[list[Reference]], str]  # the list's HTML, through the project's template
    images: dict[str, ImageRef] = field(default_factory=dict)
    render_inline: Callable[[list[Token]], str] = lambda tokens: ""  # parsed inline tokens → HTML
    agenda: Callable[[dict[str, Any], Slide | None], str] = lambda meta, slide: ""  # through agenda.html.j2
    slide: Slide | None = None  # the slide being rendered

    def words(self, key: str) -> str:
        return words(self.lang, key)

    def warn(self, line: int, message: str, code: str) -> None:
        self.reporter.warning(SourceLoc(self.path, line), message, code)
