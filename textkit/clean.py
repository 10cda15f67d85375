"""Cleaning dirty archive text while keeping the way back to the original.

Each step is a small pure function ``TextMap -> TextMap`` that only deletes or
replaces characters, so the offset map survives every step. Two views come
out:

- ``layout``: what the author wrote, minus what the archive added (PDF page
  markers such as ``坚7/8决``, page headers and footers, site boilerplate,
  markup, stray spaces). Record texts are reported from this view, so
  traditional characters, pinyin glosses and redactions stay as written.
- ``text``: the layout view further normalised for analysis (full-width
  forms to ASCII, inline pinyin glosses removed, traditional characters mapped
  one for one to simplified).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import compress, islice

from textkit.alternation import trie_alternation
from textkit.resources import load_toml
from textkit.spans import Edit, TextMap, kept_mask

Step = Callable[[TextMap], TextMap]

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_NEIGHBOUR = f"{_HAN}\u3000-\u303f\uff00-\uffef“”‘’"

# --- markup and site boilerplate -------------------------------------------------
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,400})?/?>|<!--.{0,2000}?-->", re.S)
# the tail of a tag cut by the excerpt, at a line's start: l> of <html>, /head> of </head>
_TAG_TAIL = re.compile(r"^[ \t]*/?[a-zA-Z]{1,8}>", re.M)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_CSS_BLOCK = re.compile(r"(?:@page|[a-zA-Z]*\.[a-zA-Z][\w-]*|\b(?:p|td|span|div|body))\s*\{[^{}]{0,2000}\}")


def _words(words: list[str]) -> str:
    """A regex alternation over lexicon words, in the order the lexicon lists them."""
    return "|".join(re.escape(w) for w in words)


def _gated_words(words: list[str]) -> str:
    """``_words`` behind a look-ahead on the class of their first characters: the same matches, but
    a position that starts no word fails one class test instead of a comparison per word (a widget
    branch tried 30 positions from every line start, against each of its words)."""
    firsts = re.escape("".join(sorted({w[0] for w in words})))
    return rf"(?=[{firsts}])(?:{_words(words)})"


@cache
def _boilerplate_line() -> re.Pattern[str]:
    """A whole line of site boilerplate; the words come from ``textkit/data/clean.toml``.

    Every branch holds one of ``_boilerplate_words()``' words: ``strip_boilerplate`` skips a text
    without any, so a branch added here needs its words there too."""
    lex = load_toml("clean")["boilerplate"]
    sizes = "".join(lex["font_sizes"])
    return re.compile(
        r"^[ \t\u3000]*(?:"
        # a site's name or 您 may open it (德育素材网 首页 > …, 您当前的位置:首页>>…), and a full-width
        # ＞ or a double dash may part its steps (首页--媒体报道)
        rf"[^\n]{{0,12}}?{_gated_words(lex['breadcrumb'])}[^\n]{{0,80}}?(?:>|＞|›|»|→|--)[^\n]*"
        # a label may follow a bracket, a table bar or a bullet: (责任编辑:admin), |责编:X, •来源:X
        rf"|[(（【\[|•·]?[ \t]{{0,2}}{_gated_words(lex['metadata_labels'])}[ \t]*[:：][^\n]{{0,200}}"
        # \s{0,8}, not \s*: an unbounded \s* ran over every following blank line from every line start
        # (100,000 newlines: 14.5 s); 字体 bars still span a few line breaks (【字体：\n大 中 小】).
        rf"|[^\n\[【]{{0,8}}[【\[]?\s{{0,8}}(?:{_words(lex['font_bar'])})\s{{0,8}}[:：]?"
        rf"\s{{0,8}}(?:[\[【(（]?\s{{0,8}}[{sizes}]\s{{0,8}}[\]】)）]?\s{{0,8}})+[】\]]?"
        rf"|[^\n]{{0,30}}{_gated_words(lex['widgets'])}[^\n]{{0,30}}"
        rf"|[【\[(（]?[ \t]{{0,2}}{_gated_words(lex['widget_lines'])}[ \t]{{0,2}}[:：]?[】\])）]?"
        rf"|[^\n]{{0,20}}{_gated_words(lex['paywall'])}[^\n]*"
        # a site's metadata table row (| 标题:… |) and a server's error line (Warning: mysql_connect() … on line 12)
        rf"|\|[ \t]{{0,4}}(?:{_words(lex['table_labels'])})[ \t]{{0,4}}[:：][^\n]*"
        r"|(?:Warning|Notice|Fatal error|Deprecated|Parse error|Strict Standards)[ \t]{0,4}:[^\n]{0,400}on line \d+[^\n]{0,40}"
        r")[ \t\u3000]*$\n?",
        re.M,
    )


@cache
def _elision() -> re.Pattern[str]:
    """A document site's elision notice (……省略1200字……, (省略300字))."""
    lex = load_toml("clean")["elision"]
    omitted = rf"{re.escape(lex['omitted'])}\d+{re.escape(lex['characters'])}"
    return re.compile(
        rf"…{{1,2}}[^…\n]{{0,30}}{omitted}[^…\n]{{0,40}}…{{1,2}}"
        rf"|[(（][^()（）\n]{{0,30}}{omitted}[^()（）\n]{{0,40}}[)）]"
    )


