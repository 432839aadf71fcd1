"""Roles (parse stage): ``{name}`text``` inline. A registry like the directives': each role has an optional parse-time
step (``gather``: check the text, note what the deck needs, such as citations) and a render-time step.

A role whose ``gather`` refuses its text is shown as code, like an unknown role.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from mystdeck.directives.math import math_html
from mystdeck.model import Cite, CiteForm, ParseState, RenderContext, XRef
from mystdeck.tokens import context_of, inline_children, state_of

Gather = Callable[[Token, ParseState, int], bool]  # the role's token, the parse, its line → accepted?
Render = Callable[[Token, RenderContext], str]


@dataclass(slots=True, frozen=True)
class RoleSpec:
    name: str
    render: Render
    gather: Gather | None
    example: str
    summary: str


@dataclass(slots=True)
class RoleRegistry:
    roles: dict[str, RoleSpec] = field(default_factory=dict)

    def role(self, name: str, example: str, summary: str, gather: Gather | None = None) -> Callable[[Render], Render]:
        """Register the decorated render function (and ``gather``, run while parsing) as role ``name``."""

        def register(render: Render) -> Render:
            self.roles[name] = RoleSpec(name, render, gather, example, summary)
            return render

        return register


ROLE_REGISTRY = RoleRegistry()
role = ROLE_REGISTRY.role
ROLES = ROLE_REGISTRY.roles


def _plain(tag: str) -> Render:
    return lambda token, ctx: f"<{tag}>{escapeHtml(token.content)}</{tag}>"


def _needs_math(token: Token, state: ParseState, line: int) -> bool:
    state.features.add("math")
    return True


@role("math", "{math}`\\beta_t`", "inline formula", gather=_needs_math)
def _math(token: Token, ctx: RenderContext) -> str:
    return math_html(token.content, False)


def _markdown(tag: str) -> Render:
    """The role's text is inline markdown: H{sub}`*i*`."""
    return lambda token, ctx: f"<{tag}>{ctx.inline(token.content)}</{tag}>"


def _abbr(token: Token, ctx: RenderContext) -> str:
    match = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", token.content, re.DOTALL)
    if not match:
        return f"<abbr>{escapeHtml(token.content)}</abbr>"
    return f'<abbr title="{escapeHtml(match.group(2))}">{escapeHtml(match.group(1))}</abbr>'


def _smallcaps(token: Token, ctx: RenderContext) -> str:
    return f'<span class="deck-smallcaps">{escapeHtml(token.content)}</span>'


def _chem(token: Token, ctx: RenderContext) -> str:
    """``H2O``, ``SO4^2-``: counts after an element or a bracket go below, ``^…`` charges above."""
    html = escapeHtml(token.content)
    html = re.sub(r"\^([0-9]*[+\-\u2212])", r"<sup>\1</sup>", html)
    html = re.sub(r"(?<=[A-Za-z)\]])([0-9]+)", r"<sub>\1</sub>", html)
    return f'<span class="deck-chem">{html}</span>'


# Each role under every name MyST gives it; the first name is the one the README explains.
for _names, _example, _summary, _render in (
    (("sub", "subscript"), "H{sub}`2`O", "subscript (inline markdown)", _markdown("sub")),
    (("sup", "superscript"), "E = mc{sup}`2`", "superscript (inline markdown)", _markdown("sup")),
    (("kbd", "keyboard"), "{kbd}`S`", "a key to press", _plain("kbd")),
    (("u", "underline"), "{u}`wichtig`", "underlined", _plain("u")),
    (("del", "strike"), "{del}`alt`", "struck through", _plain("del")),
    (
        ("abbr", "abbreviation"),
        "{abbr}`CLIP (Contrastive Language-Image Pre-training)`",
        "abbreviation with its meaning",
        _abbr,
    ),
    (("sc", "smallcaps"), "{sc}`Kapitälchen`", "small capitals", _smallcaps),
    (("chem",), "{chem}`H2O`", "a chemical formula: H₂O", _chem),
):
    for _index, _name in enumerate(_names):
        summary = _summary if _index == 0 else f"the same as {{{_names[0]}}}"
        role(_name, _example.replace(f"{{{_names[0]}}}", f"{{{_name}}}"), summary)(_render)


# Cross-references: the cross-reference stage finds the target and the text each one shows.
_LABELLED = re.compile(r"(.*?)\s*<([^<>]+)>\s*", re.DOTALL)


def _xref_gatherer(form: str) -> Gather:
    def gather(token: Token, state: ParseState, line: int) -> bool:
        match = _LABELLED.fullmatch(token.content)
        text, label = (match.group(1), match.group(2)) if match else ("", token.content)
        if not label.strip():
            state.reporter.warning(state.loc(line), f"{{{token.meta['name']}}} needs a label", "bad-role")
            return False
        xref = XRef(state.loc(line), label.strip().lstrip("#"), form, text.strip())
        token.meta["xref"] = xref
        state.xrefs.append(xref)
        return True

    return gather


def _missing_xref(ctx: RenderContext) -> str:
    return f'<span class="deck-xref-missing" title="{escapeHtml(ctx.words("xref_missing"))}">'


def _xref_html(xref: XRef, ctx: RenderContext) -> str:
    if xref.target is None:
        return f"{_missing_xref(ctx)}{escapeHtml(xref.label)}?</span>"
    return f'<a class="deck-xref" href="#/{escapeHtml(xref.target.slide_id)}">{escapeHtml(xref.text)}</a>'


def _render_xref(token: Token, ctx: RenderContext) -> str:
    return _xref_html(token.meta["xref"], ctx)


