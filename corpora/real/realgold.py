#!/usr/bin/env python3
"""The real corpus's bookkeeping: hash plain gold, check the cache, merge sources.

Real excerpts are third-party text, so the repository keeps only where each one
comes from (``SOURCES.tsv``), the sha1 of the saved excerpt, and gold whose
headings are hashed the way ``../shared/tools/score.py`` matches them (``h10``,
``h10len``) plus a character span into the excerpt.  The excerpts and the plain
working gold stay in the git-ignored ``cache/``.

usage:
  python corpora/real/realgold.py check            # sha1 of every cached excerpt; what is missing
  python corpora/real/realgold.py hash [ID ...]    # cache/plain/*.json -> gold/*.json
  python corpora/real/realgold.py merge            # cache/sources/*.tsv -> SOURCES.tsv
  python corpora/real/realgold.py todo [--split S] # missing excerpts, one search per query
  python corpora/real/realgold.py restore ID FILE  # FILE: the excerpt as the search answer's JSON string
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "cache"
PLAIN = CACHE / "plain"
GOLD = HERE / "gold"
SOURCES = HERE / "SOURCES.tsv"
COLUMNS = ["id", "url", "query", "sha1", "chars", "level", "genre", "split", "annotated", "note"]

REBUILD = """\
How to rebuild the cache: `todo` lists the missing ids grouped by their `query`
(SOURCES.tsv), one search each; run it in the search tool's `pages` corpus, take the
result whose address is the id's `url`, write its excerpt as it stands between the
quotes of the answer's JSON (escapes such as \\n kept) to a file, and run
`restore ID FILE`: it decodes the string and writes cache/<id>.txt only when the
sha1 matches. Excerpts are third-party text and never enter git."""


def norm(text: str) -> str:
    """NFKC without whitespace: the scorer's normalisation."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "") if not ch.isspace())


def h10(text: str) -> str:
    return hashlib.sha1(norm(text)[:10].encode("utf-8")).hexdigest()[:16]


def split_of(doc_id: str) -> str:
    """Fixed before any text was read: 40 % test, by the id's number."""
    return "test" if int(doc_id[1:]) % 5 in (0, 3) else "train"


def sha1_file(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def read_sources() -> list[dict[str, str]]:
    if not SOURCES.exists():
        return []
    with SOURCES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def write_sources(rows: list[dict[str, str]]) -> None:
    with SOURCES.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, COLUMNS, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\",
                             lineterminator="\n", extrasaction="ignore")
        out.writeheader()
        for row in rows:
            out.writerow({k: (row.get(k) or "").replace("\t", " ").replace("\n", " ") for k in COLUMNS})


def merge() -> int:
    """Fold the annotators' fragments into SOURCES.tsv (one row per id; unkept texts by url)."""
    rows = {(r["id"], r["url"]): r for r in read_sources()}
    for frag in sorted((CACHE / "sources").glob("*.tsv")):
        for line in frag.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if not cells or cells[0] in ("", "id"):
                continue
            row = dict(zip(COLUMNS, cells + [""] * (len(COLUMNS) - len(cells)), strict=False))
            if row["id"] != "-":
                row["split"] = split_of(row["id"])
                path = CACHE / f"{row['id']}.txt"
                if path.exists():
                    row["sha1"], row["chars"] = sha1_file(path), str(len(path.read_text(encoding="utf-8")))
            rows[(row["id"], row["url"])] = row
    kept = sorted((r for r in rows.values() if r["id"] != "-"), key=lambda r: r["id"])
    seen = {r["url"] for r in kept}
    unkept = sorted((r for r in rows.values() if r["id"] == "-" and r["url"] not in seen), key=lambda r: r["url"])
    write_sources(kept + list({r["url"]: r for r in unkept}.values()))
    print(f"SOURCES.tsv: {len(kept)} kept texts, {len(unkept)} read and not kept")
    return 0


def locate(excerpt: str, heading: str) -> list[int] | None:
    """The span of the heading's first characters in the excerpt (whitespace-tolerant)."""
    want = norm(heading)[:10]
    if not want:
        return None
    index = [i for i, ch in enumerate(excerpt) if not unicodedata.normalize("NFKC", ch).isspace()]
    flat = "".join(unicodedata.normalize("NFKC", excerpt[i]) for i in index)
    if len(flat) != len(index):  # NFKC changed a length: fall back to the raw text
        at = excerpt.find(heading[:10])
        return [at, at + len(heading)] if at >= 0 else None
    at = flat.find(want)
    if at < 0:
        return None
    end = min(at + len(norm(heading)), len(index)) - 1
    return [index[at], index[end] + 1]


