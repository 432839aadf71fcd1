"""Roles (parse stage), inline formatting: formulas, sub- and superscripts (inline markdown), keys, underlined,
struck through, abbreviations, small capitals, chemical formulas."""

from __future__ import annotations

import re

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from mystdeck.directives.math import gather_formula, math_html
from mystdeck.model import RenderContext
from mystdeck.roles.registry import Render, RoleCall, role


def _plain(tag: str) -> Render:
    return lambda token, ctx: f"<{tag}>{escapeHtml(token.content)}</{tag}>"


def _gather_formula(call: RoleCall) -> bool:
    gather_formula(call.token, call.state, call.token.content, False)
    return True


@role("math", "{math}`\\beta_t`", "inline formula", gather=_gather_formula)
def _math(token: Token, ctx: RenderContext) -> str:
    return math_html(token.meta["formula"])


def _parse_body(call: RoleCall) -> bool:
    """The role's text is inline markdown (H{sub}`*i*`): parsed here, with the rest of the deck."""
    call.token.children = call.parse_inline(call.token.content)
    return True


def _markdown(tag: str) -> Render:
    return lambda token, ctx: f"<{tag}>{ctx.render_inline(token.children or [])}</{tag}>"


def _abbr(token: Token, ctx: RenderContext) -> str:
    match = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", token.content, re.DOTALL)
    if not match:
        return f"<abbr>{escapeHtml(token.content)}</abbr>"
    return f'<abbr title="{escapeHtml(match.group(2))}">{escapeHtml(match.group(1))}</abbr>'


def _smallcaps(token: Token, ctx: RenderContext) -> str:
    return f'<span class="deck-smallcaps">{escapeHtml(token.content)}</span>'


def _chem(token: Token, ctx: RenderContext) -> str:
    """``H2O``, ``SO4^2-``: counts after an element or a bracket go below, ``^…`` charges above."""
    html = escapeHtml(token.content)
    html = re.sub(r"\^([0-9]*[+\-\u2212])", r"<sup>\1</sup>", html)
    html = re.sub(r"(?<=[A-Za-z)\]])([0-9]+)", r"<sub>\1</sub>", html)
    return f'<span class="deck-chem">{html}</span>'


_KEY_SEPARATORS = re.compile(r"(?<=[^\s+^-])([+^-])(?=[^\s])|(\s+)")


def _keys(token: Token, ctx: RenderContext) -> str:
    """``Ctrl+C`` as two keys joined by "+", ``Ctrl+X Ctrl+S`` as a sequence, as Sphinx shows them."""
    parts = _KEY_SEPARATORS.split(token.content.strip())
    html = []
    for index, part in enumerate(parts):
        if part is None:
            continue
        if index % 3 == 0:
            html.append(f"<kbd>{escapeHtml(part)}</kbd>" if part else "")
        else:
            html.append(" " if part.isspace() else escapeHtml(part))
    if len([p for i, p in enumerate(parts) if i % 3 == 0 and p]) == 1:
        return f"<kbd>{escapeHtml(token.content.strip())}</kbd>"
    return f'<kbd class="deck-keys">{"".join(html)}</kbd>'


# Each role under every name MyST gives it; the first name is the one the README explains.
for _names, _example, _summary, _render, _gather in (
    (("sub", "subscript"), "H{sub}`2`O", "subscript (inline markdown)", _markdown("sub"), _parse_body),
    (("sup", "superscript"), "E = mc{sup}`2`", "superscript (inline markdown)", _markdown("sup"), _parse_body),
    (
        ("kbd", "keyboard"),
        "{kbd}`Ctrl+Shift+F`",
        "keys to press: each key of a combination (+, -, ^) or sequence",
        _keys,
        None,
    ),
    (("u", "underline"), "{u}`wichtig`", "underlined", _plain("u"), None),
    (("del", "strike", "delete"), "{del}`alt`", "struck through", _plain("del"), None),
    (
        ("abbr", "abbreviation", "acronym"),
        "{abbr}`CLIP (Contrastive Language-Image Pre-training)`",
        "abbreviation with its meaning",
        _abbr,
        None,
    ),
    (("sc", "smallcaps"), "{sc}`Kapitälchen`", "small capitals", _smallcaps, None),
    (("chem", "chemicalFormula"), "{chem}`H2O`", "a chemical formula: H₂O", _chem, None),
):
    for _index, _name in enumerate(_names):
        summary = _summary if _index == 0 else f"the same as {{{_names[0]}}}"
        role(_name, _example.replace(f"{{{_names[0]}}}", f"{{{_name}}}"), summary, _gather)(_render)
