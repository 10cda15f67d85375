"""The trained directive scorer: labels from the gold, reproducible training, the shipped model's figures."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from tests.conftest import CORPUS, shared_or_skip
from textkit.model import (
    Counts,
    DirectiveModel,
    GoldDocument,
    default_model,
    directive_counts,
    examples,
    gold_documents,
    load,
    save,
    train,
)

TRAIN = list(gold_documents(CORPUS / "gold", split="train"))
# The blind split is only ever scored (textkit eval --split blind), never inspected.
ALL = [doc for doc in gold_documents(CORPUS / "gold") if doc.split != "blind"]


@pytest.mark.parametrize("doc", ALL, ids=lambda d: d.name)
def test_every_gold_directive_aligns_to_an_outline_node(doc: GoldDocument) -> None:
    labels = [e.label for e in examples(doc)]
    assert labels.count(1) == len(doc.gold["directives"])


def _predictions(model: DirectiveModel, docs: list[GoldDocument]) -> list[float]:
    return [p for d in docs for p in model.predict_proba_features([e.inputs for e in examples(d)])]


def test_training_is_reproducible_from_the_seed() -> None:
    docs = TRAIN[:5]
    assert _predictions(train(docs), docs) == _predictions(train(docs), docs)


def test_a_small_model_beats_the_rules_on_its_documents() -> None:
    # the train documents the rules get wrong, plus two they get right
    wrong = [d for d in TRAIN if directive_counts(d, None).f1 < 1.0][:4]
    right = [d for d in TRAIN if directive_counts(d, None).f1 == 1.0][:2]
    if not wrong:
        pytest.skip("the rules make no mistake on the train split")
    docs = wrong + right
    model = train(docs)
    rules = sum((directive_counts(d, None) for d in docs), Counts())
    learned = sum((directive_counts(d, model) for d in docs), Counts())
    assert learned.f1 > rules.f1


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    docs = TRAIN[:3]
    model = train(docs)
    loaded = load(save(model, tmp_path / "m.joblib"))
    assert loaded is not None
    assert _predictions(loaded, docs) == _predictions(model, docs)


def test_missing_or_broken_model_falls_back_to_rules_with_a_warning(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="no directive model"):
        assert load(tmp_path / "absent.joblib") is None
    broken = tmp_path / "broken.joblib"
    broken.write_bytes(b"not a model")
    with pytest.warns(UserWarning, match="cannot load"):
        assert load(broken) is None


def _shipped() -> DirectiveModel:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = default_model()
    if model is None:
        pytest.skip("no shipped model (run `textkit train`)")
    return model


def test_shipped_model_meets_the_held_out_target() -> None:
    model = _shipped()
    test = sum((directive_counts(d, model) for d in gold_documents(CORPUS / "gold", split="test")), Counts())
    assert test.f1 >= 0.95


def test_shipped_model_finds_the_seed_directives_and_nothing_else(seed_path: Path) -> None:
    gold = json.loads(shared_or_skip("spec", "gold", "seed.json").read_text(encoding="utf-8"))
    doc = GoldDocument("seed", gold, seed_path.read_text(encoding="utf-8"))
    assert directive_counts(doc, _shipped()) == Counts(tp=10, fp=0, fn=0)
