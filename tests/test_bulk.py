"""textkit bulk: inputs (folders, globs, zip, stdin), bad files, resume after a kill, Dask = local."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from textkit.bulk import extract_bag, extract_document, extract_frame, run_bulk
from textkit.cli import app
from textkit.io import read_path
from textkit.ledgers import open_ledger
from textkit.sources import InputRef, Reader, ZipLimits, discover, unsafe_name

from .conftest import CORPUS

DOCS = CORPUS / "docs"
# Short ones, a GBK one (16) among them, so runs stay quick.
SMALL = ["16_county-standing-meeting-minutes.txt", "20_township-flood-control-speech.txt",
         "21_county-safety-committee-minutes.txt", "06_county-project-construction.txt"]


def _copy(names: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(DOCS / name, folder / name)
    return folder


def _task_ids(url: str) -> list[str]:
    with open_ledger(url) as ledger:
        return list(ledger.read()["task_id"])


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, Any]]:
    """What the per-document function gives for the small set, by file name."""
    return {name: extract_document((DOCS / name).read_bytes(), name) for name in SMALL}


# --- finding inputs ---------------------------------------------------------------------


def test_folder_is_recursive_and_takes_only_readable_types(tmp_path: Path) -> None:
    _copy(SMALL[:2], tmp_path / "a")
    _copy(SMALL[2:3], tmp_path / "a" / "b" / "c")
    (tmp_path / "a" / "notes.json").write_text("{}")
    names = [Path(r.path).name for r in discover([str(tmp_path / "a")])]
    assert sorted(names) == sorted(SMALL[:3])
    assert [Path(r.path).name for r in discover([str(tmp_path / "a")], glob="20_*")] == [SMALL[1]]


def test_glob_spec_and_stdin_list(tmp_path: Path) -> None:
    _copy(SMALL, tmp_path / "docs")
    (tmp_path / "docs" / "x.md").write_text("# not a speech")
    found = discover([f"{tmp_path}/docs/**/*.txt"])
    assert sorted(Path(r.path).name for r in found) == sorted(SMALL)
    listing = io.StringIO(f"{tmp_path}/docs/{SMALL[0]}\n\n{tmp_path}/docs/{SMALL[1]}\n{tmp_path}/missing.txt\n")
    refs = discover(["-"], stdin=listing)
    assert [Path(r.path).name for r in refs] == [SMALL[0], SMALL[1], "missing.txt"]
    assert refs[-1].error == "no such file or folder"
    assert discover([f"{tmp_path}/nothing-*.txt"])[0].error == "the pattern matches no file"


@pytest.mark.parametrize("name", ["../x.txt", "a/../../x.txt", "/etc/x.txt", "C:\\x.txt", "..\\x.txt"])
def test_unsafe_member_names(name: str) -> None:
    assert unsafe_name(name)


@pytest.mark.parametrize("name", ["x.txt", "a/b/c.txt", "a/..b.txt", "一、讲话.txt"])
def test_safe_member_names(name: str) -> None:
    assert unsafe_name(name) is None


def _malicious_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in SMALL[:2]:
            zf.writestr(f"good/{name}", (DOCS / name).read_bytes())
        zf.writestr("../../evil.txt", "在会上的讲话")
        zf.writestr("/etc/evil.txt", "在会上的讲话")
        zf.writestr("bomb.txt", b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros in about 60 KB
        zf.writestr("ratio.txt", "落实" * 2_000_000)  # 8 MB compressing far beyond 200:1
    return path


def test_malicious_zip_is_read_in_place_and_refused_member_by_member(tmp_path: Path) -> None:
    archive = _malicious_zip(tmp_path / "in.zip")
    refs = {r.member: r for r in discover([str(archive)])}
    assert refs[f"good/{SMALL[0]}"].error is None and refs[f"good/{SMALL[1]}"].error is None
    assert "traversal" in (refs["../../evil.txt"].error or "")
    assert "absolute" in (refs["/etc/evil.txt"].error or "")
    assert "bomb" in (refs["bomb.txt"].error or "")
    assert "compressed" in (refs["ratio.txt"].error or "")
    # the total limit (issue 18): an archive over it is refused whole, before any member is read
    small = discover([str(archive)], limits=ZipLimits(total_bytes=4000))
    assert len(small) == 1 and small[0].member is None and "bytes uncompressed" in (small[0].error or "")

    errors = tmp_path / "errors.jsonl"
    before = sorted(p.name for p in tmp_path.iterdir())
    summary = run_bulk([str(archive)], f"sqlite:///{tmp_path}/l.db", workers=0, errors=errors)
    assert summary.documents == 2 and summary.errors == 4 and summary.failed
    reported = [json.loads(line) for line in errors.read_text().splitlines()]
    assert {r["source"] for r in reported} == {f"{archive}!{m}" for m in
                                               ("../../evil.txt", "/etc/evil.txt", "bomb.txt", "ratio.txt")}
    assert all(set(r) == {"source", "error"} for r in reported)
    written = sorted(p.name for p in tmp_path.iterdir() if ".links-index.npz" not in p.name)  # the ledger's link index
    assert written == sorted([*before, "l.db", "errors.jsonl"])
    assert not (tmp_path.parent / "evil.txt").exists()


def test_reader_bounds_a_member_whatever_its_declared_size(tmp_path: Path) -> None:
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "讲话" * 2_000_000)
    ref = InputRef(f"{archive}!a.txt", str(archive), "a.txt")
    with Reader(ZipLimits(member_bytes=3 * 1024 * 1024)) as reader, pytest.raises(Exception, match="bomb"):
        reader.read(ref)


# --- running ----------------------------------------------------------------------------


def test_bad_files_among_good_ones_are_reported_and_the_run_goes_on(
    tmp_path: Path, expected: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(SMALL[:3], tmp_path / "in")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "huge.txt").write_bytes("讲话".encode() * 2000)
    monkeypatch.setattr("textkit.sources.MAX_BYTES", 5000)  # so "huge" needs no 50 MB file
    errors, url = tmp_path / "errors.jsonl", f"sqlite:///{tmp_path}/ledger.db"
    result = CliRunner().invoke(app, ["bulk", str(folder), "--to", url, "--workers", "2", "--errors", str(errors)])
    assert result.exit_code == 1, result.output
    reported = {Path(r["source"]).name: r["error"] for r in map(json.loads, errors.read_text().splitlines())}
    assert set(reported) == {"empty.txt", "binary.txt", "broken.docx", "huge.txt"}
    assert "empty" in reported["empty.txt"] and "Word" in reported["broken.docx"]
    assert "too large" in reported["huge.txt"] and "binary" in reported["binary.txt"]
    want = [t["task_id"] for name in sorted(SMALL[:3]) for t in expected[name]["extraction"]["tasks"]]
    assert _task_ids(url) == want  # 序号 follow input order
    assert "errors     4" in result.output and "documents  3 extracted" in result.output

    good = _copy(SMALL[:1], tmp_path / "good")
    clean = CliRunner().invoke(app, ["bulk", str(good), "--to", url, "--workers", "0", "-q"])
    assert clean.exit_code == 0 and "skipped    1 already in the ledger" in clean.output


def test_resume_after_a_killed_run_adds_no_duplicates(tmp_path: Path, expected: dict[str, dict[str, Any]]) -> None:
    # 32 documents (each small file eight times under different contents) so the kill lands mid-run
    copies = 8
    total = copies * len(SMALL)
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(copies):
        for name in SMALL:
            copy = folder / f"{k}-{name}"
            if k:
                copy.write_text(read_path(DOCS / name) + f"\n(第{k}份)\n", encoding="utf-8")
            else:
                shutil.copy(DOCS / name, copy)
    ledger = tmp_path / "ledger.db"
    cmd = [sys.executable, "-c", "from textkit.cli import main; main()", "bulk", str(folder),
           "--to", f"sqlite:///{ledger}", "--workers", "1", "--batch-size", "1", "-q"]
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    docs_before = 0
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and first.poll() is None:
            docs_before = _documents(ledger)
            if docs_before:
                break
            time.sleep(0.02)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)  # the run and its pool worker, mid-run
        first.wait()
    assert first.returncode == -signal.SIGKILL, "the first run finished before it could be killed"
    assert 0 < docs_before < total, docs_before

    second = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert second.returncode == 0, second.stderr
    skipped = int(second.stderr.split("skipped    ")[1].split()[0])
    assert skipped >= docs_before, second.stderr
    with sqlite3.connect(ledger) as conn:
        ids = [row[0] for row in conn.execute("SELECT task_id FROM task_ledger")]
        seqs = [row[0] for row in conn.execute("SELECT 序号 FROM task_ledger")]
    assert len(ids) == len(set(ids)) and len(seqs) == len(set(seqs)), (len(ids), len(set(ids)), len(set(seqs)))
    per_copy = sum(len(expected[n]["extraction"]["tasks"]) for n in SMALL)
    assert (_documents(ledger), len(ids)) == (total, copies * per_copy), second.stderr


def _documents(ledger: Path) -> int:
    if not ledger.exists():
        return 0
    try:
        with sqlite3.connect(ledger, timeout=0.05) as conn:  # never wait while the run writes
            return int(conn.execute("SELECT COUNT(DISTINCT doc_id) FROM task_ledger").fetchone()[0])
    except sqlite3.OperationalError:  # the table is not created yet, or locked for a moment
        return 0


# --- Dask --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Any:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local:
        yield local


def test_dask_engine_gives_the_local_records(tmp_path: Path, cluster: Any) -> None:
    folder = _copy(SMALL, tmp_path / "in")
    local, remote = f"sqlite:///{tmp_path}/local.db", f"sqlite:///{tmp_path}/dask.db"
    run_bulk([str(folder)], local, workers=0, ref_date="2024-05-01")
    result = CliRunner().invoke(app, ["bulk", str(folder), "--to", remote, "--engine", "dask", "--scheduler",
                                      cluster.scheduler_address, "--ref-date", "2024-05-01", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert f"documents  {len(SMALL)} extracted" in result.output
    with open_ledger(local) as a, open_ledger(remote) as b:
        assert a.records() == b.records() and len(a.records()) > 20
        assert list(a.read()["序号"]) == list(b.read()["序号"])


def test_extract_bag_matches_the_per_document_function(
    tmp_path: Path, cluster: Any, expected: dict[str, dict[str, Any]]
) -> None:
    from distributed import Client

    folder = _copy(SMALL, tmp_path / "in")
    (folder / "empty.txt").write_bytes(b"")
    with Client(cluster):
        outcomes = extract_bag([str(folder)]).compute()
    by_name = {Path(o["source"]).name: o for o in outcomes}
    assert by_name.pop("empty.txt")["status"] == "error"
    assert set(by_name) == set(SMALL)
    for name, outcome in by_name.items():
        assert outcome["extraction"]["tasks"] == expected[name]["extraction"]["tasks"]


def test_extract_frame_pandas_and_dask(cluster: Any, expected: dict[str, dict[str, Any]]) -> None:
    dd = pytest.importorskip("dask.dataframe")  # needs pyarrow: pip install 'dask[dataframe]'
    import pandas as pd
    from distributed import Client

    texts = pd.DataFrame({"text": [read_path(DOCS / n) for n in SMALL] + ["   "], "source": [*SMALL, "blank"]})
    here = extract_frame(texts)
    with Client(cluster):
        there = extract_frame(dd.from_pandas(texts, npartitions=2)).compute().reset_index(drop=True)
    want = [t["task_id"] for n in SMALL for t in expected[n]["extraction"]["tasks"]]
    assert list(here["task_id"].dropna()) == want == list(there["task_id"].dropna())
    assert here.loc[here["source"] == "blank", "error"].item()
    assert list(here.columns) == list(there.columns)


def test_slow_writes_to_a_database_are_put_down_to_linking_not_the_disk() -> None:
    """The 1,470-document run spent 143 of 210 s writing SQLite, nearly all of it linking follow-ups;
    the note blamed a remote database or a busy disk."""
    from textkit.bulk import BulkSummary

    database = BulkSummary(documents=1470, seconds=210.0, write_seconds=143.0).lines()[-1]
    assert database.startswith("note       writing the ledger took 143 of 210 s") and "follow-ups" in database
    workbook = BulkSummary(documents=1470, seconds=537.0, write_seconds=467.0, whole_file_ledger=True).lines()[-1]
    assert "seed an SQLite ledger" in workbook


def test_slow_writes_never_let_unwritten_batches_pile_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pacing waits 4x a write's time before the next one; with writes that look endless it must still
    # write every MAX_UNWRITTEN batches, so a long run's memory stays bounded
    import textkit.bulk as bulk

    folder = tmp_path / "docs"
    folder.mkdir()
    for path in sorted((CORPUS / "docs").glob("*.txt"))[:12]:
        shutil.copy(path, folder / path.name)
    monkeypatch.setattr(bulk, "WRITE_PACE", 1e9)
    monkeypatch.setattr(bulk, "MAX_UNWRITTEN", 3)
    sizes: list[int] = []
    write = bulk._write

    def spy(ledger: Any, batch: list[Any], summary: Any, *args: Any, **kwargs: Any) -> None:
        sizes.append(len(batch))
        write(ledger, batch, summary, *args, **kwargs)

    monkeypatch.setattr(bulk, "_write", spy)
    summary = run_bulk([str(folder)], f"sqlite:///{tmp_path}/l.db", workers=0, batch_size=2, ref_date="2024-05-01")
    assert summary.documents == 12
    assert max(sizes) <= 3 * 2 and sizes.count(6) == 1, sizes  # one paced write, then writes at the cap
    with open_ledger(f"sqlite:///{tmp_path}/l.db") as ledger:
        assert len(ledger.doc_ids()) == 12


def _lagging_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str, pace: float) -> list[int]:
    """13 documents (one without tasks), 2 a batch, every write lagging (``pace``) until 3 batches wait: the
    sizes of the seeds."""
    import textkit.bulk as bulk
    from textkit.ledgers.base import Ledger

    folder = tmp_path / "docs"
    if not folder.exists():
        folder.mkdir()
        for path in sorted((CORPUS / "docs").glob("*.txt"))[:12]:
            shutil.copy(path, folder / path.name)
        # a document without any task still takes its place in a batch: seeds are the batches as they arrived
        (folder / "03z_weather.txt").write_text("本文仅记录当天的天气情况，全天晴朗，微风。", encoding="utf-8")
    monkeypatch.setattr(bulk, "WRITE_PACE", pace)
    monkeypatch.setattr(bulk, "MAX_UNWRITTEN", 3)
    seeds: list[int] = []
    ledger = open_ledger(to)
    kind = type(ledger)
    ledger.close()
    seed_many = kind.seed_many

    def counted(self: Ledger, extractions: Any, *args: Any, **kwargs: Any) -> Any:
        seeds.append(len(list(extractions)))
        return seed_many(self, extractions, *args, **kwargs)

    monkeypatch.setattr(kind, "seed_many", counted)
    summary = run_bulk([str(folder)], to, workers=0, batch_size=2, ref_date="2024-05-01")
    monkeypatch.setattr(kind, "seed_many", seed_many)
    assert summary.documents == 13 and summary.inserted > 0
    return seeds


def _stored_links(url: str) -> list[tuple[str, str, str, float]]:
    from textkit.ledgers.links import link_store

    with open_ledger(url) as ledger:
        return sorted((x.task_id, x.follows, x.relation, x.score) for x in link_store(ledger).all())


def test_a_lagging_write_seeds_a_kept_sqlite_ledger_a_batch_at_a_time(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes that lag gather up to MAX_UNWRITTEN batches (500 documents at the defaults); a seed holds what it
    reads to link its documents until it ends, and that grows with the ledger, so a kept SQLite seeder takes
    them a batch at a time (the parent's memory was set by its 500-document seeds). The ledger is the one a
    run whose writes never lag leaves (the same seeds: the batches as they arrived); a CSV ledger, rewritten whole
    at each seed, still takes the whole write."""
    lagging = f"sqlite:///{tmp_path}/lagging.db"
    seeds = _lagging_run(tmp_path, monkeypatch, lagging, 1e9)
    prompt = f"sqlite:///{tmp_path}/prompt.db"
    assert seeds == _lagging_run(tmp_path, monkeypatch, prompt, 0.0) == [2, 1, 2, 2, 2, 2, 1], seeds
    assert _stored_links(lagging) == _stored_links(prompt) != []
    with open_ledger(lagging) as a, open_ledger(prompt) as b:
        assert a.get_rows().keys() == b.get_rows().keys()
    csv = _lagging_run(tmp_path, monkeypatch, str(tmp_path / "台账.csv"), 1e9)
    assert sum(csv) == 12 and max(csv) >= 5, csv
