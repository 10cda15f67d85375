"""The shipped directive model as plain data: read, scored and described without scikit-learn.

A trained model is a logistic regression over named features (scikit-learn's
``DictVectorizer`` vocabulary): one weight per feature name and an intercept,
kept in a JSON file inside the package (``textkit/models/directive.json``)
with what it was trained on. Scoring a node is a sparse dot product::

    score = Σ value(name) × weight(name) + intercept
    probability = 1 / (1 + exp(−score))

summed in the order scikit-learn sums: ``DictVectorizer.transform`` sorts each
row's features by their vocabulary index and scipy's CSR product adds them up
in that order from 0.0, then the intercept is added; the weights are stored
in vocabulary order, so the file's order gives the index. Probabilities equal
``predict_proba``'s.

This module knows nothing of what the features mean: the caller hands it the
feature function (``textkit.model.vectorise``) that turns a node's inputs
into ``{name: value}``. Training, features and the card live in
:mod:`textkit.model`; scikit-learn is needed only there.

Two things keep a fresh process and a busy worker fast, with the same sums:

- The file (format 3) keeps the names as a JSON list and the weights as one
  base64 block of little-endian float64 (``weights_f64le``): reading 54k
  weights is a ``frombytes`` instead of 54k float parses (~0.1 s), and names are
  found by bisection in the sorted vocabulary, so no 54k-entry dict is built at
  start-up. Format 2 (``weights`` as a ``{name: weight}`` object) is still read.
- Bags of tokens (a context text's bigrams, ``h=加强``) are contiguous in the
  sorted vocabulary, so the caller may hand over a row split into numeric
  features and ``(prefix, text)`` bags (``split``, ``tokens``): the weights of
  one text's tokens, in vocabulary order, are looked up once per distinct text
  (texts recur across siblings and documents), and a node's score adds the
  same products in the same order as :meth:`LinearModel.decision` — bitwise
  the same sum.
- When the tokens are the adjacent pairs of a string (``kept``: the context
  text without punctuation) and the process has scored many texts, a run of
  two-character names becomes an Aho-Corasick automaton (pyahocorasick) whose
  scan of that string yields the known pairs' indices in C: the same set the
  per-pair dict look-ups give, without a 2-character string made and hashed and
  a dict of ~44k names touched at random per pair (:meth:`Weights.pairs`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from importlib import resources
from itertools import chain, repeat
from operator import add, itemgetter, lt, mul
from pathlib import Path
from typing import Any

try:  # a core dependency; without it every run is looked up pair by pair, with the same result
    import ahocorasick
except ImportError:  # pragma: no cover - an install without it
    ahocorasick = None

FORMAT = "textkit.directive-model"
FORMAT_VERSION = 3
"""1 was a joblib pickle of the scikit-learn pipeline; 2 JSON with ``weights`` by name; 3 names and a float64 block."""
READABLE_VERSIONS = (2, 3)

Vectorise = Callable[[dict[str, Any]], Mapping[str, float]]
Split = Callable[[dict[str, Any]], "tuple[Mapping[str, float], Sequence[tuple[str, str]]] | None"]
"""A row as numeric features and ``(prefix, text)`` bags: what ``vectorise`` gives, before the bags are cut.

``vectorise(row)`` must equal the numeric features plus ``{f"{prefix}={token}": 1.0}``
for every token of every bag's text (prefixes distinct); None means "use ``vectorise``"."""
Tokens = Callable[[str], Iterable[str]]
Layout = Callable[
    [Sequence[Mapping[str, float]], Sequence[Mapping[str, str]]],
    "tuple[tuple[str, ...], tuple[str, ...], list[tuple[tuple[float, ...], tuple[str, ...]]]] | None",
]
"""Nodes' features and context texts as one layout: the numeric names, the bags' prefixes, and per node
its numeric values and bag texts in that order; what ``split`` gives for each ``{**features, **texts}``.
None (the nodes do not share one layout, or ``split`` would read them otherwise) means "use rows"."""
Kept = Callable[[str], str]
"""A bag's text as the string whose adjacent pairs are its tokens: ``tokens(text)`` must be
``map(operator.add, kept(text), kept(text)[1:])``."""
Block = tuple[int, tuple[float, ...]]
"""One bag's known tokens: the first one's index in the vocabulary and their weights in vocabulary order."""


