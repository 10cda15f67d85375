"""open_ledger: URL forms, entry points, install hints, and nothing heavy on import."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import textkit.ledgers as ledgers
from textkit.errors import LedgerError
from textkit.ledgers import Ledger, known_ledgers, open_ledger, register_ledger
from textkit.ledgers.excel import ExcelLedger
from textkit.ledgers.files import CSVLedger, JSONLinesLedger
from textkit.ledgers.http import HTTPLedger
from textkit.ledgers.sql import SQLLedger


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("sqlite:///{tmp}/a.db", SQLLedger),
        ("sqlite+pysqlite:///{tmp}/a.db", SQLLedger),
        ("{tmp}/a.db", SQLLedger),
        ("{tmp}/a.sqlite", SQLLedger),
        ("file://{tmp}/a.db", SQLLedger),
        ("{tmp}/台账.XLSX", ExcelLedger),
        ("{tmp}/a.csv", CSVLedger),
        ("file://{tmp}/a.csv", CSVLedger),
        ("{tmp}/a.jsonl", JSONLinesLedger),
        ("http://127.0.0.1:9/ledger", HTTPLedger),
        ("https://ledger.example.invalid/api", HTTPLedger),
    ],
)
def test_urls_choose_backends(tmp_path: Path, url: str, kind: type[Ledger]) -> None:
    with open_ledger(url.format(tmp=tmp_path)) as ledger:
        assert isinstance(ledger, kind)


def test_unknown_forms_are_ledger_errors(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match=r"no ledger backend for '\.parquet'.*\.xlsx"):
        open_ledger(str(tmp_path / "a.parquet"))
    with pytest.raises(LedgerError, match="not a ledger URL"):
        open_ledger("nosuchdb://host/db")
    with pytest.raises(LedgerError, match="unknown options sheet"):
        open_ledger(str(tmp_path / "a.csv"), sheet="x")


def test_a_missing_extra_names_the_install_command() -> None:
    register_ledger("fakedb", "textkit_fakedb_backend_not_installed:FakeLedger", hint="pip install 'textkit[fakedb]'")
    try:
        with pytest.raises(LedgerError, match=r"fakedb.*pip install 'textkit\[fakedb\]'"):
            open_ledger("fakedb://somewhere")
    finally:
        ledgers._registered.pop("fakedb")


def test_builtins_cannot_be_replaced_by_accident() -> None:
    with pytest.raises(LedgerError, match="already registered"):
        register_ledger(".xlsx", "x:y")


def test_register_a_callable(tmp_path: Path) -> None:
    register_ledger(".tsv", lambda url, **options: CSVLedger(url, **options))
    try:
        assert isinstance(open_ledger(str(tmp_path / "a.tsv")), CSVLedger)
    finally:
        ledgers._registered.pop(".tsv")


def test_third_parties_join_through_entry_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = EntryPoint(name="office", value="textkit.ledgers.files:JSONLinesLedger", group="textkit.ledgers")
    hijack = EntryPoint(name=".xlsx", value="textkit.ledgers.files:CSVLedger", group="textkit.ledgers")
    broken = EntryPoint(name="broken", value="textkit_office_plugin_gone:Ledger", group="textkit.ledgers")
    monkeypatch.setattr(ledgers, "_entry_points", lambda: [plugin, hijack, broken])
    assert isinstance(open_ledger("office://team/ledger"), JSONLinesLedger)
    assert isinstance(open_ledger(str(tmp_path / "a.xlsx")), ExcelLedger), "built-ins win"
    assert known_ledgers()["office"] == "entry point textkit.ledgers.files:JSONLinesLedger"
    with pytest.raises(LedgerError, match="'broken' ledger backend cannot be imported"):
        open_ledger("broken://x")


def test_entry_points_are_read_from_the_real_group() -> None:
    assert isinstance(ledgers._entry_points(), list)


def test_importing_ledgers_loads_nothing_heavy() -> None:
    code = (
        "import sys, textkit; before = set(sys.modules); import textkit.ledgers; "
        "heavy = {'sqlalchemy', 'openpyxl', 'httpx', 'pandas', 'psycopg'} & {m.split('.')[0] for m in set(sys.modules) - before}; "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_surface() -> None:
    assert sorted(ledgers.__all__) == [
        "FieldChange", "Ledger", "LedgerDiff", "STATUSES", "UpsertResult", "known_ledgers", "open_ledger",
        "register_ledger",
    ]
    assert ledgers.STATUSES == ("待办", "立项", "交办", "催办", "办结", "销号")
