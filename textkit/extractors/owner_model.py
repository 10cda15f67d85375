"""A learned owner scorer beside the owner grammar (issue 14): evidence a model learns, not one-text rules.

The grammar in :mod:`textkit.extractors.owners` finds the parties it has a rule
for; on real text it misses many told-to-act subjects (``高新热力要…``,
``各机关、企事业单位和各村委会根据…``). This module scores spans of one
sentence with a logistic regression trained on the gold owners of the real and
written train splits (``tools/train_owner_model.py``; card in
``textkit/models/MODEL_CARD.md``) and shipped as plain JSON
(``textkit/models/owner.json``):

- candidates are made cheaply, by three compiled scans of the sentence: where a
  span may start (the sentence start, after a break or a learned cue such as
  ``由``/``请``), where it may end (a character gold owners end with) and the
  hard breaks it may not cross; every start is paired with the ends after it;
- each candidate (and each span the grammar found) has a handful of binary
  features: its first and last characters, what precedes and follows it, its
  length, its clause, and the grammar rule that proposed it (``r=none`` for
  the model's own);
- a candidate the grammar missed is added when its probability reaches the
  model's ``add`` threshold and it overlaps nothing kept; a grammar owner is
  dropped when its probability is below ``drop``.

Probabilities equal scikit-learn's ``predict_proba``: the weights are summed in
vocabulary order from 0.0, then the intercept, then ``expit`` as scipy computes it.
scikit-learn is needed only to train.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from textkit.extractors.base import Found
from textkit.records import Owner
from textkit.scoring import expit

FORMAT = "textkit.owner-model"
FORMAT_VERSION = 1

HARD_BREAKS = ",;:。!?\n、“”《》 \t"
"""A candidate crosses none of these; brackets may sit inside a name (``各村(居)委会``)."""
START_AFTER = HARD_BREAKS + "()"
MIN_LEN, MAX_LEN = 2, 16

Span = tuple[int, int]


@dataclass(frozen=True)
class OwnerModel:
    """Weights by feature name (with their vocabulary index), an intercept, two thresholds and the
    learned candidate sets: the characters an owner ends with and the cues a name follows."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    add: float
    drop: float
    last_chars: str
    cues: tuple[str, ...]
    info: dict[str, Any] = field(default_factory=dict, compare=False)
    _index: dict[str, tuple[int, float]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({n: (i, w) for i, (n, w) in enumerate(zip(self.names, self.weights, strict=True))})

    def probability(self, features: Sequence[str]) -> float:
        """``predict_proba`` of one binary row: known features' weights summed in vocabulary order."""
        index = self._index
        known = sorted(index[f] for f in set(features) if f in index)
        total = 0.0
        for _, w in known:
            total += w
        return expit(total + self.intercept)

    @property
    def scans(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        return _scans(self.last_chars, self.cues)


@cache
def _scans(last_chars: str, cues: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Starts (after a break or a cue), ends (a learned last character) and hard breaks of a sentence."""
    after = re.escape(START_AFTER)
    cue = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    starts = re.compile(f"[{after}]" + (f"|{cue}" if cue else ""))
    ends = re.compile(f"[{re.escape(last_chars)}]") if last_chars else re.compile("(?!)")
    return starts, ends, re.compile(f"[{re.escape(HARD_BREAKS)}]")


def candidates(text: str, model: OwnerModel) -> list[tuple[int, int, str]]:
    """Spans that start at the sentence start, after a break or after a cue, end on a learned last
    character and cross no hard break; each with what precedes it (``^``, the break, or the cue)."""
    starts_re, ends_re, breaks_re = model.scans
    ends = [m.end() for m in ends_re.finditer(text)]
    if not ends:
        return []
    breaks = [m.start() for m in breaks_re.finditer(text)]
    starts = [(0, "^")] + [(m.end(), m.group()) for m in starts_re.finditer(text)]
    out: list[tuple[int, int, str]] = []
    seen: set[int] = set()
    for s, before in starts:
        if s in seen:
            continue
        seen.add(s)
        k = bisect_left(breaks, s)
        stop = min(breaks[k] if k < len(breaks) else len(text), s + MAX_LEN)
        for e in ends[bisect_left(ends, s + MIN_LEN) : bisect_right(ends, stop)]:
            out.append((s, e, before))
    return out


def features(text: str, s: int, e: int, before: str, rule: str, breaks_before: int) -> list[str]:
    """The names of one span's binary features."""
    span = text[s:e]
    nxt = text[e : e + 2] or "$"
    n = e - s
    return [
        "f1=" + span[0],
        "f2=" + span[:2],
        "l1=" + span[-1],
        "l2=" + span[-2:],
        "l3=" + span[-3:],
        "p=" + before,
        "n1=" + nxt[0],
        "n2=" + nxt,
        "pn=" + before + "_" + nxt[0],
        "ln=" + span[-1] + nxt[0],
        "len=" + str(n if n < 10 else 10),
        "cl=" + str(breaks_before if breaks_before < 3 else 3),
        "r=" + rule,
        "rn=" + rule + "_" + nxt[0],
    ]


def rows(text: str, found: Sequence[Found], model: OwnerModel) -> Iterator[tuple[int, int, str, list[str]]]:
    """Every span to score in ``text``: the grammar's (with its rule) and the candidates overlapping none of them."""
    _, _, breaks_re = model.scans
    breaks = [m.start() for m in breaks_re.finditer(text)]
    taken = [(f.start, f.end) for f in found]
    for f in found:
        yield f.start, f.end, f.rule, features(text, f.start, f.end, _before(text, f.start, model.cues), _rule(f.rule), bisect_left(breaks, f.start))
    for s, e, before in candidates(text, model):
        if any(s < b and a < e for a, b in taken):
            continue
        yield s, e, "", features(text, s, e, before, "none", bisect_left(breaks, s))


def _rule(rule: str) -> str:
    return rule.split(":", 1)[0] if rule else "none"


def _before(text: str, s: int, cues: Sequence[str]) -> str:
    if s == 0:
        return "^"
    prev = text[s - 1]
    if prev in START_AFTER:
        return prev
    for c in cues:
        if text.startswith(c, s - len(c)):
            return c
    return "~"


def revise(text: str, found: list[Found], model: OwnerModel | None = None) -> list[Found]:
    """The grammar's owners of ``text`` with those the model doubts dropped and its confident additions."""
    model = model if model is not None else active()
    if model is None:
        return found
    kept: list[Found] = []
    extra: list[tuple[float, int, int]] = []
    for s, e, rule, feats in rows(text, found, model):
        p = model.probability(feats)
        if rule:
            if p >= model.drop:
                kept.append(next(f for f in found if f.start == s and f.end == e and f.rule == rule))
        elif p >= model.add:
            extra.append((p, s, e))
    if not extra:
        return kept if len(kept) != len(found) else found
    spans = [(f.start, f.end) for f in kept]
    names = {f.text for f in kept}
    for p, s, e in sorted(extra, key=lambda x: (-x[0], x[1], x[2])):
        if text[s:e] in names or any(s < b and a < e for a, b in spans):
            continue
        spans.append((s, e))
        names.add(text[s:e])
        kept.append(Found(start=s, end=e, text=text[s:e], value=Owner(name=text[s:e], role="unspecified"), rule="learned", confidence=p))
    return sorted(kept, key=lambda f: f.start)


# --- the shipped model --------------------------------------------------------------------

_OVERRIDE: list[OwnerModel | None] = []


def active() -> OwnerModel | None:
    """The model ``revise`` uses: the one ``using`` set, else the shipped one (None when absent)."""
    return _OVERRIDE[-1] if _OVERRIDE else shipped()


@contextmanager
def using(model: OwnerModel | None) -> Iterator[None]:
    """Run with ``model`` (None: the grammar alone), for cross-validation and tests."""
    _OVERRIDE.append(model)
    try:
        yield
    finally:
        _OVERRIDE.pop()


@cache
def shipped() -> OwnerModel | None:
    """``textkit/models/owner.json``, or None when the package holds no owner model."""
    path = resources.files("textkit.models").joinpath("owner.json")
    if not path.is_file():
        return None
    return from_json(path.read_text(encoding="utf-8"))


def from_json(data: str) -> OwnerModel:
    raw = json.loads(data)
    if raw.get("format") != FORMAT or raw.get("version") != FORMAT_VERSION:
        raise ValueError(f"not a {FORMAT} v{FORMAT_VERSION} file")
    return OwnerModel(
        names=tuple(raw["names"]),
        weights=tuple(float(w) for w in raw["weights"]),
        intercept=float(raw["intercept"]),
        add=float(raw["add"]),
        drop=float(raw["drop"]),
        last_chars=raw["last_chars"],
        cues=tuple(raw["cues"]),
        info=raw.get("info", {}),
    )


def to_json(model: OwnerModel) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "add": model.add,
            "drop": model.drop,
            "intercept": model.intercept,
            "last_chars": model.last_chars,
            "cues": list(model.cues),
            "info": model.info,
            "names": list(model.names),
            "weights": list(model.weights),
        },
        ensure_ascii=False,
        indent=0,
    )
