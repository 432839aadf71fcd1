"""Source stage, notebooks: a Jupyter notebook (``.ipynb``, nbformat 4) in, the MyST text notebook it is out, with
its stored outputs beside it.

The notebook is written as jupytext writes a MyST notebook: front matter from the notebook's metadata (its
``title``, ``authors``, ``lang``/``language``, ``kernelspec`` and RISE's ``rise:`` settings, which go to
``reveal:``), markdown cells behind ``+++`` breaks that carry their metadata, code cells as ``{code-cell}``s
with their tags and slide type. Each cell's first line is put on the line its source starts on in the
``.ipynb`` file where there is room (nbformat writes a notebook one source line to a file line), so a
message names the line an editor shows. A cell's outputs travel beside the text, by the cell's number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mystdeck.diagnostics import Reporter, SourceLoc

MAX_NOTEBOOK_BYTES = 200 * 1024 * 1024


def notebook_text(path: Path, data: bytes, reporter: Reporter) -> tuple[str, dict[int, list[dict[str, Any]]]]:
    """The notebook as MyST text, and each code cell's stored outputs (by the number in its ``:cell:``)."""
    import nbformat  # only a deck made from a notebook pays for it

    if len(data) > MAX_NOTEBOOK_BYTES:
        raise reporter.fatal(SourceLoc(path), f"larger than {MAX_NOTEBOOK_BYTES >> 20} MiB", "bad-notebook")
    raw = data.decode("utf-8")
    try:
        json.loads(raw)  # first, for a message with the line where the JSON breaks
        notebook = nbformat.reads(raw, as_version=4)  # type: ignore[no-untyped-call]
    except json.JSONDecodeError as exc:
        raise reporter.fatal(
            SourceLoc(path, exc.lineno), f"not a notebook: {exc.msg}: save it again from Jupyter", "bad-notebook"
        ) from None
    except Exception as exc:  # nbformat reports a notebook it cannot read in several ways
        reporter_message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise reporter.fatal(SourceLoc(path, 1), f"not a notebook nbformat can read: {reporter_message}",
                             "bad-notebook") from None  # fmt: skip
    starts = _source_lines(raw)
    lines = _front_matter(notebook.get("metadata", {}))
    outputs: dict[int, list[dict[str, Any]]] = {}
    cells = notebook.get("cells", [])
    aligned = len(starts) == len(cells)
    for number, cell in enumerate(cells):
        chunk = _cell(number, cell, outputs)
        if aligned:  # the cell's first source line on its line in the file, when there is room before it
            wanted = starts[number] - chunk.index(_FIRST) - 1
            lines += [""] * max(0, wanted - len(lines))
        lines += [line for line in chunk if line != _FIRST]
    return "\n".join(lines) + "\n", outputs


_FIRST = "\x00"  # marks where a cell's source starts in its lines (taken out before the text is used)


def _cell(number: int, cell: Any, outputs: dict[int, list[dict[str, Any]]]) -> list[str]:
    source = cell.get("source", "")
    metadata = cell.get("metadata", {})
    kept = {key: metadata[key] for key in ("slideshow", "tags", "mystnb") if key in metadata}
    if cell.get("cell_type") == "code":
        outputs[number] = [dict(output) for output in cell.get("outputs", [])]
        options = [f":cell: {number}"]
        if "tags" in kept:
            options.append(f":tags: {json.dumps(kept['tags'])}")
        for key in ("slideshow", "mystnb"):
            if isinstance(kept.get(key), dict):
                options.append(f":{key}: {json.dumps(kept[key], ensure_ascii=False)}")
        fence = "`" * max(3, _longest_run(source, "`") + 1)
        return ["", f"{fence}{{code-cell}}", *options, _FIRST, *source.split("\n"), fence]
    shown = {key: kept[key] for key in ("slideshow", "tags") if key in kept}
    if cell.get("cell_type") == "raw":
        return ["", f"+++ {json.dumps(shown)}" if shown else "+++", _FIRST, ""]  # raw cells show nothing
    return ["", f"+++ {json.dumps(shown)}" if shown else "+++", _FIRST, *source.split("\n")]


def _longest_run(text: str, char: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)


_SOURCE = re.compile(r'^\s*"source": \[\s*$|^\s*"source": "', re.MULTILINE)


def _source_lines(raw: str) -> list[int]:
    """The 1-based line each cell's first source line is on in the file (as nbformat writes it)."""
    starts = []
    for match in _SOURCE.finditer(raw):
        line = raw.count("\n", 0, match.start()) + 1
        starts.append(line + 1 if match.group(0).rstrip().endswith("[") else line)
    return starts


def _front_matter(metadata: Any) -> list[str]:
    """The notebook's metadata as a deck's front matter."""
    front: dict[str, Any] = {}
    if isinstance(metadata.get("title"), str):
        front["title"] = metadata["title"]
    authors = metadata.get("authors")
    if isinstance(authors, list):
        front["authors"] = [a.get("name", "") if isinstance(a, dict) else str(a) for a in authors]
    lang = metadata.get("lang") or metadata.get("language")
    if isinstance(lang, str):
        front["lang"] = lang
    spec = metadata.get("kernelspec")
    if isinstance(spec, dict):
        front["kernelspec"] = {key: spec[key] for key in ("name", "language", "display_name") if key in spec}
    if not front.get("kernelspec", {}).get("language"):
        info = metadata.get("language_info")
        if isinstance(info, dict) and isinstance(info.get("name"), str):
            front.setdefault("kernelspec", {})["language"] = info["name"]
    rise = metadata.get("rise")
    if isinstance(rise, dict):
        front["rise"] = {key: value for key, value in rise.items() if key in (*RISE_SETTINGS, "theme")}
    if not front:
        return []
    return ["---", *json.dumps(front, ensure_ascii=False, indent=1).split("\n"), "---"]


#: RISE's settings that are reveal.js' own (RISE passes them on to reveal.js).
RISE_SETTINGS = ("transition", "slideNumber", "controls", "progress", "width", "height", "center", "history")
