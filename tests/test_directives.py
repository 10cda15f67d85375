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


def test_agenda_lists_assign_no_work() -> None:
    from textkit.clean import clean
    from textkit.extractors.directives import decide
    from textkit.outline import parse

    text = (
        "全县项目调度会议纪要\n2024年3月12日,县政府召开会议。会议议程如下:(一)听取县发改局关于项目进展的汇报;"
        "(二)研究其他事项。现将会议议定事项纪要如下:\n一、关于项目开工\n会议要求,县发改局要在4月底前完成用地报批。\n"
        "二、其他事项\n请县项目办于10个工作日内印发纪要。"
    )
    decisions = decide(parse(clean(text)))
    verdicts = {d.node.marker: d.directive for d in decisions}
    assert verdicts["(一)"] is False and verdicts["(二)"] is False
    assert verdicts["一、"] is True and verdicts["二、"] is True
