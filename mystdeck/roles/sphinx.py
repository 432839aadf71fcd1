"""Roles (parse stage), Sphinx's and docutils' inline semantics as a reader of the docs expects them on a slide:
``{code}``, ``{literal}``, ``{emphasis}``, ``{strong}``, ``{title-reference}``, ``{samp}`` and ``{file}`` (with
``{placeholders}`` in italics), ``{guilabel}``, ``{menuselection}`` (A ▸ B), ``{command}``, ``{program}``,
``{envvar}``, ``{dfn}``, ``{mimetype}``, ``{regexp}``, ``{makevar}``, ``{option}``; PEP and RFC links; the
Python and other domains' object roles (``{py:func}``, ``{class}``, …) shown as code, as Sphinx shows them
without their target; ``{index}`` shows its text and nothing else; mystmd's ``{si}`` units.
"""

from __future__ import annotations

import datetime
import re
from pathlib import PurePosixPath

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from mystdeck.lang import format_date
from mystdeck.model import CodeBlock, ImageUse, RenderContext
from mystdeck.roles.registry import Render, RoleCall, role

_TITLED = re.compile(r"(.*?)\s*<([^<>]+)>\s*", re.DOTALL)


def _wrap(open_tag: str, close_tag: str) -> Render:
    return lambda token, ctx: f"{open_tag}{escapeHtml(token.content)}{close_tag}"


def _gather_code(call: RoleCall) -> bool:
    """``{code}`` in a language (``{role} python(code)`` with ``:language: python``) is coloured like a block."""
    language = str(call.token.meta.get("language", "")).strip()
    if language:
        block = CodeBlock(call.state.loc(call.line), language, call.token.content)
        call.token.meta["code"] = block
        call.state.parsed.code.append(block)
    return True


def _code(token: Token, ctx: RenderContext) -> str:
    block = token.meta.get("code")
    if isinstance(block, CodeBlock) and block.lines and block.known:
        language = escapeHtml(block.language)
        return f'<code class="deck-highlight language-{language}">{"".join(block.lines)}</code>'
    return f"<code>{escapeHtml(token.content)}</code>"


def _gather_raw(call: RoleCall) -> bool:
    """``{role} html(raw)`` with ``:format: html``: the author's HTML, as a {raw} block; other formats are left out."""
    form = str(call.token.meta.get("format", "")).strip()
    if form != "html":
        call.warn(f"{{{call.token.meta.get('alias') or call.name}}}: a slide shows only raw 'html', not "
                  f"'{form or 'no format'}'; left out", "unknown-role")  # fmt: skip
        call.token.meta["drop"] = True
    return True


def _raw(token: Token, ctx: RenderContext) -> str:
    return "" if token.meta.get("drop") else str(token.content)


def _placeholders(token: Token, ctx: RenderContext, css: str) -> str:
    r"""``{samp}`print({x})``` → print(<em>x</em>); ``\{`` and ``\}`` are braces."""
    html, text = [], token.content.replace("\\{", "\0").replace("\\}", "\1")
    for index, part in enumerate(re.split(r"\{([^{}]*)\}", text)):
        shown = escapeHtml(part.replace("\0", "{").replace("\1", "}"))
        html.append(f"<em>{shown}</em>" if index % 2 else shown)
    return f'<code class="{css}">{"".join(html)}</code>'


def _guilabel_html(text: str) -> str:
    """A label of a program's window; ``&`` marks the access key (underlined), ``&&`` is an ampersand."""
    parts = escapeHtml(text).split("&amp;&amp;")
    marked = [re.sub(r"&amp;(.)", r'<span class="deck-accelerator">\1</span>', part) for part in parts]
    return "&amp;".join(marked)


def _guilabel(token: Token, ctx: RenderContext) -> str:
    return f'<span class="deck-guilabel">{_guilabel_html(token.content)}</span>'


def _menuselection(token: Token, ctx: RenderContext) -> str:
    steps = [_guilabel_html(step.strip()) for step in token.content.split("-->")]
    return f'<span class="deck-menuselection">{" ▸ ".join(steps)}</span>'


