"""The trained directive scorer: which outline items assign work.

``directives.features`` gives what the rules know about an item (section
purpose, list intro, wording, marker, position); this module adds the
character bigrams of the item's heading and lead-in, of its list intro and of
its section heading, and fits a logistic regression on the corpus's train split.
Labels come from aligning the gold files to outline nodes: a node is a
directive when a gold heading's first 10 characters open its own text, and
not one when a gold ``not_directives`` entry opens it (or nothing does).

Three parts, kept apart so each can change alone:

- features: ``inputs`` (what one outline node offers) and ``vectorise`` (that
  as ``{feature name: value}``). Change them freely, bump ``FEATURE_VERSION``,
  and retrain: a model trained on other features is then refused, loudly.
- training (scikit-learn, needed only here): ``DirectiveModel``, ``train``,
  ``cross_validate``, ``train_corpus`` and the model card.
- the shipped model: ``save`` writes the fitted weights as plain data
  (``textkit/models/directive.json``, inside the package);
  ``default_model()`` reads it once per process and scores it in pure Python
  (:mod:`textkit.scoring`), so extraction never imports scikit-learn, numpy or
  scipy. When the file is missing or unusable, extraction falls back to the
  rules with a loud warning on stderr.
"""

from __future__ import annotations

import hashlib
import json
import operator
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

from textkit.atomic import atomic_write
from textkit.clean import CleanText, clean
from textkit.extractors.directives import context_texts, decide, features
from textkit.io import read_path
from textkit.outline import Node, Outline, parse
from textkit.scoring import LinearModel, ModelError, describe, read_model, to_json, warn_fallback

FEATURE_VERSION = 9
"""Bump when ``inputs``/``vectorise``/``directives.features`` change what a feature means; then retrain."""
SEED = 20240601
MODEL_PATH = Path(__file__).resolve().parent / "models" / "directive.json"
"""The shipped model, inside the package (a wheel installs it with the code)."""
CHECKOUT_MODELS = Path(__file__).resolve().parent.parent / "models"
"""``models/`` of a source checkout: training artefacts and the model card (absent in an installed wheel)."""


# --- corpus -------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldDocument:
    """One annotated corpus document: its gold file and the raw text it annotates."""

    name: str
    gold: dict[str, Any]
    text: str

    @property
    def split(self) -> str:
        return str(self.gold.get("meta", {}).get("split", "train"))

    @property
    def ref_date(self) -> str | None:
        return self.gold.get("ref_date")


def norm(text: str | None) -> str:
    """The scorer's normal form: NFKC, no whitespace (``２０２４ 年`` → ``2024年``)."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace())


def gold_documents(gold_dir: str | Path, docs_dir: str | Path | None = None, *, split: str | None = None) -> Iterator[GoldDocument]:
    """Gold files of a directory in name order, with their documents.

    Documents are looked up in ``docs_dir``, else ``docs/`` beside ``gold/`` (the
    written corpus), else ``cache/`` beside it (the real corpus, whose excerpts are
    third-party text kept out of git).  A document missing from the cache is
    skipped: ``missing_documents`` says which.  ``split`` keeps only documents whose
    ``meta.split`` is that value; a gold file without a split counts as ``train``.
    Hashed headings (``h10`` with a ``heading_span``) are resolved against the
    excerpt so training and alignment see a heading as for written gold.
    """
    gold_dir = Path(gold_dir)
    docs = _docs_dir(gold_dir, docs_dir)
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc = GoldDocument(path.stem, gold, "")
        if split is not None and doc.split != split:
            continue
        source = docs / gold.get("doc", f"{path.stem}.txt")
        if not source.exists() and docs.name == "cache":
            continue
        text = read_path(source)
        yield GoldDocument(path.stem, _resolve_headings(gold, text), text)


def _docs_dir(gold_dir: Path, docs_dir: str | Path | None) -> Path:
    if docs_dir is not None:
        return Path(docs_dir)
    docs = gold_dir.parent / "docs"
    return docs if docs.is_dir() or not (gold_dir.parent / "cache").is_dir() else gold_dir.parent / "cache"


def missing_documents(gold_dir: str | Path, docs_dir: str | Path | None = None, *, split: str | None = None) -> list[str]:
    """Gold files whose document is not at hand (a real excerpt not in the local cache)."""
    gold_dir = Path(gold_dir)
    docs = _docs_dir(gold_dir, docs_dir)
    out = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if split is not None and GoldDocument(path.stem, gold, "").split != split:
            continue
        if not (docs / gold.get("doc", f"{path.stem}.txt")).exists():
            out.append(path.stem)
    return out


def _resolve_headings(gold: dict[str, Any], text: str) -> dict[str, Any]:
    """Fill a hashed directive's ``heading`` from its span when the excerpt agrees with the hash."""
    import hashlib

    directives = []
    for d in gold.get("directives", []):
        span = d.get("heading_span")
        if "heading" not in d and span:
            heading = text[span[0] : span[1]]
            n = d.get("h10len", 10)
            if hashlib.sha1(norm(heading)[:n].encode("utf-8")).hexdigest()[:16] == d.get("h10"):
                d = {**d, "heading": heading}
        directives.append(d)
    return {**gold, "directives": directives}