def packaged_model_path() -> Path:
    """Where the installed package keeps its model: ``textkit/models/directive.json``."""
    return Path(str(resources.files("textkit").joinpath("models", "directive.json")))


class Weights(Mapping[str, float]):
    """Weights by feature name as two parallel arrays, the names in the vocabulary's order.

    Read from a file in milliseconds; the name → index dict (~10 ms for 54k names)
    and the check that names are sorted are built on first use, so a process that
    never scores (``textkit model``, a failed read) never pays them.
    """

    __slots__ = ("names", "floats", "_index", "_sorted", "_runs", "_automata", "_uses")

    def __init__(self, names: Sequence[str], values: Sequence[float]) -> None:
        if len(names) != len(values):
            raise ValueError(f"{len(names)} names but {len(values)} weights")
        self.names: Sequence[str] = names
        self.floats: Sequence[float] = values
        """The weights, index by index (``values()`` is the Mapping's view of the same)."""
        self._index: dict[str, int] | None = None
        self._sorted: bool | None = None
        self._runs: dict[str, dict[str, int]] = {}
        self._automata: dict[str, Any] = {}
        self._uses: dict[str, int] = {}

    @classmethod
    def of(cls, weights: Mapping[str, float]) -> Weights:
        """``weights`` (a ``{name: weight}`` in the vocabulary's order) as parallel arrays."""
        if isinstance(weights, Weights):
            return weights
        return cls(list(weights), array("d", weights.values()))

    @property
    def is_sorted(self) -> bool:
        """Names in sorted order (scikit-learn's vocabulary is): then every ``prefix=`` name sits in one contiguous run."""
        if self._sorted is None:
            names = self.names
            self._sorted = all(map(lt, names, names[1:]))  # a < b pair by pair, in C (73k names)
        return self._sorted

    @property
    def positions(self) -> dict[str, int]:
        """Name → index in the vocabulary (the order of the sum)."""
        if self._index is None:
            self._index = dict(zip(self.names, range(len(self.names)), strict=True))
        return self._index

    def index(self, name: str) -> int | None:
        """Where ``name`` is in the vocabulary, None when the model never saw it."""
        return self.positions.get(name)

    def run(self, head: str) -> dict[str, int]:
        """The names that start with ``head`` (``h=``), without it, → their index: ``run(head)[token]`` is ``index(head + token)``.

        Only for a sorted vocabulary, where they form one contiguous run (found by
        bisection); a bag's tokens are then looked up as they are, without building
        ``head + token`` for each. Built once per head.
        """
        found = self._runs.get(head)
        if found is None:
            if not head or not self.is_sorted:
                raise ValueError("runs of names need a sorted vocabulary and a non-empty head")
            names, cut = self.names, len(head)
            lo = bisect_left(names, head)
            hi = bisect_left(names, head[:-1] + chr(ord(head[-1]) + 1), lo)  # past the last name starting with head
            found = dict(zip(map(itemgetter(slice(cut, None)), names[lo:hi]), range(lo, hi), strict=True))
            self._runs[head] = found
        return found

    def pairs(self, head: str) -> Any:
        """The run of ``head`` as an automaton of its two-character tokens (value: index), or None (look pairs up in :meth:`run`).

        An Aho-Corasick scan of a string reports every occurrence of every word in it, so
        ``{i for _, i in pairs(head).iter(kept)}`` is the set of indices of the known pairs
        ``kept[k:k+2]``: what ``run(head).get`` gives pair by pair, in C. Tokens of another
        length are left out (no pair equals them). Building one takes ~0.1 s for the 44k
        lead-in bigrams, so it is built once the run has served ``AUTOMATON_AFTER`` texts
        (a bulk worker, the service, a long loop; :meth:`prepare` builds it at once),
        never for a single document. None without pyahocorasick or known tokens.
        """
        found = self._automata.get(head, self)
        if found is self:
            uses = self._uses[head] = self._uses.get(head, 0) + 1
            if uses < AUTOMATON_AFTER:
                return None
            found = self._automata[head] = _automaton(self.run(head))
        return found

    def prepare(self) -> None:
        """Build now the automaton of every run used so far: what a worker's warm-up calls."""
        for head in list(self._runs):
            if head not in self._automata:
                self._automata[head] = _automaton(self.run(head))

    def __getitem__(self, name: str) -> float:
        i = self.index(name)
        if i is None:
            raise KeyError(name)
        return self.floats[i]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.index(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def items(self) -> Iterator[tuple[str, float]]:  # type: ignore[override]
        return zip(self.names, self.floats, strict=True)


AUTOMATON_AFTER = 2000
"""Texts a run looks up pair by pair before :meth:`Weights.pairs` builds its automaton (~60 documents)."""


def _automaton(run: Mapping[str, int]) -> Any:
    """An Aho-Corasick automaton of the two-character tokens of ``run`` → their index; None if there is none or no library."""
    if ahocorasick is None:
        return None
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for token, i in run.items():
        if len(token) == 2:
            automaton.add_word(token, i)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


_index_of_match = itemgetter(1)
"""An automaton's match is ``(end position, value)``."""


@dataclass(frozen=True)
class LinearModel:
    """Weights by feature name, an intercept, and what the model was trained on."""

    weights: Mapping[str, float]
    """Feature name → weight, in the vocabulary's order (the order of the sum); kept as :class:`Weights`."""
    intercept: float
    vectorise: Vectorise = field(repr=False, compare=False)
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)
    sha256: str | None = field(default=None, compare=False)
    split: Split | None = field(default=None, repr=False, compare=False)
    """The row split into numeric features and bags, for the memoised path (see the module's docstring)."""
    tokens: Tokens | None = field(default=None, repr=False, compare=False)
    """A bag's tokens: with ``split``, how a bag's text becomes feature names ``prefix=token``."""
    layout: Layout | None = field(default=None, repr=False, compare=False)
    """A document's nodes as one layout, for :meth:`predict_proba_inputs` (what ``decide`` calls)."""
    kept: Kept | None = field(default=None, repr=False, compare=False)
    """With ``tokens``: the string whose adjacent pairs the tokens are, for the automata of :meth:`Weights.pairs`."""

    _block: Callable[[str, str], Block | None] = field(init=False, repr=False, compare=False)
    """:meth:`_make_block` memoised (set in ``__post_init__``; declared so a compiled class has the slot)."""
    _plans: dict[Any, Any] = field(init=False, repr=False, compare=False)

    format_version = FORMAT_VERSION

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", Weights.of(self.weights))
        object.__setattr__(self, "_block", lru_cache(maxsize=1 << 16)(self._make_block))
        object.__setattr__(self, "_plans", {})

    @property
    def info(self) -> Mapping[str, Any]:
        """What ``textkit train`` recorded: documents, nodes, scores, date (``meta["trained"]``)."""
        trained = self.meta.get("trained")
        return trained if isinstance(trained, Mapping) else {}

    def decision(self, features: Mapping[str, float]) -> float:
        """The logistic regression's score of one feature dict; names the model never saw count nothing."""
        weights: Weights = self.weights  # type: ignore[assignment]
        index, values = weights.positions.get, weights.floats
        products = []
        for name, value in features.items():
            i = index(name)
            if i is not None:
                products.append((i, value * values[i]))
        products.sort()
        total = 0.0
        for _, product in products:
            total += product
        return total + self.intercept

    def decision_row(self, row: dict[str, Any]) -> float:
        """:meth:`decision` of ``vectorise(row)``, through the per-text memo when the model has ``split``.

        The same products in the same order: numeric features one by one, each bag
        as its block of weights (a contiguous run of the sorted vocabulary), all
        ordered by their index and added from 0.0, then the intercept. Where the
        numeric features and the bags fall in that order depends only on their
        names and prefixes, so it is worked out once (:meth:`_plan`) and a row's
        products are then multiplied and added in C, one after the other as the
        loop of :meth:`decision` adds them (``functools.reduce``, not ``sum``,
        whose rounding differs between Python versions).
        """
        weights: Weights = self.weights  # type: ignore[assignment]
        parts = self.split(row) if self.split is not None and self.tokens is not None and weights.is_sorted else None
        if parts is None:
            return self.decision(self.vectorise(row))
        numeric, bags = parts
        plan = self._plan_of(tuple(numeric), tuple([prefix for prefix, _ in bags]))
        if not plan:
            return self._decision_parts(numeric, bags)
        values = tuple(numeric.values())
        block = self._block
        terms: list[Iterable[float]] = []
        for step in plan:
            if isinstance(step, int):
                found = block(*bags[step])
                if found is not None:
                    terms.append(found[1])
            else:
                take, products = step
                terms.append(map(mul, take(values), products))
        return reduce(add, chain.from_iterable(terms), 0.0) + self.intercept

    def predict_proba_inputs(self, features: Sequence[Mapping[str, float]], texts: Sequence[Mapping[str, str]]) -> list[float]:
        """:meth:`predict_proba_features` of the rows ``{**features[k], **texts[k]}``, bit for bit, without building them.

        A document's nodes share one layout of names (``layout``), so the order of the sum is
        looked up once per call, and each node's numeric values and bag texts go straight to
        the same products and additions as :meth:`decision_row`'s.
        """
        weights: Weights = self.weights  # type: ignore[assignment]
        usable = self.layout is not None and self.split is not None and self.tokens is not None and weights.is_sorted
        laid = self.layout(features, texts) if usable else None  # type: ignore[misc]
        if laid is None:
            return self.predict_proba_features([{**f, **t} for f, t in zip(features, texts, strict=True)])
        names, prefixes, rows = laid
        plan = self._plan_of(names, prefixes)
        if not plan:
            return [expit(self._decision_parts(dict(zip(names, values, strict=True)), list(zip(prefixes, bags, strict=True))))
                    for values, bags in rows]
        block, intercept = self._block, self.intercept
        # the blocks a bag at a time, all the document's texts of one prefix in a row: one run of names
        # is looked up at a stretch instead of four in turn per node, which misses the CPU caches less
        columns = [list(map(block, repeat(prefix), [bags[b] for _, bags in rows])) for b, prefix in enumerate(prefixes)]
        # a bag as (None, its column of blocks), numeric features as (which values, their weights)
        steps: list[tuple[Any, Any]] = [(None, columns[step]) if isinstance(step, int) else step for step in plan]
        out: list[float] = []
        for k, (values, _) in enumerate(rows):
            terms: list[Iterable[float]] = []
            for first, second in steps:
                if first is None:
                    found = second[k]
                    if found is not None:
                        terms.append(found[1])
                else:
                    terms.append(map(mul, first(values), second))
            out.append(expit(reduce(add, chain.from_iterable(terms), 0.0) + intercept))
        return out

    def _plan_of(self, numeric: tuple[str, ...], prefixes: tuple[str, ...]) -> list[int | tuple[Callable[[Sequence[float]], Sequence[float]], tuple[float, ...]]]:
        """:meth:`_plan`, kept per layout (rows of one model share a few)."""
        plan = self._plans.get(names := (numeric, prefixes))
        if plan is None:
            plan = self._plan(*names)
            if len(self._plans) < 64:
                self._plans[names] = plan
        return plan

    def _plan(self, numeric: tuple[str, ...], prefixes: tuple[str, ...]) -> list[int | tuple[Callable[[Sequence[float]], Sequence[float]], tuple[float, ...]]]:
        """The order of a row's sum for these numeric names and bag prefixes: runs of known numeric
        features (which values to take, their weights) and bags (their position), by vocabulary index.

        Empty when the order could depend on a row's tokens (a numeric name inside a bag's run, two
        runs that overlap): :meth:`_decision_parts` then sorts each row's products.
        """
        weights: Weights = self.weights  # type: ignore[assignment]
        names = weights.names
        heads = [prefix + "=" for prefix in prefixes]
        if len(set(prefixes)) != len(prefixes) or any(a != b and b.startswith(a) for a in heads for b in heads):
            return []
        if any(name.startswith(head) for name in numeric for head in heads):
            return []
        keyed: list[tuple[int, int, int]] = []  # (index, 0 numeric / 1 bag, position in the row)
        for k, name in enumerate(numeric):
            # by bisection in the sorted names (what index(name) gives), so scoring never builds the 58k-name dict
            i = bisect_left(names, name)
            if i < len(names) and names[i] == name:
                keyed.append((i, 0, k))
        keyed += [(bisect_left(names, head), 1, b) for b, head in enumerate(heads)]
        keyed.sort()
        plan: list[int | tuple[Callable[[Sequence[float]], Sequence[float]], tuple[float, ...]]] = []
        run: list[tuple[int, int]] = []  # (index, position) of consecutive numeric features

        def close() -> None:
            if run:
                positions = [k for _, k in run]
                take = itemgetter(*positions) if len(positions) > 1 else (lambda v, k=positions[0]: (v[k],))
                plan.append((take, tuple(weights.floats[i] for i, _ in run)))
                run.clear()

        for i, kind, k in keyed:
            if kind:
                close()
                plan.append(k)
            else:
                run.append((i, k))
        close()
        return plan

    def _decision_parts(self, numeric: Mapping[str, float], bags: Sequence[tuple[str, str]]) -> float:
        """:meth:`decision_row` with each row's products sorted by index: the general case of :meth:`_plan`."""
        weights: Weights = self.weights  # type: ignore[assignment]
        index, values = weights.positions.get, weights.floats
        items: list[Block] = []
        for name, value in numeric.items():
            i = index(name)
            if i is not None:
                items.append((i, (value * values[i],)))
        block = self._block
        for prefix, text in bags:
            found = block(prefix, text)
            if found is not None:
                items.append(found)
        items.sort()
        total = 0.0
        for _, products in items:
            for product in products:
                total += product
        return total + self.intercept

    def _make_block(self, prefix: str, text: str) -> Block | None:
        """The weights of a bag's known tokens in vocabulary order (a token's value is 1.0); None when none is known.

        The tokens' indices come from the run of ``prefix=`` names (:meth:`Weights.run`),
        looked up in C, or from its automaton's scan of ``kept(text)`` (:meth:`Weights.pairs`):
        the same set; a repeated token gives its index once, as in the bag.
        """
        assert self.tokens is not None
        weights: Weights = self.weights  # type: ignore[assignment]
        automaton = weights.pairs(prefix + "=") if self.kept is not None else None
        if automaton is not None:
            found = set(map(_index_of_match, automaton.iter(self.kept(text))))  # type: ignore[misc]
        else:
            found = set(map(weights.run(prefix + "=").get, self.tokens(text)))
            found.discard(None)
        if not found:
            return None
        order: list[int] = sorted(found)  # None was discarded
        # each product is 1.0 × weight, which is the weight, bit for bit
        return order[0], (itemgetter(*order)(weights.floats) if len(order) > 1 else (weights.floats[order[0]],))

    def predict_proba_features(self, rows: Sequence[dict[str, Any]]) -> list[float]:
        """The probability that each node (its ``inputs``) is a directive: what ``decide`` calls."""
        return [expit(self.decision_row(row)) for row in rows]


