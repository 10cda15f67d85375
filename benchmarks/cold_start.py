"""Cold start: a fresh ``textkit extract`` of the README's sample speech, against a jieba baseline.

Each round starts new processes, interleaved so both sides see the same machine load:

- baseline: ``python -c "import jieba; jieba.lcut('x')"`` (import jieba and load its dictionary);
- textkit: ``textkit extract corpora/docs/01_city-economy-q1.txt --ref-date 2024-04-18``
  (the console script, as a user runs it; JSON to a pipe).

One unmeasured run of each first, so both jieba dictionary caches exist (as they do
after the first run on any machine). Then one run of textkit under ``-X importtime``:
total import time, the slowest top-level imports, and whether numpy, scipy or
scikit-learn were imported at all.

    python benchmarks/cold_start.py              # --rounds 7
    python benchmarks/cold_start.py --json       # the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "docs" / "01_city-economy-q1.txt"
BASELINE = [sys.executable, "-c", "import jieba; jieba.lcut('x')"]
HEAVY = ("numpy", "scipy", "sklearn", "joblib", "pandas", "spacy", "sqlalchemy", "openpyxl", "httpx", "docx", "pypdf", "lxml", "cn2an")


def textkit_command() -> list[str]:
    """The ``textkit`` console script of this interpreter's environment (what ``pip install`` made)."""
    beside = Path(sys.executable).with_name("textkit")
    script = str(beside) if beside.exists() else shutil.which("textkit")
    if script is None:
        raise SystemExit("no `textkit` script: pip install -e . first")
    return [script, "extract", str(SAMPLE), "--ref-date", "2024-04-18"]


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - start


def import_profile(command: list[str]) -> dict[str, object]:
    """``-X importtime`` of one fresh run: total µs, top-level packages by cumulative time, heavy ones present."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    proc = subprocess.run(command, check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    packages: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        cumulative, indent, name = int(match.group(2)), len(match.group(3)), match.group(4)
        if indent == 1:  # imported by the program itself, not by another module
            top = name.split(".")[0]
            packages[top] = packages.get(top, 0) + cumulative
    total = sum(packages.values())
    loaded = {m.split(".")[0] for m in re.findall(r"\|\s+(\S+)$", proc.stderr, flags=re.M)}
    return {
        "imports_ms": round(total / 1000, 1),
        "slowest": [(name, round(us / 1000, 1)) for name, us in sorted(packages.items(), key=lambda kv: -kv[1])[:8]],
        "heavy_imported": sorted(m for m in HEAVY if m in loaded),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    command = textkit_command()
    wall(BASELINE)
    wall(command)
    base: list[float] = []
    extract: list[float] = []
    for _ in range(args.rounds):
        base.append(wall(BASELINE))
        extract.append(wall(command))
    figures = {
        "python": sys.version.split()[0],
        "rounds": args.rounds,
        "baseline_s": round(statistics.median(base), 3),
        "extract_s": round(statistics.median(extract), 3),
        "extract_min_s": round(min(extract), 3),
        "ratio": round(statistics.median(extract) / statistics.median(base), 2),
        **import_profile(command),
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    print(f"baseline `import jieba; jieba.lcut('x')`: median {figures['baseline_s']:.3f} s over {args.rounds} rounds")
    print(f"`textkit extract {SAMPLE.relative_to(ROOT)} --ref-date 2024-04-18`: median {figures['extract_s']:.3f} s "
          f"(min {figures['extract_min_s']:.3f} s)")
    print(f"ratio textkit / baseline: {figures['ratio']:.2f}x")
    print(f"imports (-X importtime, top level): {figures['imports_ms']} ms; slowest: "
          + ", ".join(f"{n} {ms} ms" for n, ms in figures["slowest"]))  # type: ignore[union-attr]
    print(f"heavy packages imported: {', '.join(figures['heavy_imported']) or 'none'}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