def _titled(token: Token) -> str:
    """What a role with ``title <target>`` shows: the title; else the text, ``~a.b.c`` as ``c``, ``!x`` as ``x``."""
    match = _TITLED.fullmatch(token.content)
    if match and match.group(1):
        return match.group(1)
    text = token.content.strip().lstrip("!")
    return text.split(".")[-1] if text.startswith("~") else text


def _object(token: Token, ctx: RenderContext) -> str:
    return f'<code class="deck-object">{escapeHtml(_titled(token).lstrip("~"))}</code>'


def _index(token: Token, ctx: RenderContext) -> str:
    """``{index}`` shows its text (``loop <single: loop>`` shows "loop"); the entry has no place on a slide."""
    match = _TITLED.fullmatch(token.content)
    text = match.group(1) if match else re.sub(r"^(single|pair|triple|see|seealso)\s*:\s*", "", token.content)
    return escapeHtml(text.lstrip("!"))


def _pep(token: Token, ctx: RenderContext) -> str:
    title, number, anchor = _numbered(token)
    href = f"https://peps.python.org/pep-{int(number):04d}/{anchor}" if number else ""
    return _link(href, title or f"PEP {number}", token)


def _rfc(token: Token, ctx: RenderContext) -> str:
    title, number, anchor = _numbered(token)
    href = f"https://datatracker.ietf.org/doc/html/rfc{int(number)}.html{anchor}" if number else ""
    return _link(href, title or f"RFC {number}", token)


def _numbered(token: Token) -> tuple[str, str, str]:
    """``8``, ``8#id`` or ``Style Guide <8#id>`` → (title, number, #anchor)."""
    match = _TITLED.fullmatch(token.content)
    title, target = (match.group(1), match.group(2)) if match else ("", token.content)
    number, _, anchor = target.strip().partition("#")
    return title, number if number.isdigit() else "", f"#{anchor}" if anchor else ""


def _link(href: str, text: str, token: Token) -> str:
    if not href:
        return escapeHtml(token.content)
    return f'<a href="{escapeHtml(href)}">{escapeHtml(text)}</a>'


_SI_UNITS = {
    "metre": "m", "meter": "m", "second": "s", "kilogram": "kg", "gram": "g", "ampere": "A", "kelvin": "K",
    "mole": "mol", "candela": "cd", "hertz": "Hz", "newton": "N", "pascal": "Pa", "joule": "J", "watt": "W",
    "coulomb": "C", "volt": "V", "farad": "F", "ohm": "Ω", "siemens": "S", "weber": "Wb", "tesla": "T",
    "henry": "H", "degreeCelsius": "°C", "lumen": "lm", "lux": "lx", "becquerel": "Bq", "gray": "Gy",
    "sievert": "Sv", "katal": "kat", "litre": "L", "liter": "L", "minute": "min", "hour": "h", "day": "d",
    "percent": "%", "degree": "°", "electronvolt": "eV", "bit": "bit", "byte": "B", "tonne": "t", "bar": "bar",
    "decibel": "dB", "astronomicalunit": "au", "dalton": "Da", "angstrom": "Å",
    "arcminute": "\u2032", "arcsecond": "\u2033",
}  # fmt: skip
_SI_PREFIXES = {
    "yocto": "y", "zepto": "z", "atto": "a", "femto": "f", "pico": "p", "nano": "n", "micro": "µ", "milli": "m",
    "centi": "c", "deci": "d", "deca": "da", "hecto": "h", "kilo": "k", "mega": "M", "giga": "G", "tera": "T",
    "peta": "P", "exa": "E", "zetta": "Z", "yotta": "Y",
}  # fmt: skip


def si_text(value: str) -> str | None:
    r"""mystmd's ``{si}`100 <\kilo\metre\per\second>``` → "100 km/s"; None when it cannot be read."""
    match = _TITLED.fullmatch(value)
    if not match:
        return None
    units: list[str] = []
    prefix, per = "", False
    for name in re.findall(r"\\([A-Za-z]+)", match.group(2)):
        if name in _SI_PREFIXES:
            prefix = _SI_PREFIXES[name]
        elif name == "per":
            per = True
        elif name in ("squared", "cubed") and units:
            units[-1] += "²" if name == "squared" else "³"
        elif name in _SI_UNITS:
            units.append(("/" if per else "·" if units else "") + prefix + _SI_UNITS[name])
            prefix, per = "", False
        else:
            return None
    if not units or re.sub(r"(\\[A-Za-z]+|\s)", "", match.group(2)):
        return None
    unit = "".join(units)
    return f"{match.group(1)}\u202f{unit}" if unit not in ("%", "°") else f"{match.group(1)}{unit}"