# --- alignment ----------------------------------------------------------------------


@dataclass
class Example:
    """One outline node of one document with its inputs and, when known, its gold label."""

    doc: str
    node: Node
    inputs: dict[str, Any]
    label: int | None


def node_text(cleaned: CleanText, start: int, end: int) -> str:
    """The normalised as-written text of an analysis span: what the scorer compares headings with."""
    return norm(cleaned.as_written(start, end))


def examples(doc: GoldDocument) -> list[Example]:
    """Every node of a document's outline, labelled from its gold file.

    A node whose own text (heading and lead-in, before any child) holds a gold
    heading's first 10 characters is a directive (1); one that a
    ``not_directives`` entry opens, or that nothing matches, is not (0); a
    container holding a gold directive is left unlabelled (None): whether its
    lead-in assigns work never decides anything.
    """
    cleaned = clean(doc.text)
    outline = parse(cleaned)
    nodes = outline.walk()
    own = [node_text(cleaned, n.start, n.lead_in_end) for n in nodes]
    heads = [norm(d.get("heading"))[:10] for d in doc.gold.get("directives", [])]
    positive: set[int] = set()
    for head in heads:
        if not head:
            continue
        # the first not yet used node whose own text holds the heading: headings may repeat
        for i, text in enumerate(own):
            if i not in positive and head in text[: len(head) + 50]:
                positive.add(i)
                break
    inside = {id(n) for i in positive for n in _ancestors(nodes[i])}
    out: list[Example] = []
    for i, node in enumerate(nodes):
        label: int | None
        if i in positive:
            label = 1
        elif id(node) in inside:
            label = None
        else:
            label = 0
        out.append(Example(doc.name, node, inputs(outline, node), label))
    return out


def _ancestors(node: Node) -> Iterator[Node]:
    while node.parent is not None:
        node = node.parent
        yield node


def inputs(outline: Outline, node: Node) -> dict[str, Any]:
    """Feature dict plus context texts: what the scorer receives for one node."""
    return {**features(outline, node), **context_texts(outline, node)}


# --- features (what the model reads; change freely, bump FEATURE_VERSION, retrain) ----


def _grams(text: str) -> tuple[str, ...]:
    """Character bigrams of a context text, punctuation and spaces left out.

    Bigrams score as well as jieba words on both worlds (cross-validated
    directive F1 within one item on written and real train documents) and need
    no segmenter: extraction loads no dictionary and cuts no text. Memoised, as
    siblings share their list intro and section heading and headings recur.
    """
    return _cached_grams(text)


@lru_cache(maxsize=1 << 16)
def _cached_grams(text: str) -> tuple[str, ...]:
    kept = text.translate(_UNPUNCT)
    # the distinct bigrams kept[i:i+2] in order of first occurrence, built in C
    return tuple(dict.fromkeys(map(operator.add, kept, kept[1:])))


def _bigrams(text: str) -> Iterator[str]:
    """The bigrams of ``_grams(text)``, repeats included, not memoised: what the scorer reads.

    The scorer keeps each bigram's weight once and memoises per text itself, so
    the distinct, ordered tuple ``_grams`` builds (a dict per text) is not needed.
    """
    kept = text.translate(_UNPUNCT)
    return map(operator.add, kept, kept[1:])