def expit(score: float) -> float:
    """scipy's ``expit`` as it computes it, ``1 / (1 + exp(-x))``; 0.0 where ``exp`` overflows."""
    try:
        return 1.0 / (1.0 + math.exp(-score))
    except OverflowError:
        return 0.0


def to_json(weights: Mapping[str, float], intercept: float, meta: Mapping[str, Any]) -> str:
    """The file format (3): the names one a line, the weights as one base64 block of little-endian float64.

    The block keeps every weight bit for bit and reads in a millisecond, where
    54k JSON floats take ~0.1 s to parse (a fresh ``textkit extract`` pays that).
    """
    plain = Weights.of(weights)
    values = array("d", plain.floats)
    if sys.byteorder != "little":
        values.byteswap()
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta, "intercept": float(intercept),
               "names": [str(name) for name in plain.names],
               "weights_f64le": base64.b64encode(values.tobytes()).decode("ascii")}
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def _weights(data: dict[str, Any]) -> Weights | None:
    """The weights of a parsed file of format 2 (an object by name) or 3 (names and a float64 block); None if unusable."""
    if data.get("format_version") == 2:
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(isinstance(w, int | float) for w in weights.values()):
            return None
        return Weights(list(weights), array("d", (float(w) for w in weights.values())))
    names, block = data.get("names"), data.get("weights_f64le")
    if not isinstance(names, list) or not isinstance(block, str) or not all(map(isinstance, names, repeat(str))):
        return None
    values = array("d")
    try:
        values.frombytes(base64.b64decode(block, validate=True))
    except ValueError:
        return None
    if sys.byteorder != "little":
        values.byteswap()
    return Weights(names, values) if len(values) == len(names) else None


