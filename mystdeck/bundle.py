"""Bundle stage: a written deck folder in, one HTML file with every script, style, font and image inlined.

The deck page is mystdeck's own, so its references have a known form: ``<script src>``,
``<link rel="stylesheet" href>``, ``<img src>``, a slide's ``data-background-image`` and ``url(…)``
inside the stylesheets. Videos (``<video>``, ``data-background-video``) stay files beside it: inlined
they would make the page too large to open.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path, PurePosixPath

_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
_STYLE = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
_IMG = re.compile(r'(<img src="|data-background-image=")([^"]+)(")')
_CSS_URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")
_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".svg": "image/svg+xml"}


def bundle_deck(deck_dir: Path) -> str:
    html = (deck_dir / "index.html").read_text(encoding="utf-8")
    html = _SCRIPT.sub(lambda m: _inline_script(deck_dir, m.group(1)), html)
    html = _STYLE.sub(lambda m: _inline_style(deck_dir, m.group(1)), html)
    return _IMG.sub(lambda m: m.group(1) + _data_uri(deck_dir, m.group(2)) + m.group(3), html)


def _local(deck_dir: Path, reference: str) -> Path | None:
    if re.match(r"^([a-z][a-z0-9+.-]*:|//|#)", reference, re.IGNORECASE):
        return None
    path = deck_dir.joinpath(*PurePosixPath(reference.split("#")[0].split("?")[0]).parts)
    return path if path.is_file() else None


def _inline_script(deck_dir: Path, src: str) -> str:
    path = _local(deck_dir, src)
    if path is None:
        return f'<script src="{src}"></script>'
    code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"<script>{code}</script>"


def _inline_style(deck_dir: Path, href: str) -> str:
    path = _local(deck_dir, href)
    if path is None:
        return f'<link rel="stylesheet" href="{href}">'
    css = path.read_text(encoding="utf-8")
    folder = path.parent

    def inline_url(match: re.Match[str]) -> str:
        target = _local(folder, match.group(2))
        return f'url("{_data_uri(folder, match.group(2))}")' if target else match.group(0)

    inlined = _CSS_URL.sub(inline_url, css).replace("</style", "<\\/style")
    return f"<style>{inlined}</style>"


def _data_uri(folder: Path, reference: str) -> str:
    path = _local(folder, reference)
    if path is None:
        return reference
    kind = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
