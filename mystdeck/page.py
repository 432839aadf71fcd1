"""Page stage: the rendered Deck in, the deck's index.html out, through the Jinja templates."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from mystdeck import locate, outline
from mystdeck.assets import plugins
from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.diagrams import mermaid_theme
from mystdeck.lang import format_date, prefixed_words, speaker_words, words
from mystdeck.model import Asset, Brand, Deck, Reference, Section, Slide

REVEAL_DEFAULTS: dict[str, Any] = {
    "width": 1280,
    "height": 720,
    "margin": 0.04,
    "hash": True,
    "slideNumber": "c/t",
    "progress": True,
    "controls": True,
    "center": False,
    "transition": "slide",
    "showNotes": False,
}


def make_environment(templates: list[Path], compiled: Path | None = None) -> jinja2.Environment:
    """The project's templates/ first, then mystdeck's own, so a presenter overrides file by file.

    ``compiled`` keeps compiled templates between runs (Jinja checks each against its source). It must
    be a folder only the user can write, never the output folder: compiled templates are code.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(t) for t in templates if t.is_dir()]),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,  # a line holding only a {% tag %} leaves no empty line behind
        lstrip_blocks=True,
    )


def reveal_options(deck: Deck) -> dict[str, Any]:
    """mystdeck's reveal.js defaults with the front matter's ``reveal:`` mapping over them; ``duration``
    (minutes) sets the speaker view's pacing timer."""
    front = deck.source.front
    timing = {"totalTime": round(front.duration * 60)} if front.duration else {}
    switches = {name for name, _global, _optional in locate.PLUGINS}  # mystdeck's, not reveal.js' options
    chosen = {key: value for key, value in front.reveal.items() if key not in switches}
    return {**REVEAL_DEFAULTS, "slideNumber": front.slide_number, **timing, **chosen}


def deck_setup(deck: Deck) -> dict[str, Any]:
    """What the deck's script needs besides reveal.js' options: the plugins to start, the formula macros (for
    formulas typeset when the deck opens), and the slide menu's words and headings."""
    names = plugins(deck)
    return {
        "plugins": [glob for name, glob, _optional in locate.PLUGINS if name in names],
        "macros": deck.source.front.math_macros,
        "words": prefixed_words(deck.source.front.lang, "menu_"),
        "ink": prefixed_words(deck.source.front.lang, "ink_"),
        "remote": prefixed_words(deck.source.front.lang, "remote_"),
        "name": deck.source.path.stem,  # the drawings' file: NAME-drawings.json
        "sections": [section.slide.slide_id for section in deck.sections],  # the slide menu's headings
        "short": {slide.slide_id: slide.short for slide in deck.slides if slide.short},
    }


def _deck_context(deck: Deck) -> dict[str, Any]:
    """What every slide's template may use besides the slide: the front matter, the date in the deck's
    language, the logo's place in the deck."""
    front = deck.source.front
    logo = deck.images.get(front.logo) if front.logo else None
    return {
        "front": front,
        "deck": deck,
        "date": format_date(front.date, front.lang),
        "logo": logo.target if logo is not None and not logo.missing else "",
        "words": lambda key: words(front.lang, key),
    }


def render_page(env: jinja2.Environment, deck: Deck, files: list[Asset], reporter: Reporter) -> str:
    front = deck.source.front
    context = {
        **_deck_context(deck),
        "stacks": deck.stacks,
        "styles": [a.target for a in files if a.target.endswith(".css")],
        "scripts": [a.target for a in files if a.target.endswith(".js")],
        "reveal": reveal_options(deck),
        "speaker": speaker_words(front.lang, front.title or (deck.slides[0].title if deck.slides else "")),
        "mermaid_theme": mermaid_theme(front.theme, Brand.background_of(deck.source.brand)),
        "setup": deck_setup(deck),
    }
    return _render(env, "deck.html.j2", context, reporter)


def render_slide(env: jinja2.Environment, deck: Deck, slide: Slide, reporter: Reporter) -> str:
    """One slide's ``<section>``, as the deck page has it (the converter's fixtures compare this)."""
    return _render(env, "section.html.j2", {**_deck_context(deck), "slide": slide}, reporter)


def reference_list(env: jinja2.Environment, reporter: Reporter) -> Callable[[list[Reference]], str]:
    """The reference list's HTML through ``references.html.j2``, for the render stage."""
    return lambda references: _render(env, "references.html.j2", {"references": references}, reporter)


def agenda(env: jinja2.Environment, deck: Deck, reporter: Reporter) -> Callable[[dict[str, Any], Slide | None], str]:
    """An agenda's HTML through ``agenda.html.j2``, for the render stage: the token's settings (``depth``,
    ``current``, ``local``, ``caption``) and the slide it is on."""

    def render(meta: dict[str, Any], slide: Slide | None) -> str:
        entries = outline.section_slides(deck)
        if meta.get("local") and slide is not None and slide.place is not None:
            entries = [entry for entry in entries if entry[0].number == slide.place.section]
        if not entries:
            where = SourceLoc(slide.loc.path if slide else deck.source.path, int(meta.get("line", 0)))
            why = "a section starts with a slide that has only its heading, or, in a deck without such slides, "
            reporter.warning(where, f"the agenda has no sections to list: {why}with a '##' slide", "empty-agenda")
            return ""
        depth = 2 if meta.get("local") else int(meta.get("depth") or 1)
        shown: list[tuple[Section, list[Slide]]] = [(sec, slides if depth > 1 else []) for sec, slides in entries]
        settings = {"current": 0, "caption": "", "classes": "", **meta}
        context = {**_deck_context(deck), "entries": shown, **settings}
        return _render(env, "agenda.html.j2", context, reporter)

    return render


def render_index(env: jinja2.Environment, decks: list[dict[str, Any]], reporter: Reporter) -> str:
    return _render(env, "index.html.j2", {"decks": decks}, reporter)


def _render(env: jinja2.Environment, name: str, context: dict[str, Any], reporter: Reporter) -> str:
    """Render one template; any failure is an error naming the template file and line that failed."""
    loc: SourceLoc | None
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        loc = SourceLoc(Path(exc.filename or exc.name or name), exc.lineno)
        message = exc.message or "syntax error"
    except jinja2.TemplateNotFound as exc:  # the {% include %} or {% extends %} that names it, if one does
        loc = _template_frame(exc)
        message = f"template '{exc.name}' not found (looked in {_folders(env)})"
        if ".." in str(exc.name).replace("\\", "/").split("/"):
            message = f"template '{exc.name}' is outside the template folders ({_folders(env)}): name one inside"
    except Exception as exc:  # a template runs code: any error of it is the template's, with its line
        loc = _template_frame(exc) or SourceLoc(Path(name))
        message = f"{type(exc).__name__}: {exc}" if not isinstance(exc, jinja2.TemplateError) else str(exc)
    reporter.error(loc, f"template: {message}", "template-error")
    raise BuildError("a template failed")


def _template_frame(exc: BaseException) -> SourceLoc | None:
    """The innermost template line in the traceback (Jinja puts template files and lines there)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".j2", ".html"))]
    return SourceLoc(Path(frames[-1].filename), frames[-1].lineno or 0) if frames else None


def _folders(env: jinja2.Environment) -> str:
    loader = env.loader
    paths = getattr(loader, "searchpath", [])
    return ", ".join(str(p) for p in paths) or "no folder"