# --- pagination ------------------------------------------------------------------
_PAGE_MARKER = re.compile(r"(?<![\d/.:\-])(\d{1,3})\s?/\s?(\d{1,3})(?![\d/%])")
# The same matches and groups, opening with the digit a marker starts with: the look-behind is checked
# after it ((?<!C)\d as \d(?<!C\d)), so ``re`` skips to the next digit instead of trying the whole
# pattern at every character (``_PAGE_MARKER`` stays as the definition, tests/test_clean_fast_path.py).
_PAGE_MARKER_SCAN = re.compile(r"(\d(?<![\d/.:\-]\d)\d{0,2})\s?/\s?(\d{1,3})(?![\d/%])")


@cache
def _footer_line() -> re.Pattern[str]:
    """A line that is only a page footer (第3页 共12页, - 3 -, 3); the words come from ``clean.toml`` [page]."""
    lex = load_toml("clean")["page"]
    ordinal, page, total = (re.escape(lex[k]) for k in ("ordinal", "page", "total"))
    return re.compile(
        rf"^[ \t\u3000]*(?:{ordinal}\s*\d+\s*{page}(?:\s*[,，/]?\s*{total}\s*\d+\s*{page})?"
        rf"|{total}\s*\d+\s*{page}\s*[,，]?\s*{ordinal}\s*\d+\s*{page}"
        r"|[-—–－]\s*\d{1,3}\s*[-—–－]|\d{1,3})[ \t\u3000]*$\n?",
        re.M,
    )


@cache
def _footer_inline_scan() -> re.Pattern[str]:
    """``_footer_inline`` opening with the character class its matches start with (the first
    character of 第, of 共, or a dash), each branch checking by a look-behind which one it read: the
    same matches, and ``re`` skips to the next such character instead of trying three branches (one
    a look-behind) at every position."""
    lex = load_toml("clean")["page"]
    ordinal, page, total = (re.escape(lex[k]) for k in ("ordinal", "page", "total"))
    o, t = lex["ordinal"], lex["total"]
    first = re.escape(o[0] + t[0]) + r"\-—–－"
    return re.compile(
        rf"[{first}](?:(?<={ordinal}){re.escape(o[1:])}\s*\d{{1,3}}\s*{page}\s*[,，/]?\s*{total}\s*\d{{1,3}}\s*{page}"
        rf"|(?<={total}){re.escape(t[1:])}\s*\d{{1,3}}\s*{page}\s*[,，]?\s*{ordinal}\s*\d{{1,3}}\s*{page}"
        r"|(?<=\s[-—–－])\s?\d{1,3}\s?[-—–－](?=\s))"
    )


@cache
def _footer_inline() -> re.Pattern[str]:
    """A page footer inside a line (第3页 共12页, - 3 -); the words come from ``clean.toml`` [page].

    The definition: ``_footer_inline_scan`` is what is scanned, and changes with it."""
    lex = load_toml("clean")["page"]
    ordinal, page, total = (re.escape(lex[k]) for k in ("ordinal", "page", "total"))
    return re.compile(
        rf"{ordinal}\s*\d{{1,3}}\s*{page}\s*[,，/]?\s*{total}\s*\d{{1,3}}\s*{page}"
        rf"|{total}\s*\d{{1,3}}\s*{page}\s*[,，]?\s*{ordinal}\s*\d{{1,3}}\s*{page}"
        r"|(?<=\s)[-—–－]\s?\d{1,3}\s?[-—–－](?=\s)"
    )


