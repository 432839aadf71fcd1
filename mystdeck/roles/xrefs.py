"""Roles (parse stage), cross-references: ``{ref}``, ``{numref}``, ``{eq}``, ``{term}`` and links to labels
(``[](#label)``); the cross-reference stage finds each one's target and the text it shows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.model import RenderContext, XRef
from mystdeck.roles.registry import Gather, RoleCall, role
from mystdeck.tokens import context_of, inline_children, state_of

_LABELLED = re.compile(r"(.*?)\s*<([^<>]+)>\s*", re.DOTALL)
OUTSIDE_FORMS = ("ref", "doc")  # a label the deck lacks may name another page of the book: shown plain


def _xref_gatherer(form: str) -> Gather:
    def gather(call: RoleCall) -> bool:
        match = _LABELLED.fullmatch(call.token.content)
        text, label = (match.group(1), match.group(2)) if match else ("", call.token.content)
        if not label.strip():
            call.warn(f"{{{call.name}}} needs a label")
            return False
        xref = XRef(call.state.loc(call.line), label.strip().lstrip("#"), form, text.strip())
        call.token.meta["xref"] = xref
        call.state.parsed.xrefs.append(xref)
        return True

    return gather


def _missing_xref(ctx: RenderContext) -> str:
    return f'<span class="deck-xref-missing" title="{escapeHtml(ctx.words("xref_missing"))}">'


def _xref_html(xref: XRef, ctx: RenderContext) -> str:
    if xref.target is None and xref.form in OUTSIDE_FORMS:  # another document of the book: its text, plain
        return escapeHtml(xref.template or xref.label)
    if xref.target is None:
        return f"{_missing_xref(ctx)}{escapeHtml(xref.label)}?</span>"
    return f'<a class="deck-xref" href="#/{escapeHtml(xref.target.slide_id)}">{escapeHtml(xref.text)}</a>'


def _render_xref(token: Token, ctx: RenderContext) -> str:
    return _xref_html(token.meta["xref"], ctx)


for _name, _xref_form, _example, _summary in (
    ("ref", "ref", "{ref}`eisbaer`", "a link to a labelled slide, figure, table…, showing its title or caption"),
    (
        "numref",
        "numref",
        "{numref}`eisbaer`",
        "a link showing the target's number: Abbildung 2 (or your text: Abb. %s)",
    ),
    ("eq", "eq", "{eq}`diffusion`", "a link to a labelled equation: Gleichung (3)"),
    ("term", "term", "{term}`Diffusion`", "a link to a term of the {glossary}"),
    ("prf:ref", "ref", "{prf:ref}`satz-1`", "the same as {ref}"),
    (
        "doc",
        "doc",
        "{doc}`Einleitung <intro>`",
        "a link to the slide of that label; a page of the book outside the deck shows its text, plain",
    ),
    ("any", "doc", "{any}`eisbaer`", "the same as {doc}"),
    ("math:numref", "eq", "{math:numref}`diffusion`", "the same as {eq}"),
):
    role(_name, _example, _summary, _xref_gatherer(_xref_form))(_render_xref)


_BARE_LABEL = re.compile(r"[A-Za-z][\w:.-]*")


def gather_links(core: StateCore) -> None:
    """``[](#label)``, ``[text](#label)`` and ``[](label)`` are cross-references (``#/…`` stays reveal.js'
    own link to a slide). Links do not nest: a link ends at the next ``link_close``."""
    state = state_of(core.env)
    for parent, line, child in inline_children(core.tokens):
        if child.type != "link_open" or "xref" in child.meta:
            continue
        href = str(child.attrGet("href") or "")
        children = parent.children or []
        after = children[children.index(child) + 1 :]
        empty = after[0].type == "link_close"
        if href.startswith("#") and not href.startswith("#/") and len(href) > 1:
            label = href[1:]
        elif empty and _BARE_LABEL.fullmatch(href) and "." not in href:
            label = href
        else:
            continue
        xref = XRef(state.loc(line), label, "link")
        child.meta.update(xref=xref, fill=empty)
        next(token for token in after if token.type == "link_close").meta["xref"] = xref
        state.parsed.xrefs.append(xref)


def render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    token = tokens[idx]
    xref: XRef | None = token.meta.get("xref")
    if xref is None:
        return str(self.renderToken(tokens, idx, options, env))
    if xref.target is None:
        return _missing_xref(context_of(env)) + (escapeHtml(xref.label) + "?" if token.meta["fill"] else "")
    text = escapeHtml(xref.text) if token.meta["fill"] else ""
    return f'<a class="deck-xref" href="#/{escapeHtml(xref.target.slide_id)}">{text}'


def render_link_close(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    xref: XRef | None = tokens[idx].meta.get("xref")
    return "</span>" if xref is not None and xref.target is None else "</a>"


#: The cross-reference syntax that is not a role, for the README's table.
SYNTAX = [
    ("`(label)=`", "a line before a heading names its slide for cross-references", "(diffusion)=\n## Diffusion"),
    (
        "`[](#label)`, `[text](#label)`, `[](label)`",
        "a link to a labelled slide, figure, table or equation; empty text shows its title or number",
        "siehe [](#diffusion)",
    ),
    (
        "`$$ … $$ (label)`",
        "a displayed formula with a label: numbered, and {eq} links to it",
        "$$ x_t = x_0 + \\epsilon $$ (rauschen)",
    ),
    (
        "`\\begin{align}` …",
        "amsmath environments (equation, align, gather, multline, starred forms) as displayed formulas; "
        "a \\label{…} inside names it",
        "\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}",
    ),
]
