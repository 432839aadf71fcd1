"""Bibliography stage: the deck's citations and its .bib files in, the cited works as formatted references out.

This module conducts the stage: it asks the memo (``bibcache``) for what an earlier build made of
the same .bib and the same cited works, reads the .bib (``bibread``) and formats the list
(``bibstyle``) only for what the memo lacks, and hands heavy parts to the helper process: a large
.bib never read before is read there while the deck is parsed, and a long list is formatted on both
cores.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mystdeck import bibcache, bibcsl, bibread, bibstyle
from mystdeck.bibcache import BibMemo
from mystdeck.bibread import Bibliography
from mystdeck.diagnostics import BuildError, Reporter, SourceLoc
from mystdeck.helper import Helper
from mystdeck.model import Cite, Deck, Reference

READ_AHEAD_BYTES = 256 * 1024  # about a thousand entries: reading takes longer than starting a helper


def read_ahead(paths: list[Path], memo: BibMemo, helper: Helper) -> None:
    """Have the helper read a large .bib this build has never seen, while the deck is parsed."""
    memo.ahead.clear()
    try:
        if sum(path.stat().st_size for path in paths if path.is_file()) < READ_AHEAD_BYTES:
            return
    except OSError:  # gone meanwhile: the build reads it and says so
        return
    digest = bibcache.digest(paths)
    if memo.seen(digest):
        return
    helper.start()
    memo.ahead[digest] = helper.ask(read_in_helper, [str(path) for path in paths])


def gather_references(
    deck: Deck, paths: list[Path], reporter: Reporter, memo: BibMemo, helper: Helper
) -> dict[str, Reference]:
    """The cited works of ``paths``, formatted, in the order of the reference list."""
    try:
        return _references(deck, paths, reporter, memo, helper)
    finally:
        memo.ahead.clear()


def _references(
    deck: Deck, paths: list[Path], reporter: Reporter, memo: BibMemo, helper: Helper
) -> dict[str, Reference]:
    front = deck.source.front
    digest = bibcache.digest(paths)
    distinct = {key.lower() for cite in deck.parsed.cites for _pre, key, _post in cite.keys}
    many = len(distinct) >= bibstyle.PARALLEL_MIN
    known = memo.keys(digest)
    if known is None:
        if many:
            helper.start()  # a first build of this .bib: its start-up overlaps reading the .bib
        start = len(reporter.diagnostics)
        bib = _bibliography(digest, paths, reporter, memo)
        known = {
            "keys": {key: loc.line for key, loc in bib.lines.items()},
            "warnings": [bibcache.as_dict(d) for d in reporter.diagnostics[start:]],
        }
        memo.keep_keys(digest, known)
    else:
        bibcache.replay(known["warnings"], reporter)
    cited = cited_keys(deck, known["keys"], reporter, paths)
    numeric = front.citation_style == "numeric"
    style_loc = SourceLoc(deck.source.path, front.lines.get("bibliography-style", 0))
    asked = front.bibliography_style or ("plain" if numeric else bibstyle.AUTHOR_YEAR)
    style, csl = _style(asked, deck, reporter, style_loc)
    cites = sorted(deck.parsed.cites, key=lambda c: c.loc.line)  # in the order they are read
    wanted: list[object] = [digest, style, numeric, front.lang, cited, str(style_loc)]
    if csl is not None:  # a CSL style also writes every citation: they count, and so does the style's file
        wanted += [hashlib.sha256(csl.read_bytes()).hexdigest(), [cite.keys for cite in cites]]
    name = bibcache.list_name(json.dumps(wanted))
    made = memo.formatted(name)
    if made is None:
        if many and csl is None:
            helper.start()
        start = len(reporter.diagnostics)
        bib = _bibliography(digest, paths, Reporter(), memo)  # its own warnings came with its keys
        made = _format(style, csl, cited, cites, bib, deck, reporter, style_loc, helper)
        made["warnings"] = [bibcache.as_dict(d) for d in reporter.diagnostics[start:]]
        memo.keep_formatted(name, made)
    else:
        bibcache.replay(made["warnings"], reporter)
    for cite, styled in zip(cites, made["citations"], strict=False):
        cite.styled = styled
    return {ref["key"]: Reference(**ref) for ref in made["refs"]}


def _format(
    style: str, csl: Path | None, cited: list[str], cites: list[Cite], bib: Bibliography, deck: Deck,
    reporter: Reporter, loc: SourceLoc, helper: Helper,
) -> dict[str, Any]:  # fmt: skip
    """The reference list (and, in a CSL style, every citation) as plain data the memo keeps."""
    front = deck.source.front
    numeric = front.citation_style == "numeric"
    if csl is not None:
        bibstyle.with_people(bib, cited, reporter)
        styled = bibcsl.format_csl(csl, cited, cites, bib, front.lang, reporter, loc)
        if styled is not None:
            return {"refs": [asdict(ref) for ref in styled.references.values()], "citations": styled.citations}
        style = bibstyle.AUTHOR_YEAR
    refs = bibstyle.format_references(cited, bib, reporter, style, numeric, loc, front.lang, helper)
    return {"refs": [asdict(ref) for ref in refs.values()], "citations": []}


def _style(name: str, deck: Deck, reporter: Reporter, loc: SourceLoc) -> tuple[str, Path | None]:
    """The style to use: mystdeck's author-year list, a pybtex style, or a CSL style and its file. A name
    that is none of them is reported (with the closest names), and the author-year list used."""
    if name == bibstyle.AUTHOR_YEAR or bibstyle.is_pybtex_style(name):
        return name, None
    csl = bibcsl.find_style(name, deck.source.path.parent)
    if csl is not None:
        return name, csl
    known = [bibstyle.AUTHOR_YEAR, *bibstyle.PYBTEX_STYLES]
    close = difflib.get_close_matches(name, known, n=2, cutoff=0.6) + bibcsl.closest(name)
    hint = f"did you mean {' or '.join(close[:3])}? " if close else ""
    csl_note = "any CSL style by name or a .csl file beside the deck"
    if not bibcsl.available():
        csl_note += " (CSL styles need: pip install 'mystdeck[csl]')"
    reporter.warning(
        loc, f"bibliography style '{name}' is not known ({hint}known: {', '.join(known)}, {csl_note}); "
        "using author-year", "bad-style",
    )  # fmt: skip
    return bibstyle.AUTHOR_YEAR, None


def _bibliography(digest: str, paths: list[Path], reporter: Reporter, memo: BibMemo) -> Bibliography:
    """The parsed .bib: from this process, from disk, from the helper that read it ahead, else read now."""
    bib = memo.parsed.get(digest) or bibread.from_json(memo.entries(digest))
    if bib is None and digest in memo.ahead:
        bib = _read_by_helper(memo.ahead.pop(digest)(), reporter)
    if bib is None:
        seen_before = memo.seen(digest)
        bib = bibread.load_bibliography(paths, reporter)
        # The first build of a .bib keeps only its keys and formatted list; the parsed entries are
        # kept once a later build cites other works of the same file and so needs them again.
        if seen_before:
            memo.keep_entries(digest, bibread.entries_json(bib))
    memo.parsed[digest] = bib
    return bib


def read_in_helper(paths: list[str]) -> dict[str, Any]:
    """In the helper process: read the .bib files as the parent would, its messages included."""
    reporter = Reporter()
    try:
        entries = bibread.entries_json(bibread.load_bibliography([Path(path) for path in paths], reporter))
    except BuildError:
        entries = None
    messages = [{**bibcache.as_dict(d), "severity": d.severity} for d in reporter.diagnostics]
    return {"entries": entries, "messages": messages}


#: What this stage may ask the helper process to do (its modules are imported as the helper starts).
HELPER_WORK = (read_in_helper, bibstyle.format_portable)


def _read_by_helper(answer: Any, reporter: Reporter) -> Bibliography | None:
    """The parsed .bib from the helper's answer, its messages reported here; None if it has none."""
    if not (isinstance(answer, dict) and set(answer) == {"entries", "messages"}):
        return None
    messages = answer["messages"]
    if not isinstance(messages, list) or not all(bibcache.valid_message(m) for m in messages):
        return None
    bib = bibread.from_json(answer["entries"]) if answer["entries"] is not None else None
    if bib is None and answer["entries"] is not None:
        return None
    for message in messages:
        report = reporter.error if message["severity"] == "error" else reporter.warning
        report(bibcache.loc_of(message), message["message"], message["code"])
    if bib is None:
        raise BuildError("the bibliography cannot be read")
    return bib


def cited_keys(deck: Deck, known: Collection[str], reporter: Reporter, paths: Sequence[Path]) -> list[str]:
    """The cited keys the bibliography has, in citation order; warn once for each one it lacks.

    Keys match whatever their case, as in pybtex; each citation is rewritten to the .bib's spelling.
    """
    spelled = {key.lower(): key for key in known}
    cited: dict[str, None] = {}
    for cite in sorted(deck.parsed.cites, key=lambda c: c.loc.line):
        for index, (pre, key, post) in enumerate(cite.keys):
            found = spelled.get(key.lower())
            if found is None:
                reporter.warning(cite.loc, _missing(key, spelled, paths), "cite-missing")
                continue
            cite.keys[index] = (pre, found, post)
            cited[found] = None
    return list(cited)


def _missing(key: str, spelled: dict[str, str], paths: Sequence[Path]) -> str:
    close = difflib.get_close_matches(key.lower(), list(spelled), n=1, cutoff=0.6)
    hint = f" (did you mean {spelled[close[0]]}?)" if close else ""
    searched = ", ".join(str(SourceLoc(path)) for path in paths) or "the bibliography"
    return f"citation key not found in {searched}: {key}{hint}"
