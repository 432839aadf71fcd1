"""Source helper: YAML (front matter, directive options) read as plain data, bounded, with each key's line.

A deck's YAML is small and written by hand, so anything that could make it large or slow is refused
with its line instead of expanded: aliases (``*name``, the root of "billion laughs" bombs), nesting
deeper than ``MAX_DEPTH``, and text longer than ``MAX_BYTES``. Dates stay text exactly as written (an
impossible date such as 2024-02-30 is then the caller's warning, not a crash inside the YAML library).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_DEPTH = 20
MAX_BYTES = 1024 * 1024


class YamlProblem(Exception):
    """The YAML cannot be used; ``line`` is 0-based within the YAML text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(slots=True)
class YamlDoc:
    data: Any
    lines: dict[str, int] = field(default_factory=dict)  # "key" and "key.subkey" → 0-based line


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases, without timestamps, and with a depth limit."""

    yaml_implicit_resolvers = {  # noqa: RUF012 (PyYAML's own class attribute, replaced for this loader)
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise YamlProblem(mark.line, "aliases (*name) are not allowed: write the value out")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                line = self.peek_event().start_mark.line  # type: ignore[no-untyped-call]
                raise YamlProblem(line, f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(text: str) -> YamlDoc:
    """Parse ``text``; every problem is a YamlProblem with its line."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise YamlProblem(0, f"longer than {MAX_BYTES // 1024} KiB")
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, most control characters)
        line = text.count("\n", 0, exc.position)
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlProblem(line, f"an invisible character ({what}) is not allowed") from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(mark.line if mark else 0, exc.problem or "not valid YAML") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, str(exc) or "not valid YAML") from None
    except (ValueError, TypeError, RecursionError) as exc:  # a value PyYAML itself cannot construct
        raise YamlProblem(0, f"a value cannot be read ({exc})") from None
    finally:
        loader.dispose()
    return YamlDoc(data, _key_lines(node))


def _key_lines(node: Node | None, prefix: str = "", lines: dict[str, int] | None = None) -> dict[str, int]:
    """The line of every key, named by its path (``color.primary``; list items by their index,
    ``typography.fonts.0.family``)."""
    lines = {} if lines is None else lines
    if isinstance(node, MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            lines.setdefault(name, key.start_mark.line)
            _key_lines(value, name + ".", lines)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines.setdefault(f"{prefix}{index}", item.start_mark.line)
            _key_lines(item, f"{prefix}{index}.", lines)
    return lines
