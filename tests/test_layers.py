"""The import contract (``.importlinter``): layers point one way, records depend on nothing above them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is missing: pip install -e '.[dev]' (import-linter)")
    done = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_records_import_only_errors_even_from_modules_not_yet_in_the_contract() -> None:
    """A module added later and not yet listed in .importlinter must not become a way up either."""
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("textkit")
    inside = {m for m in graph.find_upstream_modules("textkit.records") if m.startswith("textkit")}
    assert inside <= {"textkit.errors", "textkit"}, sorted(inside)


# Nothing may join this list: build-time tools (tools/) may parse regexes, the package may not.
KNOWN_DEBT: frozenset[str] = frozenset()


def test_no_private_standard_library_modules() -> None:
    """``re._parser``, ``re._constants``, ``sre_parse``: private, changed without notice between Pythons."""
    offenders = []
    for path in sorted((ROOT / "textkit").rglob("*.py")):
        if path.relative_to(ROOT).as_posix() in KNOWN_DEBT:
            continue
        text = path.read_text(encoding="utf-8")
        for name in ("re._parser", "re._constants", "sre_parse", "sre_compile", "sre_constants"):
            if name in text:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders


def test_one_atomic_write_helper() -> None:
    """Files are replaced only through textkit.atomic (temp file, fsync, rename, fsync of the directory)."""
    offenders = []
    for path in sorted((ROOT / "textkit").rglob("*.py")):
        if path.name == "atomic.py":
            continue
        code = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
        for name in ("mkstemp(", "os.replace(", "os.rename(", "NamedTemporaryFile("):
            if name in code:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders


def test_cli_out_files_are_fsynced(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import os

    from typer.testing import CliRunner

    from textkit.cli import app

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    speech = tmp_path / "speech.txt"
    speech.write_text("二、抓好重点工作\n一要县应急管理局牵头,6月30日前完成排查。\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["extract", str(speech), "--out", str(tmp_path / "out")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "out" / "speech.json").is_file()
    assert len(synced) >= 2  # the file, then its directory
