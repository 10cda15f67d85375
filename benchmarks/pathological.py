"""Pathological inputs must take time proportional to their size.

    python benchmarks/pathological.py               # every case at x1, x2, x4
    python benchmarks/pathological.py --case markers --scale 0.5

Each case is built at sizes x1, x2 and x4 and extracted once per size (after a
warm-up that loads the model and the jieba dictionary); the table prints the
seconds and the ratio to x1. Linear time shows ratios near 2 and 4; a
quadratic step shows 4 and 16.

Cases:
- ``one-line``: corpus speeches with every line break removed, repeated to
  5 MB (UTF-8) at x4;
- ``markers``: ``一要`` repeated 10,000 times at x1 (no boundary, no item 2);
- ``items``: 10,000 real items in a row at x1 (``一是抓落实。二是抓落实。…十是…``);
- ``digits``: one line of 100,000 digits at x1;
- ``one-char``: 250,000 times ``一`` at x1 (1 M characters at x4);
- ``brackets``: 50,000 unbalanced ``(（【`` at x1.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _one_line(scale: float) -> Callable[[int], str]:
    from textkit.io import read_path

    speeches = "".join(read_path(p).replace("\n", "") for p in sorted((ROOT / "corpora" / "docs").glob("*.txt")))

    def build(k: int) -> str:
        target = int(5 * 1024 * 1024 * scale * k / 4)  # bytes of UTF-8; x4 is 5 MB
        reps = target // len(speeches.encode("utf-8")) + 1
        text = speeches * reps
        # cut by characters so that the UTF-8 size is about the target
        ratio = len(text.encode("utf-8")) / len(text)
        return text[: int(target / ratio)]

    return build


def _items(k: int, scale: float) -> str:
    cn = "一二三四五六七八九十"
    block = "".join(f"{c}是抓落实,县财政局要在6月底前完成。" for c in cn)
    return block * int(1000 * scale * k)


CASES: dict[str, Callable[[float], Callable[[int], str]]] = {
    "one-line": _one_line,
    "markers": lambda s: lambda k: "一要" * int(10_000 * s * k),
    "items": lambda s: lambda k: _items(k, s),
    "digits": lambda s: lambda k: "1" * int(100_000 * s * k),
    "one-char": lambda s: lambda k: "一" * int(250_000 * s * k),
    "brackets": lambda s: lambda k: "(（【" * int(50_000 * s * k),
}


def run(names: list[str], scale: float) -> int:
    import textkit

    textkit.extract("一是要加强领导。二是要压实责任,县应急管理局牵头,6月底前完成。")  # load model, jieba
    worst = 0.0
    print(f"{'case':10s} {'size':>12s} {'x1 s':>8s} {'x2 s':>8s} {'x4 s':>8s}  ratios x2/x1 x4/x1")
    for name in names:
        build = CASES[name](scale)
        times: list[float] = []
        size = 0
        for k in (1, 2, 4):
            text = build(k)
            if k == 1:
                size = len(text)
            t0 = time.process_time()
            textkit.extract(text)
            times.append(time.process_time() - t0)
        r2, r4 = times[1] / max(times[0], 1e-9), times[2] / max(times[0], 1e-9)
        worst = max(worst, r4)
        print(f"{name:10s} {size:>12,d} {times[0]:8.2f} {times[1]:8.2f} {times[2]:8.2f}  {r2:5.2f} {r4:5.2f}", flush=True)
    print("linear: x2 ~ 2, x4 ~ 4 (small inputs run near the noise floor)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", action="append", choices=sorted(CASES), help="run only this case (repeatable)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size (0.25 for a quick look)")
    args = ap.parse_args(argv)
    return run(args.case or list(CASES), args.scale)


if __name__ == "__main__":
    sys.exit(main())
