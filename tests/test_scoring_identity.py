"""The directive scorer's speed-ups must not move a single bit of a probability.

The per-text memo (``LinearModel.decision_row`` with ``model.split_row``), the
C-level bigrams (``model._cached_grams``) and the compact model file (format 3:
names and a float64 block) are each compared with the slow definition they
replace, on every outline node of the corpus and the seed, and on generated text.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, SHARED
from tests.conftest import ROOT as ROOT_DIR
from textkit.clean import clean
from textkit.extractors.directives import context_texts, features
from textkit.io import read_path
from textkit.model import MODEL_PATH, _bigrams, _cached_grams, default_model, load, split_row, vectorise
from textkit.outline import parse
from textkit.scoring import LinearModel, Weights, expit, to_json

TEXTS = sorted((CORPUS / "docs").glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in TEXTS:
        outline = parse(clean(read_path(path)))
        out += [{**features(outline, n), **context_texts(outline, n)} for n in outline.walk()]
    return out


@pytest.fixture(scope="module")
def model() -> LinearModel:
    shipped = default_model()
    assert shipped is not None
    return shipped


def _slow(model: LinearModel, row: dict[str, Any]) -> float:
    return expit(model.decision(vectorise(row)))


def test_memoised_scoring_is_bitwise_the_dot_product(model: LinearModel, rows: list[dict[str, Any]]) -> None:
    assert len(rows) > 1000
    expected = [_slow(model, r).hex() for r in rows]
    for _ in range(2):  # the second pass is served from the memo
        assert [p.hex() for p in model.predict_proba_features(rows)] == expected


def test_split_row_is_vectorise_before_the_bags_are_cut(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        parts = split_row(row)
        assert parts is not None
        numeric, bags = parts
        merged = dict(numeric)
        for prefix, text in bags:
            merged.update({f"{prefix}={gram}": 1.0 for gram in _cached_grams(text)})
        assert merged == vectorise(row)


def test_a_row_with_two_texts_of_one_prefix_takes_the_slow_path(model: LinearModel, rows: list[dict[str, Any]]) -> None:
    row = {**rows[5], "text_headline": "加强安全生产"}  # 'h' like text_heading: vectorise merges the two bags
    assert split_row(row) is None
    assert model.predict_proba_features([row]) == [_slow(model, row)]


def test_an_unsorted_vocabulary_takes_the_slow_path(model: LinearModel, rows: list[dict[str, Any]]) -> None:
    names = list(model.weights)
    shuffled = dict(zip(names[::-1], [model.weights[n] for n in names[::-1]], strict=True))
    plain = LinearModel(shuffled, model.intercept, vectorise, split=split_row, tokens=_cached_grams)
    assert not plain.weights.is_sorted  # type: ignore[attr-defined]
    sample = rows[:200]
    assert plain.predict_proba_features(sample) == [expit(plain.decision(vectorise(r))) for r in sample]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="h=加强安全ab", max_size=4), max_size=8))
def test_is_sorted_equals_its_definition(names: list[str]) -> None:
    """The check in C (``map(lt, …)``) is the pairwise definition, duplicates and empty lists included."""
    weights = Weights(names, [0.0] * len(names))
    assert weights.is_sorted == all(a < b for a, b in zip(names, names[1:], strict=False))


def test_the_model_file_check_of_names_equals_its_definition(model: LinearModel) -> None:
    """The shipped names are strings and sorted; a file with one name of another type is refused."""
    import base64

    from textkit.scoring import _weights

    names = list(model.weights)
    assert model.weights.is_sorted and all(isinstance(n, str) for n in names)  # type: ignore[attr-defined]
    block = base64.b64encode(bytes(8 * 3)).decode("ascii")
    assert _weights({"names": ["a", "b", "c"], "weights_f64le": block}) is not None
    assert _weights({"names": ["a", 2, "c"], "weights_f64le": block}) is None


def _reference_grams(text: str) -> tuple[str, ...]:
    kept = "".join(ch for ch in text if not unicodedata.category(ch).startswith(("P", "S", "Z")))
    return tuple({kept[i : i + 2]: None for i in range(len(kept) - 1)})


def test_bigrams_equal_the_definition_on_every_context_text(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for key, value in row.items():
            if key.startswith("text_"):
                assert _cached_grams(value) == _reference_grams(value), value


_CHARS = st.sampled_from(list("要加快推进县局牵头，。、；:()（）“”《》") + list("ＡＢ１２ 　\t\n\r\x00\u3000\u00a0①½%$+") + ["\ud800", "e\u0301", "😀"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=60).map("".join))
def test_bigrams_equal_the_definition_on_generated_text(text: str) -> None:
    assert _cached_grams(text) == _reference_grams(text)


def test_the_compact_file_keeps_every_weight_bit(tmp_path: Path, model: LinearModel, rows: list[dict[str, Any]]) -> None:
    # format 2 (weights by name, JSON floats) and format 3 (names and a float64 block) read to the same model
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["format_version"] == 3 and data["names"] == sorted(data["names"])
    meta = {k: v for k, v in data.items() if k not in {"format", "format_version", "intercept", "names", "weights_f64le"}}
    v2 = {**json.loads(to_json({}, model.intercept, meta)), "format_version": 2,
          "weights": dict(model.weights.items())}
    (tmp_path / "v2.json").write_text(json.dumps(v2, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "v3.json").write_text(to_json(model.weights, model.intercept, meta), encoding="utf-8")
    old, new = load(tmp_path / "v2.json"), load(tmp_path / "v3.json")
    assert old is not None and new is not None
    assert isinstance(new.weights, Weights) and list(new.weights.names) == list(old.weights)
    assert [w.hex() for w in new.weights.floats] == [w.hex() for w in old.weights.values()]
    assert new.intercept.hex() == old.intercept.hex() == model.intercept.hex()
    sample = rows[:300]
    assert [p.hex() for p in new.predict_proba_features(sample)] == [_slow(old, r).hex() for r in sample]


_RUNS_AFTER = """
import sys
from textkit.model import default_model
if sys.argv[1] == "warm":
    from textkit.pipeline import warm_up
    warm_up()
