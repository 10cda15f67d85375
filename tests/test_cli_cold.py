"""A fresh ``textkit extract`` loads only what extraction needs: the ledger commands are mounted
only when a command line can reach them, and the command behaves as the whole command tree does.

Each check runs the console script's entry point (``textkit.cli.main``) in a new process, as a
user's shell does, and compares it with the whole tree (``textkit.cli.app``, ``ledger`` mounted).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "docs" / "01_city-economy-q1.txt"

_MAIN = """
import json, sys
from textkit.cli import main
sys.argv = ["textkit", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
loaded = sorted(m for m in sys.modules if m.startswith("textkit.ledgers") or m in ("textkit.followups", "platformdirs"))
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def _main(*args: str) -> tuple[str, dict[str, object]]:
    """Standard output of ``textkit ARGS`` in a fresh process, its exit code, and which of the modules
    extraction never needs it imported (the ledger commands; platformdirs, for the segmenter's cache)."""
    proc = subprocess.run([sys.executable, "-c", _MAIN, json.dumps(list(args))], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, env={**os.environ, "COLUMNS": "100"}, check=False)
    return proc.stdout, json.loads(proc.stderr.strip().splitlines()[-1])


def test_a_fresh_extract_loads_no_ledger_code_and_prints_what_the_whole_tree_prints() -> None:
    from textkit.cli import app

    out, status = _main("extract", str(SAMPLE), "--ref-date", "2024-04-18")
    assert status == {"code": 0, "loaded": []}
    whole = CliRunner().invoke(app, ["extract", str(SAMPLE), "--ref-date", "2024-04-18"])
    assert whole.exit_code == 0 and out == whole.stdout
    assert json.loads(out)["tasks"]


def test_the_ledger_commands_are_there_whenever_a_command_line_can_reach_them() -> None:
    out, status = _main("--help")
    assert status["code"] == 0 and "ledger" in out and "textkit.ledgers.cli" in status["loaded"]
    out, status = _main("ledger", "--help")
    assert status["code"] == 0 and "show" in out and "diff" in out
    _, status = _main("ledgr")  # a typo: the suggestions see every command
    assert status["code"] == 2 and "textkit.ledgers.cli" in status["loaded"]


def test_app_is_the_whole_command_tree() -> None:
    import typer

    from textkit import cli

    names = set(typer.main.get_command(cli.app).commands)  # type: ignore[attr-defined]
    assert {"extract", "ledger"} <= names
    assert cli._top_level(["extract", "x"]) and cli._top_level(["eval"])
    assert not any(cli._top_level(args) for args in ([], ["ledger", "show"], ["--help"], ["--version"], ["extrct"]))