def _kept(text: str) -> str:
    """The string whose adjacent pairs are ``_bigrams(text)``: what the scorer's automata scan."""
    return text.translate(_UNPUNCT)


class _Unpunct(dict[int, int | None]):
    """A ``str.translate`` table that drops what ``_is_punct`` calls punctuation, filled per character on first sight.

    ``text.translate`` then walks the text in C; a full table would mean
    classifying all 1.1M code points at start-up.
    """

    def __missing__(self, code: int) -> int | None:
        kept = None if _is_punct(chr(code)) else code
        self[code] = kept
        return kept


_UNPUNCT = _Unpunct()


@lru_cache(maxsize=1 << 16)
def _is_punct(word: str) -> bool:
    """Punctuation, symbols and spaces only; memoised, as the same few thousand words recur."""
    return all(unicodedata.category(ch).startswith(("P", "S", "Z")) for ch in word)


def vectorise(row: dict[str, Any]) -> dict[str, float]:
    """Numeric features as they are, each context text as a bag of character bigrams (``h=加强``)."""
    from textkit.extractors.directives import rule_probability

    out: dict[str, float] = {"rule": rule_probability(row)}
    for key, value in row.items():
        if isinstance(value, str):
            if key.startswith("text_"):
                prefix = key[5]
                for gram in _grams(value):
                    out[f"{prefix}={gram}"] = 1.0
        else:
            out[key] = float(value)
    return out


def split_row(row: dict[str, Any]) -> tuple[dict[str, float], list[tuple[str, str]]] | None:
    """``vectorise`` before the bags are cut: numeric features, and ``(prefix, text)`` per context text.

    The scorer (:mod:`textkit.scoring`) then looks up each distinct text's bigram
    weights once, as texts recur across siblings and documents, and adds the same
    products in the same order. None (two texts with one prefix, whose bags
    ``vectorise`` merges) sends the row through ``vectorise``.
    """
    from textkit.extractors.directives import rule_probability

    numeric: dict[str, float] = {"rule": rule_probability(row)}
    numeric.update({key: float(value) for key, value in row.items() if not isinstance(value, str)})
    bags = [(key[5], value) for key, value in row.items() if isinstance(value, str) and key.startswith("text_")]
    if len({prefix for prefix, _ in bags}) != len(bags):
        return None
    return numeric, bags


def layout_inputs(
    feats: Sequence[Mapping[str, float]], texts: Sequence[Mapping[str, str]]
) -> tuple[tuple[str, ...], tuple[str, ...], list[tuple[tuple[float, ...], tuple[str, ...]]]] | None:
    """``split_row`` of every ``{**feats[k], **texts[k]}`` at once, as one layout (:data:`textkit.scoring.Layout`).

    The numeric names are ``rule`` and the features' names, the bags the texts' prefixes;
    each node gives its rule probability and feature values, and its texts. None when the
    nodes do not share their names, or when ``split_row`` would read a row otherwise (a
    text among the features, a feature named like a text or ``rule``, two texts with one
    prefix): the scorer then builds the rows.
    """
    from textkit.extractors.directives import WEIGHTS, rule_probabilities

    if not feats:
        return (), (), []
    first, keys = feats[0], tuple(texts[0])
    numeric = ("rule", *first)
    prefixes = tuple([key[5:6] for key in keys])
    if ("rule" in first or any(key in first or key in WEIGHTS or not key.startswith("text_") for key in keys)
            or len(set(prefixes)) != len(prefixes) or "" in prefixes):
        return None
    names, rows = numeric[1:], []
    rule = rule_probabilities(names)  # rule_probability(f) of every node, whose names are these (checked below)
    for f, t in zip(feats, texts, strict=True):
        values, bags = tuple(f.values()), tuple(t.values())
        if tuple(f) != names or tuple(t) != keys or any(map(isinstance, values, repeat(str))):
            return None
        if not all(map(isinstance, bags, repeat(str))):
            return None
        rows.append(((rule(values), *map(float, values)), bags))
    return numeric, prefixes, rows


# --- training (scikit-learn) ---------------------------------------------------------