def _gather_download(call: RoleCall) -> bool:
    """``{download}`slides.pdf``` or ``{download}`die Folien <slides.pdf>```: the file is copied into the deck."""
    match = _TITLED.fullmatch(call.token.content)
    text, src = (match.group(1), match.group(2).strip()) if match else ("", call.token.content.strip())
    if not src:
        call.warn("{download} needs a file, such as {download}`daten.csv`")
        return False
    call.token.meta.update(src=src, text=text or PurePosixPath(src).name)
    call.state.parsed.images.append(ImageUse(src, call.state.loc(call.line), "file"))
    return True


def _download(token: Token, ctx: RenderContext) -> str:
    ref = ctx.images.get(token.meta["src"])
    text = escapeHtml(token.meta["text"])
    if ref is None or ref.missing:
        return text
    return f'<a class="deck-download" href="{escapeHtml(ref.target)}" download>{text}</a>'


WORDS_PER_MINUTE = 200  # MyST-Parser's default reading speed


def _gather_sub_ref(call: RoleCall) -> bool:
    """MyST-Parser's ``{sub-ref}``: ``today`` (the deck's date, else the day it is built), ``wordcount-words``,
    ``wordcount-minutes``."""
    name = call.token.content.strip()
    if name == "today":
        call.token.meta["date"] = call.state.date or datetime.date.today().isoformat()
    elif name == "wordcount-words":
        call.token.meta["text"] = str(call.state.word_count)
    elif name == "wordcount-minutes":
        call.token.meta["text"] = str(max(1, round(call.state.word_count / WORDS_PER_MINUTE)))
    else:
        call.warn(f"{{sub-ref}} knows today, wordcount-words and wordcount-minutes, not '{name}'")
        return False
    return True


def _sub_ref(token: Token, ctx: RenderContext) -> str:
    if "date" in token.meta:
        return escapeHtml(format_date(token.meta["date"], ctx.lang))
    return escapeHtml(token.meta["text"])


def _nothing(token: Token, ctx: RenderContext) -> str:
    return ""


_ICON_ROLES = (
    *("octicon", "fa", "fas", "far", "fab"),
    *("material-regular", "material-outlined", "material-round", "material-sharp", "material-twotone"),
)


def _gather_icon(call: RoleCall) -> bool:
    """sphinx-design's icons come from icon fonts a deck does not carry: left out, noted once in --check."""
    if call.name not in call.state.noted:
        call.state.noted.add(call.name)
        call.state.reporter.note(call.state.loc(call.line), f"{{{call.name}}}: icons are not carried; left out",
                                 "left-out")  # fmt: skip
    return True


def _si(token: Token, ctx: RenderContext) -> str:
    return f'<span class="deck-si">{escapeHtml(token.meta["si"])}</span>'


def _gather_si(call: RoleCall) -> bool:
    shown = si_text(call.token.content)
    if shown is None:
        call.warn(f"{{si}} cannot read '{call.token.content}': write a number and units, such as 100 <\\kilo\\hertz>")
        return False
    call.token.meta["si"] = shown
    return True


