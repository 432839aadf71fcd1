"""Command line: arguments, exit codes (0 ok, 1 errors, 2 usage); the only place that prints."""

from __future__ import annotations

import argparse
import contextlib
import gc
import re
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from mystdeck import __version__
from mystdeck.browser import HeadlessBrowser, find_browser
from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.lang import STARTER
from mystdeck.model import BuildResult
from mystdeck.pdf import HANDOUT_SIZES
from mystdeck.pipeline import Options, Resources, build_deck, make_resources, write_index
from mystdeck.starter import StarterError, default_language, write_starter

EPILOG = """\
examples:
  {prog} new vortrag --lang de   start a project: slides/vortrag.md, references.bib, images/
  {prog}                         build every slides/*.md and *.ipynb into _build/<name>/
  {prog} talk.md --out site      build one deck into site/talk/
  {prog} --strict                treat every warning as an error
  {prog} --serve                 build, serve on http://127.0.0.1:8000/ and rebuild on save
  {prog} --check                 report every problem of every deck, write nothing

Each deck is written to a temporary folder first and swapped into place only when the build
succeeds, so a failed build leaves the last good deck untouched. Open <out>/<name>/index.html in
a browser: F fullscreen, S speaker view, O overview, Esc leaves either.

exit codes: 0 built (warnings allowed), 1 errors, 2 wrong usage.
"""


def program_name(argv0: str | None = None) -> str:
    """How the command was called, for its help: ``python build.py``, ``python -m mystdeck`` or ``mystdeck``."""
    name = re.split(r"[\\/]", sys.argv[0] if argv0 is None else argv0)[-1]  # a Windows path too
    if name == "build.py":
        return "python build.py"
    if name == "__main__.py":
        return "python -m mystdeck"
    return name.removesuffix(".exe") or "mystdeck"


def parse_args(argv: list[str] | None, prog: str = "mystdeck") -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Turn talks written in MyST markdown into reveal.js slide decks that present offline.",
        epilog=EPILOG.replace("{prog}", prog.ljust(len("python build.py"))),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE.md",
        help="decks to build, MyST markdown or Jupyter notebooks (default: every slides/*.md and slides/*.ipynb "
        "in the current folder)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("_build"),
        metavar="DIR",
        help="output folder; each deck goes to DIR/<name>/ (default: _build)",
    )
    parser.add_argument("--strict", action="store_true", help="turn every warning into an error (exit 1)")
    pdf = parser.add_mutually_exclusive_group()
    pdf.add_argument(
        "--pdf",
        action="store_true",
        default=None,
        help="write <name>.pdf beside the deck; fail when no browser is found (default: when one is)",
    )
    pdf.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the PDF")
    parser.add_argument(
        "--pdf-notes",
        action="store_true",
        help="also write <name>-notes.pdf, the presenter's handout: each slide on A4 with its notes below",
    )
    parser.add_argument(
        "--pdf-handout",
        type=int,
        choices=HANDOUT_SIZES,
        metavar="N",
        help="also write <name>-handout.pdf for the audience: N slides (2, 3, 4 or 6) to an A4 page, "
        "with lines for notes beside them when N is 3",
    )
    parser.add_argument(
        "--png", action="store_true", help="also write <name>-png/01.png … (1920 by 1080) and <name>-preview.png"
    )
    parser.add_argument(
        "--pptx",
        action="store_true",
        help="also write <name>.pptx: a picture a slide, with titles and notes (needs pip install 'mystdeck[pptx]')",
    )
    parser.add_argument(
        "--drawings",
        type=Path,
        metavar="FILE",
        help="also write <name>-annotated.pdf: the audience PDF with the strokes drawn in the deck (its D key "
        "downloads them as <name>-drawings.json)",
    )
    parser.add_argument(
        "--pdf-fragments",
        action="store_true",
        help="in <name>.pdf, a page for every step of the step-by-step reveals (default: each slide's last step)",
    )
    parser.add_argument(
        "--browser",
        metavar="PATH",
        help="Chromium/Chrome for the PDF and the diagrams (default: $MYSTDECK_BROWSER, Playwright's own, "
        "then chromium, chromium-browser, google-chrome, google-chrome-stable, msedge on PATH; "
        "nothing is ever downloaded)",
    )
    parser.add_argument(
        "--execute",
        action="store_true",
        help="run the decks' code cells in a Jupyter kernel and show their outputs, as 'execute: true' in a "
        "deck's front matter does (needs: pip install 'mystdeck[execute]')",
    )
    parser.add_argument(
        "--self-contained",
        action="store_true",
        help="also write <name>.html, the whole deck in one file (scripts, styles, fonts, images) for e-mail",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--serve", action="store_true", help="serve the decks, rebuild on every save and reload the open pages"
    )
    mode.add_argument(
        "--present",
        action="store_true",
        help="serve on the local network with a phone remote and a follow page for the audience (see --remote)",
    )
    mode.add_argument(
        "--check", action="store_true", help="build everything, print every warning, write nothing; exit 1 if any"
    )
    parser.add_argument(
        "--port", type=_port, help="with --serve: the port, 1 to 65535 (default: the first free from 8000 on)"
    )
    parser.add_argument(
        "--host",
        default=None,
        help="with --serve: the address to listen on (default: 127.0.0.1; with --present "
        "this machine's address on the local network)",
    )
    parser.add_argument(
        "--remote", action="store_true", help="with --serve: also the phone remote and the follow page (tokens)"
    )
    parser.add_argument("--open", action="store_true", help="with --serve: open the first deck in a web browser")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    parser.add_argument("--version", action="version", version=f"mystdeck {__version__}")
    return parser.parse_args(argv)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: give a number from 1 to 65535")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    prog = program_name()
    if argv[:1] == ["new"]:
        return new_project(argv[1:], prog)
    args = parse_args(argv, prog)
    # A build makes many small objects (tokens) that live until it ends and rarely form cycles; the
    # collector's default thresholds would scan them again and again (about 15 % of a large build).
    gc.set_threshold(50_000, 20, 100)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # the last guard: a bug must still end with one clear line
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)", file=sys.stderr)
        return 1