else:
    import textkit
    from pathlib import Path
    textkit.extract(Path(sys.argv[1]).read_text(encoding="utf-8"))
weights = default_model().weights
print(sorted(weights._runs), weights._sorted, weights._index is None)
"""


def _runs_after(how: str) -> list[str]:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", _RUNS_AFTER, how], capture_output=True, text=True, cwd=ROOT_DIR, check=True)
    return proc.stdout.split()


def test_the_warm_up_builds_what_scoring_builds_on_first_use() -> None:
    # the runs of bag names and the sortedness check are lazy (a fresh CLI run pays them only when it scores);
    # scoring finds numeric names by bisection, so the 58k-name dict is never built to extract
    speech = sorted((ROOT_DIR / "corpora" / "docs").glob("*.txt"))[0]
    warmed = _runs_after("warm")
    assert warmed == _runs_after(str(speech))
    assert "'h='," in " ".join(warmed) and warmed[-2:] == ["True", "True"]


# --- the planned sum, the runs of names, the bigram stream (fourth pass) ---------------------


def test_the_scorer_reads_the_bigrams_of_the_bag(rows: list[dict[str, Any]]) -> None:
    # the scorer takes _bigrams (repeats included, not memoised); its set is the bag's
    for row in rows:
        for key, value in row.items():
            if key.startswith("text_"):
                assert set(_bigrams(value)) == set(_cached_grams(value)), value


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=60).map("".join))
def test_the_bigram_stream_on_generated_text(text: str) -> None:
    assert set(_bigrams(text)) == set(_reference_grams(text))


def test_a_run_of_names_is_the_index_of_head_and_token(model: LinearModel) -> None:
    weights = model.weights
    assert isinstance(weights, Weights)
    for head in ("h=", "l=", "i=", "s=", "q=", "rule", "z"):
        expected = {name[len(head) :]: i for name, i in weights.positions.items() if name.startswith(head)}
        assert weights.run(head) == expected, head
    assert len(weights.run("l=")) > 1000


def test_a_numeric_name_inside_a_run_takes_the_sorted_path(model: LinearModel, rows: list[dict[str, Any]]) -> None:
    # a numeric feature named like a heading bigram the row does not hold: no fixed order, each row is sorted
    row = next(r for r in rows if len(r["text_heading"]) > 6)
    held = {f"h={gram}" for gram in _cached_grams(row["text_heading"])}
    name = next(n for n in model.weights if n.startswith("h=") and n not in held)
    odd = {**row, name: 0.375}
    parts = split_row(odd)
    assert parts is not None
    assert model._plan(tuple(parts[0]), ("h", "l", "i", "s")) == []  # type: ignore[attr-defined]
    assert model.predict_proba_features([odd])[0].hex() == _slow(model, odd).hex()


def test_plans_refuse_runs_that_overlap(model: LinearModel, rows: list[dict[str, Any]]) -> None:
    numeric = tuple(split_row(rows[0])[0])  # type: ignore[index]
    assert model._plan(numeric, ("h", "l", "i", "s"))  # type: ignore[attr-defined]
    assert model._plan(numeric, ("h", "h")) == []  # type: ignore[attr-defined]
    assert model._plan(numeric, ("h", "h=a")) == []  # type: ignore[attr-defined]


def test_the_rule_feature_is_the_generator_sum(rows: list[dict[str, Any]]) -> None:
    import math

    from textkit.extractors.directives import BIAS, WEIGHTS, rule_probability

    for row in rows:
        score = BIAS + sum(WEIGHTS.get(k, 0.0) * v for k, v in row.items() if k in WEIGHTS)
        assert rule_probability(row).hex() == (1.0 / (1.0 + math.exp(-score))).hex()


# --- a document's nodes scored as one layout (fifth session) ---------------------------------


@pytest.fixture(scope="module")
def documents() -> list[tuple[list[dict[str, float]], list[dict[str, str]]]]:
    from textkit.extractors.directives import document_inputs

    out = []
    for path in TEXTS:
        _, feats, texts = document_inputs(parse(clean(read_path(path))))
        out.append((feats, texts))
    return out


def test_scoring_a_layout_is_bitwise_the_dot_product(model: LinearModel, documents: list[Any]) -> None:
    model._block.cache_clear()  # type: ignore[attr-defined]
    nodes = 0
    for feats, texts in documents:
        expected = [_slow(model, {**f, **t}).hex() for f, t in zip(feats, texts, strict=True)]
        assert [p.hex() for p in model.predict_proba_inputs(feats, texts)] == expected
        nodes += len(expected)
    assert nodes > 1000


def test_the_layout_is_split_row_of_each_row(documents: list[Any]) -> None:
    from textkit.model import layout_inputs

    for feats, texts in documents:
        laid = layout_inputs(feats, texts)
        assert laid is not None
        names, prefixes, rows = laid
        for f, t, (values, bags) in zip(feats, texts, rows, strict=True):
            numeric, cut = split_row({**f, **t})  # type: ignore[misc]
            assert list(numeric) == list(names) and [v.hex() for v in numeric.values()] == [v.hex() for v in values]
            assert cut == list(zip(prefixes, bags, strict=True))


def test_rows_a_layout_cannot_hold_are_scored_as_rows(model: LinearModel, documents: list[Any]) -> None:
    from textkit.model import layout_inputs

    feats, texts = next((f, t) for f, t in documents if len(f) > 3)
    odd_layouts = [
        ([*feats[:-1], {**feats[-1], "extra": 1.0}], texts),  # one node with another feature
        ([*feats[:-1], dict(reversed(feats[-1].items()))], texts),  # the same names in another order
        (feats, [*texts[:-1], {**texts[-1], "text_headline": "加强安全生产"}]),  # two texts with one prefix
        ([{**f, "rule": 0.5} for f in feats], texts),  # a feature named like the rule probability
        ([{**f, "text_lead": 1.0} for f in feats], texts),  # a feature named like a text
        (feats, [{**t, "text_lead": 3.0} for t in texts]),  # a text that is a number
    ]
    for f, t in odd_layouts:
        assert layout_inputs(f, t) is None
        expected = [_slow(model, {**a, **b}).hex() for a, b in zip(f, t, strict=True)]
        assert [p.hex() for p in model.predict_proba_inputs(f, t)] == expected
    assert layout_inputs([], []) == ((), (), [])
    assert model.predict_proba_inputs([], []) == []


def test_a_model_without_a_layout_scores_inputs_as_rows(model: LinearModel, documents: list[Any]) -> None:
    plain = LinearModel(model.weights, model.intercept, vectorise, split=split_row, tokens=_bigrams)
    for feats, texts in documents[:10]:
        expected = [_slow(model, {**f, **t}).hex() for f, t in zip(feats, texts, strict=True)]
        assert [p.hex() for p in plain.predict_proba_inputs(feats, texts)] == expected


def test_decide_scores_with_the_layout(model: LinearModel) -> None:
    # decide's probabilities are the slow definition's, node by node, over the corpus
    from textkit.extractors.directives import decide

    for path in TEXTS[:30]:
        outline = parse(clean(read_path(path)))
        expected = [_slow(model, {**features(outline, n), **context_texts(outline, n)}).hex() for n in outline.walk()]
        assert [d.probability.hex() for d in decide(parse(clean(read_path(path))), scorer=model)] == expected


# --- the rule feature of a layout (sixth session) ---------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_rule_probabilities_are_rule_probability_bit_for_bit(data: st.DataObject) -> None:
    # any names (weighted or not, in any order, none at all) and values: the same products summed by the same sum
    from textkit.extractors.directives import WEIGHTS, rule_probabilities, rule_probability

    names = data.draw(st.lists(st.sampled_from([*WEIGHTS, "depth", "list_size", "other"]), unique=True))
    value = st.one_of(st.floats(allow_nan=False, min_value=-1e6, max_value=1e6), st.sampled_from([0.0, 1.0, 2.0, 0.3]))
    def outcome(score: Any, *args: Any) -> str:  # the probability's bits, or the error both raise (exp overflows)
        try:
            return float(score(*args)).hex()
        except OverflowError:
            return "OverflowError"

    rule = rule_probabilities(names)
    for _ in range(3):
        values = tuple(data.draw(st.lists(value, min_size=len(names), max_size=len(names))))
        assert outcome(rule, values) == outcome(rule_probability, dict(zip(names, values, strict=True)))


# --- a run of bigram names as an Aho-Corasick automaton (eighth session) ---------------------


def _pair_by_pair(model: LinearModel) -> LinearModel:
    """The shipped weights looked up pair by pair (no ``kept``): the definition the automata replace."""
    from textkit.model import layout_inputs

    return LinearModel(model.weights, model.intercept, vectorise, split=split_row, tokens=_bigrams, layout=layout_inputs)


def _by_automata(model: LinearModel) -> LinearModel:
    """The shipped weights with every bag's run an automaton from the first text on."""
    from textkit.model import _kept, layout_inputs

    weights = Weights(model.weights.names, model.weights.floats)  # type: ignore[attr-defined]
    for head in ("h=", "l=", "i=", "s=", "f="):
        weights.run(head)
    weights.prepare()
    assert all(weights.pairs(head) is not None for head in ("h=", "l=", "i=", "s="))
    return LinearModel(weights, model.intercept, vectorise, split=split_row, tokens=_bigrams, layout=layout_inputs, kept=_kept)


