"""Which sentences of a body each field extractor can find anything in.

The deadline, cadence and target extractors only report what their regular
expressions match, so a sentence holding none of the literal strings every
match must contain cannot yield anything from them. Those strings are read off
the compiled patterns at build time by ``tools/derive_triggers.py`` (it needs
the standard library's private regex parser, which the package never imports)
and ship as ``data/triggers.json``; a test fails while the file differs from
what the current lexicons give. Each extractor's strings are one ``re``
alternation searched within each sentence: on these lexicons (129 strings, most
of them one character such as 月 or 前) that beat one pyahocorasick scan per
document and a google-re2 set, see ``benchmarks/matchers.py`` and
``benchmarks/README.md``.

An extractor whose patterns admit no such strings (an optional-only or negated
part) is ``null`` in the file and runs on every sentence: the filter only ever
skips work that provably finds nothing.

The same holds pattern by pattern: ``data/pattern_triggers.json`` (derived by the
same tool) lists the strings of each deadline pattern and of the owners' cue
pattern before a party list, with a digest of the pattern they were read from;
``find_deadlines`` scans a sentence only with the patterns whose strings it holds
(most of its time was spent scanning sentences with patterns that cannot match
there), and the owners skip that cue scan likewise. The file also gives the
characters each deadline pattern's matches can start with: ``scan_patterns``
opens the pattern with a lookahead on them, so ``re`` rejects most positions in
one class test.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, cached_property
from importlib import resources
from typing import Any

from textkit.alternation import longest_at_each_start, trie_alternation

Needs = frozenset[str]


class Triggers:
    """Each extractor's strings as one ``re`` alternation; ``fired`` says which extractors can
    find something in each sentence of a body."""

    def __init__(self, needs: Mapping[str, Needs | None]) -> None:
        self.always = frozenset(name for name, need in needs.items() if need is None)
        self._needs = {name: need for name, need in needs.items() if need}
        # names that need the same strings share one search (月 for four deadline patterns)
        groups: dict[Needs, list[str]] = {}
        for name, need in needs.items():
            if need:
                groups.setdefault(need, []).append(name)
        self._need_groups = groups
        self._compiled: dict[str, re.Pattern[str]] = {}

    # The one scan and the searches per name and per set are built on first use: ``fired_in``
    # needs the scan (or the sets), ``searches`` the names it is asked for, and a fresh process
    # spent its first extraction mostly compiling patterns, some of them never used (the field
    # extractors' scan: the pipeline only asks ``searches``).
    @cached_property
    def _scanner(self) -> tuple[Callable[[str], list[str]], dict[str, frozenset[str]]] | None:
        groups = self._need_groups
        # an empty string is in every text: its set always fires, which only the searches say
        if len(groups) >= SCAN_FROM and all(all(need) for need in groups):
            return _one_scan(groups)
        return None

    @property
    def _scan(self) -> Callable[[str], list[str]] | None:
        """The one scan's ``findall``, None where ``fired_in`` searches set by set."""
        return self._scanner[0] if self._scanner is not None else None

    def _pattern(self, name: str) -> re.Pattern[str]:
        pattern = self._compiled.get(name)
        if pattern is None:
            pattern = self._compiled[name] = _alternation(self._needs[name])
        return pattern

    @cached_property
    def patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        """Each name's strings as one alternation, longest first."""
        return [(name, self._pattern(name)) for name in self._needs]

    @cached_property
    def _groups(self) -> list[tuple[re.Pattern[str], frozenset[str]]]:
        return [(_alternation(need), frozenset(names)) for need, names in self._need_groups.items()]

    def strings(self, name: str) -> Needs | None:
        """The strings ``name``'s search looks for (None: it always runs, or no such name)."""
        return self._needs.get(name)

    def fired_in(self, text: str) -> frozenset[str]:
        """The names with a string somewhere in ``text``, plus those that always run.

        With many string sets (the deadline patterns' 23), one scan of ``text`` finds the longest
        string opening at each position, and each found string stands for the names of every set
        holding one of its prefixes (see :func:`_one_scan`); with a few, one search per set,
        which stops at its first hit."""
        scanner = self._scanner
        if scanner is not None:
            found = scanner[0](text)
            return self.always.union(*map(scanner[1].__getitem__, set(found))) if found else self.always
        out = set(self.always)
        for pattern, names in self._groups:
            if pattern.search(text):
                out |= names
        return frozenset(out)

    def searches(self, *names: str) -> tuple[Callable[[str, int, int], object], ...]:
        """For each name, a test ``(text, start, end)`` that is true when the extractor can find
        something in ``text[start:end]``: its pattern's ``search`` (a string wholly inside the span,
        as ``fired`` reads it), or always true. One call per span and name, no set built."""
        return tuple(
            self._pattern(name).search if name in self._needs else _always if name in self.always else _never
            for name in names
        )

    def fired(self, text: str, spans: Sequence[tuple[int, int]]) -> list[frozenset[str]]:
        """For each span ``(start, end)`` of ``text``, the extractors with a string wholly
        inside it, plus those that always run."""
        return [
            self.always.union(name for name, pattern in self.patterns if pattern.search(text, start, end))
            for start, end in spans
        ]


