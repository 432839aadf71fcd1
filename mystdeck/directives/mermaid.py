"""Directives, mermaid family: ``{mermaid}`` diagrams, drawn to SVG by the diagrams stage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.registry import DirectiveCall, directive, text
from mystdeck.model import Diagram
from mystdeck.tokens import context_of, make_token


@directive(
    "mermaid",
    options={"caption": text, "alt": text},
    body="raw",
    example=":::{mermaid}\ngantt\n    dateFormat YYYY-MM-DD\n    DALL·E 2 :milestone, 2022-04-13,\n:::",
    summary="a mermaid diagram, drawn offline (at build time when a browser is found)",
)
def mermaid(call: DirectiveCall) -> list[Token]:
    diagram = Diagram(call.state.loc(call.body_line), call.body)
    call.state.parsed.diagrams.append(diagram)
    token = make_token("deck_mermaid", "div", 0, diagram=diagram, **call.options)
    token.map = [call.line - 1, call.line]
    return [token]


def _render(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    diagram: Diagram = meta["diagram"]
    title = re.search(r"^\s*title\s+(.+)$", diagram.source, re.MULTILINE)
    name = meta.get("alt") or meta.get("caption") or (title.group(1).strip() if title else "")
    label = escapeHtml(name or context_of(env).words("diagram"))
    if diagram.svg:
        inner = diagram.svg
    elif diagram.error:
        message = escapeHtml(context_of(env).words("diagram_error"))
        inner = (
            f'<div class="deck-diagram-error"><p>{message}:</p><pre>{escapeHtml(diagram.error)}</pre>'
            f"<pre><code>{escapeHtml(diagram.source)}</code></pre></div>"
        )
    else:
        inner = f'<pre class="deck-mermaid-source">{escapeHtml(diagram.source)}</pre>'
    caption = f"<figcaption>{escapeHtml(meta['caption'])}</figcaption>" if meta.get("caption") else ""
    aria = f' role="img" aria-label="{label}"'
    return f'<figure class="deck-mermaid"{aria}>{inner}{caption}</figure>\n'


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_mermaid", _render)