def hashed(plain: dict, excerpt: str, doc_id: str) -> dict:
    def item(d: dict) -> dict:
        heading = d.get("heading") or ""
        out = {"marker": d.get("marker"), "h10": h10(heading)}
        if len(norm(heading)) < 10:
            out["h10len"] = len(norm(heading))
        out["heading_span"] = locate(excerpt, heading)
        for key in ("owners", "deadlines", "cadence"):
            out[key] = d.get(key, [])
        return out

    def not_directive(text: str) -> dict:
        return {"h10": h10(text), **({"h10len": len(norm(text))} if len(norm(text)) < 10 else {})}

    meta = dict(plain.get("meta") or {})
    meta["split"] = split_of(doc_id)
    return {
        "doc": f"{doc_id}.txt",
        "ref_date": plain.get("ref_date"),
        "directives": [item(d) for d in plain.get("directives", [])],
        "not_directives": [not_directive(t) for t in plain.get("not_directives", [])],
        "meta": meta,
    }


def hash_gold(ids: list[str]) -> int:
    GOLD.mkdir(exist_ok=True)
    problems = 0
    paths = [PLAIN / f"{i}.json" for i in ids] if ids else sorted(PLAIN.glob("r*.json"))
    for path in paths:
        doc_id = path.stem
        excerpt = (CACHE / f"{doc_id}.txt").read_text(encoding="utf-8")
        try:
            plain = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            print(f"{path}: not JSON ({exc})")
            problems += 1
            continue
        gold = hashed(plain, excerpt, doc_id)
        for d in gold["directives"]:
            if d["heading_span"] is None:
                print(f"{path}: a heading of marker {d['marker']!r} is not in the excerpt")
                problems += 1
        (GOLD / f"{doc_id}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"hashed {len(paths)} gold files, {problems} problems")
    return 1 if problems else 0


def check() -> int:
    rows = [r for r in read_sources() if r["id"] != "-"]
    missing, wrong = [], []
    for r in rows:
        path = CACHE / f"{r['id']}.txt"
        if not path.exists():
            missing.append(r["id"])
        elif sha1_file(path) != r["sha1"]:
            wrong.append(r["id"])
    print(f"{len(rows)} kept texts: {len(rows) - len(missing) - len(wrong)} cached and verified, "
          f"{len(missing)} missing, {len(wrong)} with a different sha1")
    for label, ids in (("missing", missing), ("sha1 differs", wrong)):
        if ids:
            print(f"{label}: {' '.join(ids)}")
    if missing or wrong:
        print(REBUILD)
    return 1 if missing or wrong else 0


def todo(split: str | None) -> int:
    """The missing excerpts, grouped by the query that finds them (one search a group)."""
    groups: dict[str, list[dict[str, str]]] = {}
    for r in read_sources():
        if r["id"] != "-" and not (CACHE / f"{r['id']}.txt").exists() and split in (None, r["split"]):
            groups.setdefault(r["query"], []).append(r)
    for query, rows in groups.items():
        print(f"QUERY: {query}")
        for r in rows:
            print(f"  {r['id']}\t{r['url']}\t{r['chars']} chars")
    print(f"{sum(map(len, groups.values()))} missing excerpts, {len(groups)} searches", file=sys.stderr)
    return 0


def restore(doc_id: str, source: Path) -> int:
    """Decode an excerpt copied as a JSON string (or as plain text) and keep it if its sha1 is the recorded one."""
    rows = {r["id"]: r for r in read_sources() if r["id"] != "-"}
    if doc_id not in rows:
        print(f"{doc_id}: not a kept id of SOURCES.tsv")
        return 2
    raw = source.read_text(encoding="utf-8")
    raw = raw[:-1] if raw.endswith("\n") and not raw.endswith("\\n") else raw
    candidates = [raw]
    try:
        candidates.insert(0, json.loads(f'"{raw}"'))
    except json.JSONDecodeError:
        pass
    want = rows[doc_id]["sha1"]
    for text in candidates:
        data = text.encode("utf-8")
        if hashlib.sha1(data).hexdigest() == want:
            CACHE.mkdir(exist_ok=True)
            (CACHE / f"{doc_id}.txt").write_bytes(data)
            print(f"{doc_id}: restored, sha1 verified ({len(text)} characters)")
            return 0
    print(f"{doc_id}: sha1 differs ({len(candidates[0])} characters, {rows[doc_id]['chars']} recorded); not kept")
    return 1


def main(argv: list[str]) -> int:
    if argv[:1] == ["todo"]:
        return todo(argv[2] if argv[1:2] == ["--split"] and len(argv) > 2 else None)
    if argv[:1] == ["restore"] and len(argv) == 3:
        return restore(argv[1], Path(argv[2]))
    if not argv or argv[0] not in {"check", "hash", "merge"}:
        print(__doc__)
        return 2
    if argv[0] == "check":
        return check()
    if argv[0] == "merge":
        return merge()
    return hash_gold(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
