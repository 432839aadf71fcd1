"""Code cells run when a deck asks (``execute: true``): a matplotlib plot, a pandas table and a printed line made
when the deck is built, a raising cell reported at its line, and a second build that starts no kernel.

These tests start a Jupyter kernel (a few seconds): ``./run test`` runs them after the main suite, with the
wheel's test (``-m kernel``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Build
from mystdeck import execute

pytestmark = pytest.mark.kernel

DECK = """---
title: Gerechnet
lang: de
kernelspec:
  name: python3
  language: python
execute: true
---

## Eine Kurve

```{code-cell}
import matplotlib.pyplot as plt
plt.figure(figsize=(4, 2.5))
plt.plot([1, 4, 9, 16])
plt.show()
```

## Eine Tabelle

```{code-cell}
import pandas as pd
pd.DataFrame({"Jahr": [2020, 2021], "Wert": [1.5, 2.5]})
```

## Gedruckt und ein Fehler

```{code-cell}
print("Hallo aus dem Kernel")
```

```{code-cell}
1 / 0
```
"""


def test_cells_run_when_built_and_a_rebuild_starts_no_kernel(
    tmp_path: Path, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "talk.md").write_text(DECK, encoding="utf-8")
    first = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr == "talk.md:33: warning: the cell raised ZeroDivisionError: division by zero [execute-error]\n"
    deck = tmp_path / "_build" / "talk"
    html = (deck / "index.html").read_text(encoding="utf-8")
    [plot] = list((deck / "media" / "outputs").iterdir())
    assert plot.read_bytes().startswith(b"\x89PNG") and f'src="media/outputs/{plot.name}"' in html
    assert '<table border="1" class="dataframe">' in html and "<td>1.5</td>" in html
    assert '<pre class="deck-output deck-output-stdout">Hallo aus dem Kernel</pre>' in html
    assert '<pre class="deck-output deck-output-error">ZeroDivisionError: division by zero</pre>' in html

    def no_kernel(*_args: object) -> None:
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute, "_run", no_kernel)
    (tmp_path / "talk.md").write_text(DECK.replace("## Eine Tabelle", "## Die Tabelle"), encoding="utf-8")
    second = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert second.returncode == 0 and second.stderr == first.stderr  # the same outputs, the same warning
    assert (deck / "index.html").read_text(encoding="utf-8").replace("Die Tabelle", "Eine Tabelle").replace(
        "die-tabelle", "eine-tabelle"
    ) == html


def test_a_raising_cell_is_an_error_when_errors_are_not_allowed(tmp_path: Path, build: Build) -> None:
    text = "---\nexecute:\n  allow_errors: false\n---\n## S\n\n```{code-cell} python\nraise KeyError('x')\n```\n"
    (tmp_path / "talk.md").write_text(text, encoding="utf-8")
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 1
    assert "talk.md:8: error: the cell raised KeyError: 'x' [execute-error]" in result.stderr


def test_without_the_extra_running_is_one_clear_error(
    tmp_path: Path, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(execute, "available", lambda: False)
    (tmp_path / "talk.md").write_text("---\nexecute: true\n---\n## S\n\n```{code-cell} python\n1\n```\n", "utf-8")
    result = build("talk.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 1
    assert "talk.md:2: error: running the code cells needs nbclient and ipykernel: pip install 'mystdeck[execute]'" in (
        result.stderr
    )


def test_a_cell_past_the_timeout_is_interrupted_and_a_dying_kernel_is_a_message(tmp_path: Path, build: Build) -> None:
    slow = "---\nexecute:\n  timeout: 2\n---\n## S\n\n```{code-cell} python\nprint(1)\n```\n\n"
    slow += "```{code-cell} python\nimport time\ntime.sleep(60)\n```\n"
    (tmp_path / "slow.md").write_text(slow, encoding="utf-8")
    result = build("slow.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("slow.md:12: warning: the cell ran longer than 2 s and was interrupted")
    assert '<pre class="deck-output deck-output-stdout">1</pre>' in (
        tmp_path / "_build" / "slow" / "index.html"
    ).read_text(encoding="utf-8")  # what ran before it is shown
    again = build("slow.md", "--no-pdf", cwd=tmp_path)  # a run cut short is not kept: it runs (and warns) again
    assert again.stderr == result.stderr
    dying = "---\nexecute: true\n---\n## S\n\n```{code-cell} python\nimport os\nos._exit(1)\n```\n"
    (tmp_path / "dying.md").write_text(dying, encoding="utf-8")
    result = build("dying.md", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "dying.md:7: error: the kernel 'python3' died while this cell ran" in result.stderr