for _name, _xref_form, _example, _summary in (
    ("ref", "ref", "{ref}`eisbaer`", "a link to a labelled slide, figure, table…, showing its title or caption"),
    (
        "numref",
        "numref",
        "{numref}`eisbaer`",
        "a link showing the target's number: Abbildung 2 (or your text: Abb. %s)",
    ),
    ("eq", "eq", "{eq}`diffusion`", "a link to a labelled equation: Gleichung (3)"),
    ("term", "term", "{term}`Diffusion`", "a link to a term of the {glossary}"),
    ("prf:ref", "ref", "{prf:ref}`satz-1`", "the same as {ref}"),
):
    role(_name, _example, _summary, _xref_gatherer(_xref_form))(_render_xref)


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
    def gather(token: Token, state: ParseState, line: int) -> bool:
        keys = parse_cite_keys(token.content)
        if not keys:
            state.reporter.warning(
                state.loc(line),
                f"{{{name}}}`{token.content}`: write keys separated by commas, such as {{cite}}`key1,key2`",
                "bad-role",
            )
            return False
        cite = Cite(state.loc(line), form, keys)
        token.meta["cite"] = cite
        state.cites.append(cite)
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


def _bracketed_cite(inline: StateInline, silent: bool) -> bool:
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


def _bare_cite(inline: StateInline, silent: bool) -> bool:
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


#: The citation and cross-reference syntax that is not a role, for the README's table.
SYNTAX = [
    (
        "`[@key]`, `[@a; @b]`",
        "citations as mystmd writes them, with notes: [see @a, p. 3]",
        "[@hoDenoisingDiffusionProbabilistic2020]",
    ),
    ("`@key`", "a citation in the sentence: Ho et al. (2020); write \\@ for a plain @", "Laut @rameshHowDALLWorks"),
    ("`(label)=`", "a line before a heading names its slide for cross-references", "(diffusion)=\n## Diffusion"),
    (
        "`[](#label)`, `[text](#label)`, `[](label)`",
        "a link to a labelled slide, figure, table or equation; empty text shows its title or number",
        "siehe [](#diffusion)",
    ),
    (
        "`$$ … $$ (label)`",
        "a displayed formula with a label: numbered, and {eq} links to it",
        "$$ x_t = x_0 + \\epsilon $$ (rauschen)",
    ),
    (
        "`\\begin{align}` …",
        "amsmath environments (equation, align, gather, multline, starred forms) as displayed formulas; "
        "a \\label{…} inside names it",
        "\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}",
    ),
]


def _gather_roles(core: StateCore) -> None:
    state = state_of(core.env)
    for _parent, line, child in inline_children(core.tokens):
        if child.type != "myst_role":
            continue
        name = child.meta.get("name", "")
        spec = ROLES.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, list(ROLES), n=1, cutoff=0.6)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            state.reporter.warning(
                state.loc(line), f"unknown role '{{{name}}}': its text is shown as code{hint}", "unknown-role"
            )
        elif spec.gather is None or spec.gather(child, state, line):
            child.meta["role"] = spec


_BARE_LABEL = re.compile(r"[A-Za-z][\w:.-]*")


def _gather_links(core: StateCore) -> None:
    """``[](#label)``, ``[text](#label)`` and ``[](label)`` are cross-references (``#/…`` stays reveal.js'
    own link to a slide). Links do not nest: a link ends at the next ``link_close``."""
    state = state_of(core.env)
    for parent, line, child in inline_children(core.tokens):
        if child.type != "link_open" or "xref" in child.meta:
            continue
        href = str(child.attrGet("href") or "")
        children = parent.children or []
        after = children[children.index(child) + 1 :]
        empty = after[0].type == "link_close"
        if href.startswith("#") and not href.startswith("#/") and len(href) > 1:
            label = href[1:]
        elif empty and _BARE_LABEL.fullmatch(href) and "." not in href:
            label = href
        else:
            continue
        xref = XRef(state.loc(line), label, "link")
        child.meta.update(xref=xref, fill=empty)
        next(token for token in after if token.type == "link_close").meta["xref"] = xref
        state.xrefs.append(xref)


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    token = tokens[idx]
    xref: XRef | None = token.meta.get("xref")
    if xref is None:
        return str(self.renderToken(tokens, idx, options, env))
    if xref.target is None:
        return _missing_xref(context_of(env)) + (escapeHtml(xref.label) + "?" if token.meta["fill"] else "")
    text = escapeHtml(xref.text) if token.meta["fill"] else ""
    return f'<a class="deck-xref" href="#/{escapeHtml(xref.target.slide_id)}">{text}'


def _render_link_close(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    xref: XRef | None = tokens[idx].meta.get("xref")
    return "</span>" if xref is not None and xref.target is None else "</a>"


def _render_role(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    token = tokens[idx]
    spec: RoleSpec | None = token.meta.get("role")
    if spec is None:
        return f'<code class="deck-unknown-role">{escapeHtml(token.content)}</code>'
    return spec.render(token, context_of(env))


def roles_plugin(md: MarkdownIt) -> None:
    # Before directives splice in their parsed bodies, so each role is gathered once.
    md.inline.ruler.before("link", "deck_cite_brackets", _bracketed_cite)
    md.inline.ruler.before("link", "deck_cite_bare", _bare_cite)
    md.core.ruler.before("deck_directives", "deck_roles", _gather_roles)
    md.core.ruler.before("deck_directives", "deck_links", _gather_links)
    md.add_render_rule("myst_role", _render_role)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
