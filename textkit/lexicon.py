"""The owner lexicon (``data/owners.toml``, ``data/aliases.tsv``) compiled into patterns.

Kept apart from ``extract/owners.py`` so the same data feeds three users: the
party grammar that decides whether a string names a party (``is_party``), the
alias table that gives a name its full form (``canonical_name``), and the jieba
user dictionary that keeps organ names whole (``userdict_words``). Everything is
compiled once, on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from textkit.alternation import trie_alternation
from textkit.resources import data_path, load_toml

_CJK = r"\u4e00-\u9fff"
_MAX_PARTY = 34


def _last_chars(words: Iterable[str], *, pattern: bool = False) -> set[str]:
    """The characters ``words`` end with. A word that is a pattern (``pattern=True``) must end in a
    literal character, so the set stays exact without parsing the regex."""
    out = set()
    for word in words:
        if pattern and (word[-1] in ")]}*+?|.$" or word[-2:-1] == "\\"):
            raise ValueError(f"owners.toml: pattern {word!r} must end in a literal character")
        out.add(word[-1])
    return out


def _alt(words: Iterable[str], *, escape: bool = True) -> str:
    """An alternation of ``words``, longest first. A list of plain words is opened by a lookahead
    on the characters they start with (the same matches): the party grammar tries its suffix,
    head and qualifier lists at every character of a span, and most characters start none of
    their words, so ``re`` rejects them with one class test instead of a compare per word."""
    items = sorted(set(words), key=len, reverse=True)
    if not escape:
        return "(?:" + "|".join(items) + ")"
    alternation = f"(?:{trie_alternation(items)})"  # the same words as a trie: one compare per first character
    if len(items) < 2 or not all(items):
        return alternation
    firsts = "".join(re.escape(ch) for ch in sorted({w[0] for w in items}))
    return f"(?:(?=[{firsts}]){alternation})"


# The first atom of a cue word: a literal character, ``\\d`` or a plain class, and its quantifier.
_FIRST_ATOM = re.compile(r"(?:(?P<ch>[^\\\[\](){}.^$|?*+])|(?P<digit>\\d)|\[(?P<cls>[^\]^\\][^\]\\]*)\])(?P<q>[?*+]|\{\d+(?:,\d*)?\})?")


def _first_chars(words: list[str]) -> str:
    """A lookahead on the characters ``words`` (regex words too) can start with, or ``""`` when
    one of them opens otherwise (a group, an escape other than ``\\d``, an optional first atom).
    The cue pattern is tried at every character that can end a name; most start no cue word."""
    parts: set[str] = set()
    for word in words:
        m = _FIRST_ATOM.match(word)
        if m is None or m.group("q") in ("?", "*") or (m.group("q") or "").startswith("{0"):
            return ""
        if m.group("cls") and (m.group("cls")[0] == "-" or m.group("cls")[-1] == "-"):
            return ""  # a class's own - would join its neighbours in the shared class into a range
        parts.add(re.escape(m.group("ch")) if m.group("ch") else r"\d" if m.group("digit") else m.group("cls"))
    return "(?=[" + "".join(sorted(parts)) + "])" if parts else ""


@dataclass(frozen=True)
class Lexicon:
    """Compiled owner patterns. Build with ``lexicon()``; do not construct by hand."""

    party_sources: tuple[str, ...]
    party_index_by_last: Mapping[str, tuple[int, ...]]
    free_organ: re.Pattern[str]
    exact: frozenset[str]
    levels: frozenset[str]
    not_parties: frozenset[str]
    verb_starts: tuple[str, ...]
    end_chars: frozenset[str]
    party_last: frozenset[str]
    free_organ_last: frozenset[str]
    after_cue: re.Pattern[str]
    before_cue_source: str
    receiver_before: re.Pattern[str]
    receiver_after: re.Pattern[str]
    modal: re.Pattern[str]
    connector: re.Pattern[str]
    connector_first: frozenset[str] | None
    """The characters a connector match can start with (None: any, when a connector word is empty)."""
    aliases: Mapping[str, str]
    core_stops: str
    # The party branches are compiled when a span first asks for them (a fresh process's compiling
    # is most of its first extraction, and one speech needs only some branches): ``_compiled``
    # holds each branch once compiled, ``_by_last`` the branches of each last character asked.
    _compiled: list[re.Pattern[str] | None] = field(default_factory=list, compare=False, repr=False)
    _by_last: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict, compare=False, repr=False)

    def is_party(self, text: str, start: int, end: int, extra: Mapping[str, str] | None = None) -> bool:
        """Whether ``text[start:end]`` names a party (organ, collective, official), by lexicon or grammar."""
        name = text[start:end]
        if name in self.not_parties:
            return False
        if name in self.exact or (extra and name in extra):
            return True
        # the grammar is the alternation of its branches: one fullmatches exactly when the whole does
        # (a loop, not any() over a generator: this runs for every span a corpus pass parses)
        branches = self._by_last.get(name[-1:])
        if branches is None:
            branches = self._branches_ending(name[-1:])
        for branch in branches:
            if branch.fullmatch(text, start, end):
                return not name.startswith(self.verb_starts)  # asked of the few spans the grammar reads
        return False

    def _branch(self, k: int) -> re.Pattern[str]:
        """Branch ``k`` compiled, once per process."""
        if not self._compiled:
            self._compiled.extend([None] * len(self.party_sources))
        branch = self._compiled[k]
        if branch is None:
            branch = self._compiled[k] = re.compile(self.party_sources[k])
        return branch

    def _branches_ending(self, last: str) -> tuple[re.Pattern[str], ...]:
        """The compiled branches a name ending in ``last`` may match, kept for the next span."""
        branches = self._by_last[last] = tuple(self._branch(k) for k in self.party_index_by_last.get(last, ()))
        return branches

    # What the properties below compute once, kept in declared attributes: mypyc compiles a
    # ``cached_property`` to a plain property that computes again at every access (issue 15).
    _party_branches: tuple[re.Pattern[str], ...] | None = field(default=None, init=False, repr=False, compare=False)
    _party_by_last: Mapping[str, tuple[re.Pattern[str], ...]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _before_cue: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _party: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def party_branches(self) -> tuple[re.Pattern[str], ...]:
        """Every branch compiled (tests, tools/derive_triggers.py and a worker's warm-up)."""
        found = getattr(self, "_party_branches", None)  # a compiled instance leaves it unset, not None
        if found is None:
            found = tuple(self._branch(k) for k in range(len(self.party_sources)))
            object.__setattr__(self, "_party_branches", found)
        return found

    @property
    def party_by_last(self) -> Mapping[str, tuple[re.Pattern[str], ...]]:
        """Each last character of ``party_last`` → the compiled branches a name ending in it may match."""
        found = getattr(self, "_party_by_last", None)
        if found is None:
            found = {last: self._branches_ending(last) for last in self.party_index_by_last}
            object.__setattr__(self, "_party_by_last", found)
        return found

    @property
    def before_cue(self) -> re.Pattern[str]:
        """The cue before a party list as written, compiled when first asked (the shipped lexicon
        scans with its opened form, ``owners._cue_scan``, compiled from ``before_cue_source``)."""
        found = getattr(self, "_before_cue", None)
        if found is None:
            found = re.compile(self.before_cue_source)
            object.__setattr__(self, "_before_cue", found)
        return found

    @property
    def party(self) -> re.Pattern[str]:
        """The party grammar as one pattern, the alternation of ``party_branches`` (for reading and
        tests: ``is_party`` tries the branches a span's last character allows)."""
        found = getattr(self, "_party", None)
        if found is None:
            found = re.compile("(?:" + "|".join(self.party_sources) + ")")
            object.__setattr__(self, "_party", found)
        return found

    def is_free_organ(self, text: str, start: int, end: int) -> bool:
        """An organ without a level prefix (``工作落实年领导小组``), only at a clause start,
        so the grammar cannot swallow the verbs before it."""
        if not self.free_organ.fullmatch(text, start, end):
            return False
        return start == 0 or text[start - 1] in BOUNDARY
        for k in (3, 2):
            left = start - k
            if left < 0 or not (left == 0 or text[left - 1] in BOUNDARY or text[left - 1] == "、"):
                continue
            if all(0x4E00 <= ord(ch) <= 0x9FFF and ch not in self.core_stops for ch in text[left:start]):
                return left
        return start


# A name without a level opens a clause, a list item or a table cell (|疾控处|).
BOUNDARY = frozenset(',.;:!?()。,;:!?()\n \t“”"、|')


@cache
def lexicon() -> Lexicon:
    """The compiled owner lexicon (cached: built once per process)."""
    data = load_toml("owners")
    organ, coll, official, cues, recv, g = (
        data["organ"],
        data["collective"],
        data["official"],
        data["cues"],
        data["receiver"],
        data["grammar"],
    )
    core_stops = g["core_stops"]
    # 经 is a receiver cue (经县政府同意) but also opens 经济/经管/经信/经开区 inside a name;
    # a grade like A级/4A级 may sit inside one (各A级景区).
    name_ch = (
        f"(?:{_alt(organ['compounds'])}|[Xx*]|{re.escape(g['jing'])}(?=[{g['jing_in_names']}])|[1-5]?A{{1,5}}{re.escape(g['grade'])}"
        f"|(?!{re.escape(g['not_in_name'])})(?![{re.escape(core_stops)}])[{_CJK}])"
    )
    # An organ core may also hold 和 when no level follows it: 省粮食和物资储备局 (not 县委和县政府),
    # and not right after a unit's own suffix (镇司法所和派出所 is two units).
    core_ch = (
        f"(?:{name_ch}|(?<![{g['unit_suffix_chars']}]){re.escape(g['and'])}(?![{''.join(organ['levels'])}{g['each']}]))"
    )
    level = f"(?:{_alt(organ['levels'])}|{organ['redacted_level']})"
    body = _alt(organ["bodies"])
    suffix = _alt(organ["suffixes"])
    subunit = f"(?:{name_ch}{{1,6}}{_alt(organ['subunit_suffixes'])})"
    tail = _alt(organ["tails"], escape=False)
    # Each branch of the grammar with the characters its matches can end with, read off the lists
    # it ends in (a pattern word must end in a literal character): ``is_party`` tries only the
    # branches a span's last character allows.
    organ_branches = [
        (
            f"{level}{body}?{core_ch}{{0,20}}{suffix}{subunit}?{tail}?",
            _last_chars(organ["suffixes"] + organ["subunit_suffixes"]) | _last_chars(organ["tails"], pattern=True),
        ),
        (f"{_alt(organ['dept_levels'])}{name_ch}{{0,8}}{_alt(organ['dept_suffixes'])}", _last_chars(organ["dept_suffixes"])),
        (f"{_alt(organ.get('collective_levels', []))}{core_ch}{{1,10}}{suffix}", _last_chars(organ["suffixes"])),
    ]
    organ_re = "|".join(branch for branch, _ in organ_branches)

    qual = f"(?:{_alt(coll['qualifiers'])}|{coll['redacted_qualifier']})"
    head = _alt(coll["heads"])
    branch, section = re.escape(g["branch"]), re.escape(g["section"])
    unit_head = f"(?:{name_ch}{{0,4}}{_alt(coll['unit_heads'])}|{name_ch}{{1,6}}{branch})"
    qual = f"(?:{qual}|{level}{body}?(?=[{g['qualifier_followers']}]))"
    # Bare 电力部门, 产权单位, 金融机构 count; bare X企业 does not (推动企业, 督促企业 are verbs + noun).
    # Bare sections of a bureau count too: 大气污染防治股, 行政审批股.
    bare_units = "|".join(map(re.escape, g["bare_units"]))
    coll_branches = [
        (f"{qual}+(?:{head}|{unit_head})", _last_chars(coll["heads"] + coll["unit_heads"] + [g["branch"]])),
        (f"{re.escape(g['each'])}{qual}*{_alt(coll.get('each_heads', []))}", _last_chars(coll.get("each_heads", []))),
        # 电力部门, 产权单位: two name characters, neither the 各 that opens a collective (要求各单位 is 要求 + 各单位)
        (f"(?:(?!{re.escape(g['each'])}){name_ch}){{2}}(?:{bare_units})", _last_chars(g["bare_units"])),
        (f"{core_ch}{{2,8}}{section}", _last_chars([g["section"]])),
    ]

    title = _alt(official["titles"])
    organ_title = _alt(official["organ_titles"])
    # A person's name never ends in 负责 (要负责同志, 管负责同志 are fragments of 主要负责同志).
    # ...nor opens with a cue or a particle (请李红同志, 由**同志: 请/由 is the cue before the person)
    person = f"(?![{_CJK}]*{re.escape(g['person_not_end'])})(?![{re.escape(data['subject']['name_stops'])}]){official['person']}"
    own_title = _alt(official["own_titles"])
    # A unit's own head in its own speech: 厅主要负责同志, 局主要负责同志.
    titled = (
        f"(?:{level}{body}?)?{qual}*{title}|(?:{organ_re}|{level}{body}){organ_title}|{own_title}"
        f"|{_alt(organ['dept_levels'])}{organ_title}"
    )
    # A title and the person holding it are one party: 分管副市长刘XX同志, 常务副县长周XX同志.
    person_last = _last_chars([official["person"]], pattern=True)
    official_branches = [
        (
            f"(?:{titled})(?:{person})?",
            _last_chars(official["titles"] + official["organ_titles"] + official["own_titles"]) | person_last,
        ),
        (person, person_last),
    ]
    party_branches = list(organ_branches + coll_branches + official_branches)  # (regex text, last characters)
    # Places and units named without a level (城关镇, 东城街道, 大柳村, 青溪区, 县公路段's 公路段):
    # only after a boundary or a list separator, like free organs.
    place_ch = f"(?:(?![{g['place_not_start']}])[{_CJK}])"
    place = (
        f"{place_ch}{{2,3}}{_alt(organ['place_suffixes'])}|{place_ch}{{2}}[{g['place_levels']}]"
        f"|{_alt(organ['free_levels'])}{name_ch}{{1,8}}{suffix}"
    )
    # A task body's name may join two fields before its group suffix (秸秆禁烧与综合利用领导小组,
    # 医疗质量和安全管理委员会), not two units (各校和幼儿园: no group suffix).
    joined_group = (
        f"{name_ch}{{1,10}}(?<![{g['unit_suffix_chars']}])[{re.escape(g['group_joiners'])}](?![{''.join(organ['levels'])}{g['each']}])"
        f"{name_ch}{{1,12}}"
        f"{_alt(organ['joined_group_suffixes'])}"
    )
    free_organ = re.compile(f"{name_ch}{{0,14}}{_alt(organ['free_suffixes'])}{tail}?|{joined_group}|{place}")

    # Every character a match of each grammar can end with, read off the same lists the
    # patterns are built from: owners.py hands the grammar only spans ending in one of them.
    party_last = frozenset().union(*(last for _, last in party_branches))
    free_organ_last = _last_chars(organ["free_suffixes"] + organ["place_suffixes"] + organ["suffixes"] + organ["joined_group_suffixes"])
    free_organ_last |= _last_chars(organ["tails"], pattern=True) | set(g["place_levels"])  # {place}{2}[县区]

    exact = frozenset(coll["names"]) | frozenset(_table_aliases())
    ends = {w[-1] for w in exact}
    ends.update(w[-1] for w in organ["suffixes"] + organ["subunit_suffixes"] + organ["free_suffixes"])
    ends.update(w[-1] for w in coll["heads"] + official["titles"] + official["organ_titles"])
    ends.update(w[-1] for w in coll["unit_heads"] + official["own_titles"])
    ends.update(g["end_chars"])

    adverbs = _alt(cues["adverbs"])
    verbs = {
        "modal": _alt(cues["modals"], escape=False),
        "lead": _alt(cues["lead"], escape=False),
        "support": _alt(cues["support"]),
        "action": _alt(cues["actions"], escape=False),
    }
    cue_words = [*map(re.escape, cues["adverbs"] + cues["support"]), *cues["lead"], *cues["modals"], *cues["actions"]]
    after_cue = re.compile(
        f"{_first_chars(cue_words)}{adverbs}*?(?:(?P<support>{verbs['support']})|(?P<lead>{verbs['lead']})"
        f"|(?P<modal>{verbs['modal']})|(?P<action>{verbs['action']}))"
    )
    before_cue = (
        f"(?P<lead>{_alt(cues['lead_before'], escape=False)})"
        f"|(?P<support>{_alt(cues['support_before'], escape=False)})"
        f"|(?P<responsible>{_alt(cues['responsible_before'], escape=False)})"
        f"|(?P<owner>{_alt(cues['owner_before'], escape=False)})"
        f"|(?P<pivot>{_alt(cues['pivot_before'], escape=False)})"
    )
    return Lexicon(
        party_sources=tuple(branch for branch, _ in party_branches),
        party_index_by_last={
            ch: tuple(k for k, (_, last) in enumerate(party_branches) if ch in last) for ch in sorted(party_last)
        },
        free_organ=free_organ,
        exact=exact,
        levels=frozenset(lv[0] for lv in organ["levels"]),
        not_parties=frozenset(coll["not_parties"]),
        verb_starts=tuple(g["verb_starts"]),
        end_chars=frozenset(ends),
        party_last=party_last,
        free_organ_last=frozenset(free_organ_last),
        after_cue=after_cue,
        before_cue_source=before_cue,
        receiver_before=re.compile(f"{_alt(recv['before'])}$"),
        receiver_after=re.compile(_alt(recv["after"])),
        modal=re.compile(_alt(cues["modals"], escape=False)),
        connector=re.compile(f"(?:{_alt(cues['connectors'])}[,]?)+"),
        connector_first=frozenset(w[0] for w in cues["connectors"]) if all(cues["connectors"]) else None,
        aliases=_table_aliases(),
        core_stops=core_stops,
    )


@cache
def _table_aliases() -> dict[str, str]:
    """``aliases.tsv``: short form → full form (``发改局`` → ``发展和改革局``)."""
    table: dict[str, str] = {}
    with data_path("aliases.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            alias, _, full = line.partition("\t")
            if alias and full and alias != full:
                table[alias.strip()] = full.strip()
    return table


def canonical_name(name: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """The full name of ``name``, or None when no alias applies.

    Document-defined aliases win over the shipped table; an alias may be the
    end of a name, whose prefix is kept (``县发改局`` → ``县发展和改革局``).
    """
    for table in (aliases or {}, _table_aliases()):
        if name in table:
            return table[name] if table[name] != name else None
        # the longest key (of at least 2 characters) the name ends with: of the keys of one
        # length only ``name[-n:]`` can be a suffix, so one look-up per length replaces a walk
        # over the keys sorted by length
        lengths = _shipped_key_lengths() if table is _table_aliases() else _key_lengths(table)
        for n in lengths:
            key = name[-n:]
            if n <= len(name) and key in table:
                full = name[:-n] + table[key]
                return full if full != name else None
    return None


def _key_lengths(table: Mapping[str, str]) -> tuple[int, ...]:
    """The distinct lengths (2 or more) of ``table``'s keys, longest first."""
    return tuple(sorted({len(key) for key in table if len(key) >= 2}, reverse=True))


@cache
def _shipped_key_lengths() -> tuple[int, ...]:
    return _key_lengths(_table_aliases())


def userdict_words() -> Iterator[str]:
    """Words for the jieba user dictionary: lexicon names, alias forms with level prefixes."""
    data = load_toml("owners")
    seen: set[str] = set()
    bodies = set(_table_aliases()) | set(_table_aliases().values()) | set(data["userdict"]["organs"])
    words: list[str] = list(data["collective"]["names"]) + list(data["official"]["titles"])
    words += [f"{lv}{b}" for lv in data["userdict"]["levels"] for b in sorted(bodies)]
    words += list(data["userdict"]["extra"])
    for word in words:
        if word not in seen and not any(ch in word for ch in "()[]\\"):
            seen.add(word)
            yield word


def write_userdict(path: str | None = None) -> int:
    """Regenerate ``data/userdict.txt`` from the lexicon; returns the number of words."""
    target = path or str(data_path("userdict.txt"))
    words = list(userdict_words())
    from textkit.atomic import atomic_write

    atomic_write(target, "".join(f"{w} 2000 nt\n" for w in words))
    return len(words)


# TEXTKIT_PURE=1 python -m textkit.lexicon  (regenerates data/userdict.txt; compiled, the module has no code
# object for -m to run: "No code object available for textkit.lexicon")
if __name__ == "__main__":
    print(write_userdict())
