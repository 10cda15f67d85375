"""Targets: the contract's examples, non-targets (markers, dates, counted slogans), each lexicon entry."""

from __future__ import annotations

import pytest

from textkit.extractors.targets import find_targets
from textkit.resources import load_toml

LEX = load_toml("deadlines")["target"]


def _targets(text: str) -> list[tuple[str, float | None, str | None, str, bool]]:
    return [(f.text, f.value.value, f.value.unit, f.value.op, f.value.placeholder) for f in find_targets(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("主汛期前至少要完成年度计划工程量的XX%以上。", [("XX%以上", None, "%", ">=", True)]),
        ("确保年底前资金支出进度不低于95%。", [("不低于95%", 95.0, "%", ">=", False)]),
        ("上半年完成投资达到3.2亿元。", [("达到3.2亿元", 3.2, "亿元", ">=", False)]),
        ("今年新增5000户。", [("新增5000户", 5000.0, "户", "+", False)]),
        ("全面完成年度计划工程量的60%以上。", [("60%以上", 60.0, "%", ">=", False)]),
        ("建立了三大类275条落实总台账。", [("275条", 275.0, "条", "=", False)]),
        ("PM2.5平均浓度降低2.5个百分点。", [("降低2.5个百分点", 2.5, "百分点", "-", False)]),
        ("PM2.5浓度控制在35微克/立方米以内。", [("控制在35微克/立方米以内", 35.0, "微克/立方米", "<=", False)]),
        ("新增治理行政村25个。", [("25个", 25.0, "个", "+", False)]),
        ("确保覆盖率达到百分之九十五。", [("达到百分之九十五", 95.0, "%", ">=", False)]),
        ("今年新增五千户。", [("新增五千户", 5000.0, "户", "+", False)]),
        ("确保上半年拨付专项资金不低于2亿元。", [("不低于2亿元", 2.0, "亿元", ">=", False)]),
        ("规上工业增加值增长7%以上。", [("增长7%以上", 7.0, "%", ">=", False)]),
        # not targets
        ("下面,我讲三点意见。一是各级普遍比较重视。", []),
        ("1/8在县委工作落实年推进会上的讲话3/8最重要的", []),
        ("(一)加快项目开工。1.县发改局要会同县自然资源局推进。", []),
        ("2024年6月30日前完成,十四五期间,党的二十大以来", []),
        ("增强四个意识,一个重点一个重点攻坚,至少每月要报送一次。", []),
        ("排名第3名的单位", []),
    ],
)
def test_examples(text: str, expected: list[tuple[str, float | None, str | None, str, bool]]) -> None:
    assert _targets(text) == expected


@pytest.mark.parametrize(("word", "op"), LEX["op_before"].items())
def test_op_before(word: str, op: str) -> None:
    assert _targets(f"{word}12万元")[0][3] == op


@pytest.mark.parametrize(("word", "op"), LEX["op_after"].items())
def test_op_after(word: str, op: str) -> None:
    assert _targets(f"12万元{word}")[0][3] == op


@pytest.mark.parametrize("unit", LEX["measure_units"])
def test_measure_units(unit: str) -> None:
    found = _targets(f"完成三十{unit}")
    assert found and found[0][1] == 30.0


@pytest.mark.parametrize("unit", LEX["count_units"])
def test_count_units(unit: str) -> None:
    assert _targets(f"完成40{unit}")[0][1] == 40.0
    assert _targets(f"完成四{unit}") == []  # a Chinese count with no op word is a counted noun
