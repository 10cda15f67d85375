"""Score textkit and JioNLP on corpora/deadlines.tsv in one run.

    python benchmarks/deadlines_vs_jionlp.py [--table corpora/deadlines.tsv] [--misses N]

A row is correct when the predicted deadlines and the expected ones pair up
one to one, each pair with the same ``due`` and texts where one contains the
other (the contract's matching rule: ``6月30日`` matches ``6月30日前``).
``strict`` also requires identical texts. Start points (``从现在起``, kind
``open``) are not deadlines and are dropped from both sides.

JioNLP: ``jionlp.ner.extract_time`` detects, ``jionlp.parse_time`` normalises
(``due`` = the last day of the parsed span); either may raise, which counts as
finding nothing for that expression. JioNLP is a benchmark dependency only
(``pip install -e .[bench]``).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textkit.extractors.base import Context
from textkit.extractors.deadlines import find_deadlines

Pair = tuple[str, str | None]
TABLE = Path(__file__).resolve().parent.parent / "corpora" / "deadlines.tsv"


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        row["ref"] = date.fromisoformat(row["ref_date"]) if row["ref_date"] else None
        row["gold"] = [(d["text"], d["due"]) for d in json.loads(row["expected"]) if d["kind"] != "open"]
    return rows


def textkit_predict(sentence: str, ref: date | None) -> list[Pair]:
    return [(f.text, f.value.due) for f in find_deadlines(sentence, context=Context(ref=ref)) if f.value.kind != "open"]


def jionlp_predict(sentence: str, ref: date | None) -> list[Pair]:
    import jionlp

    logging.disable(logging.CRITICAL)  # JioNLP logs a traceback for every string it cannot parse

    base = {"year": ref.year, "month": ref.month, "day": ref.day} if ref else None
    kwargs: dict[str, Any] = {"time_base": base} if base else {}
    try:
        spans = jionlp.ner.extract_time(sentence, with_parsing=False, **kwargs)
    except Exception:  # noqa: BLE001 - JioNLP raises on some inputs; that is a miss
        return []
    out: list[Pair] = []
    for span in spans:
        due = None
        try:
            parsed = jionlp.parse_time(span["text"], **kwargs)
            end = parsed["time"][-1]
            due = end[:10] if isinstance(end, str) and end[:4].isdigit() else None
        except Exception:  # noqa: BLE001
            pass
        out.append((span["text"], due))
    return out


def row_correct(pred: list[Pair], gold: list[Pair], *, strict: bool) -> bool:
    if len(pred) != len(gold):
        return False
    left = list(gold)
    for text, due in pred:
        for i, (gtext, gdue) in enumerate(left):
            same = text == gtext if strict else (text in gtext or gtext in text)
            if same and due == gdue:
                del left[i]
                break
        else:
            return False
    return not left


def score(name: str, predict: Callable[[str, date | None], list[Pair]], rows: list[dict[str, Any]], misses: int) -> None:
    started = time.perf_counter()
    preds = [predict(row["sentence"], row["ref"]) for row in rows]
    seconds = time.perf_counter() - started
    lenient = sum(row_correct(p, r["gold"], strict=False) for p, r in zip(preds, rows, strict=True))
    strict = sum(row_correct(p, r["gold"], strict=True) for p, r in zip(preds, rows, strict=True))
    distractors = [(p, r) for p, r in zip(preds, rows, strict=True) if not r["gold"]]
    quiet = sum(1 for p, _ in distractors if not p)
    print(
        f"{name:8s} accuracy {lenient / len(rows):.3f} ({lenient}/{len(rows)})  strict {strict / len(rows):.3f}"
        f"  distractors silent {quiet}/{len(distractors)}  {seconds:.2f}s"
    )
    shown = 0
    for p, r in zip(preds, rows, strict=True):
        if shown < misses and not row_correct(p, r["gold"], strict=False):
            print(f"    {r['sentence']}  gold={r['gold']}  got={p}")
            shown += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", type=Path, default=TABLE)
    parser.add_argument("--misses", type=int, default=0, help="print this many wrong rows per system")
    args = parser.parse_args()
    rows = load(args.table)
    print(f"{args.table.name}: {len(rows)} rows, {sum(1 for r in rows if not r['gold'])} without a deadline")
    score("textkit", textkit_predict, rows, args.misses)
    score("jionlp", jionlp_predict, rows, args.misses)


if __name__ == "__main__":
    main()