class DirectiveModel:
    """DictVectorizer + logistic regression over ``vectorise``'d inputs: the trainer.

    Scores like the shipped model (``predict_proba_features``), but extraction uses
    :meth:`to_plain`'s weights, which need no scikit-learn.
    """

    def __init__(self, *, C: float = 1.0, seed: int = SEED) -> None:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.seed = seed
        self.pipeline = make_pipeline(
            DictVectorizer(sparse=True),
            LogisticRegression(C=C, max_iter=2000, random_state=seed, class_weight="balanced"),
        )
        self.info: dict[str, Any] = {}
        self._intercept: float | None = None  # the fitted intercept, before any threshold shift

    def fit(self, rows: Sequence[dict[str, Any]], labels: Sequence[int]) -> DirectiveModel:
        self.pipeline.fit([vectorise(r) for r in rows], list(labels))
        return self

    def shift(self, threshold: float) -> None:
        """Make ``threshold`` the decision point of 0.5 by moving the intercept (0.5 undoes any shift)."""
        import math

        regression = self.pipeline.named_steps["logisticregression"]
        if self._intercept is None:
            self._intercept = float(regression.intercept_[0])
        base = self._intercept
        regression.intercept_[0] = base - math.log(threshold / (1.0 - threshold))

    def predict_proba_features(self, rows: Sequence[dict[str, Any]]) -> list[float]:
        if not rows:
            return []
        probs = self.pipeline.predict_proba([vectorise(r) for r in rows])
        return [float(p) for p in probs[:, 1]]

    def to_plain(self, meta: Mapping[str, Any] | None = None) -> LinearModel:
        """The fitted weights by feature name and the intercept, scored without scikit-learn."""
        vectoriser = self.pipeline.named_steps["dictvectorizer"]
        regression = self.pipeline.named_steps["logisticregression"]
        if list(regression.classes_) != [0, 1]:
            raise ValueError(f"expected classes [0, 1], got {list(regression.classes_)}")
        weights = dict(zip(vectoriser.feature_names_, regression.coef_[0].tolist(), strict=True))
        meta = {"feature_version": FEATURE_VERSION, "trained": _jsonable(self.info), **(meta or {})}
        return LinearModel(weights, float(regression.intercept_[0]), vectorise, meta, split=split_row, tokens=_bigrams,
                           layout=layout_inputs, kept=_kept)


def labelled(docs: Iterable[GoldDocument]) -> tuple[list[dict[str, Any]], list[int], list[str]]:
    """Rows, labels and document names of every labelled node of ``docs``."""
    rows: list[dict[str, Any]] = []
    labels: list[int] = []
    groups: list[str] = []
    for doc in docs:
        for ex in examples(doc):
            if ex.label is not None:
                rows.append(ex.inputs)
                labels.append(ex.label)
                groups.append(ex.doc)
    return rows, labels, groups


def train(docs: Iterable[GoldDocument], *, C: float = 1.0, seed: int = SEED) -> DirectiveModel:
    """Fit a model on ``docs`` (pass the train split only)."""
    rows, labels, _ = labelled(docs)
    return DirectiveModel(C=C, seed=seed).fit(rows, labels)


# --- directive-level scores ---------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Directive matches by the scorer's rule: gold found when a predicted text holds its heading's first 10 characters."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


def directive_counts(doc: GoldDocument, scorer: Any) -> Counts:
    """How the directives ``decide`` picks with ``scorer`` (None: rules) match the gold, without the full pipeline."""
    cleaned = clean(doc.text)
    outline = parse(cleaned)
    predicted = [d.node for d in decide(outline, scorer=scorer) if d.directive]
    texts = [node_text(cleaned, n.start, n.end) for n in predicted]
    heads = [norm(d.get("heading"))[:10] for d in doc.gold.get("directives", [])]
    used: set[int] = set()
    tp = 0
    for head in heads:
        for i, text in enumerate(texts):
            if i not in used and head and head in text:
                used.add(i)
                tp += 1
                break
    return Counts(tp, len(texts) - tp, len(heads) - tp)


