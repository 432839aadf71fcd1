"""Roles (parse stage): ``{name}`text``` inline. A registry like the directives': each role has an optional parse-time
step (``gather``: check the text, note what the deck needs, such as citations) and a render-time step.

A role whose ``gather`` refuses its text is shown as code, like an unknown role.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.math import math_html
from mystdeck.model import Cite, CiteForm, ParseState, RenderContext
from mystdeck.tokens import context_of, inline_children, state_of

Gather = Callable[[Token, ParseState, int], bool]  # the role's token, the parse, its line → accepted?
Render = Callable[[Token, RenderContext], str]


@dataclass(slots=True, frozen=True)
class RoleSpec:
    name: str
    render: Render
    gather: Gather | None
    example: str
    summary: str


@dataclass(slots=True)
class RoleRegistry:
    roles: dict[str, RoleSpec] = field(default_factory=dict)

    def role(self, name: str, example: str, summary: str, gather: Gather | None = None) -> Callable[[Render], Render]:
        """Register the decorated render function (and ``gather``, run while parsing) as role ``name``."""

        def register(render: Render) -> Render:
            self.roles[name] = RoleSpec(name, render, gather, example, summary)
            return render

        return register


ROLE_REGISTRY = RoleRegistry()
role = ROLE_REGISTRY.role
ROLES = ROLE_REGISTRY.roles


def _plain(tag: str) -> Render:
    return lambda token, ctx: f"<{tag}>{escapeHtml(token.content)}</{tag}>"


def _needs_math(token: Token, state: ParseState, line: int) -> bool:
    state.features.add("math")
    return True


@role("math", "{math}`\\beta_t`", "inline formula", gather=_needs_math)
def _math(token: Token, ctx: RenderContext) -> str:
    return math_html(token.content, False)


role("sub", "H{sub}`2`O", "subscript")(_plain("sub"))
role("sup", "E = mc{sup}`2`", "superscript")(_plain("sup"))
role("kbd", "{kbd}`S`", "a key to press")(_plain("kbd"))


@role("abbr", "{abbr}`CLIP (Contrastive Language-Image Pre-training)`", "abbreviation with its meaning")
def _abbr(token: Token, ctx: RenderContext) -> str:
    match = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", token.content, re.DOTALL)
    if not match:
        return f"<abbr>{escapeHtml(token.content)}</abbr>"
    return f'<abbr title="{escapeHtml(match.group(2))}">{escapeHtml(match.group(1))}</abbr>'


# The citation roles of sphinxcontrib-bibtex, generated from their grammar: an optional ``c``
# (capitalise), a base form, an optional ``s`` (every author instead of "et al.").
# base form → (what it shows for Ho, Jain and Abbeel 2020, has a "c" form, has an "s" form)
CITE_GRAMMAR: dict[str, tuple[str, bool, bool]] = {
    "p": ("(Ho et al., 2020)", False, True),
    "t": ("Ho et al. (2020)", True, True),
    "alp": ("Ho et al., 2020", False, True),
    "author": ("Ho et al.", True, True),
    "authorpar": ("(Ho et al.)", False, True),
    "year": ("2020", False, False),
    "yearpar": ("(2020)", False, False),
    "empty": ("nothing; the work is only listed", False, False),
}
_EVERY_AUTHOR = "Ho, Jain, and Abbeel"


def cite_roles() -> dict[str, tuple[CiteForm, str]]:
    """Every citation role name (``cite``, ``cite:p``, ``cite:cts``, …) → its form and what it shows."""
    roles = {"cite": (CiteForm("p"), CITE_GRAMMAR["p"][0])}
    for base, (shows, capital, full) in CITE_GRAMMAR.items():
        every = shows.replace("Ho et al.", _EVERY_AUTHOR)
        variants = [("", False, False, shows)]
        variants += [("s", False, True, every)] if full else []
        variants += [("c", True, False, shows + ", capitalised")] if capital else []
        variants += [("cs", True, True, every + ", capitalised")] if capital and full else []
        for affix, cap, all_authors, text in variants:
            name = ("c" if "c" in affix else "") + base + ("s" if "s" in affix else "")
            roles[f"cite:{name}"] = (CiteForm(base, cap, all_authors), text)
    return roles


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


def _cite_gatherer(name: str, form: CiteForm) -> Gather:
    def gather(token: Token, state: ParseState, line: int) -> bool:
        keys = parse_cite_keys(token.content)
        if not keys:
            state.reporter.warning(
                state.loc(line),
                f"{{{name}}}`{token.content}`: write keys separated by commas, such as {{cite}}`key1,key2`",
                "bad-role",
            )
            return False
        cite = Cite(state.loc(line), form, keys)
        token.meta["cite"] = cite
        state.cites.append(cite)
        return True

    return gather


def _render_cite(token: Token, ctx: RenderContext) -> str:
    return ctx.cites.format(token.meta["cite"])


for _name, (_form, _shows) in cite_roles().items():
    role(_name, f"{{{_name}}}`hoDenoisingDiffusionProbabilistic2020`", _shows, _cite_gatherer(_name, _form))(
        _render_cite
    )


def _gather_roles(core: StateCore) -> None:
    state = state_of(core.env)
    for _parent, line, child in inline_children(core.tokens):
        if child.type != "myst_role":
            continue
        name = child.meta.get("name", "")
        spec = ROLES.get(name)
        if spec is None:
            state.reporter.warning(
                state.loc(line), f"unknown role '{{{name}}}': its text is shown as code", "unknown-role"
            )
        elif spec.gather is None or spec.gather(child, state, line):
            child.meta["role"] = spec


def _render_role(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    token = tokens[idx]
    spec: RoleSpec | None = token.meta.get("role")
    if spec is None:
        return f'<code class="deck-unknown-role">{escapeHtml(token.content)}</code>'
    return spec.render(token, context_of(env))


def roles_plugin(md: MarkdownIt) -> None:
    # Before directives splice in their parsed bodies, so each role is gathered once.
    md.core.ruler.before("deck_directives", "deck_roles", _gather_roles)
    md.add_render_rule("myst_role", _render_role)
