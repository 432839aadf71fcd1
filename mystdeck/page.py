"""Page stage: the rendered Deck in, the deck's index.html out, through the Jinja templates."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.diagrams import mermaid_theme
from mystdeck.lang import format_date, speaker_words
from mystdeck.model import Asset, Deck, Reference, Slide

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
    return {**REVEAL_DEFAULTS, **timing, **front.reveal}


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
        "mermaid_theme": mermaid_theme(front.theme),
    }
    return _render(env, "deck.html.j2", context, reporter)


def render_slide(env: jinja2.Environment, deck: Deck, slide: Slide, reporter: Reporter) -> str:
    """One slide's ``<section>``, as the deck page has it (the converter's fixtures compare this)."""
    return _render(env, "section.html.j2", {**_deck_context(deck), "slide": slide}, reporter)


def reference_list(env: jinja2.Environment, reporter: Reporter) -> Callable[[list[Reference]], str]:
    """The reference list's HTML through ``references.html.j2``, for the render stage."""
    return lambda references: _render(env, "references.html.j2", {"references": references}, reporter)


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
