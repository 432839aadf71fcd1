"""Parse stage: step-by-step reveals. ``{.fragment}`` (or Quarto's ``{.incremental}``) on the line before a
list makes each item appear in turn: the class moves from the list to every item of it, with the
fragment's style (``.fade-up``, ``.highlight-red``, …). Before any other block, ``{.fragment}`` stays on
that block, which then appears as one step. Front matter ``incremental: true`` makes every list
incremental but those marked ``{.nonincremental}``.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from mystdeck.tokens import state_of

LISTS = ("bullet_list_open", "ordered_list_open")

# The README's syntax table: (syntax, what it gives, example).
SYNTAX = [
    (
        "`{.fragment}`, `{.incremental}`",
        "before a list: its items appear one by one (with a style: `{.fragment .fade-up}`); before another "
        "block: the block appears as one step; `[text]{.fragment}` inline; `incremental: true` in the front "
        "matter for every list",
        "{.fragment}\n- Erstens\n- Zweitens\n- Drittens",
    ),
]
STEP_CLASSES = {"fragment", "incremental"}
# reveal.js' fragment styles: they go with the items when a list is incremental.
STYLES = {
    *("fade-out", "fade-up", "fade-down", "fade-left", "fade-right", "fade-in", "fade-in-then-out"),
    *("fade-in-then-semi-out", "semi-fade-out", "grow", "shrink", "strike", "current-visible"),
    *("highlight-red", "highlight-green", "highlight-blue"),
    *("highlight-current-red", "highlight-current-green", "highlight-current-blue"),
}


def incremental_lists(core: StateCore) -> None:
    every_list = state_of(core.env).incremental
    for index, token in enumerate(core.tokens):
        if token.type not in LISTS:
            continue
        classes = str(token.attrGet("class") or "").split()
        if "nonincremental" in classes:
            _set_classes(token, [c for c in classes if c != "nonincremental"])
            continue
        if not (STEP_CLASSES & set(classes) or every_list):
            continue
        steps = ["fragment", *(c for c in classes if c in STYLES)]
        _set_classes(token, [c for c in classes if c not in STEP_CLASSES and c not in STYLES])
        for item in _items(core.tokens, index):
            _set_classes(item, [*str(item.attrGet("class") or "").split(), *steps])


def _items(tokens: list[Token], start: int) -> list[Token]:
    """The list's own items (not those of lists inside it)."""
    items, depth = [], 0
    for token in tokens[start + 1 :]:
        if depth == 0 and token.type == "list_item_open":
            items.append(token)
        depth += token.nesting
        if depth < 0:
            break
    return items


def _set_classes(token: Token, classes: list[str]) -> None:
    if classes:
        token.attrSet("class", " ".join(dict.fromkeys(classes)))
    elif "class" in token.attrs:
        del token.attrs["class"]
