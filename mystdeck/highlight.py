"""Highlight stage: each code block's lines as HTML, coloured by Pygments when the deck is built.

A deck carries no highlighter script: colours are Pygments' short class names in the HTML (``k`` a
keyword, ``s`` a string, …) and one small style sheet in the page (Pygments' ``monokai`` style:
light text on a dark ground, in every theme). The render stage turns the lines into the block, with
line numbers and step-by-step marked lines.

What a deck's blocks became is kept in the cache (``.cache/code/``, one signed file a deck), so a
rebuild whose code did not change does not load Pygments at all. A language Pygments does not know
is shown plain, with a warning naming the closest one it knows.
"""

from __future__ import annotations

import difflib
import hashlib
from typing import Any

from markdown_it.common.utils import escapeHtml

from mystdeck.diagnostics import Reporter
from mystdeck.directives.code import plain_lines
from mystdeck.model import CodeBlock
from mystdeck.store import Store

STYLE = "monokai"
FORMAT_VERSION = "1"
PLAIN = frozenset({"", "text", "none", "plain", "plaintext", "nohighlight", "output"})  # shown as they are
CSS_SCOPE = ".reveal .deck-highlight"


def highlight_code(blocks: list[CodeBlock], cache: Store, cache_name: str, reporter: Reporter) -> str:
    """Fill in every block's lines; returns the style sheet the page needs ("" without code)."""
    if not blocks:
        return ""
    version = _version_key()
    kept = _valid(cache.read(cache_name), version)
    made: dict[str, list[str] | None] = {}
    css = kept["css"] if kept else ""
    for block in blocks:
        language = block.language.lower()
        if language in PLAIN:
            block.lines = plain_lines(block.source)
            continue
        key = hashlib.sha256(f"{language}\0{block.source}".encode()).hexdigest()[:24]
        if key not in made:
            made[key] = kept["blocks"][key] if kept and key in kept["blocks"] else _highlighted(language, block.source)
        lines = made[key]
        block.known = lines is not None
        block.lines = lines if lines is not None else plain_lines(block.source)
        if not block.known:
            reporter.warning(block.loc, _unknown(block.language), "code-language")
    css = css or _style_sheet()
    if not kept or set(made) != set(kept["blocks"]) or css != kept["css"]:
        cache.write(cache_name, {"version": version, "css": css, "blocks": made})
    return css


def _highlighted(language: str, source: str) -> list[str] | None:
    """Each line as HTML spans with Pygments' classes; None if Pygments knows no such language."""
    from pygments import lex
    from pygments.lexers import get_lexer_by_name
    from pygments.token import STANDARD_TYPES
    from pygments.util import ClassNotFound

    try:
        # Lines are kept as written (no stripping of blank first or last lines): their numbers count.
        lexer = get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=True)
    except ClassNotFound:
        return None
    lines: list[list[tuple[str, str]]] = [[]]  # each line's runs of (class, text)
    for kind, value in lex(source, lexer):
        while kind not in STANDARD_TYPES and kind.parent is not None:
            kind = kind.parent  # a finer kind than the style sheet has: its nearest coarser one
        css_class = STANDARD_TYPES.get(kind, "")
        css_class = "" if css_class == "w" else css_class  # white space needs no colour
        for n, part in enumerate(value.split("\n")):
            if n:
                lines.append([])
            runs = lines[-1]
            if runs and runs[-1][0] == css_class:
                runs[-1] = (css_class, runs[-1][1] + part)  # one span for "()" rather than two
            elif part:
                runs.append((css_class, part))
    html = ["".join(_span(css_class, text) for css_class, text in runs) for runs in lines]
    wanted = source.removesuffix("\n").count("\n") + 1
    return (html + [""] * wanted)[:wanted]


def _span(css_class: str, text: str) -> str:
    return f'<span class="{css_class}">{escapeHtml(text)}</span>' if css_class else escapeHtml(text)


def _style_sheet() -> str:
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(style=STYLE)
    rules = formatter.get_style_defs(CSS_SCOPE).splitlines()  # type: ignore[no-untyped-call]
    # Only the rules for the highlighted text itself: Pygments' own line-number rules are not used.
    return "\n".join(rule for rule in rules if rule.startswith(CSS_SCOPE)) + "\n"


def _unknown(language: str) -> str:
    from pygments.lexers import get_all_lexers

    names = sorted({alias for _name, aliases, _files, _types in get_all_lexers() for alias in aliases})
    close = difflib.get_close_matches(language.lower(), names, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"no highlighting for the language '{language}'{hint}: the code is shown plain"


def _version_key() -> str:
    import pygments

    return f"{FORMAT_VERSION}/{pygments.__version__}/{STYLE}"


def _valid(value: Any, version: str) -> dict[str, Any] | None:
    """A cache file that fits what this build would make, or None (then it is made again)."""
    if not isinstance(value, dict) or set(value) != {"version", "css", "blocks"} or value["version"] != version:
        return None
    blocks = value["blocks"]
    if not isinstance(value["css"], str) or "<" in value["css"] or not isinstance(blocks, dict):
        return None  # the style sheet goes into the page as it is: it must not end its <style>
    for lines in blocks.values():
        if lines is not None and not (isinstance(lines, list) and all(isinstance(line, str) for line in lines)):
            return None
    return value
