"""Sentence/clause spans and the private jieba tokenizer with the policy user dictionary."""

from __future__ import annotations

import subprocess
import sys

import pytest

from textkit.lexicon import userdict_words
from textkit.resources import cache_dir, data_path
from textkit.segment import clauses, cut, sentences, tokenizer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要抓落实。要见成效!", ["要抓落实。", "要见成效!"]),
        ("一要加快。”二要提升;", ["一要加快。”", "二要提升;"]),
        ("  无标点文本  ", ["无标点文本"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentences(text)] == expected


def test_clauses_cut_at_commas_and_enumeration_commas() -> None:
    text = "县财政局牵头,县税务局、县人社局配合"
    assert [text[s:e] for s, e in clauses(text)] == ["县财政局牵头,", "县税务局、", "县人社局配合"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("县应急管理局要牵头开展排查", "县应急管理局"),
        ("市住建局要加快城市更新", "市住建局"),
        ("县发改局、县自然资源局配合", "县发改局"),
        ("全市各级各部门要围绕中心工作", "全市各级各部门"),
        ("领导小组各成员单位要增强大局意识", "领导小组各成员单位"),
        ("县公安局交警大队要联合开展整治", "县公安局交警大队"),
        ("各县区按职责分工负责", "按职责分工负责"),
    ],
)
def test_cut_keeps_organ_names_whole(text: str, word: str) -> None:
    assert word in cut(text)


def test_tokenizer_is_private_cached_and_caches_in_our_dir() -> None:
    import jieba

    tok = tokenizer()
    assert tok is tokenizer()
    assert tok is not jieba.dt
    assert "县应急管理局" not in jieba.dt.FREQ or not jieba.dt.initialized
    assert (cache_dir() / "jieba.textkit.cache").exists()


def test_userdict_file_matches_the_lexicon() -> None:
    """data/userdict.txt is generated (TEXTKIT_PURE=1 python -m textkit.lexicon); it must not drift from owners.toml."""
    lines = data_path("userdict.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split(" ")[0] for line in lines] == list(userdict_words())


def test_import_textkit_does_not_load_jieba_or_spacy() -> None:
    code = "import sys, textkit, textkit.segment, textkit.extractors.owners; print('jieba' in sys.modules or 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
