"""Diagrams stage: mermaid sources in, SVG out, drawn in the build's headless browser and cached.

A diagram drawn at build time is inlined into its slide, so it is right in hidden slides, in the
speaker view's preview and in the PDF. The cache key is the source plus mermaid's version.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from mystdeck.browser import HeadlessBrowser
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Diagram
from mystdeck.output import atomic_write

# Where mermaid measures a diagram: the width of a 1280-pixel slide less its margins.
DRAW_WIDTH = 1180
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


def mermaid_theme(reveal_theme: str) -> str:
    return "dark" if reveal_theme in DARK_THEMES else "default"


def draw_diagrams(
    diagrams: list[Diagram],
    browser: HeadlessBrowser,
    mermaid_js: Path,
    cache_dir: Path,
    reporter: Reporter,
    theme: str = "default",
) -> None:
    """Fill in each diagram's SVG or error, drawing only those not in the cache."""
    version = mermaid_version(mermaid_js)
    todo: list[tuple[Diagram, str]] = []
    for diagram in diagrams:
        key = hashlib.sha256(f"{version}\0{theme}\0{diagram.source}".encode()).hexdigest()[:20]
        if not _from_cache(diagram, cache_dir / f"{key}.json"):
            todo.append((diagram, key))
    if todo:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        try:
            page.set_content(f'<!DOCTYPE html><html><body style="margin:0;width:{DRAW_WIDTH}px"></body></html>')
            page.add_script_tag(path=str(mermaid_js))
            results = page.evaluate(_DRAW_ALL, [theme, [[f"mermaid-{key}", d.source] for d, key in todo]])
        finally:
            page.close()
        for (diagram, key), result in zip(todo, results, strict=True):
            diagram.svg = result.get("svg", "")
            diagram.error = result.get("error", "")
            atomic_write(cache_dir / f"{key}.json", json.dumps(result).encode("utf-8"))
    for diagram in diagrams:
        if diagram.error:
            _report(diagram, reporter)


def _from_cache(diagram: Diagram, path: Path) -> bool:
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    diagram.svg = result.get("svg", "")
    diagram.error = result.get("error", "")
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
