"""The output folder: only what mystdeck wrote is replaced, the swap has no gap, a killed build is cleaned up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mystdeck import output
from mystdeck.cli import main
from mystdeck.diagnostics import BuildError, Reporter

DECK = "# Vortrag\n\n## Eins\n\nText.\n"


def _build(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--no-pdf"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_deck_folder_is_never_the_folder_of_the_deck_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talk").mkdir()
    (tmp_path / "talk" / "talk.md").write_text(DECK, encoding="utf-8")
    (tmp_path / "talk" / "notizen.txt").write_text("meine Notizen", encoding="utf-8")
    before = _tree(tmp_path / "talk")
    code, out, err = _build(capsys, "talk/talk.md", "--out", ".")
    assert code == 1
    assert "talk: error: holds the deck's own files" in err and "choose another --out" in err
    assert _tree(tmp_path / "talk") == before
    assert "built" not in out


def test_a_file_of_the_deck_folders_name_is_never_moved_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run.md").write_text(DECK, encoding="utf-8")
    (tmp_path / "run").write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    code, _out, err = _build(capsys, "run.md", "--out", ".")
    assert code == 1
    assert "run: error: is not a folder mystdeck wrote, so it is left alone" in err
    assert (tmp_path / "run").read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run", "run.md"]


def test_a_folder_mystdeck_did_not_write_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talk.md").write_text(DECK, encoding="utf-8")
    (tmp_path / "site" / "talk").mkdir(parents=True)
    (tmp_path / "site" / "talk" / "photo.jpg").write_bytes(b"holiday")
    code, _out, err = _build(capsys, "talk.md", "--out", "site")
    assert code == 1
    assert "site/talk: error: exists and was not written by mystdeck (it has no .mystdeck.json)" in err
    assert _tree(tmp_path / "site" / "talk") == {"photo.jpg": b"holiday"}
    # An empty folder holds nothing to lose; a deck folder mystdeck wrote is replaced.
    (tmp_path / "site" / "talk" / "photo.jpg").unlink()
    assert _build(capsys, "talk.md", "--out", "site")[0] == 0
    marker = json.loads((tmp_path / "site" / "talk" / ".mystdeck.json").read_text(encoding="utf-8"))
    assert marker["generator"] == "mystdeck" and marker["title"] == "Vortrag"
    (tmp_path / "talk.md").write_text(DECK.replace("Text.", "Neu."), encoding="utf-8")
    assert _build(capsys, "talk.md", "--out", "site")[0] == 0
    assert "Neu." in (tmp_path / "site" / "talk" / "index.html").read_text(encoding="utf-8")


def test_two_decks_of_one_name_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "talk.md").write_text(DECK.replace("Eins", folder), encoding="utf-8")
    code, _out, err = _build(capsys, "a/talk.md", "b/talk.md")
    assert code == 1
    assert "b/talk.md: error: a/talk.md of this build also goes to _build/talk/" in err
    assert "<h2>a</h2>" in (tmp_path / "_build" / "talk" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["...md", ".md", " talk.md"])
def test_a_file_name_that_cannot_name_a_folder_is_a_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(DECK, encoding="utf-8")
    code, _out, err = _build(capsys, name)
    assert code == 1
    assert "give the file a plain name [no-input]" in err and "internal error" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_the_swap_exchanges_the_folders_in_one_step(tmp_path: Path) -> None:
    old, new = tmp_path / "talk", tmp_path / ".talk.staging-1-x"
    for folder, text in ((old, "alt"), (new, "neu")):
        folder.mkdir()
        output.write_marker(folder, {})
        (folder / "index.html").write_text(text, encoding="utf-8")
    if sys.platform.startswith("linux"):
        assert output._exchange(new, old)  # both still exist, their contents swapped
        assert (old / "index.html").read_text() == "neu" and (new / "index.html").read_text() == "alt"
        output._exchange(new, old)
    output.swap_into_place(new, old, [], Reporter())
    assert (old / "index.html").read_text() == "neu"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["talk"]


def test_a_killed_swap_is_undone_and_killed_staging_folders_are_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talk.md").write_text("---\ntitle: [kaputt\n---\n", encoding="utf-8")
    build = tmp_path / "_build"
    aside = build / ".talk.old"  # a build killed between its two renames left only this
    aside.mkdir(parents=True)
    output.write_marker(aside, {"title": "Alt"})
    (aside / "index.html").write_text("the last good deck", encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = build / f".talk.staging-{dead.stdout.strip()}-abc"
    killed.mkdir()
    output.write_marker(killed, {})
    foreign = build / ".talk.staging-1-mine"  # not ours: no marker, so it stays
    foreign.mkdir()
    code, _out, _err = _build(capsys, "talk.md")
    assert code == 1  # this build fails, and the last good deck is back in place
    assert (build / "talk" / "index.html").read_text(encoding="utf-8") == "the last good deck"
    assert sorted(p.name for p in build.iterdir()) == [".talk.staging-1-mine", "talk"]


def test_a_failed_swap_check_keeps_both(tmp_path: Path) -> None:
    staging, target = tmp_path / ".talk.staging-1-x", tmp_path / "talk"
    staging.mkdir()
    target.write_text("a file", encoding="utf-8")
    with pytest.raises(BuildError):
        output.swap_into_place(staging, target, [], Reporter())
    assert target.read_text(encoding="utf-8") == "a file" and staging.is_dir()


def test_the_index_page_links_encoded_keeps_failed_decks_and_leaves_a_foreign_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "slides").mkdir()
    first, second = tmp_path / "slides" / "mein vortrag.md", tmp_path / "slides" / "b#2.md"
    first.write_text("---\ntitle: Erster\n---\n## x\n", encoding="utf-8")
    second.write_text("# Zweiter\n\n## y\n", encoding="utf-8")
    code, out, _err = _build(capsys)
    assert code == 0
    index = (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")
    assert 'href="mein%20vortrag/index.html">Erster</a>' in index and 'href="b%232/index.html"' in index
    assert "built _build/index.html (the list of 2 decks)" in out
    second.write_text("---\ntitle: [kaputt\n---\n", encoding="utf-8")
    code, out, _err = _build(capsys)
    assert code == 1
    assert "built _build/b#2/index.html" not in out
    assert 'href="b%232/index.html">Zweiter</a>' in (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")
    (tmp_path / "_build" / "index.html").write_text("<p>my own page</p>", encoding="utf-8")
    code, out, err = _build(capsys)
    assert "_build/index.html: error: exists and was not written by mystdeck, so it is left alone" in err
    assert "built _build/index.html" not in out
    assert (tmp_path / "_build" / "index.html").read_text(encoding="utf-8") == "<p>my own page</p>"


@pytest.mark.parametrize("flag", ["--pdf", "--self-contained"])
def test_a_full_disk_keeps_the_last_good_file_whole(
    flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that fits half-way is never swapped in: the last good one stays, byte for byte, even when
    the disk has no room left to copy it either."""
    import errno
    import shutil

    from mystdeck import pdf

    deck = tmp_path / "talk.md"
    deck.write_text(DECK, encoding="utf-8")
    made = {"data": b"%PDF-1.7 the last good build " * 100}
    monkeypatch.setattr(pdf, "export_pdf", lambda *args: pdf.PdfResult(made["data"], []))
    name = "talk.pdf" if flag == "--pdf" else "talk.html"
    args = [str(deck), "--out", str(tmp_path / "out"), flag, "--browser", sys.executable]
    assert main(args) == 0
    out = tmp_path / "out" / "talk"
    last_good = (out / name).read_bytes()
    assert last_good

    real_write = Path.write_bytes

    def disk_fills(path: Path, data: bytes) -> int:  # type: ignore[override]
        if name in path.name:  # the new file: half of it fits, then the disk is full
            real_write(path, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, data)

    real_copy = shutil.copyfile

    def no_room_for_a_copy(source: Path, target: Path, **kwargs: bool) -> object:
        if name in Path(target).name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(source, target, **kwargs)

    monkeypatch.setattr(Path, "write_bytes", disk_fills)
    monkeypatch.setattr(shutil, "copyfile", no_room_for_a_copy)  # nor is there room for a copy of the last one
    made["data"] = b"%PDF-1.7 the new build " * 100
    deck.write_text(DECK.replace("Eins", "Zwei"), encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"talk.md: error: {name} could not be made: the disk is full" in err and "internal error" not in err
    assert (out / name).read_bytes() == last_good
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".mystdeck.json"]
