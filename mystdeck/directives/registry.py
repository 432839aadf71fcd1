"""Directive syntax, parsed in one place: the registry, option converters and the call a handler gets."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mystdeck.model import ParseState, Target
from mystdeck.tokens import MAX_NESTING, make_token, parse_text, plain_text
from mystdeck.yamltext import YamlProblem, load_yaml

Converter = Callable[[str], Any]


@dataclass(slots=True)
class DirectiveCall:
    """One directive as written, already checked against its spec."""

    name: str
    argument: str
    options: dict[str, Any]
    body: str
    line: int  # the opening fence
    body_line: int  # the first line of ``body``
    state: ParseState
    md: MarkdownIt

    def parse_body(self, text: str | None = None, line: int | None = None) -> list[Token]:
        """The body parsed as markdown, its tokens carrying the real lines of the deck file."""
        start = self.body_line if line is None else line
        return parse_text(self.md, self.body if text is None else text, self.state, start - 1)

    def parse_inline(self, text: str, kind: str) -> list[Token]:
        """``text`` (a title, a caption, a label) as inline markdown, wrapped in ``kind``'s open and close
        tokens; nothing when it is empty."""
        inline = self.parse_text_inline(text)
        if inline is None:
            return []
        return [make_token(f"{kind}_open", "", 1), inline, make_token(f"{kind}_close", "", -1)]

    def parse_text_inline(self, text: str) -> Token | None:
        if not text.strip():
            return None
        deep = self.state.depth >= MAX_NESTING  # the body says so; the title stays plain text
        tokens = [] if deep else parse_text(self.md, text.strip(), self.state, self.line - 1)
        if [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
            return tokens[1]
        inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)])
        inline.map = [self.line - 1, self.line]
        return inline

    def add_target(self, kind: str, token: Token, title: str | list[Token] = "", label: str | None = None) -> None:
        """Make ``token`` something a cross-reference can point at (and number): its label is ``:label:``
        or ``:name:`` unless given."""
        if label is None:
            label = str(self.options.get("label") or self.options.get("name") or "")
        shown = title if isinstance(title, str) else plain_text(title)
        self.state.parsed.targets.append(Target(label.strip(), kind, self.state.loc(self.line), token, shown))
        token.meta["target_kind"] = kind

    def warn(self, message: str, code: str = "bad-directive") -> None:
        self.state.reporter.warning(self.state.loc(self.line), message, code)


Handler = Callable[[DirectiveCall], list[Token]]


@dataclass(slots=True, frozen=True)
class DirectiveSpec:
    name: str
    handler: Handler
    argument: str  # "none", "optional" or "required"
    options: dict[str, Converter]
    body: str  # "none", "markdown" or "raw"
    example: str
    summary: str


@dataclass(slots=True)
class Registry:
    directives: dict[str, DirectiveSpec] = field(default_factory=dict)

    def directive(
        self,
        *names: str,
        argument: str = "none",
        options: Mapping[str, Converter] | None = None,
        body: str = "markdown",
        example: str = "",
        summary: str = "",
    ) -> Callable[[Handler], Handler]:
        """Register ``handler`` under each of ``names``; the first name's example stands for all."""

        def register(handler: Handler) -> Handler:
            for name in names:
                self.directives[name] = DirectiveSpec(
                    name, handler, argument, dict(options or {}), body, example, summary
                )
            return handler

        return register


REGISTRY = Registry()
directive = REGISTRY.directive


# Option converters: each takes the option's text and returns its value or raises ValueError.
def flag(text: str) -> bool:
    if text.strip():
        raise ValueError("takes no value")
    return True


def number(value: str) -> int:
    """A whole number from 0 on (a first line number)."""
    value = value.strip()
    if not value.isdigit():
        raise ValueError("must be a whole number")
    return int(value)


def text(value: str) -> str:
    return value.strip()


