"""Extract every corpus and real text again with its numbers redacted, and count the crashes.

    python benchmarks/fuzz_redactions.py            # corpora/docs and the real cache, if present

Real pages redact years, months and days (``20xx年``, ``X月X日``, ``××``) or garble them; a
partly redacted year once raised ``ValueError`` inside a deadline rule and failed the whole
extraction of a real excerpt. Each text is rewritten four ways (years, month/day numbers, every
digit, Chinese month/day numerals: replaced at random by redaction marks, full-width digits or
numerals, seeded) and extracted with and without a reference date. Prints the number of variants
and, per place in the code, how many raised; exits 1 if any did.
"""

from __future__ import annotations

import argparse
import collections
import random
import re
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # the corpus keeps some speeches in GB18030 on purpose
        return data.decode("gb18030", "replace")


def _rewrites(rng: random.Random) -> list[Callable[[str], str]]:
    pick = rng.choice
    return [
        lambda t: re.sub(r"(20)(\d\d)(年)", lambda m: m[1] + pick(["xx", "XX", "X" + m[2][1], m[2][0] + "x", "××", "**"]) + m[3], t),
        lambda t: re.sub(r"(\d{1,2})(月|日|号)", lambda m: pick(["x", "X", "XX", "×", "*", m[1][0] + "x"]) + m[2], t),
        lambda t: re.sub(r"\d", lambda m: pick(["x", m[0], "X", "０", "一"]), t),
        lambda t: re.sub(r"([一二三四五六七八九十])(月|日)", lambda m: pick(["X", "Ｘ", "某"]) + m[2], t),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    import textkit

    files = sorted((ROOT / "corpora" / "docs").glob("*.txt")) + sorted((ROOT / "corpora" / "real" / "cache").glob("r*.txt"))
    rewrites = _rewrites(random.Random(args.seed))
    crashes: collections.Counter[tuple[str, str, int]] = collections.Counter()
    first: dict[tuple[str, str, int], str] = {}
    variants = 0
    for path in files:
        text = _read(path)
        for rewrite in rewrites:
            variant = rewrite(text)
            variants += 1
            for ref in (None, date(2023, 5, 1)):
                try:
                    textkit.extract(variant, ref_date=ref)
                except Exception as exc:  # the point: anything extraction raises is a finding
                    frame = traceback.extract_tb(exc.__traceback__)[-1]
                    key = (type(exc).__name__, Path(frame.filename).name, frame.lineno or 0)
                    crashes[key] += 1
                    first.setdefault(key, f"{path.name}: {exc}"[:120])
    print(f"{len(files)} texts, {variants} redacted variants, each extracted with and without a reference date")
    for key, count in crashes.most_common():
        print(f"  {count} x {key[0]} at {key[1]}:{key[2]} (first: {first[key]})")
    print("no crash" if not crashes else f"{sum(crashes.values())} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
