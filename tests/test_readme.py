"""The README's Python examples run as written (STYLE: test the docs, not only the library)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


def test_quickstart_and_ledger_examples_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quickstart = next(b for b in BLOCKS if "extract_file" in b and "subtasks_of" in b)
    ledger = next(b for b in BLOCKS if "open_ledger" in b)
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        namespace: dict[str, object] = {}
        exec(compile(quickstart, "README quickstart", "exec"), namespace)
        out = capsys.readouterr().out
        assert "在全市一季度经济运行分析会上的讲话" in out
        os.chdir(tmp_path)  # the ledger example writes ledger.db where it runs
        exec(compile(ledger, "README ledger example", "exec"), namespace)
        assert (tmp_path / "ledger.db").exists()
        assert len(namespace["frame"]) == len(namespace["result"].tasks)  # type: ignore[attr-defined, arg-type]
    finally:
        os.chdir(cwd)


def test_every_command_is_documented() -> None:
    from typer.main import get_command

    from textkit.cli import app

    commands = get_command(app).commands  # type: ignore[attr-defined]
    missing = [name for name in commands if f"textkit {name}" not in README]
    assert not missing, f"commands without a README example: {missing}"
