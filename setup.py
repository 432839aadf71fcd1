"""Building the wheel: the package plus what a deck needs at run time — templates/, static/ and the
front-end files (``locate.FRONT_END_FILES``) from node_modules/, which ``npm ci`` installs from the
lockfile (run here when node_modules/ is missing). An editable install uses the checkout as it is."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _front_end_files() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("mystdeck_locate", HERE / "mystdeck" / "locate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.FRONT_END_FILES)


def _npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "building mystdeck's wheel needs the front-end libraries: node_modules/ is missing and npm is not "
            "installed; install Node.js with npm, or run 'npm ci' in the mystdeck folder first"
        )
    print("node_modules/ is missing: running npm ci")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True, timeout=600)


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not (HERE / "node_modules" / "reveal.js" / "dist" / "reveal.js").is_file():
            _npm_ci()
        data = Path(self.build_lib) / "mystdeck" / "data"
        for folder in ("templates", "static"):
            shutil.copytree(HERE / folder, data / folder, dirs_exist_ok=True)
        for pattern in _front_end_files():
            found = sorted((HERE / "node_modules").glob(pattern))
            if not found:
                raise SystemExit(f"node_modules/{pattern} is missing: run 'npm ci' in the mystdeck folder")
            for source in found:
                target = data / "node_modules" / source.relative_to(HERE / "node_modules")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


setup(cmdclass={"build_py": BuildWithData})
