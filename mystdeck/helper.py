"""A second process for a build's heavy pure-Python work (reading a large .bib, formatting a long
reference list).

Python runs one thread of Python at a time, so a second core is used through a second process: a
fresh interpreter running ``python -m mystdeck.helper MODULE…``, which imports the modules of the
functions it may be asked, then answers requests one at a time: a line of JSON in (the function, by
module and name, and its arguments), a line of JSON out (its result). The parent names a function by
passing it, so what the helper runs is imported where it is asked for. It is started as soon as the
work is foreseen, so that its start-up (importing mystdeck, about 0.1 s) overlaps the parent's own work.

Not ``multiprocessing``: its fresh interpreters run the parent's main script again, and a fork of a
process with threads (the watchdog, the preview server) may wait forever on a lock. JSON, not
pickle: only plain data crosses. A helper only ever saves time: when it cannot start, fails or takes
too long (``TIMEOUT``), the answer is None and the caller does the work itself.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

TIMEOUT = 300.0  # seconds a helper may take for one answer before the parent does the work itself
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)  # where ``import mystdeck`` finds it

Answer = Callable[[], Any]  # waits for the helper's result; None when there is none


class Helper:
    """At most one helper process for the ``work`` it may be asked: ``start`` it when work is foreseen,
    ``ask`` it, ``close`` it (or use ``with``). One made with ``wanted=False`` never starts, and its
    answers are None."""

    def __init__(self, work: Sequence[Callable[..., Any]] = (), wanted: bool = True) -> None:
        self.modules = list(dict.fromkeys(function.__module__ for function in work))
        self.wanted = wanted
        self._process: subprocess.Popen[bytes] | None = None
        self._pending: Answer | None = None

    @property
    def running(self) -> bool:
        return self._process is not None

    def start(self) -> None:
        if not self.wanted or self._process is not None:
            return
        self.wanted = False  # one try: a helper that cannot start is not tried again
        path = os.pathsep.join(filter(None, [PACKAGE_PARENT, os.environ.get("PYTHONPATH")]))
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "mystdeck.helper", *self.modules],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
            )  # fmt: skip
        except OSError:  # no processes here (a sandbox), or no interpreter to run
            self._process = None

    def ask(self, function: Callable[..., Any], *args: Any) -> Answer:
        """Send ``function(*args)`` to the helper (a module-level function of mystdeck's); returns a call
        that waits for the result. A question asked before the last answer was taken waits for that one
        first."""
        if self._pending is not None:
            self._pending()
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            return lambda: None
        stdin, stdout = process.stdin, process.stdout
        name = f"{function.__module__}:{function.__qualname__}"
        request = json.dumps([name, list(args)]).encode("utf-8") + b"\n"
        answer: list[Any] = []

        def exchange() -> None:
            with contextlib.suppress(OSError, ValueError):
                stdin.write(request)
                stdin.flush()
                answer.append(json.loads(stdout.readline()))

        thread = threading.Thread(target=exchange, name="mystdeck-helper", daemon=True)
        thread.start()

        def wait() -> Any:
            if self._pending is wait:
                thread.join(TIMEOUT)
                self._pending = None
                if thread.is_alive() or not answer:  # stuck or gone: no more questions for it
                    self.close()
            result = answer[0] if answer else None
            return result.get("result") if isinstance(result, dict) else None

        self._pending = wait
        return wait

    def close(self) -> None:
        """End the helper, idle or at work (a build that failed does not wait for its answer)."""
        process, self._process, self._pending = self._process, None, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()  # ours, started above
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def main(modules: list[str]) -> int:
    """The helper's side: import the modules, then answer each request line with a result line."""
    for name in modules:
        importlib.import_module(name)  # first, while the parent still works
    for line in sys.stdin.buffer:
        name, args = json.loads(line)
        module, _, function = name.partition(":")
        try:
            if not module.startswith("mystdeck."):
                raise ValueError(f"not mystdeck's: {name}")
            answer = {"result": getattr(importlib.import_module(module), function)(*args)}
        except Exception as exc:  # the parent does the work itself and meets the error there
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.buffer.write(json.dumps(answer).encode("utf-8") + b"\n")
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
