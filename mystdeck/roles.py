"""Roles: ``{name}`text``` inline, checked and gathered while parsing, rendered by a registry of functions."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.math import math_html
from mystdeck.model import Cite
from mystdeck.tokens import inline_children, state_of

CITATIONS_KEY = "deck_citations"


class CiteFormatter(Protocol):
    def format(self, cite: Cite) -> str: ...


@dataclass(slots=True, frozen=True)
class RoleSpec:
    name: str
    render: Callable[[Token, Any], str]
    example: str
    summary: str


def _plain(tag: str) -> Callable[[Token, Any], str]:
    return lambda token, env: f"<{tag}>{escapeHtml(token.content)}</{tag}>"


def _abbr(token: Token, env: Any) -> str:
    match = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", token.content, re.DOTALL)
    if not match:
        return f"<abbr>{escapeHtml(token.content)}</abbr>"
    return f'<abbr title="{escapeHtml(match.group(2))}">{escapeHtml(match.group(1))}</abbr>'


def _cite(token: Token, env: Any) -> str:
    formatter: CiteFormatter = env[CITATIONS_KEY]
    return formatter.format(token.meta["cite"])


# The citation roles of sphinxcontrib-bibtex, generated from their grammar: an optional "c"
# (capitalise), a base form, an optional "s" (every author instead of "et al.").
_CITE_BASES = {
    "p": "(Ho et al., 2020)",
    "t": "Ho et al. (2020)",
    "alp": "Ho et al., 2020",
    "author": "Ho et al.",
    "authorpar": "(Ho et al.)",
    "year": "2020",
    "yearpar": "(2020)",
    "empty": "nothing; the work is only listed",
}
_CAPITALISED = ("t", "author")
_FULL_LIST = ("p", "t", "alp", "author", "authorpar")


def cite_forms() -> dict[str, str]:
    """Every citation form name → what it shows, ``cite`` being ``p``."""
    forms = {"cite": _CITE_BASES["p"]}
    for base, shows in _CITE_BASES.items():
        forms[base] = shows
        if base in _FULL_LIST:
            forms[base + "s"] = shows.replace("Ho et al.", "Ho, Jain, and Abbeel")
        if base in _CAPITALISED:
            forms["c" + base] = shows + ", capitalised"
            forms["c" + base + "s"] = forms[base + "s"] + ", capitalised"
    return forms


CITE_FORMS = cite_forms()


def _role_table() -> dict[str, RoleSpec]:
    table = {
        "math": RoleSpec("math", lambda t, env: math_html(t.content, False), "{math}`\\beta_t`", "inline formula"),
        "sub": RoleSpec("sub", _plain("sub"), "H{sub}`2`O", "subscript"),
        "sup": RoleSpec("sup", _plain("sup"), "E = mc{sup}`2`", "superscript"),
        "kbd": RoleSpec("kbd", _plain("kbd"), "{kbd}`S`", "a key to press"),
        "abbr": RoleSpec(
            "abbr", _abbr, "{abbr}`CLIP (Contrastive Language-Image Pre-training)`", "abbreviation with its meaning"
        ),
    }
    for form, shows in CITE_FORMS.items():
        name = "cite" if form == "cite" else f"cite:{form}"
        table[name] = RoleSpec(name, _cite, f"{{{name}}}`hoDenoisingDiffusionProbabilistic2020`", shows)
    return table


ROLES = _role_table()
_KEY = re.compile(r"\s*(?:\{([^{}]*)\})?\s*([^\s{},]+)\s*(?:\{([^{}]*)\})?\s*")


def parse_cite_keys(content: str) -> list[tuple[str, str, str]] | None:
    """``{see}a{p. 1}, b`` → [("see", "a", "p. 1"), ("", "b", "")]; None when it does not fit."""
    keys = []
    for part in content.split(","):
        match = _KEY.fullmatch(part)
        if not match:
            return None
        keys.append((match.group(1) or "", match.group(2), match.group(3) or ""))
    return keys


def _gather_roles(core: StateCore) -> None:
    state = state_of(core.env)
    for _parent, line, child in inline_children(core.tokens):
        if child.type != "myst_role":
            continue
        name = child.meta.get("name", "")
        if name not in ROLES:
            state.reporter.warning(
                state.loc(line), f"unknown role '{{{name}}}': its text is shown as code", "unknown-role"
            )
            continue
        if name == "math":
            state.features.add("math")
        if ROLES[name].render is _cite:
            _gather_cite(child, name, line, state)


def _gather_cite(token: Token, name: str, line: int, state: Any) -> None:
    keys = parse_cite_keys(token.content)
    if not keys:
        state.reporter.warning(
            state.loc(line),
            f"{{{name}}}`{token.content}`: write keys separated by commas, such as {{cite}}`key1,key2`",
            "bad-role",
        )
        return
    form = name.partition(":")[2] or "p"
    cite = Cite(state.loc(line), form, keys)
    token.meta["cite"] = cite
    state.cites.append(cite)


def _render_role(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    token = tokens[idx]
    spec = ROLES.get(token.meta.get("name", ""))
    if spec is None or (spec.render is _cite and "cite" not in token.meta):
        return f'<code class="deck-unknown-role">{escapeHtml(token.content)}</code>'
    return spec.render(token, env)


def roles_plugin(md: MarkdownIt) -> None:
    # Before directives splice in their parsed bodies, so each role is gathered once.
    md.core.ruler.before("deck_directives", "deck_roles", _gather_roles)
    md.add_render_rule("myst_role", _render_role)