REAL_WEIGHT = 2
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def choose_threshold(
    written: Sequence[GoldDocument], real: Sequence[GoldDocument], *, folds: int = 5, C: float = 1.0, seed: int = SEED
) -> tuple[float, Counts, Counts]:
    """The decision threshold that maximises the mean of cross-validated directive F1 on both worlds.

    Fold k holds out the k-th written and the k-th real train documents; a model
    fitted on the rest scores them at every threshold, so the threshold is chosen
    on predictions for text the model never saw. Real excerpts alone would pull
    it down at the written documents' expense. Returns the threshold and its
    (written, real) counts; ties go to the threshold nearest 0.5.
    """
    totals = {t: (Counts(), Counts()) for t in THRESHOLDS}
    for k in range(folds):
        model = train(
            [d for i, d in enumerate(written) if i % folds != k]
            + [d for i, d in enumerate(real) if i % folds != k] * REAL_WEIGHT,
            C=C,
            seed=seed,
        )
        for t in THRESHOLDS:
            model.shift(t)
            w, r = totals[t]
            w = sum((directive_counts(d, model) for i, d in enumerate(written) if i % folds == k), w)
            r = sum((directive_counts(d, model) for i, d in enumerate(real) if i % folds == k), r)
            totals[t] = (w, r)
        model.shift(0.5)
    best = max(THRESHOLDS, key=lambda t: (round((totals[t][0].f1 + totals[t][1].f1) / 2, 6), -abs(t - 0.5)))
    return best, totals[best][0], totals[best][1]


def cross_validate(docs: Sequence[GoldDocument], *, folds: int = 5, C: float = 1.0, seed: int = SEED) -> Counts:
    """Directive counts of document-grouped k-fold cross-validation: each fold scored by a model that never saw it."""
    total = Counts()
    for k in range(folds):
        held = [d for i, d in enumerate(docs) if i % folds == k]
        rest = [d for i, d in enumerate(docs) if i % folds != k]
        model = train(rest, C=C, seed=seed)
        for doc in held:
            total = total + directive_counts(doc, model)
    return total


# --- saving and loading: the plain-data model ---------------------------------------


def save(model: DirectiveModel | LinearModel, path: str | Path = MODEL_PATH) -> Path:
    """Write the model as plain data (JSON: weights by feature name, intercept, training facts)."""
    from textkit.atomic import atomic_write

    plain = model.to_plain() if isinstance(model, DirectiveModel) else model
    meta = {k: v for k, v in plain.meta.items() if k not in {"format", "format_version"}}
    return atomic_write(path, to_json(plain.weights, plain.intercept, meta))


def load(path: str | Path = MODEL_PATH) -> LinearModel | None:
    """The model saved at ``path``, or None after a loud warning on stderr when it is missing or unusable."""
    try:
        return read_model(path, vectorise, feature_version=FEATURE_VERSION, split=split_row, tokens=_bigrams,
                          layout=layout_inputs, kept=_kept)
    except ModelError as exc:
        warn_fallback(str(exc))
        return None


@cache
def default_model() -> LinearModel | None:
    """The shipped model, loaded once per process; None (warned once) means "use the rules"."""
    return load(MODEL_PATH)


def model_status() -> dict[str, Any]:
    """What is loaded: path, hash, training date and corpus, feature count; or why the rules are used."""
    model = default_model()
    reason = None
    if model is None:
        try:
            read_model(MODEL_PATH, vectorise, feature_version=FEATURE_VERSION)
        except ModelError as exc:
            reason = str(exc)
    return describe(model, reason=reason)


def _jsonable(info: Mapping[str, Any]) -> dict[str, Any]:
    return {k: ({**asdict(v), "f1": round(v.f1, 4)} if isinstance(v, Counts) else v) for k, v in info.items()}


# --- training a corpus --------------------------------------------------------------