def _bits(block: Any) -> Any:
    return None if block is None else (block[0], [w.hex() for w in block[1]])


def test_an_automaton_gives_the_blocks_of_the_pair_look_ups(model: LinearModel, rows: list[dict[str, Any]]) -> None:
    slow, fast = _pair_by_pair(model), _by_automata(model)
    bags = sorted({(key[5], value) for row in rows for key, value in row.items() if key.startswith("text_")})
    assert len(bags) > 2000
    found = 0
    for prefix, text in bags:
        expected = _bits(slow._make_block(prefix, text))  # type: ignore[attr-defined]
        assert _bits(fast._make_block(prefix, text)) == expected, (prefix, text)  # type: ignore[attr-defined]
        found += expected is not None
    assert found > 1000


def test_scoring_by_automata_is_bitwise_the_dot_product(model: LinearModel, documents: list[Any]) -> None:
    fast = _by_automata(model)
    for feats, texts in documents:
        expected = [_slow(model, {**f, **t}).hex() for f, t in zip(feats, texts, strict=True)]
        assert [p.hex() for p in fast.predict_proba_inputs(feats, texts)] == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=60).map("".join), st.data())
def test_an_automaton_finds_the_known_pairs_of_generated_text(text: str, data: st.DataObject) -> None:
    # a vocabulary of pairs of the same characters, with tokens of other lengths that no pair equals
    from array import array

    from textkit.model import _kept
    from textkit.scoring import _automaton

    pairs = st.tuples(_CHARS, _CHARS).map("".join)
    tokens = data.draw(st.sets(pairs | st.sampled_from(["要", "加快推", ""]), max_size=40))
    names = sorted("h=" + token for token in tokens)
    weights = Weights(names, array("d", [float(i) for i in range(len(names))]))
    run = weights.run("h=")
    automaton = _automaton(run)
    expected = set(map(run.get, _bigrams(text))) - {None}
    assert (set() if automaton is None else {i for _, i in automaton.iter(_kept(text))}) == expected


def test_a_run_becomes_an_automaton_after_enough_texts(model: LinearModel) -> None:
    from textkit.scoring import AUTOMATON_AFTER

    weights = Weights(model.weights.names, model.weights.floats)  # type: ignore[attr-defined]
    for _ in range(AUTOMATON_AFTER - 1):
        assert weights.pairs("l=") is None  # a single document never pays the ~0.1 s build
    automaton = weights.pairs("l=")
    assert automaton is not None and weights.pairs("l=") is automaton
    assert len(automaton) == len(weights.run("l=")) > 1000


_AUTOMATA_AFTER_WARM_UP = """
from textkit.model import default_model
from textkit.pipeline import warm_up
warm_up()
weights = default_model().weights
print(sorted(weights._runs) == sorted(weights._automata), all(a is not None for a in weights._automata.values()))
"""


def test_the_warm_up_builds_the_automata_of_the_runs_it_used() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", _AUTOMATA_AFTER_WARM_UP], capture_output=True, text=True, cwd=ROOT_DIR, check=True)
    assert proc.stdout.split() == ["True", "True"]
