"""Browser stage helper: find an installed Chromium/Chrome and share one headless browser per build.

Nothing is ever downloaded. The browser is found in this order: ``--browser PATH``, the
``MYSTDECK_BROWSER`` environment variable, a browser Playwright itself manages (``playwright install
chromium``), ``chromium``, ``chromium-browser``, ``google-chrome``, ``google-chrome-stable`` and ``msedge``
on PATH, then Chrome, Chromium and Edge where their installers put them on macOS and Windows.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_VAR = "MYSTDECK_BROWSER"
PATH_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge")
# Quiet, offline-friendly flags: no update checks, no sync, no first-run UI.
LAUNCH_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--font-render-hinting=none",
]


@dataclass(slots=True, frozen=True)
class Found:
    path: Path | None
    how: str  # which step found it, or why none was


def find_browser(explicit: str | None, environ: dict[str, str] | None = None) -> Found:
    environ = dict(os.environ) if environ is None else environ
    if explicit:
        return _checked(Path(explicit), "--browser")
    if environ.get(ENV_VAR):
        return _checked(Path(environ[ENV_VAR]), ENV_VAR)
    managed = _playwright_managed(environ)
    if managed is not None:
        return Found(managed, "Playwright's own browser")
    for name in PATH_NAMES:
        hit = shutil.which(name, path=environ.get("PATH"))
        if hit:
            return Found(Path(hit), f"'{name}' on PATH")
    for path in installed_paths(environ):
        if path.is_file() and os.access(path, os.X_OK):
            return Found(path, f"installed at {path}")
    return Found(
        None,
        "no Chromium or Chrome found (looked at --browser, $MYSTDECK_BROWSER, Playwright's browsers, "
        + ", ".join(PATH_NAMES)
        + " on PATH, and where Chrome, Chromium and Edge install on macOS and Windows)",
    )


_MAC_APPS = ("Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium",
             "Microsoft Edge.app/Contents/MacOS/Microsoft Edge")  # fmt: skip
_WINDOWS_APPS = ("Google/Chrome/Application/chrome.exe", "Chromium/Application/chrome.exe",
                 "Microsoft/Edge/Application/msedge.exe")  # fmt: skip


def installed_paths(environ: dict[str, str]) -> list[Path]:
    """Where Chrome, Chromium and Edge install themselves on macOS (for everyone, then for the user) and
    on Windows (Program Files, then the user's own programs)."""
    paths = [Path("/Applications", app) for app in _MAC_APPS]
    if environ.get("HOME"):
        paths += [Path(environ["HOME"], "Applications", app) for app in _MAC_APPS]
    for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
        folder = next((value for key, value in environ.items() if key.upper() == variable and value), None)
        if folder:
            paths += [Path(folder, app) for app in _WINDOWS_APPS]
    return paths


def _checked(path: Path, how: str) -> Found:
    if path.is_file() and os.access(path, os.X_OK):
        return Found(path, how)
    return Found(None, f"{how} names {path}, which is not an executable file")


def _playwright_managed(environ: dict[str, str]) -> Path | None:
    """The Chromium Playwright installed for itself, if any; looked up on disk, never downloaded."""
    if environ.get("PLAYWRIGHT_BROWSERS_PATH") == "0":
        return None
    bases = (
        [environ["PLAYWRIGHT_BROWSERS_PATH"]]
        if environ.get("PLAYWRIGHT_BROWSERS_PATH")
        else [
            str(Path.home() / ".cache" / "ms-playwright"),  # Linux
            str(Path.home() / "Library" / "Caches" / "ms-playwright"),  # macOS
            *([str(Path(environ["LOCALAPPDATA"], "ms-playwright"))] if environ.get("LOCALAPPDATA") else []),  # Windows
        ]
    )
    candidates: list[Path] = []
    for base in bases:
        for pattern in _PLAYWRIGHT_BROWSERS:
            candidates += sorted(Path(base).glob(pattern), reverse=True)
    return next((c for c in candidates if os.access(c, os.X_OK)), None)


# Playwright's Chromium and its headless shell, on Linux, macOS and Windows.
_PLAYWRIGHT_BROWSERS = (
    "chromium-*/chrome-linux*/chrome",
    "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
    "chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
    "chromium-*/chrome-win*/chrome.exe",
    "chromium_headless_shell-*/chrome-*/headless_shell",
    "chromium_headless_shell-*/chrome-*/headless_shell.exe",
)

PAGE_TIMEOUT_MS = 60_000  # no step of a page (loading, waiting for the deck, printing) may take longer


@dataclass(slots=True)
class HeadlessBrowser:
    """One headless browser for the whole build, started on first use and closed by the CLI.

    Its pages are offline: a request that would leave the machine fails at once instead of waiting
    for a host that may never answer, and its address is kept in ``blocked`` for a warning. A deck
    that shows remote images or frames therefore shows them live, but not in the PDF.
    """

    executable: Path
    blocked: list[str] = field(default_factory=list)
    _playwright: Any = None
    _browser: Any = None
    _failed: str | None = None
    _owned: bool = True
    _kept: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def borrowing(cls, browser: Any, executable: Path) -> HeadlessBrowser:
        """Use a Playwright browser someone else started and closes (the test suite's shared one)."""
        return cls(executable, _browser=browser, _owned=False)

    def _launched(self) -> Any:
        if self._failed is not None:
            raise RuntimeError(self._failed)  # it did not start before: no second wait for the same failure
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=str(self.executable), args=LAUNCH_ARGS, headless=True
                )
            except Exception as exc:
                self._failed = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                self.close()
                raise
        return self._browser

    def new_page(self, **options: Any) -> Any:
        page = self._launched().new_page(offline=True, **options)
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.on("requestfailed", lambda request: self._note_blocked(request))
        return page

    def kept_page(self, name: str, prepare: Callable[[Any], None]) -> Any:
        """A page kept open for the life of the browser, prepared once (mermaid loaded, for example),
        so that later uses in the same build or preview skip that cost."""
        page = self._kept.get(name)
        if page is None or page.is_closed():
            page = self.new_page()
            prepare(page)
            self._kept[name] = page
        return page

    def print_page(self) -> Any:
        """The page every print of the build uses in turn (each a fresh load of its deck): opening a page
        costs more than printing a small deck. Closed when it failed; the next print opens another."""
        page = self._kept.get("\0print")
        if page is None or page.is_closed():
            page = self._kept["\0print"] = self.new_page()
        return page

    def _note_blocked(self, request: Any) -> None:
        if "INTERNET_DISCONNECTED" in (request.failure or ""):
            self.blocked.append(request.url)

    def close(self) -> None:
        if not self._owned:
            return  # a borrowed browser and its pages stay open for the one who lent it
        self._kept.clear()  # closing the browser closes its pages
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser = self._playwright = None
