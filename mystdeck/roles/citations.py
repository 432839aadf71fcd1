"""Roles (parse stage), citations: the roles of sphinxcontrib-bibtex, generated from their grammar, and
mystdeck's and pandoc's ``[@key]`` and ``@key``. How a citation shows is the citations stage's."""

from __future__ import annotations

import re

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from mystdeck.model import Cite, CiteForm, RenderContext
from mystdeck.roles.registry import Gather, RoleCall, role

# The citation roles of sphinxcontrib-bibtex, generated from their grammar: an optional ``c``
# (capitalise), a base form, an optional ``s`` (every author instead of "et al.").
# base form → (what it shows for Ho, Jain and Abbeel 2020, has a "c" form, has an "s" form)
CITE_GRAMMAR: dict[str, tuple[str, bool, bool]] = {
    "p": ("(Ho et al., 2020)", False, True),
    "t": ("Ho et al. (2020)", True, True),
    "alp": ("Ho et al., 2020", False, True),
    "author": ("Ho et al.", True, True),
    "authorpar": ("(Ho et al.)", False, True),
    "year": ("2020", False, False),
    "yearpar": ("(2020)", False, False),
    "empty": ("nothing; the work is only listed", False, False),
}
_EVERY_AUTHOR = "Ho, Jain, and Abbeel"


def cite_roles() -> dict[str, tuple[CiteForm, str]]:
    """Every citation role name (``cite``, ``cite:p``, ``cite:cts``, …) → its form and what it shows."""
    roles = {"cite": (CiteForm("p"), CITE_GRAMMAR["p"][0])}
    for base, (shows, capital, full) in CITE_GRAMMAR.items():
        every = shows.replace("Ho et al.", _EVERY_AUTHOR)
        variants = [("", False, False, shows)]
        variants += [("s", False, True, every)] if full else []
        variants += [("c", True, False, shows + ", capitalised")] if capital else []
        variants += [("cs", True, True, every + ", capitalised")] if capital and full else []
        for affix, cap, all_authors, text in variants:
            name = ("c" if "c" in affix else "") + base + ("s" if "s" in affix else "")
            roles[f"cite:{name}"] = (CiteForm(base, cap, all_authors), text)
    return roles


_KEY = re.compile(r"\s*(?:\{([^{}]*)\})?\s*([^\s{},]+)\s*(?:\{([^{}]*)\})?\s*")


def parse_cite_keys(content: str) -> list[tuple[str, str, str]] | None:
    """``{see}a{p. 1}, b`` → [("see", "a", "p. 1"), ("", "b", "")]; None when it does not fit."""
    keys = []
    for part in re.split(r"[,;]", content):
        match = _KEY.fullmatch(part)
        if not match:
            return None
        keys.append((match.group(1) or "", match.group(2), match.group(3) or ""))
    return keys


def _cite_gatherer(name: str, form: CiteForm) -> Gather:
    def gather(call: RoleCall) -> bool:
        keys = parse_cite_keys(call.token.content)
        if not keys:
            call.warn(f"{{{name}}}`{call.token.content}`: write keys separated by commas, such as {{cite}}`key1,key2`")
            return False
        cite = Cite(call.state.loc(call.line), form, keys)
        call.token.meta["cite"] = cite
        call.state.parsed.cites.append(cite)
        return True

    return gather


def _render_cite(token: Token, ctx: RenderContext) -> str:
    return ctx.cites.format(token.meta["cite"])


for _name, (_form, _shows) in cite_roles().items():
    role(_name, f"{{{_name}}}`hoDenoisingDiffusionProbabilistic2020`", _shows, _cite_gatherer(_name, _form))(
        _render_cite
    )


# mystmd's (and pandoc's) citations: [@key], [see @a, p. 3; @b] in parentheses, @key in the sentence.
_CITE_KEY = r"[A-Za-z0-9_][\w:.#$%&+?<>~/-]*"
_CITE_PART = re.compile(rf"\s*(?P<pre>[^@]*?)\s*-?@(?P<key>{_CITE_KEY})(?P<post>.*?)\s*", re.DOTALL)
_BARE = re.compile(rf"@(?P<key>{_CITE_KEY})")


def _cite_token(inline: StateInline, name: str, keys: list[tuple[str, str, str]]) -> None:
    token = inline.push("myst_role", "", 0)
    token.meta = {"name": name}
    token.content = ", ".join(f"{{{pre}}}{key}{{{post}}}" if pre or post else key for pre, key, post in keys)


def bracketed_cite(inline: StateInline, silent: bool) -> bool:
    """``[@a; see @b, p. 3]``: every part names a key; anything else is left to the link rule."""
    src, start = inline.src, inline.pos
    if src[start] != "[" or "@" not in src[start : start + 2 + src[start:].find("]")]:
        return False
    end = src.find("]", start)
    if end < 0 or "[" in src[start + 1 : end] or src[end + 1 : end + 2] in ("(", "[", ":"):
        return False
    keys = []
    for part in src[start + 1 : end].split(";"):
        match = _CITE_PART.fullmatch(part)
        if match is None or "]" in match.group("post") or "{" in part or "}" in part:
            return False
        keys.append((match.group("pre"), _trim(match.group("key")), match.group("post").lstrip(", ").strip()))
    if not silent:
        _cite_token(inline, "cite:p", keys)
    inline.pos = end + 1
    return True


def bare_cite(inline: StateInline, silent: bool) -> bool:
    """``@key`` in the sentence: Ho et al. (2020). Not inside a word, so ``name@example.org`` stays."""
    src, start = inline.src, inline.pos
    if src[start] != "@" or (start > 0 and (src[start - 1].isalnum() or src[start - 1] in "_.-@")):
        return False
    match = _BARE.match(src, start)
    if match is None:
        return False
    key = _trim(match.group("key"))
    if not silent:
        _cite_token(inline, "cite:t", [("", key, "")])
    inline.pos = start + 1 + len(key)
    return True


def _trim(key: str) -> str:
    """A key never ends with the punctuation that ends a sentence: ``@ho2020.`` cites ``ho2020``."""
    return key.rstrip(".:?,;")


#: The citation syntax that is not a role, for the README's table.
SYNTAX = [
    (
        "`[@key]`, `[@a; @b]`",
        "citations as mystmd writes them, with notes: [see @a, p. 3]",
        "[@hoDenoisingDiffusionProbabilistic2020]",
    ),
    ("`@key`", "a citation in the sentence: Ho et al. (2020); write \\@ for a plain @", "Laut @rameshHowDALLWorks"),
]
