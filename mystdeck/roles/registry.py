"""Roles (parse stage), their registry: each role is a render function with an optional parse-time step
(``gather``: check the text, parse a body of inline markdown, note what the deck needs, such as
citations), registered under its name, as the directives are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mystdeck.model import ParseState, RenderContext
from mystdeck.tokens import parse_inline_text


@dataclass(slots=True)
class RoleCall:
    """One role as written, while the deck is parsed: its token (name in ``meta["name"]``, text in
    ``content``), the parse and the role's line."""

    token: Token
    state: ParseState
    line: int
    md: MarkdownIt

    @property
    def name(self) -> str:
        return str(self.token.meta.get("name", ""))

    def parse_inline(self, text: str) -> list[Token]:
        """``text`` as inline markdown on the role's line, gathered into the deck like the rest of it."""
        return parse_inline_text(self.md, text, self.state, self.line)

    def warn(self, message: str, code: str = "bad-role") -> None:
        self.state.reporter.warning(self.state.loc(self.line), message, code)


Gather = Callable[[RoleCall], bool]  # the role as written → accepted?
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
