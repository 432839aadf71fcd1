"""Write what citeproc-js (the CSL processor Zotero uses; an npm dev dependency) makes of a few works in the
styles mystdeck's tests compare against, as fixture text: tests/fixtures/csl/<style>-<locale>.json.

Run it only on purpose (after a change of citeproc-py, citeproc-js, the styles or the test works), then read
``git diff tests/fixtures/csl`` before committing.

    python tests/update_csl_reference.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mystdeck import bibcsl, bibread, bibstyle
from mystdeck.diagnostics import Reporter
from mystdeck.formulas import node_executable

ROOT = Path(__file__).resolve().parent.parent
WORKS = ROOT / "tests" / "fixtures" / "files" / "export.bib"
OUT = ROOT / "tests" / "fixtures" / "csl"
KEYS = ["mueller2020", "koch2019", "becker2018", "weber2021", "schwarz2024", "bauer2022"]
# Each citation: the works it names, with a page for the first one when given.
CITATIONS = [
    [("mueller2020", "")],
    [("koch2019", "12")],
    [("becker2018", ""), ("weber2021", "")],
    [("schwarz2024", "")],
    [("bauer2022", "")],
]
STYLES = [("apa", "de-DE"), ("din-1505-2", "de-DE")]

# Reads {style, locale, items, citations} as JSON; writes {bibliography: {id: html}, citations: [html]}.
_RENDER = r"""
const CSL = require(process.argv[1]);
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const items = Object.fromEntries(input.items.map((item) => [item.id, item]));
const sys = {
  retrieveLocale: (lang) => fs.readFileSync(input.locales + "/locales-" + lang + ".xml", "utf8"),
  retrieveItem: (id) => items[id],
};
const engine = new CSL.Engine(sys, fs.readFileSync(input.style, "utf8"), input.locale, true);
engine.updateItems(input.items.map((item) => item.id));
const citations = input.citations.map((cites) => engine.makeCitationCluster(
  cites.map(([id, page]) => page ? {id: id, locator: page, label: "page"} : {id: id})));
const [meta, entries] = engine.makeBibliography();
const bibliography = Object.fromEntries(meta.entry_ids.map((ids, n) => [ids[0], entries[n].trim()]));
process.stdout.write(JSON.stringify({bibliography, citations}));
"""


def items(lang: str) -> list[dict[str, object]]:
    bib = bibread.load_bibliography([WORKS], Reporter())
    bibstyle.with_people(bib, KEYS)
    return [bibcsl.csl_item(key, bib.data.entries[key], lang) for key in KEYS]


def main() -> None:
    import citeproc

    node = node_executable()
    if node is None:
        raise SystemExit("no Node.js: install Playwright (pip) or Node.js")
    citeproc_js = ROOT / "node_modules" / "citeproc" / "citeproc_commonjs.js"
    locales = Path(citeproc.__file__).parent / "data" / "locales"
    OUT.mkdir(parents=True, exist_ok=True)
    for style, locale in STYLES:
        request = {
            "style": str(bibcsl.find_style(style, ROOT)),
            "locale": locale,
            "locales": str(locales),
            "items": items(locale),
            "citations": CITATIONS,
        }
        made = subprocess.run(
            [node, "-e", _RENDER, str(citeproc_js)], input=json.dumps(request), capture_output=True, text=True,
            timeout=60, check=True,
        )  # fmt: skip
        target = OUT / f"{style}-{locale}.json"
        target.write_text(json.dumps(json.loads(made.stdout), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
