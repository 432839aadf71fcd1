"""Directives, statements family: numbered callouts — sphinx-exercise's ``{exercise}`` and ``{solution}``,
sphinx-proof's ``{prf:theorem}``, ``{prf:proof}`` and the other ``prf:`` kinds.

Each kind is numbered through the deck by the cross-reference stage (a proof is not numbered); its
title says the kind in the deck's language: “Satz 1 (Bayes)”, “Lösung zu Aufgabe 2”.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.diagnostics import token_line
from mystdeck.directives.registry import DirectiveCall, class_names, directive, flag, text
from mystdeck.lang import numbered
from mystdeck.model import XRef
from mystdeck.tokens import context_of, make_token, state_of

PRF_KINDS = (
    *("theorem", "proof", "algorithm", "assumption", "axiom", "conjecture", "corollary", "criterion"),
    *("definition", "example", "lemma", "observation", "property", "proposition", "remark"),
)
_OPTIONS = {"label": text, "name": text, "class": class_names, "nonumber": flag, "hidden": flag}


def _statement(call: DirectiveCall, kind: str, title: str) -> list[Token]:
    """A statement's tokens; ``:nonumber:`` leaves its number out (a reference still finds it), ``:hidden:``
    (sphinx-exercise: a solution kept from the reader) leaves it off the slide."""
    opening = make_token("deck_statement_open", "div", 1, kind=kind, extra=call.options.get("class", ""))
    opening.meta["label"] = str(call.options.get("label") or call.options.get("name") or "")
    opening.meta["nonumber"] = bool(call.options.get("nonumber"))
    opening.map = [call.line - 1, call.line]
    heading = call.parse_inline(title, "deck_statement_title")
    if kind != "prf:proof" and not call.options.get("hidden"):
        call.add_target(kind, opening, title or "")
    if call.options.get("hidden"):
        return []
    return [opening, *heading, make_token("deck_statement_heading_end", "", 0), *call.parse_body(),
            make_token("deck_statement_close", "div", -1)]  # fmt: skip


@directive(
    "exercise",
    argument="optional",
    options=_OPTIONS,
    example=":::{exercise} Rauschen\n:label: rauschen\nWie viele Schritte braucht DDPM?\n:::",
    summary="a numbered exercise (Aufgabe 1), with an optional title",
)
def exercise(call: DirectiveCall) -> list[Token]:
    return _statement(call, "exercise", call.argument)


@directive(
    "solution",
    argument="required",
    options=_OPTIONS,
    example=":::{solution} rauschen\nTausend.\n:::",
    summary="the solution to the exercise its argument labels: “Lösung zu Aufgabe 1”",
)
def solution(call: DirectiveCall) -> list[Token]:
    if call.options.get("hidden"):
        return []
    xref = XRef(call.state.loc(call.line), call.argument.strip(), "numref")
    call.state.parsed.xrefs.append(xref)
    opening = make_token("deck_statement_open", "div", 1, kind="solution", extra=call.options.get("class", ""))
    opening.meta.update(label=str(call.options.get("label") or ""), solves=xref)
    return [opening, make_token("deck_statement_heading_end", "", 0), *call.parse_body(),
            make_token("deck_statement_close", "div", -1)]  # fmt: skip


@directive(
    "exercise-start",
    "solution-start",
    argument="optional",
    options=_OPTIONS,
    body="none",
    example="```{exercise-start}\n:label: aufgabe\n```\nText, Code und Bilder dazwischen\n```{exercise-end}\n```",
    summary="sphinx-exercise's gated form: what stands between -start and -end is the exercise (or solution)",
)
def gate_start(call: DirectiveCall) -> list[Token]:
    kind = call.name.removesuffix("-start")
    made = solution(call) if kind == "solution" else _statement(call, kind, call.argument)
    ends = [index for index, token in enumerate(made) if token.type == "deck_statement_heading_end"]
    opening = made[: ends[0] + 1] if ends else []  # none: hidden, and what it gates with it
    gate = make_token("deck_gate_start", "", 0, kind=kind, tokens=opening, hidden=not ends)
    gate.map = [call.line - 1, call.line]
    return [gate]


@directive(
    "exercise-end",
    "solution-end",
    body="none",
    example="```{exercise-end}\n```",
    summary="ends a gated {exercise-start} or {solution-start}",
)
def gate_end(call: DirectiveCall) -> list[Token]:
    gate = make_token("deck_gate_end", "", 0, kind=call.name.removesuffix("-end"))
    gate.map = [call.line - 1, call.line]
    return [gate]


def close_gates(core: StateCore) -> None:
    """Each gated start with the next end of its kind at the same level becomes the statement around what
    stands between them; a start or an end without its other half is a warning, and left out."""
    state = state_of(core.env)
    result: list[Token] = []
    open_gates: list[tuple[int, Token, int]] = []  # (index in result, start, depth)
    depth = 0
    for token in core.tokens:
        if token.type == "deck_gate_start":
            open_gates.append((len(result), token, depth))
            result.append(token)
            continue
        if token.type == "deck_gate_end":
            match = next((g for g in reversed(open_gates) if g[1].meta["kind"] == token.meta["kind"]), None)
            if match is None or match[2] != depth:
                state.reporter.warning(state.loc(token_line(token)), f"{{{token.meta['kind']}-end}} without its "
                                       f"{{{token.meta['kind']}-start}} (left out)", "bad-directive")  # fmt: skip
                continue
            open_gates.remove(match)
            index, start, _depth = match
            if start.meta["hidden"]:
                del result[index:]
                continue
            result[index : index + 1] = start.meta["tokens"]
            result.append(make_token("deck_statement_close", "div", -1))
            continue
        depth += token.nesting
        result.append(token)
    for _index, start, _depth in open_gates:
        kind = start.meta["kind"]
        message = f"{{{kind}-start}} is never ended: add a {{{kind}-end}} (its content is shown as it is)"
        state.reporter.warning(state.loc(token_line(start)), message, "bad-directive")
    core.tokens = [token for token in result if token.type != "deck_gate_start"]


def _prf(call: DirectiveCall) -> list[Token]:
    return _statement(call, call.name, call.argument)


for _kind in PRF_KINDS:
    directive(
        f"prf:{_kind}",
        argument="optional",
        options=_OPTIONS,
        example=f":::{{prf:{_kind}}} Bayes\n:label: bayes\n$p(a \\mid b) = p(b \\mid a)\\,p(a) / p(b)$\n:::",
        summary="a numbered statement (Satz 1, Lemma 2, …; a proof is not numbered)",
    )(_prf)


def _render_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta, context = tokens[idx].meta, context_of(env)
    kind = meta["kind"]
    classes = " ".join(c for c in ("deck-statement", "deck-" + kind.replace(":", "-"), meta["extra"]) if c)
    ident = f' id="{escapeHtml(meta["label"])}"' if meta["label"] else ""
    if kind == "solution":
        solves: XRef = meta["solves"]
        name = context.words("solution_to").format(ref=solves.text) if solves.target else context.words("kind_solution")
    elif meta.get("number"):
        name = numbered(context.lang, kind, meta["number"])
    else:
        name = context.words("kind_" + kind)
    titled = idx + 1 < len(tokens) and tokens[idx + 1].type == "deck_statement_title_open"
    html = f'<div class="{escapeHtml(classes)}"{ident}>\n<p class="deck-statement-title">'
    return html + f"<strong>{escapeHtml(name)}</strong>" + (" (" if titled else "")


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_statement_open", _render_open)
    md.add_render_rule("deck_statement_title_open", lambda *args: "")
    md.add_render_rule("deck_statement_title_close", lambda *args: ")")
    md.add_render_rule("deck_statement_heading_end", lambda *args: "</p>\n")
    md.add_render_rule("deck_statement_close", lambda *args: "</div>\n")