# (names, example, summary, render); the first name is the one the README explains.
_TABLE: list[tuple[tuple[str, ...], str, str, Render]] = [
    (("literal",), "{literal}`--pdf`", "literal text, as code", _wrap("<code>", "</code>")),
    (("emphasis",), "{emphasis}`wichtig`", "emphasis", _wrap("<em>", "</em>")),
    (("strong",), "{strong}`sehr wichtig`", "strong emphasis", _wrap("<strong>", "</strong>")),
    (("title-reference", "title", "t"), "{title-reference}`Faust`", "the title of a work", _wrap("<cite>", "</cite>")),
    (("samp",), "{samp}`print({name})`", "code with {placeholders} in italics",
     lambda token, ctx: _placeholders(token, ctx, "deck-samp")),
    (("file",), "{file}`slides/{name}.md`", "a file name, {placeholders} in italics",
     lambda token, ctx: _placeholders(token, ctx, "deck-file")),
    (("guilabel",), "{guilabel}`&Speichern`", "a label of a program's window (& marks the access key)", _guilabel),
    (("menuselection",), "{menuselection}`Datei --> Speichern`", "a menu path: Datei ▸ Speichern", _menuselection),
    (("command",), "{command}`git status`", "a command", _wrap('<strong class="deck-command">', "</strong>")),
    (("program",), "{program}`mystdeck`", "a program", _wrap('<strong class="deck-program">', "</strong>")),
    (("envvar",), "{envvar}`LANG`", "an environment variable", _wrap('<code class="deck-envvar">', "</code>")),
    (("option",), "{option}`--pdf-notes`", "a command-line option", _wrap('<code class="deck-option">', "</code>")),
    (("dfn",), "{dfn}`Diffusion`", "a term being defined", _wrap("<dfn>", "</dfn>")),
    (("mimetype",), "{mimetype}`text/markdown`", "a media type", _wrap('<em class="deck-mimetype">', "</em>")),
    (("regexp",), "{regexp}`^\\d+$`", "a regular expression", _wrap('<code class="deck-regexp">', "</code>")),
    (("makevar",), "{makevar}`CFLAGS`", "a make variable", _wrap('<strong class="deck-makevar">', "</strong>")),
    (("pep", "pep-reference"), "{pep}`8`", "a link to the PEP: PEP 8", _pep),
    (("rfc", "rfc-reference"), "{rfc}`2324`", "a link to the RFC: RFC 2324", _rfc),
    (("index",), "{index}`Diffusion <single: Diffusion>`", "its text; the index entry has no place on a slide",
     _index),
]  # fmt: skip

# The object roles of Sphinx's domains (and of the Python domain without its prefix): the object's name as code.
_DOMAIN_ROLES = {
    "py": ("func", "meth", "class", "mod", "attr", "data", "const", "exc", "obj", "type", "property"),
    "c": ("func", "member", "macro", "data", "type", "struct", "union", "enum", "enumerator", "var", "expr"),
    "cpp": (
        "any",
        "class",
        "struct",
        "union",
        "func",
        "member",
        "var",
        "type",
        "concept",
        "enum",
        "enumerator",
        "expr",
        "texpr",
    ),
    "js": ("func", "meth", "class", "data", "attr", "mod"),
    "rst": ("dir", "role"),
    "std": ("envvar", "option", "token", "keyword"),
}

role("code", "{code}`x = 1`", "inline code (coloured in the language a {role} gives it)", _gather_code)(_code)
role("raw", "{raw}`<br>`", "raw HTML, in a role a {role} defines with :format: html", _gather_raw)(_raw)
for _names, _example, _summary, _render in _TABLE:
    for _index_of, _name in enumerate(_names):
        role(_name, _example.replace(f"{{{_names[0]}}}", f"{{{_name}}}"),
             _summary if _index_of == 0 else f"the same as {{{_names[0]}}}")(_render)  # fmt: skip
for _domain, _kinds in _DOMAIN_ROLES.items():
    for _kind in _kinds:
        _said = "an object of Sphinx's domains, as code (~ shortens, title <target>)"
        role(f"{_domain}:{_kind}", f"{{{_domain}:{_kind}}}`name`", _said)(_object)
for _kind in _DOMAIN_ROLES["py"]:  # Sphinx's default domain
    role(_kind, f"{{{_kind}}}`name`", f"the same as {{py:{_kind}}}")(_object)
for _kind in ("token", "keyword"):  # the standard domain's, without its prefix
    role(_kind, f"{{{_kind}}}`name`", f"the same as {{std:{_kind}}}")(_object)
role("si", "{si}`100 <\\kilo\\hertz>`", "a quantity with SI units: 100 kHz (mystmd)", _gather_si)(_si)
role("sub-ref", "{sub-ref}`wordcount-minutes`", "today's date, the deck's words or minutes of reading (MyST-Parser)",
     _gather_sub_ref)(_sub_ref)  # fmt: skip
for _icon in _ICON_ROLES:
    role(_icon, f"{{{_icon}}}`name`", "an icon of sphinx-design: left out (icon fonts are not carried)", _gather_icon)(
        _nothing
    )
role("download", "{download}`die Daten <daten.csv>`", "a link to a file, copied into the deck", _gather_download)(
    _download
)
