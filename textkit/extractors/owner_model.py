"""A learned owner scorer beside the owner grammar (issue 14): evidence a model learns, not one-text rules.

The grammar in :mod:`textkit.extractors.owners` finds the parties it has a rule
for; on real text it misses many told-to-act subjects (``高新热力要…``,
``各机关、企事业单位和各村委会根据…``). This module scores spans of one
sentence with a logistic regression trained on the gold owners of the real and
written train splits (``tools/train_owner_model.py``; card in
``models/OWNER_MODEL.md``), kept as plain JSON (``textkit/models/owner.json``):

- candidates are made cheaply, by three compiled scans of the sentence: where a
  span may start (the sentence start, after a break or a learned cue such as
  ``由``/``请``), where it may end (a character gold owners end with) and the
  hard breaks it may not cross; every start is paired with the ends after it;
- each candidate (and each span the grammar found) has twelve binary
  features: its first and last characters, what precedes and follows it, its
  length and clause, the modal or grammar verb after it, its list neighbours,
  and the rule that proposed it (``r=none`` for the model's own);
- a candidate the grammar missed is added when its probability reaches the
  model's ``add`` threshold and it overlaps nothing kept; a grammar owner is
  dropped when its probability is below ``drop``.

No model ships yet (``models/OWNER_MODEL.md``: a CV gain of +0.007 F1 at a cost of about
70 us a ``find_owners`` call, ~15% of an extraction), so ``revise`` returns the grammar's
owners unchanged; ``using`` runs it with a model for the training tool's cross-validation.

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
from functools import cache, reduce
from importlib import resources
from operator import add
from typing import Any

from textkit.extractors.base import Found
from textkit.records import Owner
from textkit.resources import load_toml
from textkit.scoring import expit

FORMAT = "textkit.owner-model"
FORMAT_VERSION = 1

HARD_BREAKS = ",;:。!?\n、“”《》 \t"
"""A candidate crosses none of these; brackets may sit inside a name (``各村(居)委会``)."""
START_AFTER = HARD_BREAKS + "("
"""Not after ``)``: what follows a closing bracket is mostly the rest of a name (委会 of 各村(居)委会)."""
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
    inner_chars: str = ""
    info: dict[str, Any] = field(default_factory=dict, compare=False)
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({n: i for i, n in enumerate(self.names)})

    def probability(self, features: Sequence[str]) -> float:
        """``predict_proba`` of one binary row: known features' weights summed in vocabulary order."""
        ids = sorted({i for i in map(self._index.get, features) if i is not None})
        return expit(reduce(add, map(self.weights.__getitem__, ids), 0.0) + self.intercept)

    @property
    def scans(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        return _scans(self.last_chars, self.cues)

    @property
    def foreign(self) -> re.Pattern[str]:
        return _foreign(self.inner_chars)


@cache
def _foreign(inner_chars: str) -> re.Pattern[str]:
    """A character no gold owner holds before its last one (``了`` of 会议听取了…, ``设`` of 下设…)."""
    return re.compile(f"[^{re.escape(inner_chars)}]" if inner_chars else "(?!)")


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
    breaks = [m.start() for m in breaks_re.finditer(text)]
    foreign = model.foreign if model.inner_chars else None
    out: list[tuple[int, int, str]] = []
    seen: set[int] = set()
    n = len(text)
    for s, before in [(0, "^")] + [(m.end(), m.group()) for m in starts_re.finditer(text)]:
        if s in seen:
            continue
        seen.add(s)
        k = bisect_left(breaks, s)
        stop = min(breaks[k] if k < len(breaks) else n, s + MAX_LEN)
        if foreign is not None:  # the span's characters before its last are all ones gold owners hold
            bad = foreign.search(text, s, stop)
            if bad is not None:
                stop = bad.start() + 1
        for m in ends_re.finditer(text, s + MIN_LEN - 1, stop):
            e = m.end()
            span = text[s:e]
            if ("(" in span or ")" in span) and span.count("(") != span.count(")"):
                continue  # half a bracket: 市) of 两州(市), 各县(市 of 各县(市、区)
            if before == "(" and text.startswith(")", e):
                continue  # a bracketed gloss, (单位) of 各党组织(单位)
            out.append((s, e, before))
    return out


def features(text: str, s: int, e: int, before: str, rule: str, clause: int, clause_end: int, near: str) -> list[str]:
    """The names of one span's binary features: its ends, its surroundings, its clause, its neighbours."""
    span = text[s:e]
    nxt = text[e : e + 2] or "$"
    n = e - s
    modal = _modal().search(text, e, clause_end)
    cue = _after_cue()
    verb = cue.match(text, e)
    gap = "none" if modal is None else str(min(modal.start() - e, 5))
    feats = [
        "f1=" + span[0],
        "l2=" + span[-2:],
        "l3=" + span[-3:],
        "p=" + before,
        "n1=" + nxt[0],
        "n2=" + nxt[:2],
        "len=" + str(n if n < 10 else 10),
        "cl=" + str(clause if clause < 3 else 3),
        "m=" + gap,
        "r=" + rule,
        "nb=" + near,
        "v=" + (verb.lastgroup or "?" if verb else "none"),
    ]
    return feats


@cache
def _list_joins() -> frozenset[str]:
    return frozenset(load_toml("owner_model")["list_joins"])


@cache
def _modal() -> re.Pattern[str]:
    from textkit.lexicon import lexicon

    return lexicon().modal


@cache
def _after_cue() -> re.Pattern[str]:
    """The grammar's verb after a subject (support, lead, modal or action), adverbs allowed before it."""
    from textkit.lexicon import lexicon

    return lexicon().after_cue


def rows(text: str, found: Sequence[Found], model: OwnerModel, *, grammar: bool = True) -> Iterator[tuple[int, int, str, list[str]]]:
    """Every span to score in ``text``: the grammar's (with its rule; unless ``grammar`` is false, when
    nothing is to be dropped) and the candidates overlapping none of them."""
    _, _, breaks_re = model.scans
    breaks = [m.start() for m in breaks_re.finditer(text)]
    taken = [(f.start, f.end) for f in found]
    ends = {f.end for f in found}
    starts = {f.start for f in found}
    count = "r" + str(min(len(found), 2))
    joins = _list_joins()

    def near(s: int, e: int) -> str:
        # a grammar owner next to this span across one list separator: a sibling of a list it read
        left = s >= 1 and text[s - 1] in joins and (s - 1) in ends
        right = e < len(text) and text[e] in joins and (e + 1) in starts
        return count + ("L" if left else "") + ("R" if right else "")

    def clause_end(pos: int) -> int:
        k = bisect_right(breaks, pos)
        while k < len(breaks) and text[breaks[k]] == "、":
            k += 1
        return breaks[k] if k < len(breaks) else len(text)

    for f in found if grammar else ():
        k = bisect_left(breaks, f.start)
        yield f.start, f.end, f.rule, features(
            text, f.start, f.end, _before(text, f.start, model.cues), _rule(f.rule), k, clause_end(f.end), near(f.start, f.end)
        )
    for s, e, before in candidates(text, model):
        if any(s < b and a < e for a, b in taken):
            continue
        yield s, e, "", features(text, s, e, before, "none", bisect_left(breaks, s), clause_end(e), near(s, e))


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
    for s, e, rule, feats in rows(text, found, model, grammar=model.drop > 0):
        p = model.probability(feats)
        if rule:
            if p >= model.drop:
                kept.append(next(f for f in found if f.start == s and f.end == e and f.rule == rule))
        elif p >= model.add:
            extra.append((p, s, e))
    if model.drop <= 0:
        kept = list(found)
    if not extra:
        return kept if len(kept) != len(found) else found
    spans = [(f.start, f.end) for f in kept]
    names = {f.text for f in kept}
    for p, s, e in sorted(extra, key=lambda x: (-x[0], x[1], x[2])):
        name = text[s:e]
        if any(s < b and a < e for a, b in spans) or any(name in k or k in name for k in names):
            continue  # one party once: a part or a whole of a kept name adds only a false owner
        spans.append((s, e))
        names.add(name)
        kept.append(Found(start=s, end=e, text=name, value=Owner(name=name, role="unspecified"), rule="learned", confidence=p))
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
        inner_chars=raw.get("inner_chars", ""),
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
            "inner_chars": model.inner_chars,
            "info": model.info,
            "names": list(model.names),
            "weights": list(model.weights),
        },
        ensure_ascii=False,
        indent=0,
    )
