"""The shape of the code: the pipeline's stages in order, and no stage importing a later one."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

# The stages in the order a build runs them (``pipeline.prepare_deck``, then the page and the files
# ``build_deck`` writes), then what runs the pipeline. Stages grouped in one list are one stage's modules.
STAGES = [
    ["source", "notebook", "brand"],
    ["parse", "directives", "roles", "fragments"],
    ["execute"],
    ["slides", "attributes", "cells", "frames"],
    ["xrefs"],
    ["assets", "fonts"],
    ["highlight"],
    ["bibcache", "bibnormal", "bibread", "bibauthoryear", "bibstyle", "bibcsl", "bibliography"],
    ["citations"],
    ["outline"],
    ["diagrams"],
    ["formulas"],
    ["render"],
    ["page"],
    ["output"],
    ["pdf"],
    ["drawings", "images"],
    ["bundle"],
    ["pipeline"],
    ["remote", "serve"],
    ["preview"],
    ["starter"],
    ["cli", "syntax", "__main__"],
]
# Shared by every stage: the values they hand each other and the helpers they all may use.
HELPERS = {"model", "diagnostics", "lang", "tokens", "store", "locate", "yamltext", "browser", "helper", "__init__"}


def _stage_of(module: str) -> int:
    top = module.split(".")[0]
    return next(number for number, names in enumerate(STAGES) if top in names)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mystdeck"):
            names = [node.module] if node.module != "mystdeck" else [f"mystdeck.{a.name}" for a in node.names]
            found.update(name.removeprefix("mystdeck.") for name in names)
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("mystdeck.") for a in node.names if a.name.startswith("mystdeck."))
    modules = {p.stem for p in (ROOT / "mystdeck").iterdir() if p.suffix == ".py" or p.is_dir()}
    return {name for name in found if name.split(".")[0] in modules}  # not __version__ and the like


def test_every_module_has_a_place() -> None:
    for path in (ROOT / "mystdeck").rglob("*.py"):
        module = str(path.relative_to(ROOT / "mystdeck").with_suffix("")).replace("/", ".")
        assert module.split(".")[0] in HELPERS or _stage_of(module) >= 0, module


def test_no_stage_imports_a_later_stage() -> None:
    for path in sorted((ROOT / "mystdeck").rglob("*.py")):
        module = str(path.relative_to(ROOT / "mystdeck").with_suffix("")).replace("/", ".")
        if module.split(".")[0] in HELPERS:
            later = [name for name in _imports(path) if name.split(".")[0] not in HELPERS]
            assert not later, f"the helper {module} imports stages: {later}"
            continue
        for name in _imports(path):
            if name.split(".")[0] not in HELPERS:
                assert _stage_of(name) <= _stage_of(module), f"{module} imports the later stage {name}"


def test_every_package_goes_into_the_wheel() -> None:
    import tomllib

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    found = ["mystdeck"] + [
        "mystdeck." + path.parent.name for path in sorted((ROOT / "mystdeck").glob("*/__init__.py"))
    ]
    assert sorted(listed) == sorted(found)
