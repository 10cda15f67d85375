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
    python benchmarks/cold_start.py --no-bytecode   # compile every module from source each run

Bytecode: an installed package runs from the ``.pyc`` files pip wrote at install.
An environment with ``PYTHONDONTWRITEBYTECODE=1`` (this project's CI and shared
machines set it) compiles every textkit module from source in every process,
~0.1-0.2 s more; so textkit's runs get a private ``PYTHONPYCACHEPREFIX`` (a
temporary directory, nothing written into the checkout) unless ``--no-bytecode``.
Besides wall time, the CPU time (user + system) of each child is reported: on a
shared machine it moves far less with the load than the wall time does.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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
    return timed(command, env)[0]


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one fresh run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def textkit_env(bytecode: bool) -> dict[str, str]:
    """The environment of textkit's runs: with cached bytecode, as an installed package has it, unless told not to."""
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="textkit-pycache-")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def import_profile(command: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    """``-X importtime`` of one fresh run: total µs, top-level packages by cumulative time, heavy ones present."""
    env = {**(env or os.environ), "PYTHONPROFILEIMPORTTIME": "1"}
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
    parser.add_argument("--no-bytecode", action="store_true", help="textkit's modules compiled from source in every run")
    args = parser.parse_args()
    command = textkit_command()
    env = textkit_env(not args.no_bytecode)
    wall(BASELINE)
    wall(command, env)  # unmeasured: writes the bytecode cache
    base: list[float] = []
    extract: list[float] = []
    cpu: list[float] = []
    for _ in range(args.rounds):
        base.append(wall(BASELINE))
        seconds, used = timed(command, env)
        extract.append(seconds)
        cpu.append(used)
    figures = {
        "python": sys.version.split()[0],
        "rounds": args.rounds,
        "bytecode": not args.no_bytecode,
        "load_average": round(os.getloadavg()[0], 1),
        "baseline_s": round(statistics.median(base), 3),
        "extract_s": round(statistics.median(extract), 3),
        "extract_min_s": round(min(extract), 3),
        "extract_cpu_s": round(statistics.median(cpu), 3),
        "ratio": round(statistics.median(extract) / statistics.median(base), 2),
        **import_profile(command, env),
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    print(f"baseline `import jieba; jieba.lcut('x')`: median {figures['baseline_s']:.3f} s over {args.rounds} rounds")
    print(f"`textkit extract {SAMPLE.relative_to(ROOT)} --ref-date 2024-04-18`: median {figures['extract_s']:.3f} s "
          f"(min {figures['extract_min_s']:.3f} s), CPU {figures['extract_cpu_s']:.3f} s; "
          f"bytecode {'cached' if figures['bytecode'] else 'compiled every run'}, load average {figures['load_average']}")
    print(f"ratio textkit / baseline: {figures['ratio']:.2f}x")
    print(f"imports (-X importtime, top level): {figures['imports_ms']} ms; slowest: "
          + ", ".join(f"{n} {ms} ms" for n, ms in figures["slowest"]))
    print(f"heavy packages imported: {', '.join(figures['heavy_imported']) or 'none'}")


if __name__ == "__main__":
    main()
