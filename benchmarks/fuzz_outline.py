"""Fuzz the cleaner and the outline parser with atheris, for a bounded time.

    pip install atheris
    python benchmarks/fuzz_outline.py -max_total_time=120      # libFuzzer flags pass through

Each input is decoded as UTF-8 (undecodable bytes replaced), cleaned and
parsed; the properties checked are those extraction relies on: the offset map
stays inside the original, the analysis text has one origin per character,
and every outline node's offsets are ordered and inside the text. A crash
prints the input; add it to ``tests/regressions/`` as a test.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from textkit.clean import clean
    from textkit.outline import parse


def check(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    cleaned = clean(text)
    assert len(cleaned.map.origin) == len(cleaned.text)
    assert all(0 <= o < len(text) for o in cleaned.map.origin)
    outline = parse(cleaned)
    n = len(cleaned.text)
    for node in outline.walk():
        assert 0 <= node.start <= node.body_start <= node.end <= n, node
        assert node.body_start <= node.heading_end <= node.end, node
        ostart, oend = cleaned.to_original(node.start, node.end)
        assert 0 <= ostart <= oend <= len(text)


def main() -> None:
    argv = list(sys.argv)
    if not any(a.startswith("-max_total_time") for a in argv):
        argv.append("-max_total_time=120")
    atheris.Setup(argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
