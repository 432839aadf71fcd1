"""Roles (parse stage): ``{name}`text``` inline. The registry (``registry``) and one module per family:
inline formatting, cross-references, citations. A role whose ``gather`` refuses its text is shown as
code, like an unknown role.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.roles import citations, formatting, sphinx, xrefs
from mystdeck.roles.registry import ROLES, RoleCall, RoleSpec
from mystdeck.tokens import context_of, inline_children, state_of

__all__ = ["ROLES", "SYNTAX", "formatting", "gather_links", "gather_roles", "roles_plugin", "sphinx"]

#: The citation and cross-reference syntax that is not a role, for the README's table.
SYNTAX = [*citations.SYNTAX, *xrefs.SYNTAX]
gather_links = xrefs.gather_links


def gather_roles(core: StateCore) -> None:
    """Check each role and let it gather what it needs (before directives splice in their parsed
    bodies, so each role is gathered once)."""
    state = state_of(core.env)
    define_roles(core.tokens, state.role_aliases)
    for _parent, line, child in inline_children(core.tokens):
        if child.type != "myst_role":
            continue
        name = child.meta.get("name", "")
        spec = ROLES.get(name)
        if spec is None and name in state.role_aliases:  # {role} python(code) with :language: python
            base, options = state.role_aliases[name]
            spec = ROLES.get(base or "emphasis")
            child.meta.update(options, alias=name)
        if spec is None:
            close = difflib.get_close_matches(name, list(ROLES), n=1, cutoff=0.6)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            state.reporter.warning(
                state.loc(line), f"unknown role '{{{name}}}': its text is shown as code{hint}", "unknown-role"
            )
        elif spec.gather is None or spec.gather(RoleCall(child, state, line, core.md)):
            child.meta["role"] = spec


_ROLE_DIRECTIVE = re.compile(r"^\{role\}\s+([A-Za-z][\w:-]*)(?:\(([A-Za-z][\w:-]*)\))?\s*$")


def define_roles(tokens: list[Token], aliases: dict[str, tuple[str, dict[str, str]]]) -> None:
    """docutils' ``{role}`` directive, read before the roles it defines are met: ``{role} python(code)`` with
    ``:language: python`` makes ``{python}`` the code role in Python; ``{role} red`` (no base) emphasis."""
    for token in tokens:
        match = _ROLE_DIRECTIVE.match(token.info.strip()) if token.type in ("fence", "colon_fence") else None
        if match:
            options = dict(re.findall(r"^:([\w-]+):\s*(.*?)\s*$", token.content, re.MULTILINE))
            aliases[match.group(1)] = (match.group(2) or "", options)


def _render_role(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    token = tokens[idx]
    spec: RoleSpec | None = token.meta.get("role")
    if spec is None:
        return f'<code class="deck-unknown-role">{escapeHtml(token.content)}</code>'
    html = spec.render(token, context_of(env))
    if token.meta.get("alias") and token.meta.get("class"):  # a {role} with :class:
        return f'<span class="{escapeHtml(token.meta["class"])}">{html}</span>'
    return html


def roles_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "deck_cite_brackets", citations.bracketed_cite)
    md.inline.ruler.before("link", "deck_cite_bare", citations.bare_cite)
    md.add_render_rule("myst_role", _render_role)
    md.add_render_rule("link_open", xrefs.render_link_open)
    md.add_render_rule("link_close", xrefs.render_link_close)
