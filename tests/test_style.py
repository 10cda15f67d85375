"""The code stays ruff- and mypy-clean (configured in pyproject.toml), checked on every CI run."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_clean(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[dev]')")
    args = [sys.executable, "-m", "ruff", "check", "textkit", "tests", "benchmarks"] if tool == "ruff" else [
        sys.executable, "-m", "mypy", "textkit",
    ]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
