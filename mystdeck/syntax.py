"""The README's syntax table, made from the directive and role registries (``python -m mystdeck.syntax``)."""

from __future__ import annotations

import html

from mystdeck import attributes, fragments, roles
from mystdeck.directives import REGISTRY, STRUCTURAL
from mystdeck.directives.registry import DirectiveSpec
from mystdeck.roles import ROLES

START = "<!-- syntax-table: made by `python -m mystdeck.syntax`; do not edit by hand -->"
END = "<!-- /syntax-table -->"


def _code(example: str) -> str:
    return "<code>" + html.escape(example).replace("|", "&#124;").replace("\n", "<br>") + "</code>"


def _cell(text: str) -> str:
    return text.replace("|", "&#124;")


def syntax_table() -> str:
    rows = ["| Syntax | What it gives | Example |", "| --- | --- | --- |"]
    seen: dict[int, list[str]] = {}
    specs: dict[int, DirectiveSpec] = {}
    for name, spec in REGISTRY.directives.items():
        seen.setdefault(id(spec.handler), []).append(name)
        specs.setdefault(id(spec.handler), spec)
    for key, names in seen.items():
        spec = specs[key]
        shown = ", ".join(f"`{{{n}}}`" for n in names)
        options = ", ".join(f"`:{o}:`" for o in spec.options)
        summary = spec.summary + (f" (options: {options})" if options else "")
        rows.append(f"| directive {shown} | {_cell(summary)} | {_code(spec.example)} |")
    grouped: dict[tuple[int, str], list[str]] = {}  # a role's other names ("the same as") share its row
    for name, role in ROLES.items():
        summary = "" if role.summary.startswith("the same as") else role.summary
        row = next((k for k in grouped if k[0] == id(role.render) and (not summary or k[1] == summary)), None)
        grouped.setdefault(row or (id(role.render), summary or role.summary), []).append(name)
    for (_render, summary), names in grouped.items():
        shown = ", ".join(f"`{{{n}}}`" for n in names)
        rows.append(f"| role {shown} | {_cell(summary)} | {_code(ROLES[names[0]].example)} |")
    structural = ", ".join(f"`{{{name}}}`" for name in STRUCTURAL)
    rows.append(f"| directive {structural} | nothing on a slide: accepted and left out | <code>```{{toctree}}</code> |")
    for syntax, summary, example in [*roles.SYNTAX, *attributes.SYNTAX, *fragments.SYNTAX]:
        rows.append(f"| {syntax} | {_cell(summary)} | {_code(example)} |")
    return "\n".join([START, *rows, END])


if __name__ == "__main__":
    print(syntax_table())