SCAN_FROM = 3
"""String sets from which ``fired_in`` scans once instead of searching once per set."""


def _one_scan(groups: Mapping[Needs, Sequence[str]]) -> tuple[Callable[[str], list[str]], dict[str, frozenset[str]]]:
    """A ``findall`` giving, at each position of a text where a string of any set opens, the longest
    such string; and each string's names: those of every set holding a prefix of it.

    A string of a set that occurs at a position is a prefix of the longest string opening there
    (both are prefixes of the text from that position), so a set has a string in the text exactly
    when some found string has a prefix in the set. The scan is
    :func:`textkit.alternation.longest_at_each_start`, as in ``directives._cue_scan``."""
    strings = sorted({s for need in groups for s in need}, key=lambda s: (-len(s), s))
    # a set holds a prefix of ``string`` exactly when it holds ``string[:k]`` for some k >= 1 (its
    # strings are not empty): one look-up per prefix instead of a ``startswith`` per string of every set
    holders: dict[str, list[str]] = {}
    for need, names in groups.items():
        for s in need:
            holders.setdefault(s, []).extend(names)
    names_of = {
        string: frozenset(name for k in range(1, len(string) + 1) for name in holders.get(string[:k], ()))
        for string in strings
    }
    return longest_at_each_start(strings).findall, names_of


def _alternation(strings: Needs) -> re.Pattern[str]:
    """The strings as one search, longest first (as a trie: the same matches, fewer compares)."""
    return re.compile(trie_alternation(strings))


def _always(text: str, start: int, end: int) -> bool:
    return True


def _never(text: str, start: int, end: int) -> bool:
    return False


def pattern_digest(pattern: re.Pattern[str]) -> str:
    """A short digest of a compiled pattern's flags and characters: the shipped strings of a
    pattern are used only while it is built from the same characters. The characters are taken
    sorted because the lexicons order words of one length as a set iterates, which varies
    between processes (the language, and so the strings, does not)."""
    return _digest(pattern.flags, pattern.pattern)


def source_digest(source: str) -> str:
    """``pattern_digest(re.compile(source))`` without compiling: a text pattern compiled without
    flags has ``re.UNICODE`` as its flags. A pattern that sets global flags inline (``(?i)…``)
    gets other flags when compiled, so its digest differs from the file's and it always runs:
    slower, never a lost match (``tests/test_speed_identity.py`` checks the shipped patterns)."""
    return _digest(int(re.UNICODE), source)


def _digest(flags: int, source: str) -> str:
    return hashlib.sha256(f"{flags}:{''.join(sorted(source))}".encode()).hexdigest()[:16]


def pattern_triggers(extractor: str, patterns: Iterable[tuple[str, re.Pattern[str]]]) -> Triggers:
    """The triggers of each named pattern of one extractor (``deadlines``, ``owners``).

    A pattern reports only matches holding one of its strings (``tests/test_speed_identity.py``
    checks the file is what the lexicons give, every match on the corpus, and the extractors
    with and without this filter). A pattern absent from the file, or changed since the file
    was derived (its digest differs), always runs: a stale file costs speed, never a match."""
    return _triggers_of(extractor, ((name, pattern_digest(pattern)) for name, pattern in patterns))


def source_triggers(extractor: str, sources: Iterable[tuple[str, str]]) -> Triggers:
    """``pattern_triggers`` of the patterns ``re.compile`` would make of ``sources`` (name, regex
    text), without compiling them: a process compiles only the patterns a text can match."""
    return _triggers_of(extractor, ((name, source_digest(source)) for name, source in sources))


def _triggers_of(extractor: str, digests: Iterable[tuple[str, str]]) -> Triggers:
    shipped = _shipped_pattern_triggers().get(extractor, {})
    needs: dict[str, Needs | None] = {}
    for name, digest in digests:
        entry = shipped.get(name)
        fresh = entry is not None and entry["digest"] == digest and entry["needs"] is not None
        needs[name] = frozenset(entry["needs"]) if fresh else None  # type: ignore[index]
    return Triggers(needs)