# --- layout ------------------------------------------------------------------------
# A run is only tried from its first character ((?<!…) and the possessive ++): trying every suffix of a
# 60,000-space run that is not followed by 中文 was quadratic (35 s).
# Each pattern opens with the space it must start with and checks what precedes that space by a
# two-character look-behind ((?<=N)S+ is S(?<=NS)S*, (?<!S)S++ is S(?<!SS)S*+): the same matches,
# and re skips to the next space in a class test instead of trying a look-behind at every position
# (the definitions are kept in tests/test_speed_identity.py).
_SPACES = r"[ \t\u3000\u00a0\u2002\u2003]"
_STRAY_SPACE = re.compile(
    rf"{_SPACES}(?:(?<=[{_CJK_NEIGHBOUR}]{_SPACES}){_SPACES}*"
    rf"|(?<!{_SPACES}{_SPACES}){_SPACES}*+(?=[{_CJK_NEIGHBOUR}]))"
)
_EDGE = r"[ \t\u3000\u00a0]"
_LINE_EDGE_SPACE = re.compile(rf"{_EDGE}(?:(?<=^{_EDGE}){_EDGE}*|(?<!{_EDGE}{_EDGE}){_EDGE}*+$)", re.M)

# --- normalisation -----------------------------------------------------------------
_FULLWIDTH = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_CHAR = re.compile("[\uff01-\uff5e]")
_HALF_OF = {chr(cp): half for cp, half in _FULLWIDTH.items()}
# a gloss may end in a space some sites leave before its bracket (會(huì )議);
# opens with its bracket, the Han character before it checked by a look-behind after it ((?<=H)\( as
# \((?<=H\()): the same matches, and ``re`` jumps to the next bracket instead of trying every position
_PINYIN = re.compile(rf"\((?<=[{_HAN}]\()(?=[a-zü]*[aeiouüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{{1,6}} ?\)")
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:[Xx]{1,4}|×{1,4}|\*{1,4}|＊{1,4}|Ｘ{1,4})(?![A-Za-z])")
# the characters a placeholder starts with: a text without one has none, found by a C scan
# (``_PLACEHOLDER`` opens with a look-behind, so ``re`` tries it at every position)
_PLACEHOLDER_START = re.compile(r"[Xx×*＊Ｘ]")
# the same matches, a position rejected by one class test before the look-behind
_PLACEHOLDER_SCAN = re.compile(rf"(?=[Xx×*＊Ｘ]){_PLACEHOLDER.pattern}")


@dataclass(frozen=True)
class CleanText:
    """The result of cleaning: the analysis text, its map to the original, and the layout view."""

    original: str
    text: str
    map: TextMap
    layout_kept: bytearray
    placeholders: tuple[tuple[int, int], ...]
    traditional: bool

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of an analysis span, including glosses that trail its last
        character (``鎮(zhèn)``) but not archive noise after it (page markers, spaces)."""
        n = len(self.text)
        if 0 <= start < end <= n:
            # the usual span: TextMap.to_original and to_original_offset read in place (~10k calls a corpus pass)
            origin = self.map.origin
            ostart, stop = origin[start], origin[end - 1] + 1
            limit = origin[end] if end < n else self.map.original_length
        else:  # empty, reversed or out of range: TextMap's clamping
            ostart, stop = self.map.to_original(start, end)
            if end <= start or end > n:
                return ostart, stop
            limit = self.map.to_original_offset(end)
        kept, original = self.layout_kept, self.original
        while stop < limit and kept[stop] and not original[stop].isspace():
            stop += 1
        return ostart, stop

    def as_written(self, start: int, end: int) -> str:
        """The original text of an analysis span, without what the archive added (page markers, spaces)."""
        ostart, oend = self.to_original(start, end)
        return self.written(ostart, oend)

    def written(self, ostart: int, oend: int) -> str:
        """The original characters of ``[ostart, oend)`` that the layout view keeps."""
        flags = self.layout_kept[ostart:oend]
        if 0 not in flags:  # the usual case: nothing dropped, no per-character work
            return self.original[ostart:oend]
        return "".join(compress(self.original[ostart:oend], flags))

    def is_placeholder(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.placeholders)


def clean(original: str) -> CleanText:
    """Clean ``original`` for extraction; see the module docstring for what each view keeps."""
    layout = chain(*LAYOUT_STEPS)(TextMap.identity(original))
    full = chain(*NORMALISE_STEPS)(layout)
    traditional = is_traditional(full.text)
    if traditional:
        full = full.translate(_t2s_table())
    placeholders = tuple((m.start(), m.end()) for m in _PLACEHOLDER_SCAN.finditer(full.text)) if _PLACEHOLDER_START.search(full.text) else ()
    return CleanText(original, full.text, full, kept_mask(layout), placeholders, traditional)


def chain(*steps: Step) -> Step:
    """Compose steps left to right."""

    def run(tm: TextMap) -> TextMap:
        for step in steps:
            tm = step(tm)
        return tm

    return run


def _delete(pattern: re.Pattern[str] | Callable[[], re.Pattern[str]]) -> Step:
    """A step deleting every match of ``pattern`` (or of the pattern it compiles once, on first use)."""
    if isinstance(pattern, re.Pattern):
        compiled: re.Pattern[str] = pattern
        name = pattern.pattern[:20]

        def lookup() -> re.Pattern[str]:
            return compiled

    else:
        lookup, name = pattern, pattern.__name__

    def step(tm: TextMap) -> TextMap:
        return tm.apply((m.start(), m.end(), "") for m in lookup().finditer(tm.text))

    step.__name__ = f"delete_{name}"
    return step


def strip_markup(tm: TextMap) -> TextMap:
    """Tags left by converters (``<p style=…>``, ``<br>``) go, and the tail of a tag an excerpt cut
    at a line's start (``l>`` of ``<html>``); entities become their characters."""
    text = tm.text
    if "<" not in text and "&" not in text and "{" not in text and ">" not in text:
        return tm
    edits: list[Edit] = [(m.start(), m.end(), "") for m in _TAG.finditer(text)] if "<" in text else []
    if ">" in text:
        edits += [(m.start(), m.end(), "") for m in _TAG_TAIL.finditer(text)]
    if "{" in text:
        edits += [(m.start(), m.end(), "") for m in _CSS_BLOCK.finditer(text)]
    if "&" in text:
        edits += [(m.start(), m.end(), html.unescape(m.group()).replace("\xa0", " ")) for m in _ENTITY.finditer(text)]
    return tm.apply(sorted(edits))


