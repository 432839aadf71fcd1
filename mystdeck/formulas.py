"""Formulas stage: the rendered slides' TeX in, KaTeX's HTML out, typeset when the deck is built.

KaTeX runs in Node.js (the one Playwright brings along, else one on PATH), all formulas of a deck in
one run. A typeset deck carries no KaTeX script, only its style sheet and the fonts its formulas use:
which fonts those are is worked out here from KaTeX's HTML and the font rules of its style sheet
(``used_fonts``). Without Node.js, or when it fails, the formulas stay as they are and the deck
typesets them itself when it opens, with the whole of KaTeX. What was typeset is kept in the cache
(``.cache/math/``, one signed file a deck), so a rebuild typesets only new formulas.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mystdeck.model import Deck
from mystdeck.store import Store

FORMAT_VERSION = "1"
TIMEOUT = 60  # seconds for Node.js to typeset a deck's formulas
_PLACEHOLDER = re.compile(r'<(span|div) class="deck-math" data-display="(true|false)">([^<]*)</\1>')
_FONT_FILE = re.compile(r"^KaTeX_[A-Za-z0-9]+-[A-Za-z0-9]+\.woff2$")

# Reads [[tex, display], …] as JSON from its input, writes [{"html"} or {"error"}, …] as JSON.
_TYPESET = """
const katex = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, display]) => {
    try { return {html: katex.renderToString(tex, {displayMode: display, throwOnError: false})}; }
    catch (err) { return {error: String(err && err.message ? err.message : err)}; }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def typeset_formulas(deck: Deck, katex_dir: Path, cache: Store, cache_name: str) -> None:
    """Replace the formulas in the deck's HTML by KaTeX's; ``deck.math_fonts`` becomes the font files
    they use (None: not typeset, the deck needs the whole of KaTeX)."""
    parts = [slide.html for slide in deck.slides] + [slide.notes_html for slide in deck.slides] + [deck.footer_html]
    wanted = {(html.unescape(m.group(3)), m.group(2) == "true") for part in parts for m in _PLACEHOLDER.finditer(part)}
    if not wanted:
        deck.math_fonts = set()
        return
    script = katex_dir / "katex.min.js"
    version = f"{FORMAT_VERSION}/{hashlib.sha256(script.read_bytes()).hexdigest()[:16]}"
    kept = _valid(cache.read(cache_name), version)
    done: dict[str, dict[str, Any]] = {}
    todo = []
    for tex, display in sorted(wanted):
        key = _key(tex, display)
        if kept and key in kept["formulas"]:
            done[key] = kept["formulas"][key]
        else:
            todo.append((tex, display))
    if todo:
        results = _run_katex(script, todo)
        if results is None:
            deck.math_fonts = None
            return
        faces = font_faces(katex_dir / "katex.min.css")
        rules = font_rules(katex_dir / "katex.min.css")
        for (tex, display), result in zip(todo, results, strict=True):
            typeset = result.get("html") if isinstance(result, dict) else None
            if isinstance(typeset, str):
                done[_key(tex, display)] = {"html": typeset, "fonts": sorted(used_fonts(typeset, rules, faces))}
            else:
                done[_key(tex, display)] = {"error": str(result.get("error", "")), "fonts": []}
    if not kept or set(done) != set(kept["formulas"]):
        cache.write(cache_name, {"version": version, "formulas": done})

    def replace(match: re.Match[str]) -> str:
        entry = done[_key(html.unescape(match.group(3)), match.group(2) == "true")]
        tag, display = match.group(1), match.group(2)
        if "html" in entry:
            return f'<{tag} class="deck-math deck-math-done" data-display="{display}">{entry["html"]}</{tag}>'
        title = html.escape(entry["error"], quote=True)
        shown = match.group(3)  # the TeX, as it was
        return f'<{tag} class="deck-math deck-math-error" data-display="{display}" title="{title}">{shown}</{tag}>'

    for slide in deck.slides:
        slide.html = _PLACEHOLDER.sub(replace, slide.html)
        slide.notes_html = _PLACEHOLDER.sub(replace, slide.notes_html)
    deck.footer_html = _PLACEHOLDER.sub(replace, deck.footer_html)
    deck.math_fonts = {font for entry in done.values() for font in entry["fonts"]}


def _key(tex: str, display: bool) -> str:
    return hashlib.sha256(f"{int(display)}\0{tex}".encode()).hexdigest()[:24]


def node_executable() -> str | None:
    """Playwright's own Node.js, else one on PATH."""
    try:
        from playwright._impl._driver import compute_driver_executable

        node = compute_driver_executable()[0]
        if Path(node).is_file():
            return str(node)
    except Exception:  # an installation without its driver: look on PATH
        pass
    return shutil.which("node")


def _run_katex(script: Path, todo: list[tuple[str, bool]]) -> list[Any] | None:
    node = node_executable()
    if node is None:
        return None
    try:
        run = subprocess.run(
            [node, "-e", _TYPESET, str(script)],
            input=json.dumps(todo), capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT,
        )  # fmt: skip
        results = json.loads(run.stdout) if run.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    return results if isinstance(results, list) and len(results) == len(todo) else None


# Which font files a formula needs: the faces its text is set in, by the font rules of KaTeX's style sheet.

Face = tuple[str, int, str]  # family, weight, style
Rule = tuple[frozenset[str], frozenset[str] | None, dict[str, str]]  # classes, a parent's classes, declarations


@functools.cache
def font_faces(css_path: Path) -> dict[Face, str]:
    """The style sheet's @font-face rules: each face and its woff2 file."""
    faces: dict[Face, str] = {}
    for body in re.findall(r"@font-face\s*\{([^}]*)\}", css_path.read_text(encoding="utf-8")):
        declared = _declarations(body)
        source = re.search(r"url\(\s*['\"]?(?:[^)'\"]*/)?([^/)'\"]+\.woff2)", body)
        if "font-family" in declared and source:
            face = (
                declared["font-family"],
                _weight(declared.get("font-weight", "")),
                declared.get("font-style", "normal"),
            )
            faces[face] = source.group(1)
    return faces


@functools.cache
def font_rules(css_path: Path) -> list[Rule]:
    """The rules below ``.katex`` that set a font's family, weight or style, in the style sheet's order."""
    rules: list[Rule] = []
    text = re.sub(r"@font-face\s*\{[^}]*\}", "", css_path.read_text(encoding="utf-8"))
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declared = {k: v for k, v in _declarations(body).items() if k in ("font-family", "font-weight", "font-style")}
        if not declared:
            continue
        for selector in selectors.split(","):
            parts = selector.strip().split()
            if len(parts) < 2 or parts[0] != ".katex":
                continue
            last = parts[-1]
            if ">" in last:  # ``.delim-size1>span``: a span whose parent has that class
                parent, _tag = last.split(">", 1)
                rules.append((frozenset(), frozenset(parent.strip(".").split(".")), declared))
            else:
                rules.append((frozenset(last.strip(".").split(".")), None, declared))
    return rules


def _declarations(body: str) -> dict[str, str]:
    found = {}
    for item in body.split(";"):
        name, _, value = item.partition(":")
        if value:
            found[name.strip().lower()] = value.strip()
    if "font" in found:  # the ``.katex`` shorthand: ``normal 1.21em KaTeX_Main,Times New Roman,serif``
        found.setdefault("font-family", found["font"].split()[-1])
    if "font-family" in found:
        found["font-family"] = found["font-family"].split(",")[0].strip().strip("'\"")
    return found


def _weight(value: str) -> int:
    return 700 if value.strip() in ("bold", "700", "800", "900") else 400


def used_fonts(typeset: str, rules: list[Rule], faces: dict[Face, str]) -> set[str]:
    """The font files the text of KaTeX's HTML is set in (for a face the style sheet lacks, every file
    of its family: the browser would pick one of them)."""
    walker = _FontWalker(rules)
    walker.feed(typeset)
    found: set[str] = set()
    for family, weight, style in walker.faces:
        exact = faces.get((family, weight, style))
        if exact:
            found.add(exact)
        else:
            found.update(file for (fam, _w, _s), file in faces.items() if fam == family)
    return found


class _FontWalker(HTMLParser):
    """Follows the font through KaTeX's HTML as the cascade would, noting the face of each text."""

    def __init__(self, rules: list[Rule]) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.stack: list[tuple[frozenset[str], Face, bool]] = [(frozenset(), ("KaTeX_Main", 400, "normal"), False)]
        self.faces: set[Face] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = frozenset((dict(attrs).get("class") or "").split())
        parent_classes, (family, weight, style), hidden = self.stack[-1]
        hidden = hidden or "katex-mathml" in classes or tag in ("svg", "math")
        for own, parents, declared in self.rules:
            if (own and own <= classes) or (parents is not None and tag == "span" and parents <= parent_classes):
                family = declared.get("font-family", family)
                weight = _weight(declared["font-weight"]) if "font-weight" in declared else weight
                style = declared.get("font-style", style)
        self.stack.append((classes, (family, weight, style), hidden))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        _classes, face, hidden = self.stack[-1]
        if data.strip() and not hidden:
            self.faces.add(face)


def _valid(value: Any, version: str) -> dict[str, Any] | None:
    """A cache file that fits this KaTeX, every font a plain file name; else None (typeset again)."""
    if not isinstance(value, dict) or set(value) != {"version", "formulas"} or value["version"] != version:
        return None
    formulas = value["formulas"]
    if not isinstance(formulas, dict):
        return None
    for entry in formulas.values():
        if not isinstance(entry, dict) or not isinstance(entry.get("fonts"), list):
            return None
        if not all(isinstance(f, str) and _FONT_FILE.match(f) for f in entry["fonts"]):
            return None
        if not (isinstance(entry.get("html"), str) or isinstance(entry.get("error"), str)):
            return None
    return value