def scan_patterns(
    extractor: str, patterns: Iterable[tuple[str, re.Pattern[str]]]
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each named pattern, opened by a lookahead on the characters its matches can start with when
    the file knows them for this very pattern (``first``): ``(?=[…])`` rejects a position in one
    class test where a pattern opening on a lookbehind or an optional part (``(?<![\\d.年])…``) is
    tried whole at every character; it adds no group and consumes nothing, so every match is the
    same. Other patterns are returned as they are."""
    shipped = _shipped_pattern_triggers().get(extractor, {})
    out: list[tuple[str, re.Pattern[str]]] = []
    for name, pattern in patterns:
        entry = shipped.get(name)
        first = entry.get("first") if entry is not None and entry["digest"] == pattern_digest(pattern) else None
        out.append((name, re.compile(_opened(first, pattern.pattern), pattern.flags) if first else pattern))
    return tuple(out)


def scan_sources(extractor: str, sources: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``scan_patterns`` on regex texts, name → the text to compile (opened or as it was), in the
    order given; nothing is compiled here (see :class:`CompiledOnUse`)."""
    shipped = _shipped_pattern_triggers().get(extractor, {})
    out: dict[str, str] = {}
    for name, source in sources:
        entry = shipped.get(name)
        first = entry.get("first") if entry is not None and entry["digest"] == source_digest(source) else None
        out[name] = _opened(first, source) if first else source
    return out


def scan_pattern(extractor: str, name: str, source: str) -> re.Pattern[str]:
    """One regex text compiled as ``scan_patterns`` would open it, compiled once (not first as
    written and then again opened)."""
    return re.compile(scan_sources(extractor, [(name, source)])[name])


def _opened(first: str, source: str) -> str:
    return f"(?=[{first}])(?:{source})"


class CompiledOnUse(dict[str, re.Pattern[str]]):
    """Name → compiled pattern, each compiled when first looked up.

    Compiling is most of a fresh process's first extraction (``re`` parses and optimises
    the large CJK classes in pure Python), and one speech fires about half of the deadline
    patterns: a single ``textkit extract`` compiles only those. ``compile_all`` is for a
    worker's warm-up, which must leave nothing to compile in the middle of a request."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        super().__init__()
        self.sources = dict(sources)

    def __missing__(self, name: str) -> re.Pattern[str]:
        pattern = self[name] = re.compile(self.sources[name])
        return pattern

    def compile_all(self) -> None:
        """Compile every pattern not compiled yet."""
        for name, source in self.sources.items():
            if name not in self:
                self[name] = re.compile(source)


def pattern_first(extractor: str, patterns: Iterable[tuple[str, re.Pattern[str]]]) -> dict[str, str | None]:
    """The body of the class of characters each named pattern's matches can start with (``first`` in
    the file), None for a pattern absent from the file, changed since it was derived, or whose
    first characters are unknown: a caller bounds where it tries a pattern only by a known class."""
    return _first_by_digest(extractor, ((name, pattern_digest(pattern)) for name, pattern in patterns))


def source_first(extractor: str, sources: Iterable[tuple[str, str]]) -> dict[str, str | None]:
    """``pattern_first`` of the patterns ``re.compile`` would make of ``sources`` (name, regex text),
    without compiling them (the digest is read off the text, as ``source_digest`` says)."""
    return _first_by_digest(extractor, ((name, source_digest(source)) for name, source in sources))


def _first_by_digest(extractor: str, digests: Iterable[tuple[str, str]]) -> dict[str, str | None]:
    """The shipped ``first`` class of each (name, digest) whose digest is the one derived, else None."""
    shipped = _shipped_pattern_triggers().get(extractor, {})
    out: dict[str, str | None] = {}
    for name, digest in digests:
        entry = shipped.get(name)
        out[name] = entry.get("first") if entry is not None and entry["digest"] == digest else None
    return out


@cache
def _shipped_pattern_triggers() -> dict[str, dict[str, dict[str, Any]]]:
    data: dict[str, dict[str, dict[str, Any]]] = json.loads(
        resources.files("textkit.data").joinpath("pattern_triggers.json").read_text(encoding="utf-8")
    )
    return data


@cache
def field_triggers() -> Triggers:
    """The triggers of the field extractors (deadlines, cadence, targets), read once per process.

    Each of them reports only matches of its lexicon's patterns (``tests/test_speed_identity.py``
    checks the whole corpus with and without this filter)."""
    shipped = json.loads(
        resources.files("textkit.data").joinpath("triggers.json").read_text(encoding="utf-8")
    )
    return Triggers(
        {name: frozenset(strings) if strings is not None else None for name, strings in shipped.items()}
    )
