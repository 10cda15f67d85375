"""Issue 18: the table view breaks lines between owners, deadlines and targets, never inside one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from textkit.pipeline import extract_file
from textkit.show import print_table

from .conftest import CORPUS

DOCS = sorted((CORPUS / "docs").glob("*.txt"))[:6]


@pytest.mark.parametrize("width", [100, 140, 200])
@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.stem[:16])
def test_no_owner_name_or_date_is_split_across_lines(doc: Path, width: int) -> None:
    extraction = extract_file(doc, ref_date="2024-04-18")
    console = Console(width=width, record=True, soft_wrap=False, file=open("/dev/null", "w"))  # noqa: SIM115
    print_table(extraction, console)
    lines = console.export_text().splitlines()
    units = {o.name for t in extraction.tasks for o in t.owners if len(o.name) <= 12}
    units |= {t.deadline.due for t in extraction.tasks if t.deadline and t.deadline.due}
    broken = [u for u in units if not any(u in line for line in lines)]
    assert not broken, f"split across lines at width {width}: {broken}"