_BOILERPLATE_KEYS = ("breadcrumb", "metadata_labels", "font_bar", "widgets", "widget_lines", "paywall", "table_labels")


@cache
def _boilerplate_words() -> re.Pattern[str]:
    """The words one of which every match of ``_boilerplate_line`` holds (each branch opens with a
    lexicon word or a server's error word): a text without any has no boilerplate line, found by one
    scan instead of the line pattern tried at every position."""
    lex = load_toml("clean")["boilerplate"]
    words = [w for key in _BOILERPLATE_KEYS for w in lex[key]]
    words += ["Warning", "Notice", "Fatal error", "Deprecated", "Parse error", "Strict Standards"]
    return re.compile(trie_alternation(words))  # longest first, as a trie (textkit.alternation)


@cache
def _common_traditional() -> re.Pattern[str]:
    """A class of the traditional-only characters site furniture and the commonest words are written with."""
    return re.compile(f"[{re.escape(load_toml('clean')['boilerplate']['common_traditional'])}]")


@dataclass(frozen=True)
class _LexiconView:
    """A text spelled as the lexicon spells it (``spelled``), and where its glosses were: the view
    position each removed gloss stood at (``gloss_at``) and the characters removed up to and with
    each (``removed``), which is all it takes to map a view offset back to the text."""

    spelled: str
    gloss_at: tuple[int, ...]
    removed: tuple[int, ...]

    def to_text(self, pos: int) -> int:
        """The offset in the text of view character ``pos`` (or of the text's end): every gloss
        that stood before it is counted back in."""
        k = bisect_right(self.gloss_at, pos)
        return pos + (self.removed[k - 1] if k else 0)


def _lexicon_view(text: str) -> _LexiconView | None:
    """``text`` spelled as the lexicon spells it: inline pinyin glosses out and traditional
    characters mapped one for one to simplified (網(wǎng)站地圖 → 网站地图, 來源 → 来源); None when the
    text is spelled so already. Glosses are removed by one substitution and mapped back by their
    positions only, not by a map of every character."""
    glossed = "(" in text and _PINYIN.search(text) is not None
    # one of the commonest traditional-only characters, found by one class scan (``is_traditional``
    # counts them all: 40 us a text, run once per text by ``clean``, too dear once per step)
    traditional = _common_traditional().search(text) is not None
    if not glossed and not traditional:
        return None
    gloss_at: list[int] = []
    removed: list[int] = []
    if glossed:
        total = 0
        for m in _PINYIN.finditer(text):
            gloss_at.append(m.start() - total)
            total += m.end() - m.start()
            removed.append(total)
        text = _PINYIN.sub("", text)
    if traditional:
        text = text.translate(_t2s_table())
    return _LexiconView(text, tuple(gloss_at), tuple(removed))


def _as_written(text: str, view: _LexiconView | None, pattern: re.Pattern[str]) -> list[Edit]:
    """Deletions of ``pattern``'s matches in the lexicon's spelling of ``text``, as spans of ``text``;
    a match's span reaches to the next character the view keeps, so a gloss of its last character
    goes with it."""
    if view is None:
        return [(m.start(), m.end(), "") for m in pattern.finditer(text)]
    return [_written_span(text, view, m.span()) for m in pattern.finditer(view.spelled) if m.end() > m.start()]


