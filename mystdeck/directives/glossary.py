"""Directives, glossary family: ``{glossary}``, a definition list whose terms ``{term}`` links to."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mystdeck.diagnostics import token_line
from mystdeck.directives.registry import DirectiveCall, class_names, directive, flag
from mystdeck.model import Target
from mystdeck.tokens import make_token


@directive(
    "glossary",
    options={"class": class_names, "sorted": flag},
    example=":::{glossary}\nDiffusion\n: Ein Modell, das Rauschen Schritt für Schritt entfernt.\n:::",
    summary="terms and their meanings (a definition list); {term}`Diffusion` links to one",
)
def glossary(call: DirectiveCall) -> list[Token]:
    body = call.parse_body()
    terms = [(index, body[index + 1]) for index, token in enumerate(body) if token.type == "dt_open"]
    if not terms:
        call.warn("{glossary} holds no terms: write each term on a line, its meaning below it after ': '")
    for index, inline in terms:
        term = inline.content.strip()
        body[index].attrSet("id", "term-" + "-".join(re.findall(r"\w+", term.lower())))
        line = token_line(inline) or call.line
        call.state.parsed.targets.append(Target(term_label(term), "term", call.state.loc(line), body[index], term))
    classes = " ".join(c for c in ("deck-glossary", call.options.get("class", "")) if c)
    return [
        make_token("deck_glossary_open", "div", 1, classes=classes),
        *body,
        make_token("deck_glossary_close", "div", -1),
    ]


def term_label(term: str) -> str:
    """The label a glossary term is found by: ``{term}`` matches terms whatever their case."""
    return "term:" + " ".join(term.lower().split())


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_glossary_open", lambda s, t, i, o, e: f'<div class="{t[i].meta["classes"]}">\n')
    md.add_render_rule("deck_glossary_close", lambda *args: "</div>\n")