def new_project(argv: list[str], prog: str) -> int:
    """``mystdeck new NAME [--lang de]``: a starter project in the current folder."""
    parser = argparse.ArgumentParser(
        prog=f"{prog} new",
        description="Write a starter project: slides/NAME.md, references.bib, images/ and a .gitignore.",
    )
    parser.add_argument("name", metavar="NAME", help="the deck's name: slides/NAME.md")
    default = default_language()
    parser.add_argument(
        "--lang", choices=sorted(STARTER), default=default, help=f"the deck's language (default here: {default})"
    )
    parser.add_argument(
        "--notebook", action="store_true", help="write the deck as a Jupyter notebook: slides/NAME.ipynb"
    )
    parser.add_argument(
        "--brand", action="store_true", help="also write _brand.yml: colours, fonts and logo of a corporate design"
    )
    args = parser.parse_args(argv)
    try:
        written = write_starter(Path.cwd(), args.name, args.lang, args.notebook, args.brand)
    except StarterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write the project: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(Path.cwd())}")
    print(f"next: {prog} builds it into _build/{args.name}/ ({prog} --serve shows it as you write)")
    return 0


def lan_address() -> str:
    from mystdeck.remote import lan_address as found

    return found()


def _run(args: argparse.Namespace) -> int:
    reporter = Reporter(strict=args.strict, notes=args.check)
    console = Console(reporter)
    files = _deck_files(args, reporter)
    if not files:
        if not reporter.diagnostics:
            reporter.error(
                SourceLoc(Path("slides")), "no decks: put talks in slides/*.md (or *.ipynb) or name FILE.md", "no-input"
            )
        return console.finish()
    if args.present:  # the live preview, on the local network, with the remote and the follow page
        args.serve, args.remote = True, True
        args.host = args.host or lan_address()
    args.host = args.host or "127.0.0.1"
    if args.serve and args.pdf is None:
        args.pdf = False  # a PDF on every save would slow the preview down; --pdf asks for it
    browser = _find_browser(args, reporter)
    with contextlib.ExitStack() as cleanup:
        if browser is not None:
            cleanup.callback(browser.close)
        # --check builds into a folder that is gone afterwards: it writes nothing.
        out_root = Path(cleanup.enter_context(tempfile.TemporaryDirectory())) if args.check else args.out
        try:
            # --check reads the caches a build made, and writes none.
            res = make_resources(reporter, args.out / ".cache", browser, write_caches=not args.check)
        except BuildError:
            return console.finish()
        res.progress = console.progress
        res.execute = args.execute
        opts = Options(
            args.pdf is not False, args.pdf_notes, args.pdf_fragments, args.pdf_handout or 0, args.self_contained,
            args.check, args.drawings, args.png, args.pptx,
        )  # fmt: skip
        cleanup.enter_context(Watchdog(res, console.say))
        if args.serve:
            return _serve(args, files, opts, res, reporter, console)
        for path in files:
            _build_one(path, out_root, opts, res, reporter, console, args.debug)
    if args.check:
        return _check_verdict(reporter, console)
    if len(files) > 1:
        _write_index(args.out, files, res, reporter, console)
    return console.finish()


def _deck_files(args: argparse.Namespace, reporter: Reporter) -> list[Path]:
    """The decks to build; a file whose name cannot make a deck folder, or makes the same one as an
    earlier file, is an error and is left out."""
    found = [*Path("slides").glob("*.md"), *Path("slides").glob("*.ipynb")]
    files: list[Path] = args.files or sorted(found)
    taken: dict[str, Path] = {}
    kept = []
    for path in files:
        stem = path.stem
        if not stem or stem.startswith(".") or stem != stem.strip():
            reporter.error(
                SourceLoc(path), f"the deck folder would be named '{stem}': give the file a plain name", "no-input"
            )
            continue
        other = taken.setdefault(stem.casefold(), path)
        if other is not path:
            reporter.error(
                SourceLoc(path),
                f"{other} of this build also goes to {args.out / stem}/: rename one of them, or build them apart",
                "no-input",
            )
            continue
        kept.append(path)
    return kept


