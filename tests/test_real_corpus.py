"""The real development corpus: hashed gold and sources always; extraction scores where the cache is.

Real excerpts are third-party text kept in the git-ignored ``corpora/real/cache``;
CI on a fresh clone has only the hashed gold and ``SOURCES.tsv``, so the scoring
tests skip there with the reason, and run wherever the cache was rebuilt.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, shared_or_skip
from textkit.evaluate import evaluate, score_predictions
from textkit.model import missing_documents

REAL = ROOT / "corpora" / "real"
GOLD = REAL / "gold"
CACHE = REAL / "cache"
sys.path.insert(0, str(REAL))
import realgold  # noqa: E402  (the corpus's own script: corpora/real/realgold.py)

GOLD_FILES = sorted(GOLD.glob("r*.json"))


def _sources() -> dict[str, dict[str, str]]:
    with (REAL / "SOURCES.tsv").open(encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r["id"] != "-"}


def test_the_corpus_is_large_enough_and_split_as_promised() -> None:
    splits = [json.loads(p.read_text(encoding="utf-8"))["meta"]["split"] for p in GOLD_FILES]
    assert len(GOLD_FILES) >= 150
    assert splits.count("test") * 3 >= len(splits)  # at least a third held out
    assert all(realgold.split_of(p.stem) == s for p, s in zip(GOLD_FILES, splits, strict=True))


def test_every_gold_file_has_a_source_row_and_keeps_headings_only_as_hashes() -> None:
    sources = _sources()
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        row = sources[path.stem]
        assert row["url"].startswith("http") and len(row["sha1"]) == 40 and row["query"], path.name
        assert "title" not in gold
        for d in gold["directives"]:
            assert "heading" not in d and len(d["h10"]) == 16, path.name
            assert d["heading_span"] is None or d["heading_span"][0] < d["heading_span"][1]
        for nd in gold["not_directives"]:
            assert set(nd) <= {"h10", "h10len"}, path.name


def test_no_cached_excerpt_is_tracked_by_git() -> None:
    tracked = subprocess.run(["git", "ls-files", "corpora/real"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert tracked and not [t for t in tracked if t.startswith("corpora/real/cache/")]
    assert all(t.endswith((".tsv", ".json", ".md", ".py")) for t in tracked)


def _cache_or_skip(split: str, at_least: float = 0.8) -> None:
    """Skip unless most of the split's excerpts are cached; a partly rebuilt cache is scored on what it holds."""
    missing = missing_documents(GOLD, split=split)
    total = sum(1 for p in GOLD_FILES if realgold.split_of(p.stem) == split)
    if len(missing) > (1 - at_least) * total:
        pytest.skip(
            f"{len(missing)} of {total} real excerpts of the {split} split are not in {CACHE} (third-party text, "
            "git-ignored): rebuild the cache as `python corpora/real/realgold.py check` explains"
        )


def _cached_rows() -> list[dict[str, str]]:
    rows = [r for r in _sources().values() if (CACHE / f"{r['id']}.txt").exists()]
    if not rows:
        pytest.skip(f"no real excerpt is cached in {CACHE} (third-party text, git-ignored)")
    return rows


def test_cached_excerpts_are_the_annotated_ones() -> None:
    for row in _cached_rows():
        assert realgold.sha1_file(CACHE / f"{row['id']}.txt") == row["sha1"], row["id"]


def test_restore_keeps_an_excerpt_only_when_its_sha1_is_the_recorded_one(tmp_path: Path) -> None:
    row = _cached_rows()[0]
    path = CACHE / f"{row['id']}.txt"
    text = path.read_text(encoding="utf-8")
    as_shown = tmp_path / "shown.jstr"  # the excerpt as a search answer's JSON string shows it
    as_shown.write_text(json.dumps(text, ensure_ascii=False)[1:-1], encoding="utf-8")
    assert realgold.restore(row["id"], as_shown) == 0
    assert path.read_text(encoding="utf-8") == text
    damaged = tmp_path / "damaged.jstr"
    damaged.write_text(json.dumps(text[:-1], ensure_ascii=False)[1:-1], encoding="utf-8")
    assert realgold.restore(row["id"], damaged) == 1
    assert path.read_text(encoding="utf-8") == text  # a wrong copy never replaces the cached one
    assert realgold.restore("r99999", as_shown) == 2


def test_real_test_split_extraction_quality() -> None:
    """A floor a little under the held-out real figures, to catch regressions (the measured figures
    are in the model card and README; the issue's targets are higher)."""
    _cache_or_skip("test")
    report = evaluate(GOLD, split="test")
    assert report.directives.f1 >= 0.84
    assert report.owners.f1 >= 0.62
    assert report.deadlines.f1 >= 0.47  # 0.500 on the 353 held-out excerpts of the eighth session


def test_eval_on_real_gold_agrees_with_the_reference_scorer(tmp_path: Path) -> None:
    _cache_or_skip("test")
    score = shared_or_skip("tools", "score.py")
    report = evaluate(GOLD, split="test")
    report.write_predictions(tmp_path / "pred")
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in report.predictions:
        (gold / f"{name}.json").write_text((GOLD / f"{name}.json").read_text(encoding="utf-8"), encoding="utf-8")
    ours = score_predictions(gold, tmp_path / "pred")
    out = subprocess.run([sys.executable, str(score), str(gold), str(tmp_path / "pred")], capture_output=True, text=True, check=True)
    last = out.stdout.strip().splitlines()[-1]
    assert f"directives F1={ours.directives.f1:.3f}" in last
    assert f"owners F1={ours.owners.f1:.3f}" in last
    assert f"deadlines F1={ours.deadlines.f1:.3f}" in last
