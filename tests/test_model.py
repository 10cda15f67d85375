"""The trained directive scorer: labels from the gold, reproducible training, the plain-data model
scored without scikit-learn exactly as scikit-learn scores it, the shipped model's figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import CORPUS, ROOT, shared_or_skip
from textkit.model import (
    FEATURE_VERSION,
    MODEL_PATH,
    Counts,
    DirectiveModel,
    GoldDocument,
    default_model,
    directive_counts,
    examples,
    gold_documents,
    load,
    model_status,
    save,
    train,
)
from textkit.scoring import FORMAT_VERSION, LinearModel, packaged_model_path

TRAIN = list(gold_documents(CORPUS / "gold", split="train"))
# The blind split is only ever scored (textkit eval --split blind), never inspected.
ALL = [doc for doc in gold_documents(CORPUS / "gold") if doc.split != "blind"]


@pytest.mark.parametrize("doc", ALL, ids=lambda d: d.name)
def test_every_gold_directive_aligns_to_an_outline_node(doc: GoldDocument) -> None:
    labels = [e.label for e in examples(doc)]
    assert labels.count(1) == len(doc.gold["directives"])


def _predictions(model: DirectiveModel | LinearModel, docs: list[GoldDocument]) -> list[float]:
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


@pytest.fixture(scope="module")
def small_model() -> DirectiveModel:
    return train(TRAIN[:8])


def test_the_plain_model_scores_every_corpus_node_as_scikit_learn_does(small_model: DirectiveModel) -> None:
    # the sum runs in scikit-learn's order, so the probabilities agree to the last bit or nearly
    plain = small_model.to_plain()
    expected = _predictions(small_model, ALL)
    got = _predictions(plain, ALL)
    assert len(got) == len(expected) > 1000
    assert max(abs(a - b) for a, b in zip(expected, got, strict=True)) <= 1e-12
    assert [p >= 0.5 for p in got] == [p >= 0.5 for p in expected]


def test_save_and_load_round_trip(tmp_path: Path, small_model: DirectiveModel) -> None:
    docs = TRAIN[:3]
    path = save(small_model, tmp_path / "m.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format_version"], data["feature_version"]) == (FORMAT_VERSION, FEATURE_VERSION)
    assert data["names"] == sorted(data["names"])  # the vocabulary's order: the order of the sum
    loaded = load(path)
    assert isinstance(loaded, LinearModel)
    assert loaded.weights == small_model.to_plain().weights
    assert _predictions(loaded, docs) == _predictions(small_model, docs)


def _write(path: Path, **changes: Any) -> Path:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data.update({"feature_version": FEATURE_VERSION, **changes})
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("absent.json", None, "no directive model at"),
        ("broken.json", b"not a model", "is not JSON"),
        ("pickle.joblib", b"\x80\x04\x95", "is not JSON"),
        ("other.json", b'{"weights": {}}', "is not a textkit directive model"),
        ("old.json", {"format_version": 1}, "has format 1"),
        ("features.json", {"feature_version": FEATURE_VERSION + 1}, "trained on features version"),
        ("empty.json", {"weights_f64le": None}, "has no usable weights"),
        ("short.json", {"weights_f64le": "AAAAAAAA8D8="}, "has no usable weights"),
        ("not-base64.json", {"weights_f64le": "not base64!"}, "has no usable weights"),
        ("v2-empty.json", {"format_version": 2}, "has no usable weights"),
    ],
)
def test_an_unusable_model_falls_back_to_rules_with_a_loud_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: Any, message: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, dict):
        _write(path, **content)
    assert load(path) is None
    err = capsys.readouterr().err
    assert "textkit: WARNING:" in err and message in err and "fallback rules" in err


_FALLBACK = """
import sys, textkit, textkit.model as m
from pathlib import Path
m.MODEL_PATH = Path(sys.argv[1])
for _ in range(3):
    textkit.extract("二、抓好重点工作一要压实责任。县应急管理局要牵头,6月30日前完成检查。")
