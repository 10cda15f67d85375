"""Targets: quantified goals (``不低于95%``, ``达到3.2亿元``, ``新增5000户``, ``XX%以上``).

A target is a number with a unit from the ``[target]`` lexicon of
``textkit/data/deadlines.toml``, with the op its neighbours give it. Chinese
numerals are converted (cn2an) only inside the matched span, and a bare
Chinese numeral counts only before a measure unit or after an op word, so
``三点意见``, ``四个意识``, ``一次`` and ``一是`` are never targets; neither are
list markers, page markers (``3/8``), dates or years, which carry no unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property

from textkit.extractors.base import DEFAULT_CONTEXT, Context, Found
from textkit.extractors.numerals import CN_DIGITS, PERCENT_OF, PLACEHOLDER, POINT, is_placeholder, to_number
from textkit.records import Target
from textkit.resources import load_toml
from textkit.triggers import scan_pattern

__all__ = ["find_targets"]

_OP_WINDOW = 8  # 新增治理行政村25个: the op word may sit a few characters before the number
_CLAUSE_END = "。;;,,:!?"
_COMPARATORS = (">=", "<=", ">", "<", "=")


@dataclass(frozen=True)
class _Lexicon:
    op_before: dict[str, str]
    op_after: dict[str, str]
    measure_units: frozenset[str]
    source: str
    """The quantity pattern's regex text: extraction compiles it only opened (``_scan_pattern``)."""
    links: tuple[str, ...]
    points: str

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The quantity pattern as written (tests, ``tools/derive_triggers.py``)."""
        return re.compile(self.source)


@cache
def _lexicon() -> _Lexicon:
    """Load the ``[target]`` lexicon and build the quantity pattern's text, once per process."""
    lex = load_toml("deadlines")["target"]
    units = sorted(set(lex["measure_units"]) | set(lex["count_units"]), key=len, reverse=True)
    after = "|".join(re.escape(w) for w in sorted(lex["op_after"], key=len, reverse=True))
    point, percent_of = re.escape(POINT), re.escape(PERCENT_OF)
    number = rf"(?P<num>\d+(?:\.\d+)?|[{CN_DIGITS}]+?(?:{point}[{CN_DIGITS}]+)?|{PLACEHOLDER}+)"
    pattern = (
        rf"(?<![\d.{lex['not_after']}])(?:{percent_of}(?P<pct>[{CN_DIGITS}]+(?:{point}[{CN_DIGITS}]+)?)|{number}"
        rf"(?P<unit>{'|'.join(re.escape(u) for u in units)}))(?P<after>{after})?"
    )
    return _Lexicon(
        dict(lex["op_before"]),
        dict(lex["op_after"]),
        frozenset(lex["measure_units"]),
        pattern,
        tuple(lex["links"]),
        lex["points"],
    )


@cache
def _scan_pattern() -> re.Pattern[str]:
    """The quantity pattern as scanned: opened by a lookahead on the characters its matches start
    with (``textkit.triggers.scan_patterns``; the same matches, most positions rejected in one test)."""
    return scan_pattern("targets", "quantity", _lexicon().source)


@cache
def _op_reversed() -> re.Pattern[str]:
    """The op words reversed, longest first. Kept out of ``_Lexicon``, whose patterns are what
    ``tools/derive_triggers.py`` reads the targets' triggers from (reversed words would widen them)."""
    return re.compile("|".join(re.escape(w[::-1]) for w in sorted(_lexicon().op_before, key=len, reverse=True)))


# the window up to its last clause end, and up to its last digit (greedy, so the last one)
_UP_TO_CLAUSE_END = re.compile(rf".*[{re.escape(_CLAUSE_END)}]", re.S)
_UP_TO_DIGIT = re.compile(r".*\d", re.S)


def _op_before(text: str, start: int, lex: _Lexicon) -> tuple[str | None, int, bool]:
    """The op word in the clause just before ``start``: (op, where it begins, adjacent).

    The word ending nearest the number wins, the longer on a tie (不低于 over 低于);
    a number between the word and ``start`` owns the word instead. One search replaces a
    search per op word (the definition, kept in ``tests/test_targets_fast_path.py``): the
    leftmost match in the reversed window, longest word first, is the word ending nearest
    the number, the longest there; when a digit follows even that one, every word is owned.
    """
    window = text[max(0, start - _OP_WINDOW) : start]
    clause = _UP_TO_CLAUSE_END.match(window)
    if clause:
        window = window[clause.end() :]
    n = len(window)
    found = _op_reversed().search(window[::-1])
    digit = _UP_TO_DIGIT.match(window)
    if found is None or (digit is not None and n - found.start() < digit.end()):
        return None, start, False  # no word, or the nearest one stands before a number
    at, end = n - found.end(), n - found.start()
    adjacent = window[end:] in ("", *lex.links)
    return lex.op_before[window[at:end]], (start - n + at if adjacent else start), adjacent


def find_targets(text: str, *, context: Context = DEFAULT_CONTEXT) -> list[Found]:
    """Every quantified goal in ``text``, in text order; ``Found.value`` is a ``records.Target``.

    ``op`` is ``>=``/``<=``/``>``/``<`` from a comparison (``不低于``, ``以上``,
    ``控制在…以内``), ``+``/``-`` from a change (``新增``, ``降低``), else ``=``;
    a comparison after the number wins (``增长7%以上`` is ``>=``). ``value`` is None
    and ``placeholder`` True for redactions (``XX%以上``).
    """
    lex = _lexicon()
    found: list[Found] = []
    for m in _scan_pattern().finditer(text):
        token = m["pct"] or m["num"]
        unit = "%" if m["pct"] else m["unit"]
        chinese = token[0] in CN_DIGITS
        op, begin, adjacent = _op_before(text, m.start(), lex)
        if chinese and not adjacent and unit not in lex.measure_units:
            continue  # 四个意识, 至少每月报送一次, 两人: counted nouns, not goals
        placeholder = is_placeholder(token)
        if placeholder and op is None and unit not in lex.measure_units and not m["after"]:
            continue
        if m["after"]:
            op = lex.op_after[m["after"]]
        elif op is None:
            op = "="
        value = None if placeholder else to_number(token)
        if value is None and not placeholder:
            continue
        unit = lex.points if unit.endswith(lex.points) else unit
        span = text[begin : m.end()]
        confidence = 0.9 if op in _COMPARATORS[:4] or op in "+-" else 0.7
        found.append(Found(begin, m.end(), span, Target(span, value, unit, op, placeholder), "quantity", confidence))
    return found
