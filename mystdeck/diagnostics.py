"""Messages: source locations, diagnostics with stable codes, and the reporter every stage writes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Every warning and error code, with the one line that explains it.
CODES: dict[str, str] = {
    "bad-encoding": "the file is not UTF-8 text",
    "empty-file": "the file holds no slides",
    "bad-front-matter": "the YAML front matter cannot be read or has a wrong value",
    "unknown-key": "a front-matter key that mystdeck does not use",
    "bad-brand": "a brand file (_brand.yml or brand:) that cannot be read, or a value in it that is not usable",
    "image-alt": "an image without alternative text (no :alt:, caption or text in ![…]) and not marked decorative",
    "brand-unused": "a part of a brand that slides do not use (a colour role, a font size)",
    "brand-font": "a brand font that cannot be carried: a missing or unknown file, or one to be downloaded",
    "brand-contrast": "two colours of the brand that a slide shows together, below WCAG AA contrast",
    "unclosed-fence": "a ``` or ::: fence is never closed",
    "bad-directive": "a directive's argument, options or body do not fit what it takes",
    "bad-notebook": "a .ipynb file that nbformat cannot read",
    "execute-error": "a code cell raised, ran too long, or the kernel could not run the cells",
    "output-html": "a notebook output held something a slide does not run (a script, an event handler)",
    "unknown-directive": "a directive name that mystdeck does not know",
    "unknown-role": "a role name that mystdeck does not know",
    "bad-include": "an {include}d file cannot be read, includes itself, or lies outside the project",
    "unknown-label": "a cross-reference names a label that no slide, figure, table or equation has",
    "outside-deck": "a cross-reference to a page of the book outside the deck, shown as plain text (a note of --check)",
    "bad-drawings": "a drawings file (--drawings) that cannot be read, or strokes that do not fit the deck",
    "left-out": "a directive that has no meaning on a slide, left out (a note of --check)",
    "empty-agenda": "an agenda without sections to list, or one repeated before too many sections",
    "bad-role": "a role's text does not fit what it takes",
    "image-missing": "an image or video file does not exist",
    "bad-attribute": "a slide's attribute line cannot be read, or has an unknown key or a refused value",
    "bib-missing": "the bibliography file does not exist",
    "bib-error": "the bibliography file cannot be parsed",
    "cite-missing": "a cited key is not in the bibliography",
    "bad-style": "a pybtex style name that is not installed",
    "code-language": "a code block in a language the highlighter does not know (shown plain)",
    "diagram-error": "mermaid cannot draw a diagram",
    "frontend-missing": "the front-end libraries (npm ci) are not installed",
    "template-error": "a Jinja template cannot be rendered",
    "output-error": "the output folder cannot be written",
    "browser-missing": "no Chromium or Chrome was found for diagrams and the PDF",
    "pdf-error": "the PDF could not be made",
    "slide-overflow": "a slide's content does not fit on its page",
    "no-input": "there is no deck to build",
    "remote-blocked": "a remote file the build's offline browser did not fetch, so the PDF lacks it",
    "internal-error": "mystdeck itself failed on this deck (a bug: please report it with --debug's output)",
}


@dataclass(slots=True, frozen=True)
class SourceLoc:
    """A 1-based line in a source file."""

    path: Path
    line: int = 0

    def __str__(self) -> str:
        shown = _shown_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(slots=True, frozen=True)
class Diagnostic:
    severity: str  # "warning", "error", or "note" (only --check prints notes)
    loc: SourceLoc | None
    message: str
    code: str

    def __str__(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        return printable(f"{where}{self.severity}: {self.message} [{self.code}]")


# Control characters (a .bib is third-party text) would reach the terminal as escape sequences.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if c != 0x09}


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as ``\\xNN``."""
    return text.translate(_CONTROLS)


class BuildError(Exception):
    """A problem that stops the build of one deck; the diagnostic is already reported."""


@dataclass(slots=True)
class Reporter:
    """Collects diagnostics; ``strict`` turns every warning into an error here and nowhere else. Notes (what
    has no meaning on a slide and is left out on purpose) are kept only when ``notes`` asks (``--check``)."""

    strict: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: bool = False

    def note(self, loc: SourceLoc | None, message: str, code: str) -> None:
        if self.notes:
            self._add("note", loc, message, code)

    def warning(self, loc: SourceLoc | None, message: str, code: str) -> None:
        self._add("error" if self.strict else "warning", loc, message, code)

    def error(self, loc: SourceLoc | None, message: str, code: str) -> None:
        self._add("error", loc, message, code)

    def fatal(self, loc: SourceLoc | None, message: str, code: str) -> BuildError:
        """Report an error and return the exception that stops the deck's build."""
        self.error(loc, message, code)
        return BuildError(message)

    def _add(self, severity: str, loc: SourceLoc | None, message: str, code: str) -> None:
        assert code in CODES, code
        self.diagnostics.append(Diagnostic(severity, loc, message, code))

    def in_order(self, start: int = 0) -> list[Diagnostic]:
        """The diagnostics from ``start`` on, by file and line (rules run in their own order)."""
        return sorted(self.diagnostics[start:], key=lambda d: (str(d.loc.path), d.loc.line) if d.loc else ("", 0))

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")


def token_line(token: object) -> int:
    """The 1-based line of a markdown-it token; the one place its 0-based ``map`` is read."""
    line_map = getattr(token, "map", None)
    return line_map[0] + 1 if line_map else 0
