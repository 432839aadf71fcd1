"""Rewrite the expected output of every fixture file from the current converter.

Run it only on purpose, after a change meant to alter the output, then read ``git diff tests/fixtures``
before committing: every changed line must be one you intended.

    python tests/update_fixtures.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from markdown_it.utils import read_fixture_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conftest import FIXTURES, fixture_resources, slides_html


def main() -> None:
    res = fixture_resources()
    start = Path.cwd()
    for path in sorted(FIXTURES.glob("*.md")):
        parts = []
        for _line, title, source, _expected in read_fixture_file(path):
            with tempfile.TemporaryDirectory() as folder:
                os.chdir(folder)
                html, messages = slides_html(source, Path(folder), res)
                os.chdir(start)
            output = "".join(m + "\n" for m in messages) if path.name == "warnings.md" else html
            parts.append(f"{title}\n.\n{source}.\n{output}.\n")
        path.write_text("\n".join(parts), encoding="utf-8")
        print(f"rewrote {path.name}")


if __name__ == "__main__":
    main()
