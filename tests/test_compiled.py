"""The modules compiled with mypyc (issue 15): the same JSON as pure Python, never stale, and the
monkeypatching tests still testing what they claim.

``pip install`` compiles the modules in ``textkit._native.COMPILED`` (setup.py); these tests
compare that build with the same sources run as pure Python (``TEXTKIT_PURE=1``), in two
processes. Where nothing is compiled (``TEXTKIT_PURE_BUILD=1``, no compiler) there is nothing to
compare and they skip.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import textkit.extractors  # noqa: F401  (the parent package of compiled modules)
from tests.conftest import CORPUS, ROOT, SHARED
from textkit import _native

_EXTRACT = """
import json, sys
import textkit
from textkit import _native
from textkit.pipeline import extract_file

print(_native.mode())
for path, ref_date in json.load(open(sys.argv[1], encoding="utf-8")):
    print(json.dumps(extract_file(path, ref_date=ref_date).to_dict(), ensure_ascii=False, sort_keys=True, default=str))
"""


def _inputs() -> list[tuple[str, str | None]]:
    """The corpus documents (without and with their gold's date), the shared seeds, the real excerpts' cache."""
    docs = sorted((CORPUS / "docs").glob("*.txt"))
    dated = []
    for gold in sorted((CORPUS / "gold").glob("*.json")):
        record = json.loads(gold.read_text(encoding="utf-8"))
        if (CORPUS / "docs" / record["doc"]).is_file():
            dated.append((str(CORPUS / "docs" / record["doc"]), record.get("ref_date")))
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    real = sorted((CORPUS / "real" / "cache").glob("*.txt"))
    return [(str(p), None) for p in docs] + dated + [(str(p), None) for p in (*seeds, *real)]


def _env(pure: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TEXTKIT_PURE"}
    if pure:
        env["TEXTKIT_PURE"] = "1"
    return env


def _needs_a_build() -> None:
    if not _native.MANIFEST.is_file():
        pytest.skip("nothing is compiled in this install (TEXTKIT_PURE_BUILD=1, or no compiler)")


@pytest.mark.slow
def test_compiled_and_pure_extraction_give_identical_json(tmp_path: Path) -> None:
    _needs_a_build()
    inputs = _inputs()
    listing = tmp_path / "inputs.json"
    listing.write_text(json.dumps(inputs), encoding="utf-8")
    runs = {pure: subprocess.Popen([sys.executable, "-c", _EXTRACT, str(listing)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=_env(pure))
            for pure in (False, True)}
    out = {}
    for pure, run in runs.items():
        stdout, stderr = run.communicate(timeout=900)
        assert run.returncode == 0, stderr[-3000:]
        out[pure] = stdout.splitlines()
    assert out[False][0] == "compiled", out[False][0]
    assert out[True][0] == "pure: TEXTKIT_PURE is set", out[True][0]
    compiled, pure = out[False][1:], out[True][1:]
    assert len(compiled) == len(pure) == len(inputs)
    differ = [Path(path).name for (path, _), a, b in zip(inputs, compiled, pure, strict=True) if a != b]
    assert not differ, f"{len(differ)} of {len(inputs)} documents extract differently compiled: {differ[:10]}"


@pytest.mark.slow
def test_tests_that_patch_compiled_modules_pass_in_pure_python() -> None:
    if not _native.active():
        pytest.skip("the compiled modules are not loaded here, so those tests ran in this session")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
                           "-m", "pure_python", "tests"], capture_output=True, text=True, cwd=ROOT,
                          env=_env(pure=True), timeout=900)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and " skipped" not in proc.stdout.splitlines()[-1], proc.stdout[-2000:]


def test_a_compiled_module_loads_from_source_when_asked() -> None:
    finder = _native._SourceFirst(_native.COMPILED, "test")
    for module in _native.COMPILED:
        parent = sys.modules[module.rpartition(".")[0]]
        spec = finder.find_spec(module, list(parent.__path__))
        assert spec is not None and spec.origin == str(_native.source_path(module)), module
    assert finder.find_spec("textkit.records", list(sys.modules["textkit"].__path__)) is None


@pytest.mark.parametrize("pure", [False, True])
def test_the_mode_is_what_the_environment_and_the_build_say(pure: bool) -> None:
    proc = subprocess.run([sys.executable, "-c", "import textkit, textkit.extractors.owners as o; "
                           "from textkit import _native; print(_native.mode()); print(o.__file__)"],
                          capture_output=True, text=True, cwd=ROOT.parent, env=_env(pure), check=True,
                          timeout=120)
    mode, owners_file = proc.stdout.split()[0].rstrip(":"), proc.stdout.splitlines()[1]
    if pure or not _native.MANIFEST.is_file():
        assert mode == "pure" and owners_file.endswith("owners.py"), proc.stdout
    else:
        assert mode == "compiled" and not owners_file.endswith(".py"), proc.stdout


def test_an_edited_source_is_never_run_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTKIT_PURE", raising=False)
    sources = {m: hashlib.sha1(_native.source_path(m).read_bytes()).hexdigest() for m in _native.COMPILED}
    manifest = tmp_path / "_compiled.json"
    monkeypatch.setattr(_native, "MANIFEST", manifest)
    assert _native.why_pure() == "no build manifest (textkit/_compiled.json)"
    manifest.write_text(json.dumps({"group": _native.GROUP, "sources": sources}), encoding="utf-8")
    assert _native.why_pure() is None
    edited = dict(sources, **{"textkit.extractors.owners": "0" * 40})
    manifest.write_text(json.dumps({"group": _native.GROUP, "sources": edited}), encoding="utf-8")
    assert _native.why_pure() == "owners.py changed since it was compiled"
    monkeypatch.setenv("TEXTKIT_PURE", "1")
    manifest.write_text(json.dumps({"group": _native.GROUP, "sources": sources}), encoding="utf-8")
    assert _native.why_pure() == "TEXTKIT_PURE is set"


def test_the_build_compiles_the_modules_the_guard_checks() -> None:
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert "NATIVE.COMPILED" in setup and "group_name=NATIVE.GROUP" in setup
    assert all(_native.source_path(m).is_file() for m in _native.COMPILED)
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "*.so" in ignored and "/textkit/_compiled.json" in ignored


def test_the_last_build_did_not_drop_to_pure_python_on_a_type_error() -> None:
    """``pip install -q`` hides the build's output, so a mypyc translation that fails on a type error
    (say, one that shows only when pydantic is not yet installed, as on a fresh machine) used to leave
    a silently pure install. setup.py keeps what it decided in ``build/textkit-build.log``; a missing
    compiler or mypyc is a fallback, a type error in our code is a bug."""
    log = ROOT / "build" / "textkit-build.log"
    if not log.exists():
        pytest.skip("no build of the compiled modules in this checkout (build/textkit-build.log)")
    last = log.read_text(encoding="utf-8").strip().splitlines()[-1]
    assert "could not translate" not in last, last