def _written_span(text: str, view: _LexiconView | None, span: tuple[int, int]) -> Edit:
    """The deletion of a span of the lexicon's spelling of ``text``, as a span of ``text``."""
    if view is None:
        return (span[0], span[1], "")
    return (view.to_text(span[0]), view.to_text(span[1]), "")


@cache
def _footer_line_around() -> re.Pattern[str]:
    words = _words(load_toml("clean")["boilerplate"]["footer_lines_around"])
    return re.compile(rf"[ \t\u3000•·|]*(?:{words})")


_FOOTER_AROUND_LENGTH = 200


def _site_footer_spans(spelled: str) -> list[tuple[int, int]]:
    """The footer lines' spans, and those of the lines next to them (blank lines between) that carry
    on the footer (``clean.toml`` footer_lines_around: 主办:…, 服务热线:…), outward while they do."""
    spans = [m.span() for m in _site_footer_line().finditer(spelled) if m.end() > m.start()]
    if not spans:
        return spans
    starts = [0, *(m.end() for m in _NEWLINE.finditer(spelled))]
    ends = [*(s - 1 for s in starts[1:]), len(spelled)]
    footer_at = sorted({bisect_right(starts, s) - 1 for s, _ in spans})
    around, carries = _footer_line_around(), set(footer_at)
    for i in footer_at:
        for step in (1, -1):
            j = i + step
            while 0 <= j < len(starts) and j not in carries:
                line = spelled[starts[j] : ends[j]]
                if line.strip():
                    if len(line) > _FOOTER_AROUND_LENGTH or around.match(line) is None:
                        break
                    carries.add(j)
                    spans.append((starts[j], min(ends[j] + 1, len(spelled))))
                j += step
    return spans


_NEWLINE = re.compile("\n")


def strip_boilerplate(tm: TextMap) -> TextMap:
    """Site furniture goes: whole lines of boilerplate (breadcrumbs, metadata and credit rows, font
    bars, widgets), a site's notes about the text up to their sentence end, and footer lines;
    traditional or glossed ones too (發布時間, 網(wǎng)站地圖), found in the lexicon's spelling of the
    text, which is built once for the three. Each kind holds one of its lexicon's words, so a kind
    whose words the text lacks is not scanned for."""
    view = _lexicon_view(tm.text)
    spelled = view.spelled if view else tm.text
    edits: list[Edit] = []
    if _boilerplate_words().search(spelled):
        edits += _as_written(tm.text, view, _boilerplate_line())
    if _holds_any(spelled, "site_notes"):
        edits += _as_written(tm.text, view, _site_note())
    if _holds_any(spelled, "footer"):
        edits += [_written_span(tm.text, view, span) for span in _site_footer_spans(spelled)]
    return tm.apply(_disjoint(sorted(edits))) if edits else tm


_SENTENCE_END = "。!?！？"


@cache
def _site_note() -> re.Pattern[str]:
    """A site's notice about the text at the start of a line, up to its sentence end or the line's
    end (下面是小编为大家整理的…,供大家参考。 全文约1429字,请下载后阅读、编辑。); the words come from
    ``clean.toml`` [boilerplate] site_notes. Ending at the sentence keeps the rest of a one-line text."""
    words = _gated_words(load_toml("clean")["boilerplate"]["site_notes"])
    end = _SENTENCE_END
    return re.compile(
        rf"^[ \t\u3000]*[^\n{end}]{{0,60}}?{words}[^\n{end}]{{0,200}}(?:[{end}][)）】\]]?|$)[ \t\u3000]*\n?",
        re.M,
    )


@cache
def _word_scan(key: str) -> re.Pattern[str]:
    """The words of ``clean.toml`` [boilerplate] ``key`` as one alternation: a single pass over a
    text (half the time of a substring search per word on the corpus). Only asked whether it finds
    one, so its order is free: a trie (``textkit.alternation``), one compare per first character."""
    return re.compile(trie_alternation(load_toml("clean")["boilerplate"][key]))


def _holds_any(text: str, key: str) -> bool:
    return _word_scan(key).search(text) is not None


@cache
def _site_footer_line() -> re.Pattern[str]:
    """A site's footer line (•版权所有:…, Copyright © …, 京ICP备…号); the words come from ``clean.toml``
    [boilerplate] footer. Its opening holds no sentence end, so a one-line text that ends in a footer
    is not taken whole."""
    words = _gated_words(load_toml("clean")["boilerplate"]["footer"])
    end = _SENTENCE_END
    return re.compile(rf"^[^\n{end}]{{0,400}}?{words}[^\n]*\n?", re.M)