class ModelError(ValueError):
    """A model file that cannot be used: missing, unreadable, another format, other features."""


def read_model(
    path: str | Path,
    vectorise: Vectorise,
    *,
    feature_version: int | None = None,
    split: Split | None = None,
    tokens: Tokens | None = None,
    layout: Layout | None = None,
    kept: Kept | None = None,
) -> LinearModel:
    """The model in ``path`` (``split``/``tokens``/``layout``/``kept``: see :class:`LinearModel`); raises :class:`ModelError` saying why it cannot be used."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"no directive model at {path}") from None
    except OSError as exc:
        raise ModelError(f"cannot read directive model {path} ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"directive model {path} is not JSON ({type(exc).__name__}); retrain it with `textkit train`") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{path} is not a textkit directive model")
    if data.get("format_version") not in READABLE_VERSIONS:
        raise ModelError(f"directive model {path} has format {data.get('format_version')!r}, this textkit reads "
                         f"{', '.join(map(str, READABLE_VERSIONS))}; retrain it with `textkit train`")
    if feature_version is not None and data.get("feature_version") != feature_version:
        raise ModelError(f"directive model {path} was trained on features version {data.get('feature_version')!r}, "
                         f"this textkit computes version {feature_version}; retrain it with `textkit train`")
    weights, intercept = _weights(data), data.get("intercept")
    if weights is None or not isinstance(intercept, int | float):
        raise ModelError(f"directive model {path} has no usable weights")
    meta = {k: v for k, v in data.items() if k not in {"weights", "intercept", "names", "weights_f64le"}}
    return LinearModel(
        weights=weights,
        intercept=float(intercept),
        vectorise=vectorise,
        meta=meta,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        split=split,
        tokens=tokens,
        layout=layout,
        kept=kept,
    )


def warn_fallback(reason: str) -> None:
    """The loud line on stderr when extraction has to use the rules instead of the model."""
    print(
        f"textkit: WARNING: {reason}.\n"
        "textkit: WARNING: directives are decided by the fallback rules, which find fewer of them "
        "(see models/MODEL_CARD.md); reinstall textkit or run `textkit train`, and `textkit model` to check.",
        file=sys.stderr,
        flush=True,
    )


def describe(model: LinearModel | None, *, reason: str | None = None) -> dict[str, Any]:
    """What ``textkit model``, ``textkit --version`` and the service's ``/v1/version`` say about the model."""
    if model is None:
        return {"loaded": False, "reason": reason, "fallback": "rules"}
    trained = dict(model.info)
    return {
        "loaded": True,
        "path": str(model.path) if model.path else None,
        "sha256": model.sha256[:16] if model.sha256 else None,
        "format_version": model.format_version,
        "feature_version": model.meta.get("feature_version"),
        "features": len(model.weights),
        **trained,
    }
