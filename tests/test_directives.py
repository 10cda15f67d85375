"""Directive decisions: features, the rule fallback and the scorer protocol."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SPEECH, shared_or_skip
from textkit.clean import clean
from textkit.extractors.directives import context_texts, decide, features, rule_probability
from textkit.model import Counts, GoldDocument, directive_counts
from textkit.outline import parse


def test_features_are_numbers_and_context_texts_are_text() -> None:
    outline = parse(clean(SPEECH))
    for node in outline.walk():
        assert all(isinstance(v, float) for v in features(outline, node).values())
        texts = context_texts(outline, node)
        assert set(texts) == {"text_heading", "text_lead", "text_intro", "text_section"}
        assert all(isinstance(v, str) for v in texts.values())


def test_rule_probability_ignores_what_it_has_no_weight_for() -> None:
    assert rule_probability({"text_heading": "加强组织领导"}) == rule_probability({})


class _Always:
    """A scorer that calls everything work: only the lowest items become directives."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def predict_proba_features(self, rows: list[dict]) -> list[float]:
        self.rows.extend(rows)
        return [1.0] * len(rows)


def test_scorer_sees_features_and_texts_and_containers_stay_containers() -> None:
    outline = parse(clean(SPEECH))
    scorer = _Always()
    decisions = decide(outline, scorer=scorer)
    assert scorer.rows and all("text_heading" in r and "family_prior" in r for r in scorer.rows)
    for d in decisions:
        assert d.directive == (not d.node.children)
        assert all(isinstance(v, float) for v in d.features.values())


def test_rules_alone_find_the_seed_directives(seed_path: Path) -> None:
    gold = json.loads(shared_or_skip("spec", "gold", "seed.json").read_text(encoding="utf-8"))
    doc = GoldDocument("seed", gold, seed_path.read_text(encoding="utf-8"))
    assert directive_counts(doc, None) == Counts(tp=10, fp=0, fn=0)