_CHUNK_NUMBER = re.compile(r"^[ \t\u3000]*(\d{1,3})、", re.M)
# a line that stops mid-sentence: its last character is Han, a letter or a digit, not punctuation
_MID_SENTENCE = re.compile(rf"[{_HAN}A-Za-z0-9][ \t\u3000]*$")


def strip_document_chunks(tm: TextMap) -> TextMap:
    """A document-sharing site's chunk numbers go: the page says it shows a shared file
    (``clean.toml`` [chunks]) and lines open with 1、 2、 3、…, some cut mid-sentence
    (``…我区高端\n2、绿色崛起`` → ``…我区高端绿色崛起``: the number and the break before it)."""
    text = tm.text
    if "、" not in text or not any(w in text for w in load_toml("clean")["chunks"]["site_words"]):
        return tm
    run: list[re.Match[str]] = []
    for m in _CHUNK_NUMBER.finditer(text):
        if int(m.group(1)) == len(run) + 1:
            run.append(m)
    if len(run) < 2:
        return tm
    edits: list[Edit] = []
    cut = 0
    for m in run:
        line_start = m.start()
        before = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)]
        mid = line_start > 0 and int(m.group(1)) > 1 and bool(_MID_SENTENCE.search(before))
        cut += mid
        # a chunk cut mid-sentence loses the line break too, so the sentence is whole again
        edits.append((line_start - 1 if mid else m.start(1), m.end(), ""))
    return tm.apply(edits) if cut else tm


_NUMBERED_LINE = re.compile(r"[ \t\u3000]*\d{1,2}[.、．]")


def strip_notice_lists(tm: TextMap) -> TextMap:
    """A document site's numbered notice to downloaders goes, header and lines (``clean.toml``
    [notice_list]); the header word is looked for first, so a text without one costs one scan."""
    lex = load_toml("clean")["notice_list"]
    text = tm.text
    if not any(h in text for h in lex["headers"]):
        return tm
    edits: list[Edit] = []
    for header in lex["headers"]:
        at = text.find(header)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            if end < 0 or len(text[start:end].strip()) > len(header) + 2:
                at = text.find(header, at + 1)
                continue  # the header is not a line of its own
            lines: list[str] = []
            stop = cut = end + 1
            while stop < len(text):  # the numbered lines that follow, blank lines between
                nxt = text.find("\n", stop)
                nxt = len(text) if nxt < 0 else nxt
                line = text[stop:nxt]
                if line.strip():
                    if not _NUMBERED_LINE.match(line):
                        break
                    lines.append(line)
                    cut = nxt + 1
                stop = nxt + 1
            site = sum(any(w in line for w in lex["site_words"]) for line in lines)
            # most lines speak of the site (a notice's 4.未经权益所有人同意不得… does not) and one names it
            if lines and 2 * site >= len(lines) and any(w in "".join(lines) for w in lex["self_words"]):
                edits.append((start, min(cut, len(text)), ""))
                stop = cut
            at = text.find(header, stop)
    return tm.apply(_disjoint(sorted(edits))) if edits else tm


_WHITESPACE = re.compile(r"\s+")
_TEASER_PROBE = 12


@cache
def _teaser_line() -> re.Pattern[str]:
    """A teaser line: a ``clean.toml`` [teaser] label at the line's start and the words after it."""
    labels = _gated_words(load_toml("clean")["teaser"]["labels"])
    return re.compile(rf"^[ \t\u3000]*{labels}[ \t]*[:：][ \t]*([^\n]+)\n?", re.M)


def strip_teasers(tm: TextMap) -> TextMap:
    """A site's teaser of the text's opening goes when the page gives that opening in full later
    (推荐阅读:同志们:今天的会议是…); its first 12 characters, spaces aside, must stand after it.
    The label alone on a line (内容预览:) is a widget line of ``strip_boilerplate``."""
    text = tm.text
    edits: list[Edit] = []
    # the pattern is anchored at line starts, so scanning for it is the precheck; a page has a teaser or two at its top; three at most are tried, so a text of teaser lines is
    # not searched once per line (each search reads the rest of the text)
    for m in islice(_teaser_line().finditer(text), 3):
        probe = _WHITESPACE.sub("", m.group(1))[:_TEASER_PROBE]
        if len(probe) == _TEASER_PROBE and probe in _WHITESPACE.sub("", text[m.end() :]):
            edits.append((m.start(), m.end(), ""))
    return tm.apply(edits) if edits else tm