def _serve(
    args: argparse.Namespace, files: list[Path], opts: Options, res: Resources, reporter: Reporter, console: Console
) -> int:
    # Only --serve pays for the server and the file watcher.
    from mystdeck.preview import Outcome, run_preview
    from mystdeck.remote import RemoteState

    def build(path: Path) -> Outcome:
        start = len(reporter.diagnostics)
        result = _build_one(path, args.out, opts, res, reporter, console, args.debug)
        errors = [str(d) for d in reporter.in_order(start) if d.severity == "error"]
        return Outcome(result, errors)

    if not _is_loopback(args.host):
        console.say(
            f"warning: listening on {args.host}: the decks (and everything in {args.out}) can be read by anyone "
            "who can reach this machine over the network",
            error=True,
        )
    remote = RemoteState() if args.remote else None
    try:
        run_preview(files, args.out, build, args.host, args.port, args.open, console.say, remote)
    except OSError as exc:
        console.say(f"error: cannot serve on {args.host}:{args.port or 8000}: {exc.strerror}", error=True)
        return 1
    return 0


def _check_verdict(reporter: Reporter, console: Console) -> int:
    console.flush()
    count = sum(1 for d in reporter.diagnostics if d.severity != "note")
    notes = len(reporter.diagnostics) - count
    said = f"{count} problem{'s' if count != 1 else ''} found" if count else "no problems found"
    console.say(said + (f" ({notes} note{'s' if notes != 1 else ''}: left out on purpose)" if notes else ""))
    return 1 if count else 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        import ipaddress

        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _write_index(out_root: Path, files: list[Path], res: Resources, reporter: Reporter, console: Console) -> None:
    try:
        count = write_index(out_root, files, res, reporter)
    except BuildError:
        console.flush()
        return
    if count:
        console.say(f"built {out_root / 'index.html'} (the list of {count} decks)")


def _find_browser(args: argparse.Namespace, reporter: Reporter) -> HeadlessBrowser | None:
    found = find_browser(args.browser)
    if found.path is not None:
        return HeadlessBrowser(found.path)
    if args.pdf is False or args.check:
        return None  # diagrams are then drawn by the page itself; nothing else needs a browser
    report = reporter.error if args.pdf else reporter.warning
    report(
        None,
        f"PDF skipped: {found.how}; install Chromium (apt-get install chromium) or name one with --browser PATH "
        "(diagrams are drawn by the page instead)",
        "browser-missing",
    )
    return None


def _build_one(
    path: Path,
    out_root: Path,
    opts: Options,
    res: Resources,
    reporter: Reporter,
    console: Console,
    debug: bool = False,
) -> BuildResult | None:
    try:
        result = build_deck(path, out_root / path.stem, opts, res, reporter)
    except Exception as exc:  # a bug must cost this deck only, with one clear line, never the others
        if not isinstance(exc, BuildError):
            if debug:
                traceback.print_exc()
            reporter.error(
                SourceLoc(path),
                f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)",
                "internal-error",
            )
        console.flush()
        if not opts.check:
            console.say(f"{path}: not built; the last good output, if any, is unchanged", error=True)
        return None
    console.flush()
    if opts.check:
        return result
    console.say(f"built {result.out_dir / 'index.html'} ({result.slide_count} slides, {result.notes_count} with notes)")
    for extra in result.extras:
        console.say(f"built {extra}")
    return result


class Watchdog:
    """Says which step a deck is in when one takes long, so a build never just sits there silently."""

    first_notice = 15.0  # seconds
    interval = 1.0

    def __init__(self, res: Resources, say: Callable[..., None]) -> None:
        self.res, self.say = res, say
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="mystdeck-watchdog", daemon=True)

    def __enter__(self) -> Watchdog:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _watch(self) -> None:
        told: tuple[Path, str, float] | None = None
        notice = self.first_notice
        while not self.stopped.wait(self.interval):
            current = self.res.current
            if current != told:
                told, notice = None, self.first_notice
            if current is None:
                continue
            path, step, since = current
            waited = time.monotonic() - since
            if waited >= notice:
                self.say(f"{path}: still at step '{step}' after {waited:.0f} s (Ctrl-C stops)", error=True)
                told, notice = current, notice * 2


class Console:
    """Prints each diagnostic once, as soon as it is known, and the closing verdict."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.printed = 0

    def flush(self) -> None:
        for diagnostic in self.reporter.in_order(self.printed):
            print(diagnostic, file=sys.stderr, flush=True)
        self.printed = len(self.reporter.diagnostics)

    def say(self, line: str, error: bool = False) -> None:
        print(line, file=sys.stderr if error else sys.stdout, flush=True)

    def progress(self, done: int, total: int) -> None:
        """The PDF's progress: one line rewritten in place on a terminal, a line per step elsewhere."""
        if sys.stderr.isatty():
            end = "\n" if done == total else ""
            print(f"\rPDF: {done}/{total} pages", end=end, file=sys.stderr, flush=True)
        elif done == total:  # a log gets the result only, not every step
            print(f"PDF: {done}/{total} pages", file=sys.stderr)

    def finish(self) -> int:
        self.flush()
        return 1 if self.reporter.error_count else 0