def train_corpus(
    corpus: str | Path, out: str | Path = MODEL_PATH, *, folds: int = 5, C: float = 1.0, real_test: bool = True
) -> tuple[Path, str]:
    """Train on ``corpus/gold``'s train split, score it, save the plain-data model and its card; returns (path, summary).

    The test split is scored by the saved model, which never saw it; the
    cross-validated figure is over train documents only. ``real_test=False``
    leaves the real test split unread (its excerpts are not even opened, for an
    engineer who must not see them; the card then says it was not measured).
    The card goes beside the model and, when the model is the package's own, to
    ``models/`` of the checkout too.
    """
    import sklearn

    corpus = Path(corpus)
    written = list(gold_documents(corpus / "gold", corpus / "docs", split="train"))
    test_docs = list(gold_documents(corpus / "gold", corpus / "docs", split="test"))
    if not written:
        raise ValueError(f"{corpus / 'gold'}: no gold files with meta.split 'train'")
    real_dir = corpus / "real" / "gold"
    real = list(gold_documents(real_dir, split="train")) if real_dir.is_dir() else []
    real_test_docs = (list(gold_documents(real_dir, split="test")) if real_dir.is_dir() and real_test else [])
    real_test_count = len(real_test_docs) if real_test else _split_count(real_dir, "test")
    # real excerpts are short and few against the written documents: each counts REAL_WEIGHT times
    train_docs = written + real * REAL_WEIGHT
    threshold, cv, real_cv = (0.5, cross_validate(written, folds=folds, C=C) if folds > 1 else None, None)
    if real and folds > 1:
        threshold, cv, real_cv = choose_threshold(written, real, folds=folds, C=C)
    model = train(train_docs, C=C)
    model.shift(threshold)
    rows, labels, _ = labelled(train_docs)
    plain = model.to_plain()
    test = sum((directive_counts(d, plain) for d in test_docs), Counts())
    test_rules = sum((directive_counts(d, None) for d in test_docs), Counts())
    real_test_counts = sum((directive_counts(d, plain) for d in real_test_docs), Counts()) if real_test_docs else None
    real_test_rules = sum((directive_counts(d, None) for d in real_test_docs), Counts()) if real_test_docs else None
    real_scores: dict[str, Any] = {
        "real_train_documents": len(real),
        "real_train_gold": _split_count(real_dir, "train"),
        "real_test_documents": real_test_count,
        "real_cv": real_cv,
        "threshold": threshold,
        "real_test": real_test_counts,
        "real_test_rules": real_test_rules,
    }
    model.info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "corpus": corpus.name or str(corpus),
        "corpus_sha256": corpus_hash(train_docs),
        "train_documents": len(written),
        "real_weight": REAL_WEIGHT,
        "test_documents": len(test_docs),
        "train_nodes": len(rows),
        "train_positive": sum(labels),
        "features": len(plain.weights),
        "C": C,
        "seed": model.seed,
        "scikit_learn": sklearn.__version__,
        "cv_folds": folds,
        "cv": cv,
        "test": test,
        "test_rules": test_rules,
        **real_scores,
    }
    path = save(model, out)
    card = write_card(path.parent / "MODEL_CARD.md", model.info, model_file=path.name)
    if Path(out).resolve() == MODEL_PATH and CHECKOUT_MODELS.is_dir():
        atomic_write(CHECKOUT_MODELS / "MODEL_CARD.md", card.read_text(encoding="utf-8"))
    summary = "\n".join(
        [
            f"train: {len(written)} written documents and {len(real)} real excerpts, {len(rows)} labelled outline nodes ({sum(labels)} directives), "
            f"{len(plain.weights)} features",
            f"cross-validated directive F1 on train ({folds} folds by document): {_fmt(cv)}" if cv else "no cross-validation",
            f"held-out test split ({len(test_docs)} documents): model {_fmt(test)}; rules {_fmt(test_rules)}",
            f"real train: {len(real)} excerpts (weight {REAL_WEIGHT}); cross-validated {_fmt(real_cv)}; threshold {threshold}",
            f"real test ({real_test_count} excerpts): model {_fmt(real_test_counts)}; rules {_fmt(real_test_rules)}"
            if real_test else f"real test ({real_test_count} excerpts): not read",
        ]
    )
    return path, summary


def _split_count(gold_dir: Path, split: str) -> int:
    """How many gold files of ``gold_dir`` belong to ``split``, read from the gold alone (no excerpt opened)."""
    if not gold_dir.is_dir():
        return 0
    return sum(1 for path in gold_dir.glob("*.json")
               if GoldDocument(path.stem, json.loads(path.read_text(encoding="utf-8")), "").split == split)