def strip_elisions(tm: TextMap) -> TextMap:
    """A site's elision notices go; each holds the lexicon's word for "omitted" (省略), so a text
    without it is not scanned."""
    if load_toml("clean")["elision"]["omitted"] not in tm.text:
        return tm
    return tm.apply((m.start(), m.end(), "") for m in _elision().finditer(tm.text))


_TAIL_PROBE = 60


def strip_duplicated_tail(tm: TextMap) -> TextMap:
    """A page that repeats its own text at the end (a scraper's second copy) loses the copy:
    when the last 60 characters stand earlier too, the longest such tail goes."""
    text = tm.text
    body = text.rstrip()
    if len(body) < 4 * _TAIL_PROBE:
        return tm
    probe = body[-_TAIL_PROBE:]
    at = text.rfind(probe, 0, len(body) - _TAIL_PROBE)
    if at < 0:
        return tm
    # extend the copy backwards while both runs agree: [start, len(body)) repeats [start - shift, at + probe)
    shift = len(body) - _TAIL_PROBE - at
    start = len(body) - _TAIL_PROBE
    while start - shift > 0 and text[start - 1] == text[start - 1 - shift]:
        start -= 1
    if len(body) - start < _TAIL_PROBE or start < shift:
        return tm
    return tm.apply([(start, len(body), "")])


def strip_page_markers(tm: TextMap) -> TextMap:
    """Remove PDF page markers spliced into the text, even inside words (``坚7/8决`` → ``坚决``).

    A marker is ``n/N`` with one denominator N across the document and
    numerators that rise with position; a lone fraction (``3/4的村``) or a
    date (``2023/4/20``) is not a run and stays.
    """
    if "/" not in tm.text:  # every marker holds one
        return tm
    by_denominator: dict[int, list[re.Match[str]]] = {}
    for m in _PAGE_MARKER_SCAN.finditer(tm.text):
        num, den = int(m.group(1)), int(m.group(2))
        if 1 <= num <= den and den >= 2:
            by_denominator.setdefault(den, []).append(m)
    edits: list[Edit] = []
    for den, found in by_denominator.items():
        run = _rising_run(found)
        at_edge = len(run) == 1 and (run[0].start() < 3 or run[0].end() > len(tm.text) - 3)
        if len(run) >= 2 or (at_edge and int(run[0].group(1)) in (1, den)):
            edits += [(m.start(), m.end(), "") for m in run]
    return tm.apply(sorted(edits))


def _rising_run(found: list[re.Match[str]]) -> list[re.Match[str]]:
    """Longest subsequence whose numerators strictly rise (patience-style, quadratic on tiny inputs)."""
    best: list[list[re.Match[str]]] = []
    for m in found:
        num = int(m.group(1))
        prefix = max((seq for seq in best if int(seq[-1].group(1)) < num), key=len, default=[])
        best.append([*prefix, m])
    return max(best, key=len, default=[])


def strip_page_furniture(tm: TextMap) -> TextMap:
    """Page footers (``第 3 页 共 9 页``, ``- 3 -``) and header lines repeated on every page."""
    text = tm.text
    edits: list[Edit] = []
    if "\n" in text:
        edits += [(m.start(), m.end(), "") for m in _footer_line().finditer(text) if m.group().strip()]
        edits += _repeated_header_lines(text)
    edits += [(m.start(), m.end(), "") for m in _footer_inline_scan().finditer(text)]
    return tm.apply(_disjoint(sorted(edits)))


# A labelled field (牵头单位:县应急管理局) or a sentence repeats by design, not by pagination.
_FIELD_OR_SENTENCE = re.compile(r"[:：;；。,，]")


def _repeated_header_lines(text: str) -> list[Edit]:
    """A short line seen three or more times is a running header; its first sight may be the title."""
    raw = text.split("\n")
    stripped = list(map(str.strip, raw))
    counts = Counter(s for s in stripped if 0 < len(s) <= 50 and not _FIELD_OR_SENTENCE.search(s))
    repeated = {s for s, n in counts.items() if n >= 3}
    if not repeated:  # the usual case: no line offsets needed
        return []
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for line, s in zip(raw, stripped, strict=True):
        lines.append((pos, pos + len(line), s))
        pos += len(line) + 1
    edits: list[Edit] = []
    seen: set[str] = set()
    for i, (start, end, s) in enumerate(lines):
        if s in repeated:
            if s not in seen and i < 3:
                seen.add(s)
                continue
            seen.add(s)
            edits.append((start, min(end + 1, len(text)), ""))
    return edits