print(m.model_status()["loaded"])
"""


def test_the_fallback_warning_is_said_once_per_process(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", _FALLBACK, str(tmp_path / "absent.json")],
                          capture_output=True, text=True, cwd=tmp_path, check=True)
    assert proc.stdout.strip() == "False"
    assert proc.stderr.count("no directive model at") == 1, proc.stderr


def test_the_shipped_model_was_trained_on_the_features_textkit_computes() -> None:
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["feature_version"]
    assert shipped == FEATURE_VERSION, "features changed since the model was trained: run `textkit train`"


def test_the_default_model_is_the_one_inside_the_package() -> None:
    model = _shipped()
    assert model.path == MODEL_PATH == packaged_model_path()
    status = model_status()
    assert status["loaded"] and status["features"] == len(model.weights) > 1000
    assert status["train_documents"] > 0 and status["date"][:2] == "20"


def test_the_two_model_cards_are_the_same_file() -> None:
    shipped = (MODEL_PATH.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert shipped == (ROOT / "models" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"{len(_shipped().weights)} names" in shipped


_HEAVY = """
import sys
from textkit.cli import main
sys.argv = ["textkit", "extract", sys.argv[1], "--ref-date", "2024-04-18", "--format", "table"]
try:
    main()
finally:
    heavy = sorted({"numpy", "scipy", "sklearn", "joblib", "spacy", "sqlalchemy"} & {m.split(".")[0] for m in sys.modules})
    print("HEAVY", heavy, file=sys.stderr)
"""


def test_extracting_imports_neither_scikit_learn_nor_numpy() -> None:
    proc = subprocess.run([sys.executable, "-c", _HEAVY, str(CORPUS / "docs" / "01_city-economy-q1.txt")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    assert "WARNING" not in proc.stderr


def _shipped() -> LinearModel:
    model = default_model()
    assert model is not None, "the package ships its model (textkit/models/directive.json)"
    return model


def test_shipped_model_meets_the_held_out_target() -> None:
    model = _shipped()
    test = sum((directive_counts(d, model) for d in gold_documents(CORPUS / "gold", split="test")), Counts())
    assert test.f1 >= 0.95


def test_shipped_model_finds_the_seed_directives_and_nothing_else(seed_path: Path) -> None:
    gold = json.loads(shared_or_skip("spec", "gold", "seed.json").read_text(encoding="utf-8"))
    doc = GoldDocument("seed", gold, seed_path.read_text(encoding="utf-8"))
    assert directive_counts(doc, _shipped()) == Counts(tp=10, fp=0, fn=0)


def test_version_and_model_commands_name_the_loaded_model() -> None:
    import textkit
    from textkit.cli import app

    runner = CliRunner()
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0, version.output
    assert f"textkit {textkit.__version__}" in version.stdout
    assert f"directive model: {MODEL_PATH}" in version.stdout and "features" in version.stdout
    shown = runner.invoke(app, ["model", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["loaded"] and data["path"] == str(MODEL_PATH) and data["features"] == len(_shipped().weights)
    assert "train_documents" in runner.invoke(app, ["model"]).stdout


def test_model_command_says_and_exits_1_when_the_rules_decide(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from textkit.cli import app

    monkeypatch.setattr("textkit.model.MODEL_PATH", tmp_path / "absent.json")
    default_model.cache_clear()
    try:
        result = CliRunner().invoke(app, ["model"])
    finally:
        default_model.cache_clear()
    assert result.exit_code == 1
    assert "fallback rules decide" in result.stdout
    assert "textkit: WARNING: no directive model at" in result.stderr


_WARM = """
import sys
from pathlib import Path
from textkit.io import read_path
from textkit.pipeline import extract, warm_up
texts = [read_path(path) for path in sorted(Path(sys.argv[1]).glob("*.txt"))]
warm_up()
before = {m.split(".")[0] for m in sys.modules}
for text in texts:
    extract(text, ref_date="2024-04-18")
print(sorted({m.split(".")[0] for m in sys.modules} - before))
"""


def test_the_warm_up_leaves_nothing_for_a_document_to_import() -> None:
    # cn2an (a Chinese numeral) and chinesecalendar (working days) used to load mid-document
    proc = subprocess.run([sys.executable, "-c", _WARM, str(CORPUS / "docs")], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert proc.stdout.strip() == "[]", proc.stdout