def length(value: str) -> str:
    value = value.strip()
    number = value.rstrip("%pxemrvwh")
    try:
        float(number)
    except ValueError:
        raise ValueError("must be a length such as 400px, 50% or 10em") from None
    return value + "px" if value == number else value


def choice(*allowed: str) -> Converter:
    def convert(value: str) -> str:
        if value.strip() not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value.strip()

    return convert


def class_names(value: str) -> str:
    """``:class:`` — CSS class names separated by spaces; anything else would end up inside ``class="…"``."""
    names = value.split()
    if not all(_CLASS_NAME.fullmatch(name) for name in names):
        raise ValueError("must be class names of letters, digits, '-' and '_' separated by spaces")
    return " ".join(names)


_CLASS_NAME = re.compile(r"-?[A-Za-z_][\w-]*")


def line_steps(value: str) -> list[list[tuple[int, int]]]:
    """``1,3-5`` → [[(1, 1), (3, 5)]]; ``1|3-4`` → [[(1, 1)], [(3, 4)]], one list per step (reveal.js
    highlights them one after the other). Kept as ranges, so a huge range costs nothing until it is clipped."""
    steps: list[list[tuple[int, int]]] = []
    for step in value.replace(" ", "").split("|"):
        ranges = []
        for part in step.split(","):
            first, _, last = part.partition("-")
            if not first.isdigit() or (last and not last.isdigit()) or len(first + last) > 12:
                raise ValueError("must be line numbers such as 1,3-5, or steps such as 1|3-4|6")
            ranges.append((int(first), int(last or first)))
        steps.append(ranges)
    return steps


def split_options(body: str) -> tuple[dict[str, str], int, str | None]:
    """Options at the top of a body: ``:key: value`` lines or a ``---`` YAML block.

    Returns the raw options, how many lines they took and, for broken YAML, the reason.
    """
    lines = body.split("\n")
    if lines and lines[0].strip() == "---":
        for end, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                try:
                    data = load_yaml("\n".join(lines[1:end])).data or {}
                except YamlProblem as exc:
                    return {}, end + 1, f"the options are not valid YAML ({exc.message})"
                if not isinstance(data, dict) or not all(_is_plain(v) for v in data.values()):
                    return {}, end + 1, "the options must be 'key: value' lines with plain values, lists or mappings"
                return {str(k): _option_text(v) for k, v in data.items()}, end + 1, None
        return {}, 0, "the options block opened with '---' is never closed"
    options: dict[str, str] = {}
    used = 0
    for line in lines:
        stripped = line.strip()
        if not stripped.startswith(":") or stripped.count(":") < 2 or stripped.startswith("::"):
            break
        key, _, value = stripped[1:].partition(":")
        if not key or " " in key:
            break
        options[key] = value.strip()
        used += 1
    return options, used, None


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _is_plain(value: Any) -> bool:
    """A scalar, a list of scalars, or a mapping of them (MyST-NB's ``mystnb: {figure: {caption: …}}``)."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_plain(item) for key, item in value.items())
    return _is_scalar(value) or (isinstance(value, list) and all(_is_scalar(item) for item in value))


def _option_text(value: Any) -> str:
    """An option's value as the text a ``:key: value`` line would hold (a YAML list: ``[a, b]``, a mapping:
    its JSON)."""
    if value is True:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return str(value)


def mapping(value: str) -> dict[str, Any]:
    """A mapping option: written in the ``---`` block as YAML, or on a ``:key:`` line as JSON."""
    try:
        found = json.loads(value) if value.strip() else {}
    except ValueError:
        raise ValueError("must be a mapping, written in the '---' block or as JSON") from None
    if not isinstance(found, dict):
        raise ValueError("must be a mapping, written in the '---' block or as JSON")
    return found


def words_list(value: str) -> list[str]:
    """``[remove-input, hide-output]`` or ``remove-input hide-output`` → a list of words."""
    return [word for word in re.split(r"[\s,\[\]\"']+", value) if word]
