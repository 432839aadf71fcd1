"""Execute stage: a deck's code cells in, their outputs out, run in a Jupyter kernel when the deck asks
(``execute: true`` in the front matter, or ``--execute``) before the deck is parsed with them.

Running code is running the author's code, as raw HTML runs as written. The kernel is the one the
``kernelspec`` names (``python3`` when none), started by nbclient over local sockets (IPC), not over the
network. The outputs are kept in the deck's cache (signed, ``.cache/execute/``): a build whose code cells
did not change starts no kernel. When one cell changed, the whole notebook runs again from its first cell:
a cell may use what any cell before it made, so running only from the changed cell could show outputs
that a fresh run would not. Both come with ``pip install 'mystdeck[execute]'`` (nbclient and ipykernel).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import CodeCell, Source
from mystdeck.store import Store

FORMAT_VERSION = "1"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def available() -> bool:
    return importlib.util.find_spec("nbclient") is not None and importlib.util.find_spec("ipykernel") is not None


def execute_cells(
    source: Source, cells: list[CodeCell], cache: Store, cache_name: str, reporter: Reporter
) -> dict[int, list[dict[str, Any]]]:
    """The outputs of each cell (by number): from the cache when no code changed, else from a kernel."""
    front = source.front
    kernel = front.kernel_name or "python3"
    key = hashlib.sha256(json.dumps([FORMAT_VERSION, kernel, [(c.code, c.tags) for c in cells]]).encode()).hexdigest()
    kept = _valid(cache.read(cache_name)) if front.execute_cache else None
    if kept is not None and kept["key"] == key:
        remembered = {int(number): found for number, found in kept["outputs"].items()}
        _report(source, cells, remembered, reporter)
        return remembered
    if not available():
        reporter.error(
            SourceLoc(source.path, front.lines.get("execute", 1)),
            "running the code cells needs nbclient and ipykernel: pip install 'mystdeck[execute]' (or leave out "
            "'execute')",
            "execute-error",
        )
        return {}
    ran = _run(source, cells, kernel, reporter)
    if ran is None:
        return {}
    outputs, complete = ran
    if front.execute_cache and complete:  # a run cut short by the timeout runs again next time
        cache.write(cache_name, {"key": key, "outputs": {str(n): found for n, found in outputs.items()}})
    _report(source, cells, outputs, reporter)
    return outputs


def _run(
    source: Source, cells: list[CodeCell], kernel: str, reporter: Reporter
) -> tuple[dict[int, list[dict[str, Any]]], bool] | None:
    """Each cell's outputs, and whether every cell ran; nothing when the kernel could not run them."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    notebook = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    for cell in cells:
        made = nbformat.v4.new_code_cell(cell.code)  # type: ignore[no-untyped-call]
        made.metadata["tags"] = list(cell.tags)
        notebook.cells.append(made)
    where = SourceLoc(source.path, source.front.lines.get("execute", 1))
    with tempfile.TemporaryDirectory(prefix="mystdeck-kernel-") as folder:
        # nbclient runs asynchronously: a synchronous manager would block it, and no timeout could fire.
        manager = AsyncKernelManager(kernel_name=kernel, transport="ipc", ip=str(Path(folder) / "kernel"))
        client = NotebookClient(
            notebook, km=manager, timeout=source.front.execute_timeout, allow_errors=True,
            resources={"metadata": {"path": str(source.path.parent)}},
        )  # fmt: skip
        complete = True
        running = [where]  # the cell the kernel runs: a timeout or a dying kernel is reported there
        client.on_cell_execute = lambda cell, cell_index: running.__setitem__(
            0, SourceLoc(source.path, cells[cell_index].line)
        )
        try:
            client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # the kernel's own chatter
        except CellTimeoutError:
            complete = False
            seconds = source.front.execute_timeout
            message = f"the cell ran longer than {seconds} s and was interrupted; the cells after it did not run"
            reporter.warning(running[0], message + ": shorten it, or raise 'timeout' under 'execute'", "execute-error")
        except DeadKernelError as exc:
            reporter.error(
                running[0], f"the kernel '{kernel}' died while this cell ran: {_first_line(exc)}", "execute-error"
            )
            return None
        except Exception as exc:  # a kernel that does not start (not installed, no such kernelspec)
            reporter.error(where, f"the kernel '{kernel}' cannot run the cells: {_first_line(exc)}", "execute-error")
            return None
    outputs = {
        cell.number: [dict(output) for output in made.get("outputs", [])]
        for cell, made in zip(cells, notebook.cells, strict=True)
    }
    return outputs, complete


def _report(
    source: Source, cells: list[CodeCell], outputs: dict[int, list[dict[str, Any]]], reporter: Reporter
) -> None:
    """A cell that raised: a warning at its line (an error with ``allow_errors: false``), unless its tags say
    it is meant to (``raises-exception``)."""
    report = reporter.warning if source.front.execute_allow_errors else reporter.error
    for cell in cells:
        for output in outputs.get(cell.number, []):
            if output.get("output_type") == "error" and "raises-exception" not in cell.tags:
                name, value = str(output.get("ename", "Error")), _ANSI.sub("", str(output.get("evalue", "")))
                report(SourceLoc(source.path, cell.line), f"the cell raised {name}: {value}", "execute-error")


def _first_line(exc: BaseException) -> str:
    text = _ANSI.sub("", str(exc)).strip()
    return text.splitlines()[-1] if text else type(exc).__name__


def _valid(value: Any) -> dict[str, Any] | None:
    """A cache file of the right shape (anything else: run again). Its outputs are shown as any stored output
    is: escaped, images decoded with care, HTML without scripts."""
    if not isinstance(value, dict) or set(value) != {"key", "outputs"} or not isinstance(value["key"], str):
        return None
    outputs = value["outputs"]
    if not isinstance(outputs, dict) or not all(k.isdigit() and isinstance(v, list) for k, v in outputs.items()):
        return None
    if not all(isinstance(o, dict) and isinstance(o.get("output_type"), str) for v in outputs.values() for o in v):
        return None
    return value
