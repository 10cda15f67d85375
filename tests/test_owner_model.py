"""The learned owner scorer (textkit/extractors/owner_model.py): candidates, sklearn-equal
probabilities, plain-JSON round trip, and the hook in ``find_owners`` adding and dropping owners.

Sentences are written for this project (invented places and units).
"""

from __future__ import annotations

import pytest

from textkit.extractors import owner_model as om
from textkit.extractors.owners import find_owners

LAST = "局会联部办司热力村"


def model(weights: dict[str, float], *, intercept: float = -4.0, add: float = 0.5, drop: float = 0.0) -> om.OwnerModel:
    names = tuple(sorted(weights))
    return om.OwnerModel(names, tuple(weights[n] for n in names), intercept, add, drop, LAST, ("由", "请"), "")


def spans(text: str, m: om.OwnerModel) -> set[str]:
    return {text[s:e] for s, e, _ in om.candidates(text, m)}


def test_candidates_start_at_breaks_or_cues_and_end_on_learned_characters() -> None:
    text = "各村(居)委会要在月底前完成排查,请县教育局和县妇联负责验收。"
    got = spans(text, model({}))
    assert {"各村(居)委会", "县教育局和县妇联"} <= got
    assert "县教育局" in got  # after the cue 请
    assert not any(b in s for s in got for b in ",。")  # never across a break
    assert not any(s.count("(") != s.count(")") for s in got)  # no half bracket


def test_candidates_stop_at_a_character_no_gold_owner_holds() -> None:
    text = "会议听取了云溪区水务局的汇报。"
    open_model = model({})
    closed = om.OwnerModel((), (), 0.0, 0.5, 0.0, LAST, (), "云溪区水务会议")
    assert "会议听取了云溪区水务局" in spans(text, open_model)
    assert "会议听取了云溪区水务局" not in spans(text, closed)


def test_hook_adds_a_confident_candidate_the_grammar_missed() -> None:
    text = "明溪热力在供暖前完成管网检修。"
    assert find_owners(text) == []
    strong = model({"l2=热力": 6.0, "p=^": 1.0})
    with om.using(strong):
        found = find_owners(text)
    assert [(f.text, f.rule, f.value.name) for f in found] == [("明溪热力", "learned", "明溪热力")]
    assert found[0].confidence == pytest.approx(om.expit(3.0))
    with om.using(None):
        assert find_owners(text) == []


def test_hook_drops_a_grammar_owner_below_the_drop_threshold() -> None:
    text = "各乡镇要在6月底前完成秸秆禁烧巡查。"
    grammar = find_owners(text)
    assert [f.text for f in grammar] == ["各乡镇"]
    rule = "r=" + grammar[0].rule.split(":")[0]
    doubting = model({rule: -9.0}, intercept=0.0, add=1.1, drop=0.5)
    with om.using(doubting):
        assert find_owners(text) == []
    keeping = model({rule: 9.0}, intercept=0.0, add=1.1, drop=0.5)
    with om.using(keeping):
        assert [f.text for f in find_owners(text)] == ["各乡镇"]


def test_json_round_trip_keeps_every_weight_and_setting() -> None:
    m = model({"l1=局": 0.25, "p=^": -1.5, "n1=要": 0.125}, add=0.7, drop=0.05)
    back = om.from_json(om.to_json(m))
    assert back == m
    feats = ["l1=局", "n1=要", "unknown"]
    assert back.probability(feats) == m.probability(feats)


def test_probabilities_equal_scikit_learn() -> None:
    sklearn = pytest.importorskip("sklearn.linear_model")
    from sklearn.feature_extraction import DictVectorizer

    texts = [
        "各村(居)委会要在月底前完成排查,请县教育局和县妇联负责验收。",
        "一是明溪热力在供暖前完成管网检修。",
        "由青石镇农业站牵头,各村配合做好春耕备耕。",
        "会议听取了云溪区水务局的汇报。",
    ]
    m0 = model({})
    rows = [feats for t in texts for _, _, _, feats in om.rows(t, find_owners(t), m0)]
    labels = [i % 3 == 0 for i in range(len(rows))]
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(r, 1.0) for r in rows])
    clf = sklearn.LogisticRegression(C=1.0, max_iter=1000).fit(x, labels)
    names = tuple(str(n) for n in vec.get_feature_names_out())
    m = om.OwnerModel(names, tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0]), 0.5, 0.0, LAST, ("由", "请"), "")
    expected = clf.predict_proba(x)[:, 1]
    assert [m.probability(r) for r in rows] == [float(p) for p in expected]
