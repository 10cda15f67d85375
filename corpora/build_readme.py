"""Regenerate the counts and the per-document table of corpora/README.md from the gold files.

    python corpora/build_readme.py        # rewrites the part between the two markers

The rest of the README is prose kept by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- generated: begin -->", "<!-- generated: end -->"
SPLITS = ("train", "test", "blind")


def _gold() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) | {"_stem": p.stem} for p in sorted((HERE / "gold").glob("*.json"))]


def _counts(golds: list[dict]) -> str:
    rows = ["| split | documents | directives | non-directives | deadlines | owners | cadences |", "|---|---|---|---|---|---|---|"]
    total: Counter[str] = Counter()
    for split in (*SPLITS, "all"):
        c: Counter[str] = Counter()
        for g in golds:
            if split != "all" and g.get("meta", {}).get("split", "train") != split:
                continue
            c["docs"] += 1
            c["dir"] += len(g["directives"])
            c["non"] += len(g.get("not_directives", []))
            c["ddl"] += sum(len(d.get("deadlines", [])) for d in g["directives"])
            c["own"] += sum(len(d.get("owners", [])) for d in g["directives"])
            c["cad"] += sum(len(d.get("cadence", [])) for d in g["directives"])
        if split == "all":
            c = total
        else:
            total.update(c)
        rows.append(f"| {split} | {c['docs']} | {c['dir']} | {c['non']} | {c['ddl']} | {c['own']} | {c['cad']} |")
    return "\n".join(rows)


def _table(golds: list[dict]) -> str:
    rows = [
        "| document | split | level | topic | genre | marker styles | noise | dir | non-dir |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for g in golds:
        meta = g.get("meta", {})
        styles = " ".join(f"`{s}`" for s in meta.get("styles", []))
        noise = ", ".join(meta.get("noise", []))
        rows.append(
            f"| {g['_stem']} | {meta.get('split', 'train')} | {meta.get('level', '')} | {meta.get('topic', '')} | "
            f"{meta.get('genre', '')} | {styles} | {noise} | {len(g['directives'])} | {len(g.get('not_directives', []))} |"
        )
    return "\n".join(rows)


def main() -> None:
    golds = _gold()
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    body = f"{BEGIN}\n## Counts\n\n{_counts(golds)}\n\nDeadlines, owners and cadences are counted per directive as annotated (a cadence\nis one freq value of a directive).\n\n## What each document exercises\n\n`dir` = directives, `non-dir` = `not_directives` entries (enumerations that assign no\nwork). Marker styles and noise as recorded in `meta`; each gold file's `meta.notes`\nexplains every judgement call.\n\n{_table(golds)}\n{END}"
    readme.write_text(head + body + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
