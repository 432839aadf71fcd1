"""Formulas stage: the parsed formulas in, each filled with KaTeX's HTML and its fonts, before the slides render.

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
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mystdeck.model import Formula
from mystdeck.store import Store

FORMAT_VERSION = "1"
TIMEOUT = 60  # seconds for Node.js to typeset a deck's formulas
_FONT_FILE = re.compile(r"^KaTeX_[A-Za-z0-9]+-[A-Za-z0-9]+\.woff2$")

# Reads {"formulas": [[tex, display], …], "rules": font rules} as JSON, writes for each formula
# {"html", "faces"} or {"error"}: "faces" are the [family, weight, style] its text is set in, found by
# following the font through KaTeX's HTML as the cascade would (each element takes its parent's and
# the declarations of the rules its classes match). KaTeX writes plain, well-formed HTML (its TeX, in
# the hidden MathML part, is escaped), so reading it tag by tag suffices.
_TYPESET = r"""
const katex = require(process.argv[1]);
const TAG = /<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>|([^<]+)/g;
const CLASS = /\bclass="([^"]*)"/;
function faces(html, rules) {
  const used = new Set();
  const stack = [[[], ["KaTeX_Main", 400, "normal"], false]];
  for (const [, closing, tag, attrs, selfClosing, text] of html.matchAll(TAG)) {
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      if (!top[2] && text.trim()) used.add(JSON.stringify(top[1]));
    } else if (closing) {
      if (stack.length > 1) stack.pop();
    } else if (!selfClosing) {
      const found = CLASS.exec(attrs);
      const classes = found ? found[1].split(/\s+/).filter(Boolean) : [];
      let [family, weight, style] = top[1];
      const hidden = top[2] || classes.includes("katex-mathml") || tag === "svg" || tag === "math";
      for (const [own, parents, set] of rules) {
        const mine = own.length > 0 && own.every((name) => classes.includes(name));
        const fromParent = parents !== null && tag === "span" && parents.every((name) => top[0].includes(name));
        if (mine || fromParent) {
          family = set.family ?? family; weight = set.weight ?? weight; style = set.style ?? style;
        }
      }
      stack.push([classes, [family, weight, style], hidden]);
    }
  }
  return [...used].map((face) => JSON.parse(face));
}
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  const out = request.formulas.map(([tex, display]) => {
    try {
      const macros = Object.assign({}, request.macros);  // a \gdef in one formula stays in that formula
      const html = katex.renderToString(tex, {displayMode: display, throwOnError: false, macros: macros});
      return {html: html, faces: faces(html, request.rules)};
    } catch (err) { return {error: String(err && err.message ? err.message : err)}; }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


@dataclass(slots=True)
class Ahead:
    """The deck's cache file as read, and the formulas it lacked, sent to Node.js while the build goes on
    (``answer`` waits for what Node.js made of them)."""

    version: str
    kept: dict[str, Any] | None
    todo: list[tuple[str, bool]]
    answer: Callable[[], list[Any] | None] | None
    macros: dict[str, str]


def typeset_ahead(
    parsed: list[Formula], katex_dir: Path, cache: Store, cache_name: str, macros: dict[str, str] | None = None
) -> Ahead:
    """Start typesetting the parsed formulas the cache lacks, so that Node.js works while the build
    gathers its citations; ``typeset_formulas`` takes the answer. ``macros`` are the deck's (``math:``)."""
    macros = macros or {}
    version = _version(katex_dir) + (f"/{_digest(macros)}" if macros else "")
    kept = _valid(cache.read(cache_name), version)
    wanted = {(formula.tex, formula.display) for formula in parsed}
    todo = sorted(pair for pair in wanted if not (kept and _key(*pair) in kept["formulas"]))
    return Ahead(version, kept, todo, _start_katex(katex_dir, todo, macros) if todo else None, macros)


def _digest(macros: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(macros, sort_keys=True).encode("utf-8")).hexdigest()[:16]


_ARGUMENT = re.compile(r"#([1-9])")
_KATEX_ERROR = re.compile(r'class="katex-error" title="([^"]*)"')


def macro_probes(macros: dict[str, str]) -> dict[str, Formula]:
    """A formula for each macro that uses it (with as many arguments as it takes), so that KaTeX checks it."""
    probes = {}
    for name, definition in macros.items():
        count = max((int(n) for n in _ARGUMENT.findall(definition)), default=0)
        probes[name] = Formula(name + "{x}" * count, False)
    return probes


def complaint(formula: Formula) -> str:
    """What KaTeX said about a formula it could not read ("" when it could)."""
    if formula.error:
        return formula.error
    found = _KATEX_ERROR.search(formula.html)
    said = html.unescape(found.group(1)) if found else ""
    return said.removeprefix("ParseError: ").removeprefix("KaTeX parse error: ")


def typeset_formulas(parsed: list[Formula], katex_dir: Path, cache: Store, cache_name: str, ahead: Ahead) -> None:
    """Fill in each formula's HTML (or KaTeX's complaint) and the font files it uses. Without Node.js,
    or when it fails, they stay as they are: the deck then typesets them itself when it opens."""
    done = dict(ahead.kept["formulas"]) if ahead.kept else {}
    results = ahead.answer() if ahead.answer is not None else None
    if results is None and ahead.todo:
        return
    faces = font_faces(katex_dir / "katex.min.css")
    _keep(done, ahead.todo, results or [], faces)
    later = sorted({(f.tex, f.display) for f in parsed if _key(f.tex, f.display) not in done})
    if later:  # formulas the early start did not know (those of the reference list)
        wait = _start_katex(katex_dir, later, ahead.macros)
        answer = wait() if wait is not None else None
        if answer is None:
            return
        _keep(done, later, answer, faces)
    wanted = {_key(formula.tex, formula.display) for formula in parsed}
    if ahead.todo or later or not ahead.kept or set(ahead.kept["formulas"]) != wanted:
        cache.write(cache_name, {"version": ahead.version, "formulas": {key: done[key] for key in wanted}})
    for formula in parsed:
        entry = done[_key(formula.tex, formula.display)]
        formula.html, formula.error = entry.get("html", ""), entry.get("error", "")
        formula.fonts = list(entry["fonts"])


def _keep(done: dict[str, Any], todo: list[tuple[str, bool]], results: list[Any], faces: dict[Face, str]) -> None:
    """What Node.js made of ``todo``: KaTeX's HTML and its font files, or KaTeX's complaint."""
    for pair, result in zip(todo, results, strict=True):
        typeset = result.get("html") if isinstance(result, dict) else None
        if isinstance(typeset, str):
            done[_key(*pair)] = {"html": typeset, "fonts": sorted(files_of(result.get("faces", []), faces))}
        else:
            error = str(result.get("error", "") if isinstance(result, dict) else "")
            done[_key(*pair)] = {"error": error or "KaTeX cannot read this formula", "fonts": []}


def _version(katex_dir: Path) -> str:
    return f"{FORMAT_VERSION}/{hashlib.sha256((katex_dir / 'katex.min.js').read_bytes()).hexdigest()[:16]}"


def _key(tex: str, display: bool) -> str:
    return hashlib.sha256(f"{int(display)}\0{tex}".encode()).hexdigest()[:24]


def node_executable() -> str | None:
    """Playwright's own Node.js (found on disk, without importing Playwright), else one on PATH."""
    spec = importlib.util.find_spec("playwright")
    for folder in spec.submodule_search_locations or [] if spec is not None else []:
        node = Path(folder, "driver", "node.exe" if sys.platform == "win32" else "node")
        if node.is_file():
            return str(node)
    return shutil.which("node")


def _start_katex(
    katex_dir: Path, todo: list[tuple[str, bool]], macros: dict[str, str]
) -> Callable[[], list[Any] | None] | None:
    """Run KaTeX in Node.js on ``todo``; returns a call that waits for the results (None if it failed),
    or None when there is no Node.js to run."""
    node = node_executable()
    if node is None:
        return None
    try:
        process = subprocess.Popen(
            [node, "-e", _TYPESET, str(katex_dir / "katex.min.js")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    except OSError:
        return None
    rules = font_rules(katex_dir / "katex.min.css")
    request = json.dumps({"formulas": todo, "rules": rules, "macros": macros}).encode("utf-8")
    answer: list[Any] = []

    def exchange() -> None:
        try:
            out, _err = process.communicate(request, timeout=TIMEOUT)
            if process.returncode == 0:
                answer.append(json.loads(out))
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        finally:
            if process.poll() is None:
                process.kill()  # ours, started above
                process.wait(timeout=10)

    thread = threading.Thread(target=exchange, name="mystdeck-katex", daemon=True)
    thread.start()

    def wait() -> list[Any] | None:
        thread.join(TIMEOUT + 10)
        results = answer[0] if answer else None
        return results if isinstance(results, list) and len(results) == len(todo) else None

    return wait


# Which font files a formula needs: the faces its text is set in, by the font rules of KaTeX's style sheet.

Face = tuple[str, int, str]  # family, weight, style
# A rule: the classes an element must have (or, for ``.x>span``, its parent), and what it sets.
Rule = tuple[list[str], list[str] | None, dict[str, str | int]]


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
        declared = _declarations(body)
        sets: dict[str, str | int] = {}
        if "font-family" in declared:
            sets["family"] = declared["font-family"]
        if "font-weight" in declared:
            sets["weight"] = _weight(declared["font-weight"])
        if "font-style" in declared:
            sets["style"] = declared["font-style"]
        for selector in selectors.split(",") if sets else []:
            parts = selector.strip().split()
            if len(parts) < 2 or parts[0] != ".katex":
                continue
            last = parts[-1]
            if ">" in last:  # ``.delim-size1>span``: a span whose parent has that class
                rules.append(([], last.split(">", 1)[0].strip(".").split("."), sets))
            else:
                rules.append((last.strip(".").split("."), None, sets))
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


def files_of(faces_used: Any, faces: dict[Face, str]) -> set[str]:
    """The font files for the faces a formula's text is set in (for a face the style sheet lacks,
    every file of its family: the browser would pick one of them)."""
    found: set[str] = set()
    for family, weight, style in faces_used:
        exact = faces.get((family, weight, style))
        found.update([exact] if exact else [file for (fam, _w, _s), file in faces.items() if fam == family])
    return found


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