def _disjoint(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    for e in edits:
        if out and e[0] < out[-1][1]:
            if e[1] > out[-1][1]:
                out[-1] = (out[-1][0], e[1], "")
            continue
        out.append(e)
    return out


# a line of a flattened table that holds only its bars (|, ---|, | |)
_BARS_ONLY_LINE = re.compile(r"^[ \t\u3000\-—]*\|[ \t\u3000|\-—]*$\n?", re.M)


def strip_bar_lines(tm: TextMap) -> TextMap:
    """Lines of a flattened table that hold only bars go, and a lone bar after a sentence's end
    (``…有序开展。|``); a table row with cells keeps all its bars."""
    text = tm.text
    if "|" not in text:
        return tm
    edits: list[Edit] = [(m.start(), m.end(), "") for m in _BARS_ONLY_LINE.finditer(text) if m.group().strip()]
    for m in _LONE_TRAILING_BAR.finditer(text):
        if text.count("|", text.rfind("\n", 0, m.start()) + 1, m.start()) == 0:  # the line's only bar
            edits.append((m.start(), m.end(), ""))
    return tm.apply(_disjoint(sorted(edits)))


# the only bar of a line, after the line's last sentence: …有序开展。|
_LONE_TRAILING_BAR = re.compile(r"(?<=[。!?！？;；)）])[ \t\u3000]*\|[ \t\u3000]*$", re.M)


strip_stray_spaces = _delete(_STRAY_SPACE)
strip_line_edges = _delete(_LINE_EDGE_SPACE)


def normalise_width(tm: TextMap) -> TextMap:
    """Full-width digits, Latin letters and ASCII punctuation (``２０２４``, ``（一）``) to ASCII.

    ``tm.translate(_FULLWIDTH)`` (the definition) looks every character up in the table, in C but
    through a failed dict look-up for each of the text's other characters; a substitution visits
    only the full-width ones (a few in a hundred), one for one, so the offset map is kept as is."""
    new, count = _FULLWIDTH_CHAR.subn(_halfwidth, tm.text)
    return TextMap(new, tm.origin, tm.original_length, tm.dropped) if count else tm


def _halfwidth(m: re.Match[str]) -> str:
    return _HALF_OF[m.group()]


strip_pinyin = _delete(_PINYIN)

LAYOUT_STEPS: tuple[Step, ...] = (
    strip_markup,
    strip_elisions,  # before the line rule, which would take a whole one-line text with an inline notice
    strip_document_chunks,  # before the site notes go: their notice says the page holds chunks
    strip_boilerplate,
    strip_teasers,
    strip_notice_lists,
    strip_duplicated_tail,
    strip_page_markers,
    strip_page_furniture,
    strip_bar_lines,
    strip_stray_spaces,
    strip_line_edges,
)
NORMALISE_STEPS: tuple[Step, ...] = (normalise_width, strip_pinyin)


@cache
def _ts_pairs() -> dict[str, str]:
    """Traditional → simplified, single characters only (OpenCC's table), so offsets hold."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("opencc")
    if spec is None or spec.origin is None:
        return {}
    table = Path(spec.origin).parent / "dictionary" / "TSCharacters.txt"
    pairs: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and len(first) == 1 and trad != first:
            pairs[trad] = first
    return pairs


@cache
def _t2s_table() -> dict[int, str]:
    return {ord(t): s for t, s in _ts_pairs().items()}


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _traditional_runs() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Runs of ``_ts_pairs()``'s characters of the BMP, and one of its characters beyond it.

    Two classes because ``re`` keeps a class of BMP characters as a bitmap but scans
    a class with any astral character member by member (30 times slower here).
    """
    bmp = "".join(sorted(ch for ch in _ts_pairs() if ord(ch) <= 0xFFFF))
    astral = "".join(sorted(ch for ch in _ts_pairs() if ord(ch) > 0xFFFF))
    return (re.compile(f"[{re.escape(bmp)}]+" if bmp else "(?!)"), re.compile(f"[{re.escape(astral)}]" if astral else "(?!)"))


def is_traditional(text: str, *, sample: int = 20000) -> bool:
    """True when traditional-only characters make up a real share of the Han text.

    Both counts are made in C (lengths of regex runs), not a Python step per character.
    """
    chunk = text[:sample]
    bmp, astral = _traditional_runs()
    trad = sum(map(len, bmp.findall(chunk)))  # characters that are keys of _ts_pairs()
    if _ASTRAL.search(chunk):
        trad += len(astral.findall(chunk))
    if trad < 10:  # false whatever the Han count: a simplified text is scanned once, not twice
        return False
    han = sum(map(len, _HAN_RUN.findall(chunk)))  # characters U+4E00..U+9FFF
    return han >= 20 and trad / han >= 0.05
