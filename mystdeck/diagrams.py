"""Diagrams stage: mermaid sources in, SVG out, drawn in the build's headless browser and cached.

A diagram drawn at build time is inlined into its slide, so it is right in hidden slides, in the
speaker view's preview and in the PDF. The cache key is the source plus mermaid's version.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from mystdeck.browser import HeadlessBrowser
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Diagram
from mystdeck.store import Store

# Where mermaid measures a diagram: the slide's width less its padding (1180 of a 1280-pixel slide).
DRAW_SHARE = 1180 / 1280
# reveal.js themes with a dark background; their diagrams use mermaid's dark theme.
DARK_THEMES = frozenset({"black", "black-contrast", "blood", "dracula", "league", "moon", "night"})
_DRAW_ALL = """async ([theme, sources]) => {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict", theme: theme});
  const results = [];
  for (const [id, source] of sources) {
    try {
      await mermaid.parse(source);
      const out = await mermaid.render(id, source);
      results.push({svg: out.svg});
    } catch (err) {
      results.push({error: String(err && err.message ? err.message : err)});
      document.querySelectorAll("#d" + id + ", #" + id).forEach((el) => el.remove());
    }
  }
  return results;
}"""


def mermaid_version(mermaid_js: Path) -> str:
    package = mermaid_js.parent.parent / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8")).get("version", "unknown"))


def mermaid_theme(reveal_theme: str, background: str = "") -> str:
    """mermaid's dark theme on a dark slide: the theme's, or the brand's background (``#rrggbb``) when it has one."""
    if background:
        red, green, blue = (int(background[index : index + 2], 16) for index in (1, 3, 5))
        return "dark" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 128 else "default"
    return "dark" if reveal_theme in DARK_THEMES else "default"


def draw_diagrams(
    diagrams: list[Diagram],
    browser: HeadlessBrowser,
    mermaid_js: Path,
    cache: Store,
    reporter: Reporter,
    theme: str = "default",
    slide_width: int = 1280,
) -> None:
    """Fill in each diagram's SVG or error, drawing only those not in the cache."""
    version = mermaid_version(mermaid_js)
    width = round(slide_width * DRAW_SHARE)
    todo: list[tuple[Diagram, str]] = []
    for diagram in diagrams:
        key = hashlib.sha256(f"{version}\0{theme}\0{width}\0{diagram.source}".encode()).hexdigest()[:20]
        if not _from_cache(diagram, cache.read(f"{key}.json")):
            todo.append((diagram, key))
    if todo:
        page = browser.kept_page(f"mermaid {mermaid_js}", lambda page: _prepare(page, mermaid_js))
        page.set_viewport_size({"width": max(slide_width, 320), "height": 720})
        page.evaluate("(width) => { document.body.style.width = width + 'px'; }", width)
        results = page.evaluate(_DRAW_ALL, [theme, [[f"mermaid-{key}", d.source] for d, key in todo]])
        for (diagram, key), result in zip(todo, results, strict=True):
            diagram.svg = result.get("svg", "")
            diagram.error = result.get("error", "")
            cache.write(f"{key}.json", {"svg": diagram.svg, "error": diagram.error})
    for diagram in diagrams:
        if diagram.error:
            _report(diagram, reporter)


def _prepare(page: Any, mermaid_js: Path) -> None:
    page.set_content('<!DOCTYPE html><html><body style="margin:0"></body></html>')
    page.add_script_tag(path=str(mermaid_js))


def _from_cache(diagram: Diagram, cached: object) -> bool:
    """A signed cache entry of the expected shape, else a miss."""
    if not (isinstance(cached, dict) and isinstance(cached.get("svg"), str) and isinstance(cached.get("error"), str)):
        return False
    diagram.svg, diagram.error = cached["svg"], cached["error"]
    return True


def _report(diagram: Diagram, reporter: Reporter) -> None:
    """Point at the diagram's own line when mermaid names one."""
    match = re.search(r"on line (\d+)", diagram.error)
    line = diagram.loc.line + int(match.group(1)) - 1 if match else diagram.loc.line - 1
    message = " ".join(diagram.error.split())
    reporter.warning(
        SourceLoc(diagram.loc.path, line),
        f"mermaid cannot draw this diagram: {message} (the slide shows the message and the source)",
        "diagram-error",
    )
