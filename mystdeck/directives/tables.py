"""Directives, tables family: ``{list-table}``, ``{table}`` (a caption around a markdown table) and
``{csv-table}``. Every table is numbered through the deck; a wide table shrinks to fit its slide (the
deck's script)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.include import read_file
from mystdeck.directives.registry import DirectiveCall, choice, class_names, directive, text
from mystdeck.tokens import caption_number, make_token

MAX_CELLS = 10_000  # a table bigger than that is not a slide


def _count(value: str) -> int:
    if not value.strip().isdigit() or int(value) > 100:
        raise ValueError("must be a number of rows or columns such as 1")
    return int(value)


def _widths(value: str) -> list[int] | str:
    if value.strip() in ("auto", "grid"):
        return "auto"
    parts = value.replace(",", " ").split()
    if not parts or not all(p.isdigit() and 0 < int(p) <= 1000 for p in parts):
        raise ValueError("must be 'auto' or relative widths such as 1 2 1")
    return [int(p) for p in parts]


TABLE_OPTIONS = {
    "header-rows": _count,
    "stub-columns": _count,
    "widths": _widths,
    "width": text,
    "align": choice("left", "center", "right"),
    "name": text,
    "label": text,
    "class": class_names,
}


@directive(
    "list-table",
    argument="optional",
    options=TABLE_OPTIONS,
    example=":::{list-table} Modelle\n:header-rows: 1\n* - Modell\n  - Jahr\n* - DALL·E 2\n  - 2022\n:::",
    summary="a table written as a list of rows, each a list of cells (:header-rows:, :widths:, :align:)",
)
def list_table(call: DirectiveCall) -> list[Token]:
    body = call.parse_body()
    rows = _items(body, 0, len(body))
    if not rows or any(not cells for cells in rows):
        call.warn("{list-table} must be a list of rows, each a list of cells: '* - a' then '  - b'")
        return body
    grid = [[body[start + 1 : end] for start, end in cells] for cells in [
        _items(body, row_start + 1, row_end) for row_start, row_end in rows]]  # fmt: skip
    for row in grid:
        for cell in row:  # one paragraph in a cell is its text, as in a tight list
            if [t.type for t in cell] == ["paragraph_open", "inline", "paragraph_close"]:
                cell[0].hidden = cell[2].hidden = True
    return _table(call, grid)


def _items(tokens: list[Token], start: int, end: int) -> list[tuple[int, int]]:
    """The items of the first bullet list in ``tokens[start:end]``: (list_item_open, list_item_close)."""
    items, depth, opened = [], 0, -1
    for index in range(start, end):
        token = tokens[index]
        if depth == 1 and token.type == "list_item_open":
            opened = index
        depth += token.nesting
        if depth == 1 and token.type == "list_item_close":
            items.append((opened, index))
        if depth == 0 and items:
            break
    return items


@directive(
    "csv-table",
    argument="optional",
    options={**TABLE_OPTIONS, "header": text, "file": text, "delim": text, "quote": text},
    body="raw",
    example=":::{csv-table} Modelle\n:header: Modell, Jahr\nDALL·E 2, 2022\nImagen, 2022\n:::",
    summary="a table of comma-separated values (:header:, or :file: beside the deck)",
)
def csv_table(call: DirectiveCall) -> list[Token]:
    data = call.body
    if "file" in call.options:
        found = read_file(call, call.options["file"], "bad-directive", error=False)
        if found is None:
            return []
        data = found
    delimiter = call.options.get("delim", ",").replace("tab", "\t").replace("space", " ")[:1] or ","
    quote = call.options.get("quote", '"')[:1] or '"'
    header = list(csv.reader([call.options["header"]], skipinitialspace=True)) if "header" in call.options else []
    rows = header + list(csv.reader(io.StringIO(data), delimiter=delimiter, quotechar=quote, skipinitialspace=True))
    rows = [row for row in rows if row]
    if header:
        call.options["header-rows"] = call.options.get("header-rows", 0) + 1
    if not rows:
        call.warn("{csv-table} has no rows")
        return []
    grid = [[_cell(call, value) for value in row] for row in rows]
    return _table(call, grid)


def _cell(call: DirectiveCall, value: str) -> list[Token]:
    inline = call.parse_text_inline(value) if value.strip() else None
    return [inline] if inline is not None else []


@directive(
    "table",
    argument="optional",
    options={
        "name": text,
        "label": text,
        "class": class_names,
        "align": choice("left", "center", "right"),
        "widths": _widths,
        "width": text,
    },
    example=":::{table} Modelle\n:name: modelle\n| Modell | Jahr |\n|---|---|\n| DALL·E 2 | 2022 |\n:::",
    summary="a caption (its argument) and a number around a markdown table",
)
def table(call: DirectiveCall) -> list[Token]:
    body = call.parse_body()
    if not any(token.type == "table_open" for token in body):
        call.warn("{table} holds no markdown table: write '| a | b |' rows with a '|---|---|' line")
        return body
    opening, closing = _wrapper(call)
    first = next(index for index, token in enumerate(body) if token.type == "table_open")
    body[first].attrSet("class", "deck-table")
    caption = call.parse_inline(call.argument, "deck_caption")
    return [opening, *body[: first + 1], *caption, *body[first + 1 :], closing]


def _wrapper(call: DirectiveCall) -> tuple[Token, Token]:
    opening = make_token("deck_table_wrap_open", "div", 1, align=call.options.get("align", "center"))
    opening.meta["extra"] = call.options.get("class", "")
    opening.meta["id"] = call.options.get("label") or call.options.get("name") or ""
    opening.map = [call.line - 1, call.line]
    call.add_target("table", opening, call.argument)
    return opening, make_token("deck_table_wrap_close", "div", -1)


def _table(call: DirectiveCall, grid: list[list[list[Token]]]) -> list[Token]:
    if sum(len(row) for row in grid) > MAX_CELLS:
        call.warn(f"{{{call.name}}} has more than {MAX_CELLS} cells (left out)")
        return []
    columns = max(len(row) for row in grid)
    widths = call.options.get("widths")
    if isinstance(widths, list) and len(widths) != columns:
        call.warn(f"{{{call.name}}} ':widths:' gives {len(widths)} widths for {columns} columns (ignored)")
        widths = None
    header_rows = min(call.options.get("header-rows", 0), len(grid))
    stubs = call.options.get("stub-columns", 0)
    opening, closing = _wrapper(call)
    tokens = [opening, make_token("deck_table_open", "table", 1), *call.parse_inline(call.argument, "deck_caption")]
    if isinstance(widths, list):
        tokens.append(make_token("deck_colgroup", "colgroup", 0, widths=widths))
    for part, rows in (("thead", grid[:header_rows]), ("tbody", grid[header_rows:])):
        if not rows:
            continue
        tokens.append(make_token(f"{part}_open", part, 1))
        for row in rows:
            tokens.append(make_token("tr_open", "tr", 1))
            for number in range(columns):
                cell = row[number] if number < len(row) else []
                tag = "th" if part == "thead" or number < stubs else "td"
                tokens += [make_token(f"{tag}_open", tag, 1), *cell, make_token(f"{tag}_close", tag, -1)]
            tokens.append(make_token("tr_close", "tr", -1))
        tokens.append(make_token(f"{part}_close", part, -1))
    return [*tokens, make_token("deck_table_close", "table", -1), closing]


def _render_colgroup(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    widths = tokens[idx].meta["widths"]
    total = sum(widths)
    return "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths) + "</colgroup>\n"


def _render_wrap(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    meta = tokens[idx].meta
    classes = " ".join(c for c in ("deck-table-wrap", f"align-{meta['align']}", meta["extra"]) if c)
    ident = f' id="{escapeHtml(meta["id"])}"' if meta["id"] else ""
    return f'<div class="{escapeHtml(classes)}"{ident}>\n'


def _render_caption(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    wrap = next(t for t in reversed(tokens[:idx]) if t.type == "deck_table_wrap_open")
    return "<caption>" + caption_number(wrap.meta, env)


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("deck_table_open", lambda *args: '<table class="deck-table">\n')
    md.add_render_rule("deck_colgroup", _render_colgroup)
    md.add_render_rule("deck_table_close", lambda *args: "</table>\n")
    md.add_render_rule("deck_table_wrap_open", _render_wrap)
    md.add_render_rule("deck_table_wrap_close", lambda *args: "</div>\n")
    md.add_render_rule("deck_caption_open", _render_caption)
    md.add_render_rule("deck_caption_close", lambda *args: "</caption>\n")
