"""Alternations of literal words that ``re`` tries cheaply: the words as a trie, longest first.

``re`` tries the branches of ``(?:工作建议|下一步|任务|…)`` one after another at every position it
reaches, so a list of a hundred cue words costs a hundred compares wherever a word could start
(issue 15: a third of a compiled extraction was the regex engine). Grouped by their first
characters, ``下(?:一步|达)|任务|…``, it costs one compare per distinct first character and then
only the words of that group. The matches are the same, in the same order of preference: the
words that match at a position are prefixes of one another, and the trie tries them longest
first, as the flat alternation sorted longest first does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["longest_at_each_start", "trie_alternation"]


def trie_alternation(words: Iterable[str]) -> str:
    """``"|".join(map(re.escape, sorted(words, key=len, reverse=True)))`` as a trie: the same
    matches at every position, and under backtracking the same matches in the same order
    (longest first). An empty word matches where nothing longer does, as in the flat form."""
    distinct = sorted(set(words), key=lambda w: (-len(w), w))
    return _trie(distinct) if distinct else ""


def _trie(words: list[str]) -> str:
    """``words`` (longest first; none a duplicate) as branches grouped by first character."""
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in groups.items():
        if len(rests) == 1:
            branches.append(re.escape(first + rests[0]))
        else:
            branches.append(f"{re.escape(first)}(?:{_trie(rests)})")
    if "" in words:  # the shortest: tried after every longer word of its group
        branches.append("")
    return "|".join(branches)


def longest_at_each_start(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern whose ``findall`` gives, at each position of a text where one of ``words`` opens,
    the longest one opening there, in text order (overlapping occurrences included).

    It was ``(?=[F])(?=(w1|w2|…))``: a pattern that matches nothing has no prefix for ``re``
    to look for, so ``findall`` ran the matcher at every position of the text, and each
    position where a word could open tried every word. This one matches the position's
    character and looks back at it, ``[F](?<=(?=(trie))[F])`` with F the class of the words'
    first characters: ``re`` skips the characters outside F in its class loop, runs the
    matcher only where a word can open, and tries there the trie of the words (the same
    longest word). Its one group holds the word, so ``findall`` returns the same list.
    """
    distinct = set(words)
    if not distinct or "" in distinct:
        raise ValueError("longest_at_each_start needs words, none of them empty")
    first = "[" + "".join(re.escape(ch) for ch in sorted({w[0] for w in distinct})) + "]"
    return re.compile(f"{first}(?<=(?=({trie_alternation(distinct)})){first})")
