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
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

FORMAT = "textkit.directive-model"
FORMAT_VERSION = 2
"""1 was a joblib pickle of the scikit-learn pipeline; 2 is this JSON."""

Vectorise = Callable[[dict[str, Any]], Mapping[str, float]]


def packaged_model_path() -> Path:
    """Where the installed package keeps its model: ``textkit/models/directive.json``."""
    return Path(str(resources.files("textkit").joinpath("models", "directive.json")))


@dataclass(frozen=True)
class LinearModel:
    """Weights by feature name, an intercept, and what the model was trained on."""

    weights: Mapping[str, float]
    """Feature name → weight, in the vocabulary's order (the order of the sum)."""
    intercept: float
    vectorise: Vectorise = field(repr=False, compare=False)
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)
    sha256: str | None = field(default=None, compare=False)

    format_version = FORMAT_VERSION

    def __post_init__(self) -> None:
        terms = {name: (index, weight) for index, (name, weight) in enumerate(self.weights.items())}
        object.__setattr__(self, "_terms", terms)

    @property
    def info(self) -> Mapping[str, Any]:
        """What ``textkit train`` recorded: documents, nodes, scores, date (``meta["trained"]``)."""
        trained = self.meta.get("trained")
        return trained if isinstance(trained, Mapping) else {}

    def decision(self, features: Mapping[str, float]) -> float:
        """The logistic regression's score of one feature dict; names the model never saw count nothing."""
        terms: dict[str, tuple[int, float]] = self._terms  # type: ignore[attr-defined]
        products = []
        for name, value in features.items():
            term = terms.get(name)
            if term is not None:
                products.append((term[0], value * term[1]))
        products.sort()
        total = 0.0
        for _, product in products:
            total += product
        return total + self.intercept

    def predict_proba_features(self, rows: Sequence[dict[str, Any]]) -> list[float]:
        """The probability that each node (its ``inputs``) is a directive: what ``decide`` calls."""
        return [expit(self.decision(self.vectorise(row))) for row in rows]


def expit(score: float) -> float:
    """scipy's ``expit`` as it computes it, ``1 / (1 + exp(-x))``; 0.0 where ``exp`` overflows."""
    try:
        return 1.0 / (1.0 + math.exp(-score))
    except OverflowError:
        return 0.0


def to_json(weights: Mapping[str, float], intercept: float, meta: Mapping[str, Any]) -> str:
    """The file format: one weight a line (a retrained model diffs readably), floats exactly as stored."""
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta,
               "intercept": float(intercept), "weights": {str(k): float(v) for k, v in weights.items()}}
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


class ModelError(ValueError):
    """A model file that cannot be used: missing, unreadable, another format, other features."""


def read_model(path: str | Path, vectorise: Vectorise, *, feature_version: int | None = None) -> LinearModel:
    """The model in ``path``; raises :class:`ModelError` saying why it cannot be used."""
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
    if data.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"directive model {path} has format {data.get('format_version')!r}, this textkit reads "
                         f"{FORMAT_VERSION}; retrain it with `textkit train`")
    if feature_version is not None and data.get("feature_version") != feature_version:
        raise ModelError(f"directive model {path} was trained on features version {data.get('feature_version')!r}, "
                         f"this textkit computes version {feature_version}; retrain it with `textkit train`")
    weights, intercept = data.get("weights"), data.get("intercept")
    if not isinstance(weights, dict) or not isinstance(intercept, int | float) or not all(
        isinstance(w, int | float) for w in weights.values()
    ):
        raise ModelError(f"directive model {path} has no usable weights")
    meta = {k: v for k, v in data.items() if k not in {"weights", "intercept"}}
    return LinearModel(
        weights={k: float(v) for k, v in weights.items()},
        intercept=float(intercept),
        vectorise=vectorise,
        meta=meta,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
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
