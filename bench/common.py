"""Helpers shared by the benchmark scripts: run a command once, measure wall time and peak memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
if str(ROOT) not in sys.path:  # the scripts run from a checkout, installed or not
    sys.path.insert(0, str(ROOT))


# What a presenter's machine does: Python keeps its compiled modules (__pycache__), so a second run does not
# compile mystdeck again. A shell that sets PYTHONDONTWRITEBYTECODE would measure compiling instead.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Seconds and peak resident MiB of one run of ``args`` (a child process, waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{proc.stderr.read() if proc.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024


def best_of(count: int, args: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    runs = [run(args, cwd) for _ in range(count)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def peak_rss_children() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def installed_browser() -> Path:
    """The installed Chromium the benchmarks drive (never downloaded); without one, the benchmark stops."""
    from mystdeck.browser import find_browser

    found = find_browser(None).path
    if found is None:
        raise SystemExit("no browser found: install chromium first")
    return found
