"""Directives, math family: ``{math}`` blocks and ``$…$`` / ``$$…$$``, typeset by KaTeX in the deck."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.diagnostics import token_line
from mystdeck.directives.registry import DirectiveCall, directive, text
from mystdeck.model import Formula, ParseState, Target
from mystdeck.tokens import make_token, state_of

MATH_TYPES = ("math_inline", "math_inline_double", "math_block", "math_block_label", "deck_math", "amsmath")
DISPLAY_TYPES = ("math_block", "math_block_label", "deck_math", "amsmath")


@directive(
    "math",
    options={"label": text, "name": text},
    body="raw",
    example="```{math}\nq(x_t \\mid x_{t-1}) = \\mathcal{N}(x_t; \\sqrt{1-\\beta_t}\\,x_{t-1}, \\beta_t I)\n```",
    summary="a displayed formula, typeset by KaTeX (also $…$ inline and $$…$$ displayed)",
)
def math_block(call: DirectiveCall) -> list[Token]:
    token = make_token("deck_math", "div", 0)
    token.content = call.body
    token.map = [call.line - 1, call.line]
    call.add_target("equation", token)
    return [token]


def math_html(formula: Formula, block: bool = False) -> str:
    """A formula as the formulas stage typeset it, or as KaTeX's complaint about it; as its TeX when
    it was not typeset (the deck typesets it when it opens)."""
    tag = "div" if block else "span"
    display = str(formula.display).lower()
    if formula.html:
        return f'<{tag} class="deck-math deck-math-done" data-display="{display}">{formula.html}</{tag}>'
    if formula.error:
        title = escapeHtml(formula.error)
        tex = escapeHtml(formula.tex)
        return f'<{tag} class="deck-math deck-math-error" data-display="{display}" title="{title}">{tex}</{tag}>'
    return f'<{tag} class="deck-math" data-display="{display}">{escapeHtml(formula.tex)}</{tag}>'


def gather_formula(token: Token, state: ParseState, tex: str, display: bool) -> None:
    """Note a formula of the deck on its token, for the formulas stage to typeset before rendering."""
    token.meta["formula"] = found = Formula(tex.strip(), display)
    state.parsed.formulas.append(found)


def mark_math(core: StateCore) -> None:
    """Gather every formula (once: a directive's body is parsed before the text around it); every
    displayed formula of the markdown (``$$…$$``, ``$$…$$ (label)``, ``\\begin{align}…``) can be numbered
    and referenced."""
    state = state_of(core.env)
    for token in core.tokens:
        if token.type in ("math_block", "math_block_label", "amsmath") and "target_kind" not in token.meta:
            line = token_line(token)
            label = token.info.strip() if token.type == "math_block_label" else ""
            if token.type == "amsmath":
                label = _unnumbered(token)
            state.parsed.targets.append(Target(label, "equation", state.loc(line), token))
            token.meta["target_kind"] = "equation"
        found = [token] if token.type in MATH_TYPES else [c for c in token.children or [] if c.type in MATH_TYPES]
        for math in found:
            if "formula" not in math.meta:
                gather_formula(math, state, *formula(math))


_LABEL = re.compile(r"\\label\{([^{}]*)\}")
_NUMBERED_ENVIRONMENT = re.compile(r"\\(begin|end)\{(equation|align|gather|multline|flalign|alignat)\}")


def _unnumbered(token: Token) -> str:
    """An amsmath environment as KaTeX shows it without numbers of its own (mystdeck numbers the formula,
    once); a ``\\label{…}`` inside names it, as in LaTeX. Returns the label."""
    match = _LABEL.search(token.content)
    token.content = _NUMBERED_ENVIRONMENT.sub(r"\\\1{\2*}", _LABEL.sub("", token.content))
    return match.group(1) if match else ""


def formula(token: Token) -> tuple[str, bool]:
    """A math token's TeX as KaTeX gets it, and whether it is displayed."""
    if token.type in ("math_inline", "math_inline_double"):
        return token.content.strip(), token.type == "math_inline_double"
    return _NUMBERED_ENVIRONMENT.sub(r"\\\1{\2*}", token.content).strip(), True


def _inline(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return math_html(tokens[idx].meta["formula"])


def _block(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    token = tokens[idx]
    html = math_html(token.meta["formula"], block=True)
    if not token.meta.get("number_shown"):
        return html + "\n"
    number = escapeHtml(f"({token.meta['number']})")
    return f'<div class="deck-equation">{html}<span class="deck-equation-number">{number}</span></div>\n'


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("math_inline", _inline)
    md.add_render_rule("math_inline_double", _inline)
    for kind in DISPLAY_TYPES:
        md.add_render_rule(kind, _block)
