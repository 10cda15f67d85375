"""No input crashes extraction, and what comes out always points back into the input.

Property tests (hypothesis) over arbitrary and hostile text: empty, whitespace,
control characters, emoji, unbalanced brackets, markers repeated thousands of
times, 1 MB of one character, and undecodable bytes (lone surrogates) through
``textkit.io``. Examples are few and the big inputs fixed, so the file stays
well under a minute in CI.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict

import textkit
from textkit.errors import InputError, ValidationError
from textkit.io import decode, read_bytes

# Speech-like material mixed with noise: markers, punctuation, digits, brackets, emoji, controls.
PIECES = [
    "一要", "二要", "三是", "一是要", "第一,", "(一)", "(二)", "1.", "2、", "①", "②", "一、", "二、", "首先,", "其次,",
    "县应急管理局", "牵头", "配合", "要", "6月底前", "每月", "完成", "确保", "同比增长10%", "。", ",", ";", "\n", " ",
    "(", ")", "【", "】", "“", "《", "3/9", "2024年", "XX月底前", "😀", "\u200b", "\x00", "\x07", "\ufeff", "鎮(zhèn)",
    "<p>", "&nbsp;", "\t", "\u3000", "１２", "第 3 页 共 9 页",
]
speechy = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=60).map("".join)
anything = st.one_of(st.text(max_size=300), speechy)


def _check(text: str) -> textkit.Extraction:
    result = textkit.extract(text)
    ids = [t.task_id for t in result.tasks]
    assert len(ids) == len(set(ids)), "task ids repeat within a document"
    for task in result.tasks:
        start, end = task.span
        assert 0 <= start <= end <= len(text)
        window = text[start:end]
        it = iter(window)
        # the record text is the layout view of its span: its characters appear in order in the slice
        assert all(ch in it for ch in task.text), (task.text, window)
    return result


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
@example("")
@example("   \n\t\u3000 ")
@example("\x00\x01\x02\x1b[0m")
@example("((((【【【“《")
@example("😀" * 50)
@example("一要" * 300)
def test_any_text_extracts_within_its_spans_with_stable_unique_ids(text: str) -> None:
    first = _check(text)
    again = textkit.extract(text)
    assert [t.task_id for t in first.tasks] == [t.task_id for t in again.tasks]
    assert first.to_dict() == again.to_dict()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
@example(b"\xed\xa0\x80")  # a lone surrogate encoded as UTF-8
@example("一要抓落实\ud800".encode("utf-8", "surrogatepass"))
@example(b"\xff\xfe\x00\xd8")  # UTF-16 LE lone surrogate
@example(b"")
def test_bytes_decode_to_text_or_a_clear_input_error(data: bytes) -> None:
    for reader in (lambda d: decode(d), lambda d: read_bytes(d, suffix=".txt")):
        try:
            text = reader(data)
        except InputError as exc:
            assert str(exc)
            continue
        assert isinstance(text, str)
        text.encode("utf-8")  # no lone surrogates get through
        _check(text)


@pytest.mark.parametrize(
    "text",
    [
        "一" * 1_000_000,
        "一要" * 10_000,
        "一是抓落实。二是抓落实。三是抓落实。" * 2000,
        "1" * 100_000,
        "(（【“" * 20_000,
    ],
    ids=["1MB-one-char", "yao-x10000", "items-x6000", "digits-100k", "brackets"],
)
def test_big_hostile_inputs_finish(text: str) -> None:
    _check(text)


def test_a_record_with_a_field_the_contract_does_not_allow_never_reaches_a_ledger(tmp_path) -> None:
    from textkit.ledgers import open_ledger

    result = textkit.extract("一、压实责任\n一要县应急管理局牵头,6月底前完成排查。\n二要各乡镇配合,每月报送进展。\n")
    assert result.tasks
    good = result.tasks[0]

    class Extended(textkit.TaskRecord):
        model_config = ConfigDict(extra="allow")
        secret: str = "x"

    extended = Extended(**{name: getattr(good, name) for name in type(good).model_fields})
    bad_role = good.evolve(owners=(textkit.Owner(name="县应急管理局", role="lead"),))
    object.__setattr__(bad_role.owners[0], "role", "boss")  # smuggled past the constructor
    for bad, field in ((extended, "secret"), (bad_role, "role")):
        for url in (f"sqlite:///{tmp_path / 'l.db'}", str(tmp_path / "l.jsonl")):
            with open_ledger(url) as ledger:
                with pytest.raises(ValidationError) as err:
                    ledger.upsert([good, bad])
                assert good.task_id in str(err.value) and field in str(err.value)
                assert ledger.get_rows() == {}  # nothing written, not even the good record
