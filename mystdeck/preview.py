"""Preview stage: build, serve and watch; a saved file rebuilds the decks that use it and reloads their pages."""

from __future__ import annotations

import hashlib
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import watchfiles

from mystdeck.model import BuildResult
from mystdeck.pipeline import deck_inputs
from mystdeck.remote import RemoteState, qr_code
from mystdeck.serve import LiveState, start_server, stop_server

# How long a burst of saves is gathered before a rebuild, and how often the watcher looks (ms).
DEBOUNCE_MS = 30
STEP_MS = 10
FINGERPRINT_BYTES = 1024 * 1024  # files up to this size count by their content, larger ones by size and time


@dataclass(slots=True)
class Outcome:
    """One build of one deck: its result when it was written, and the lines of its errors."""

    result: BuildResult | None
    errors: list[str] = field(default_factory=list)


Build = Callable[[Path], Outcome]


@dataclass(slots=True)
class WatchedDeck:
    path: Path
    files: set[Path] = field(default_factory=set)
    folders: set[Path] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def update(self, outcome: Outcome) -> None:
        self.errors = outcome.errors
        if outcome.result is not None:
            self.files, self.folders = deck_inputs(outcome.result.deck)
        self.files.add(self.path)
        self.folders.add(self.path.parent)

    def uses(self, changed: Path) -> bool:
        return changed in self.files or any(changed.is_relative_to(folder) for folder in self.folders)


@dataclass(slots=True)
class Preview:
    decks: list[WatchedDeck]
    out_root: Path
    build: Build
    live: LiveState = field(default_factory=LiveState)
    shown: str = ""  # the fingerprint of what the open pages show
    editor_files: watchfiles.DefaultFilter = field(default_factory=watchfiles.DefaultFilter)

    def build_all(self, decks: Iterable[WatchedDeck]) -> None:
        """Build the decks; the open pages reload only when a deck or its errors came out different (an
        editor that writes a file twice, or a save without a change, costs no reload)."""
        for deck in decks:
            try:
                outcome = self.build(deck.path)
            except Exception as exc:  # whatever a rebuild raises, the server goes on serving the last good deck
                outcome = Outcome(None, [f"{deck.path}: error: internal error: {type(exc).__name__}: {exc}"])
            deck.update(outcome)
        errors = [line for deck in self.decks for line in deck.errors]
        shown = self.fingerprint(errors)
        if shown != self.shown:
            self.shown = shown
            self.live.publish(errors)

    def fingerprint(self, errors: list[str]) -> str:
        """What the pages would show: every file of the decks' folders (small ones by content, large ones,
        copied with their time stamps, by size and time) and the errors."""
        digest = hashlib.sha256("\n".join(errors).encode("utf-8"))
        for deck in self.decks:
            folder = self.out_root / deck.path.stem
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                try:
                    stat = path.stat()
                    if not path.is_file():
                        continue
                    digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape"))
                    small = stat.st_size <= FINGERPRINT_BYTES
                    digest.update(path.read_bytes() if small else f"{stat.st_size}:{stat.st_mtime_ns}".encode())
                except OSError:
                    digest.update(b"?")
        return digest.hexdigest()

    def written(self, path: Path) -> bool:
        """Whether ``path`` is something the build writes: a deck folder, its staging, the caches, the index."""
        if not path.is_relative_to(self.out_root):
            return False
        parts = path.relative_to(self.out_root).parts
        if not parts:
            return False
        stems = {deck.path.stem for deck in self.decks}
        first = parts[0]
        if first in stems or first in (".cache", "index.html"):
            return True
        return any(first.startswith(f".{stem}.") for stem in stems)  # staging and left-over folders

    def changed(self, paths: set[Path]) -> list[WatchedDeck]:
        return [deck for deck in self.decks if any(deck.uses(path) for path in paths)]

    def watch_roots(self) -> list[Path]:
        """Folders to watch, each on its own (not recursively, so a project's node_modules or .git
        costs nothing): the folders of the input files, and every folder inside templates/ and static/."""
        roots = {path.parent for deck in self.decks for path in deck.files}
        for deck in self.decks:
            for folder in deck.folders:
                roots.add(folder)
                roots.update(sub for sub in folder.rglob("*") if sub.is_dir())
        return sorted(root for root in roots if root.is_dir() and not self.written(root))

    def accepts(self, change: watchfiles.Change, path: str) -> bool:
        """Not editors' swap and backup files (watchfiles' own filter), not what the build writes."""
        return self.editor_files(change, path) and not self.written(Path(path).resolve())


def _say_remote(base: str, remote: RemoteState, say: Callable[[str], None]) -> None:
    """The remote's and the follow page's addresses, each with its QR code for a phone's camera."""
    for what, name, token in (("remote (open it on your phone)", "remote", remote.remote_token),
                              ("follow page (for the audience)", "follow", remote.follow_token)):  # fmt: skip
        url = f"{base}/__mystdeck__/{name}?t={token}"
        say(f"{what}: {url}")
        say(qr_code(url).rstrip("\n"))
    say("open the deck on this machine (127.0.0.1) to present: the remote moves it, the follow page follows it")


def run_preview(
    files: list[Path], out_root: Path, build: Build, host: str, port: int | None, open_page: bool,
    say: Callable[[str], None], remote: RemoteState | None = None,
) -> None:  # fmt: skip
    """Serve until Ctrl-C; every saved input rebuilds the decks that use it."""
    preview = Preview([WatchedDeck(path.resolve()) for path in files], out_root.resolve(), build)
    preview.build_all(preview.decks)
    names = [deck.path.stem for deck in preview.decks]
    server = start_server(out_root, host, port, preview.live, names, remote)
    shown_host = f"[{host}]" if ":" in host else host
    base = f"http://{shown_host}:{server.server_address[1]}"
    try:
        for deck in preview.decks:
            say(f"serving {base}/{quote(deck.path.stem)}/")
        if remote is not None:
            _say_remote(base, remote, say)
        say("watching for changes; Ctrl-C stops")
        if open_page:
            webbrowser.open(f"{base}/{quote(preview.decks[0].path.stem)}/")
        for changes in watchfiles.watch(
            *preview.watch_roots(), watch_filter=preview.accepts, debounce=DEBOUNCE_MS, step=STEP_MS,
            raise_interrupt=True, recursive=False,
        ):  # fmt: skip
            decks = preview.changed({Path(path).resolve() for _change, path in changes})
            if decks:
                preview.build_all(decks)
    except KeyboardInterrupt:
        say("stopped")
    finally:
        stop_server(server)
