"""Page stage: the rendered Deck in, the deck's index.html out, through the Jinja templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.diagrams import mermaid_theme
from mystdeck.model import Asset, Deck

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


def make_environment(templates: list[Path]) -> jinja2.Environment:
    """The project's templates/ first, then mystdeck's own, so a presenter overrides file by file."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(t) for t in templates if t.is_dir()]),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def reveal_options(deck: Deck) -> dict[str, Any]:
    """mystdeck's reveal.js defaults with the front matter's ``reveal:`` mapping over them."""
    return {**REVEAL_DEFAULTS, **deck.source.front.reveal}


def render_page(env: jinja2.Environment, deck: Deck, files: list[Asset], reporter: Reporter) -> str:
    front = deck.source.front
    context = {
        "front": front,
        "deck": deck,
        "stacks": deck.stacks,
        "styles": [a.target for a in files if a.target.endswith(".css")],
        "scripts": [a.target for a in files if a.target.endswith(".js")],
        "reveal": reveal_options(deck),
        "features": sorted(deck.features),
        "mermaid_theme": mermaid_theme(front.theme),
    }
    try:
        return env.get_template("deck.html.j2").render(context)
    except jinja2.TemplateSyntaxError as exc:
        reporter.error(
            SourceLoc(Path(exc.filename or exc.name or "template"), exc.lineno), exc.message or "", "template-error"
        )
    except jinja2.TemplateError as exc:
        reporter.error(SourceLoc(Path("templates/deck.html.j2")), str(exc), "template-error")
    raise BuildError("the page template failed")


def render_index(env: jinja2.Environment, decks: list[dict[str, Any]], reporter: Reporter) -> str:
    try:
        return env.get_template("index.html.j2").render({"decks": decks})
    except jinja2.TemplateError as exc:
        reporter.error(SourceLoc(Path("templates/index.html.j2")), str(exc), "template-error")
    raise BuildError("the index template failed")