def corpus_hash(docs: Iterable[GoldDocument]) -> str:
    """A fingerprint of the training data: gold and text of every document, in name order."""
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.name):
        for part in (doc.name, json.dumps(doc.gold, ensure_ascii=False, sort_keys=True), doc.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def _fmt(c: Counts | None) -> str:
    if c is None:
        return "-"
    return f"F1={c.f1:.3f} (tp={c.tp} fp={c.fp} fn={c.fn})"


_CARD = """# Directive model card

`textkit/models/{name}` (inside the package; a wheel installs it with the
code): decides, for every item of a speech's outline, whether it assigns work
(a directive) or not (an assessment, an achievement, a problem, a reason, an
agenda step, a pseudo-marker). Written by `textkit train`, with this card
beside it and a copy in `models/MODEL_CARD.md` of the checkout; do not edit
either by hand.

## Where it lives and how it is loaded

- The file is plain data, not a pickle: JSON with the weight of every
  feature name ({features} names, scikit-learn's `DictVectorizer`
  vocabulary), the intercept, and what it was trained on (`trained`:
  date, corpus fingerprint, counts, the scores below).
- `textkit.extract` loads it once per process (`textkit.model.default_model()`,
  from the installed package's `textkit/models/`) and scores a node in pure
  Python (`textkit.scoring`): the node's features (`textkit.model.vectorise`)
  dotted with the weights, in scikit-learn's order, plus the intercept, through
  the logistic function. Probabilities equal scikit-learn's `predict_proba`;
  neither scikit-learn, numpy nor scipy is imported to extract.
- The model needs only the core install (`pip install textkit`): no extra changes which model
  is used or how it scores; extras add ledgers, readers and services (`pip install "textkit[excel]"`,
  `[postgres]`, `[http]`, `[docs]`, `[serve]`, `[dask]`, `[plot]`, `[spacy]`, `[notebooks]`, `[all]`;
  see the README's "Install what you need").
- `textkit model` (and `textkit --version`, and the service's `/v1/version`)
  says which model is loaded: path, hash, training date and corpus, feature
  count.
- When the file is missing, unreadable, of another format or trained on other
  features (`feature_version`), extraction says so on stderr in a loud
  warning, once per process, and falls back to the hand-weighted rules
  (`textkit.extractors.directives.rule_probability`), which score lower (see
  below).

## Data

- Corpus: `{corpus}/` (see `corpora/README.md`), gold by the rules of
  `shared/spec/task-records.md`; fingerprint `{corpus_sha256}`; trained
  {date}.
- Two worlds, each with its own held-out test split: the documents written by
  this project (`corpora/gold`, `corpora/docs`) and real public excerpts
  (`corpora/real`: hashed gold in git, the excerpts in a git-ignored cache;
  see `corpora/real/README.md`).
- Trained on the **train splits only** (`meta.split == "train"`):
  {train_documents} written documents and {real_train_documents} real
  excerpts{real_at_hand}, each real excerpt counted {real_weight} times (they are short and
  few beside the written documents): {train_nodes} labelled outline nodes, of
  which {train_positive} are directives. The {test_documents} written and
  {real_test_documents} real test-split documents were never used for rules,
  lexicon entries, features or training.
- Decision threshold {threshold}: the one of 0.30–0.60 that maximises the mean
  of the cross-validated directive F1 of both worlds (folds by document), folded
  into the intercept so the shipped model decides at 0.5.
- Labels: a node is a directive when the first 10 normalised characters of a
  gold heading open its own text (marker, heading and lead-in before any
  child); otherwise it is not (gold `not_directives`, pseudo-markers, spurious
  markers). Containers that hold a gold directive are left out: their own
  probability never decides anything (`decide` makes them containers).

## Features

- Everything `textkit.extractors.directives.features` computes: section purpose
  (work vs assessment words in the section heading and lead-in), the list's
  intro words (`提出以下要求:` vs `主要表现在:`), the item's wording
  (imperatives, assessment words, `要` in the marker or at the heading's start,
  minutes decisions `会议要求/会议同意`, `关于…` topics, agenda steps),
  marker family (its hand prior and one indicator per family, `fam_…`), depth,
  list size (capped at 8, over 8: a long real task list does not outweigh an
  item's words), top-level leaf; since feature version 6 also: the item names
  its duty unit (`…增长6%以上责任单位:区发改局`), addresses a party with a
  modal (`各乡镇要…`), is only a title (`附件:1.…名单(样表)`), and its list's
  opening clause holds a modal (`基于上述判断,下半年要把握好三条:`, which then
  counts as the intro's nearest work cue) or announces attachments; since
  feature version 7 also: the item's whole series only tells past work (a
  report's list: some item says `成立了…`, `已完成`, `发放资料500余份`, and no
  item of the series holds a modal such as `要`, `必须`, `请`), given to each item;
  since feature version 8 also the share of the series' items that tell past
  work without a modal (one narrated `要求` does not hide a report); since
  feature version 9 a series whose items are mostly bare headlines telling no
  past (`一、严查…;二、严打…;`, under 12 characters) is no report, whatever its
  one long item tells; the list intro's words count news openers and
  report frames (`近日`, `多措并举`, `汇报如下`) against work and `勉励` for it;
  a growth target's `增长` (`增长6%以上`, `增长9%左右`) is no assessment word;
  and an owner line (`①责任单位:…`) opens with its label, so a numbered target
  that ends in `责任单位:…` is a task, not its parent's trailer.
- The rule fallback's own probability, as one feature.
- Character bigrams (punctuation and spaces left out; traditional characters
  already mapped to simplified by cleaning) of the item's heading (`h=`), its
  lead-in (`l=`), its list intro (`i=`, the line that opens the list only) and
  its section heading (`s=`). They
  replaced jieba words (feature version 5): the same cross-validated quality on
  both worlds, and extraction needs no segmenter.

## Model

`DictVectorizer` + `LogisticRegression` (lbfgs, C={C}, class_weight balanced,
random_state {seed}), fitted with scikit-learn {scikit_learn}; only its
weights ship. Deterministic: the same corpus gives the same weights.

## Scores (directives; a gold directive is found when a predicted directive's text holds its heading's first 10 characters)

| | P | R | F1 | tp | fp | fn |
|---|---|---|---|---|---|---|
{rows}

The test figures come from this model, trained without either test split; a
`-` on the real test rows means the model was trained without reading the real
test split (`train_corpus(..., real_test=False)`), which is then measured apart. The
full extraction scored by `shared/tools/score.py`'s rules (deadlines, owners,
cadence and due too): `textkit eval corpora/gold --split test` and
`textkit eval corpora/real/gold --split test` (where the real cache is).

## Retrain

```
pip install -e ".[dev]"            # scikit-learn is needed to train, not to extract
textkit train                      # corpora/ → textkit/models/directive.json and this card
textkit model                      # what is now loaded
textkit eval corpora/gold --split test
```
"""


def _row(label: str, c: Counts | None) -> str:
    if c is None:
        return f"| {label} | - | - | - | - | - | - |"
    p = c.tp / (c.tp + c.fp) if c.tp + c.fp else 0.0
    r = c.tp / (c.tp + c.fn) if c.tp + c.fn else 0.0
    return f"| {label} | {p:.3f} | {r:.3f} | {c.f1:.3f} | {c.tp} | {c.fp} | {c.fn} |"


def write_card(path: str | Path, info: Mapping[str, Any], *, model_file: str = MODEL_PATH.name) -> Path:
    """The model card beside the model, with the figures measured when it was trained."""
    rows = "\n".join(
        [
            _row(f"train, {info['cv_folds']}-fold cross-validation by document", info.get("cv")),
            _row("held-out test split, this model", info.get("test")),
            _row("held-out test split, rules alone", info.get("test_rules")),
            _row(f"real train, {info['cv_folds']}-fold cross-validation by document", info.get("real_cv")),
            _row("real held-out test split, this model", info.get("real_test")),
            _row("real held-out test split, rules alone", info.get("real_test_rules")),
        ]
    )
    values = {k: v for k, v in info.items() if k not in {"cv", "test", "test_rules", "real_cv", "real_test", "real_test_rules"}}
    values.setdefault("real_train_documents", 0)
    values.setdefault("real_test_documents", 0)
    values.setdefault("real_weight", REAL_WEIGHT)
    values.setdefault("threshold", 0.5)
    gold = values.get("real_train_gold")
    at_hand = values["real_train_documents"]
    values["real_at_hand"] = (f" (of {gold} annotated: the rest were not in the local excerpt cache)"
                              if gold and gold != at_hand else "")
    text = _CARD.format(name=model_file, rows=rows, **values)
    from textkit.atomic import atomic_write

    return atomic_write(path, text)
