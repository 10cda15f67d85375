"""Build textkit, compiling its hot pure-Python modules with mypyc when it can (issue 15).

Everything but the extension modules is declared in pyproject.toml. mypyc (part of the mypy
project, pinned in ``[build-system] requires``) turns the modules listed in
``textkit/_native.py`` into C extensions: the interpreter time those modules spend is most of
an extraction, and line-level micro-optimisation of them had run out. Installation never fails
because of it: with ``TEXTKIT_PURE_BUILD=1``, without mypyc, or when generating or compiling
the C fails (no compiler), the package is installed as pure Python, which gives the same
results more slowly. A successful build writes ``textkit/_compiled.json``, the sha1 of each
compiled source, which ``textkit/_native.py`` checks at import so that an edited ``.py`` never
runs stale compiled code.
"""

from __future__ import annotations

import json
import os
import sys
import time
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType
from typing import Any

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def _native() -> ModuleType:
    """textkit/_native.py, loaded alone (it imports only the standard library)."""
    spec = spec_from_file_location("_textkit_native", ROOT / "textkit" / "_native.py")
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NATIVE: Any = _native()


BUILD_LOG = ROOT / "build" / "textkit-build.log"
"""What the build decided, kept because ``pip install -q`` hides a build's output (CI installs quietly)."""


def _say(message: str) -> None:
    print(f"textkit build: {message}", file=sys.stderr, flush=True)
    try:
        BUILD_LOG.parent.mkdir(exist_ok=True)
        with BUILD_LOG.open("a", encoding="utf-8") as log:
            log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}\n")
    except OSError:  # a read-only tree still builds
        pass


def _manifest() -> str:
    sources = {m: NATIVE.sha1_of(NATIVE.source_path(m, ROOT)) for m in NATIVE.COMPILED}
    return json.dumps({"group": NATIVE.GROUP, "sources": sources}, indent=1, sort_keys=True) + "\n"


def _pure_build() -> bool:
    return os.environ.get("TEXTKIT_PURE_BUILD", "") not in ("", "0")


def _mypycify() -> list[Extension]:
    """The group's extensions; run only when build_ext runs (pip runs setup.py several times)."""
    try:
        from mypyc.build import mypycify
    except ImportError as error:
        _say(f"mypyc is not available ({error}): pure Python, nothing compiled")
        return []
    paths = [str(NATIVE.source_path(m, ROOT).relative_to(ROOT)) for m in NATIVE.COMPILED]
    try:
        return list(mypycify(paths, group_name=NATIVE.GROUP, opt_level="3", debug_level="0"))
    except (Exception, SystemExit) as error:  # mypyc exits on type errors
        _say(f"mypyc could not translate {paths} ({error!r}): pure Python, nothing compiled")
        return []


class BuildExtOrPure(build_ext):
    """build_ext that compiles with mypyc, falls back to pure Python when it cannot, and writes the manifest."""

    def finalize_options(self) -> None:
        if self.distribution.ext_modules == PLACEHOLDER:  # once: pip may finalise it again
            # the sources' sha1 before mypyc reads them: a source edited during the build then
            # differs from the manifest, and the guard runs it pure instead of its stale build
            self.distribution.textkit_manifest = _manifest()  # type: ignore[attr-defined]
            self.distribution.ext_modules = [] if _pure_build() else _mypycify()
        super().finalize_options()

    def run(self) -> None:
        if not self.extensions:
            return
        try:
            super().run()
        except (Exception, SystemExit) as error:  # no compiler, a compiler error, a missing header
            _say(f"compiling the mypyc extensions failed ({error!r}): pure Python, nothing compiled")
            self._remove_outputs()
            return
        text = getattr(self.distribution, "textkit_manifest", None) or _manifest()
        targets = [Path(self.build_lib) / "textkit" / "_compiled.json"]
        if self.inplace:  # editable installs (pip install -e) build in the source tree
            targets.append(ROOT / "textkit" / "_compiled.json")
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        _say(f"compiled {len(NATIVE.COMPILED)} modules with mypyc into one group")

    def _remove_outputs(self) -> None:
        for output in self.get_outputs():
            Path(output).unlink(missing_ok=True)
        for folder in (Path(self.build_lib), ROOT):
            (folder / "textkit" / "_compiled.json").unlink(missing_ok=True)


# A placeholder, replaced by mypyc's extensions when build_ext runs: it marks the wheel as
# platform-specific without running mypyc for pip's metadata steps.
PLACEHOLDER = [] if _pure_build() else [Extension(NATIVE.GROUP + "__mypyc", sources=[])]

setup(ext_modules=PLACEHOLDER, cmdclass={"build_ext": BuildExtOrPure})
