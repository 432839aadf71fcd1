"""Directives, agenda family: Jupyter Book's ``{tableofcontents}`` and docutils' ``{contents}``, the deck's
sections as a list of links (``:depth: 2`` adds the slides under each; ``:local:`` lists the slides of the
section it stands in). The list is made when the deck renders, once every slide is known."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.registry import DirectiveCall, class_names, directive, flag, number, text
from mystdeck.tokens import TOC, context_of, make_token


@directive(
    "tableofcontents",
    "contents",
    argument="optional",
    options={"depth": number, "local": flag, "backlinks": text, "class": class_names},
    body="none",
    example="```{tableofcontents}\n:depth: 2\n```",
    summary="the deck's sections as links (an agenda); ':depth: 2' adds their slides; a slide with an empty "
    "heading and only this is titled 'Gliederung' (German) or 'Outline'",
)
def tableofcontents(call: DirectiveCall) -> list[Token]:
    depth = call.options.get("depth", 1)
    if depth < 1:
        call.warn(f"{{{call.name}}} ':depth:' counts from 1 (sections) or 2 (their slides too); using 1")
        depth = 1
    caption = call.argument if call.name == "contents" else ""
    local, classes = call.options.get("local", False), call.options.get("class", "")
    return [make_token(TOC, "nav", 0, depth=min(depth, 2), local=local, caption=caption, classes=classes,
                       line=call.line)]  # fmt: skip


def _render_toc(self: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict[str, object]) -> str:
    context = context_of(env)
    return context.agenda(tokens[idx].meta, context.slide)


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule(TOC, _render_toc)
