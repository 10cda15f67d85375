"""A highlighted HTML view of a speech: the original text with every record marked on it.

``render(extraction)`` returns one self-contained page (inline CSS and JavaScript,
no network) that analysts open in a browser or see inline in Jupyter
(``Extraction._repr_html_``). Records are drawn from their spans into
``extraction.text``, the text as the caller gave it, so what is marked is exactly
what was read.

With ``links`` (:func:`textkit.link`, or a ledger's) the directives that follow earlier
work are marked too: a coloured edge by relation (再次部署 repeats, 时限调整
reschedules, 任务扩展 extends), the earlier task in the tooltip, the record panel and
the outline.

Highlights nest (a subtask inside a directive, an owner inside a subtask) and may
overlap (a cadence ``每月10日前`` and a deadline ``10日前``). The markup is built
from the sorted span boundaries with a stack of open elements: an element that
must close while an inner one is still open closes the inner one too and reopens
it after, so tags always nest and the page is valid HTML.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from textkit.records import Extraction, TaskRecord

if TYPE_CHECKING:
    from textkit.followups import Link

# outer to inner: the order in which simultaneously open elements nest
_LAYER = {"sec": 0, "dir": 1, "sub": 2, "hd": 3, "owner": 4, "deadline": 4, "cadence": 4, "target": 4, "noise": 5}
_ROLE_ZH = {"lead": "牵头", "support": "配合", "unspecified": "责任"}
_KIND_ZH = {"directive": "工作要求", "subtask": "具体任务"}
_RELATION_ZH = {"repeats": "再次部署", "reschedules": "时限调整", "extends": "任务扩展"}
_FREQ_ZH = {"daily": "每日", "weekly": "每周", "monthly": "每月", "quarterly": "每季",
            "half-yearly": "每半年", "yearly": "每年"}
# the marker written before a section heading: 一、 第二部分, (三) 4.
_SECTION_MARKER = re.compile(
    r"(?:第[一二三四五六七八九十\d]+部分[,,:: ]?|[((][一二三四五六七八九十\d]+[))]|"
    r"第?[一二三四五六七八九十\d]+[、.．,,])\s*$"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(order=True)
class _Mark:
    start: int
    end: int
    cls: str
    rec: str | None = field(default=None, compare=False)
    title: str | None = field(default=None, compare=False)
    extra: str = field(default="", compare=False)

    @property
    def layer(self) -> int:
        return _LAYER[self.cls.split()[0]]


class _Written:
    """The original text without archive noise (page markers, stray spaces), with the way back.

    Owner names and deadline texts are reported as written, i.e. without noise:
    ``坚7/8决`` is reported as ``坚决``. Searching this view finds them anyway.
    """

    def __init__(self, text: str) -> None:
        from textkit.clean import clean

        kept = clean(text).layout_kept if text else bytearray()
        self.size = len(text)
        self.index = [i for i, flag in enumerate(kept) if flag]
        self.text = "".join(text[i] for i in self.index)
        self.noise: list[tuple[int, int]] = []  # runs of dropped characters, spaces aside
        for i, flag in enumerate(kept):
            if flag or text[i].isspace():
                continue
            if self.noise and self.noise[-1][1] == i:
                self.noise[-1] = (self.noise[-1][0], i + 1)
            else:
                self.noise.append((i, i + 1))

    def find_all(self, needle: str, start: int, end: int) -> list[tuple[int, int]]:
        """Original spans of each occurrence of ``needle`` inside original ``[start, end)``."""
        if not needle:
            return []
        lo, hi = bisect_left(self.index, start), bisect_left(self.index, end)
        found, pos = [], self.text.find(needle, lo, hi)
        while pos != -1:
            found.append((self.index[pos], self.index[pos + len(needle) - 1] + 1))
            pos = self.text.find(needle, pos + len(needle), hi)
        return found

    def find(self, needle: str, start: int, end: int | None = None) -> tuple[int, int] | None:
        hits = self.find_all(needle, start, self.size if end is None else end)
        return hits[0] if hits else None


def _summary(task: TaskRecord) -> str:
    """The tooltip of a record: what it is, who, by when, how often, how much."""
    label = task.heading or _short(task.text, 40)
    lines = [f"{task.path} {_KIND_ZH[task.kind]} · {label}"]
    if task.owners:
        lines.append("责任单位: " + "、".join(f"{o.name}({_ROLE_ZH[o.role]})" for o in task.owners))
    if task.deadline:
        due = f" → {task.deadline.due}" if task.deadline.due else ""
        lines.append(f"完成时限: {task.deadline.text}{due}")
    if task.cadence:
        lines.append("频次: " + "、".join(f"{c.text}({_FREQ_ZH[c.freq]})" for c in task.cadence))
    if task.targets:
        lines.append("目标: " + "、".join(t.text for t in task.targets))
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _field_marks(task: TaskRecord) -> list[_Mark]:
    """A mark on each field's own span (never a search for its text, which can hit another occurrence);
    a field without a span (built by hand, or read from a pre-1.1 ledger) is not drawn."""
    marks = []
    for owner in task.owners:
        role = _ROLE_ZH[owner.role]
        title = f"责任单位({role}): {owner.name}" + (f" = {owner.canonical}" if owner.canonical else "")
        if owner.span:
            marks.append(_Mark(*owner.span, f"owner {owner.role}", title=title))
    d = task.deadline
    if d and d.span:
        due = f" → {d.due}" + (" (按惯例估计)" if d.estimated else "") if d.due else ""
        title = f"完成时限({d.kind}): {d.text}{due}" + (" · 已脱敏" if d.placeholder else "")
        marks.append(_Mark(*d.span, "deadline", title=title))
    for c in task.cadence:
        if c.span:
            marks.append(_Mark(*c.span, "cadence", title=f"频次: {c.text} ({_FREQ_ZH[c.freq]}, {c.freq})"))
    for t in task.targets:
        value = "XX" if t.placeholder else ("" if t.value is None else f"{t.value:g}")
        if t.span:
            marks.append(_Mark(*t.span, "target", title=f"目标: {t.text} ({t.op} {value}{t.unit or ''})"))
    return marks


@dataclass(frozen=True)
class _Follow:
    """What a directive of this page follows: the link and a label for the earlier task."""

    relation: str
    follows: str
    label: str
    score: float

    def line(self) -> str:
        return f"接续({_RELATION_ZH[self.relation]} {self.relation}): {self.label}"


def _follows(extraction: Extraction, links: Iterable[Link], earlier: Iterable[Any]) -> dict[str, _Follow]:
    """task_id → what it follows, for this page's tasks; the earlier task labelled by its heading and date."""
    labels: dict[str, str] = {}
    for item in earlier:
        if isinstance(item, Extraction):
            tasks, date = item.tasks, item.document.date
        elif isinstance(item, tuple):  # (record, its document's date), as a ledger gives them
            tasks, date = (item[0],), item[1] or None
        else:
            tasks, date = (item,), None
        for task in tasks:
            labels[task.task_id] = (task.heading or _short(task.text, 30)) + (f"({date})" if date else "")
    mine = {t.task_id for t in extraction.tasks}
    return {x.task_id: _Follow(x.relation, x.follows, labels.get(x.follows, x.follows), x.score)
            for x in links if x.task_id in mine}


def _marks(extraction: Extraction, written: _Written, follows: dict[str, _Follow] | None = None) -> list[_Mark]:
    marks: list[_Mark] = []
    cursor = 0
    for heading in extraction.document.sections:
        hit = written.find(heading, cursor)
        if hit:
            marker = _SECTION_MARKER.search(extraction.text, max(0, hit[0] - 12), hit[0])
            marks.append(_Mark(marker.start() if marker else hit[0], hit[1], "sec"))
            cursor = hit[1]
    parents = {t.parent_id for t in extraction.tasks if t.parent_id}
    fields: dict[tuple[int, int, str], _Mark] = {}
    # leaves first: a field is marked in the subtask that owns it, its directive only adds the rest
    ordered = sorted(extraction.tasks, key=lambda t: t.task_id in parents)
    for task in ordered:
        start, end = task.span
        if task.kind == "directive":
            follow = (follows or {}).get(task.task_id)
            cls, title = "dir", _summary(task)
            if follow:
                cls, title = f"dir follows {follow.relation}", f"{title}\n{follow.line()}"
            marks.append(_Mark(start, end, cls, rec=task.task_id, title=title, extra=task.path))
            if task.heading:
                hit = written.find(task.heading, start, end)
                if hit:
                    marks.append(_Mark(*hit, "hd"))
        else:
            marks.append(_Mark(start, end, "sub", rec=task.task_id, title=_summary(task), extra=task.path))
        for mark in _field_marks(task):
            kind = mark.cls.split()[0]
            if not any(k[2] == kind and k[0] <= mark.start and mark.end <= k[1] for k in fields):
                fields[(mark.start, mark.end, kind)] = mark
    marks.extend(fields.values())
    marks.extend(_Mark(s, e, "noise", title="档案噪声(页码等),抽取时已忽略") for s, e in written.noise)
    return [m for m in marks if m.end > m.start]


def _open_tag(mark: _Mark, first: bool, line_start: bool) -> str:
    attrs = [f'class="{mark.cls}{" first" if first else ""}"']
    if mark.rec:
        attrs.append(f'data-rec="{mark.rec}"')
        if first:
            attrs.append(f'id="r-{mark.rec}" data-path="{html.escape(mark.extra)}"')
    if mark.title:
        attrs.append(f'title="{html.escape(mark.title)}"')
    # one-line archives get a visual paragraph break before each section and directive
    brk = '<span class="brk"></span>' if first and not line_start and mark.cls.split()[0] in {"sec", "dir"} else ""
    return f"{brk}<span {' '.join(attrs)}>"


def _text(chunk: str) -> str:
    return html.escape(_CONTROL.sub("\ufffd", chunk), quote=False)


def highlight(text: str, marks: list[_Mark]) -> str:
    """``text`` escaped, with each mark wrapped in a span; overlapping marks are split so tags nest."""
    points = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starting: dict[int, list[_Mark]] = {}
    for mark in marks:
        starting.setdefault(mark.start, []).append(mark)
    out: list[str] = []
    stack: list[_Mark] = []
    opened: set[int] = set()
    for here, nxt in pairwise(points):
        # close everything from the lowest element that ends here upwards; reopen the survivors
        ending = [i for i, m in enumerate(stack) if m.end <= here]
        reopen: list[_Mark] = []
        if ending:
            for mark in reversed(stack[ending[0]:]):
                out.append("</span>")
                if mark.end > here:
                    reopen.append(mark)
            del stack[ending[0]:]
        for mark in sorted(reopen + starting.get(here, []), key=lambda m: (m.layer, -m.end)):
            first = id(mark) not in opened
            line_start = first and text[max(0, here - 8):here].rstrip(" \t\u3000").endswith("\n")
            out.append(_open_tag(mark, first, line_start or here == 0))
            opened.add(id(mark))
            stack.append(mark)
        out.append(_text(text[here:nxt]))
    out.extend("</span>" for _ in stack)
    return "".join(out)


def _outline(extraction: Extraction, follows: dict[str, _Follow] | None = None) -> str:
    """The side outline: sections in order, each with its directives (and what they follow) and their subtasks."""
    groups: dict[str | None, list[TaskRecord]] = {s: [] for s in extraction.document.sections}
    for task in extraction.directives:
        groups.setdefault(task.section, []).append(task)
    items = []
    for section, directives in groups.items():
        subs = []
        for task in directives:
            children = "".join(
                f'<li><a href="#r-{s.task_id}" data-go="{s.task_id}"><b>{html.escape(s.path)}</b> '
                f"{_text(_short(s.text, 36))}</a></li>"
                for s in extraction.subtasks_of(task)
            )
            follow = (follows or {}).get(task.task_id)
            badge = (f' <span class="lk {follow.relation}" title="{html.escape(follow.line())}">'
                     f"{_RELATION_ZH[follow.relation]}</span>" if follow else "")
            subs.append(
                f'<li><a href="#r-{task.task_id}" data-go="{task.task_id}"><b>{html.escape(task.path)}</b> '
                f"{_text(task.heading or _short(task.text, 30))}</a>{badge}"
                + (f"<ol>{children}</ol>" if children else "")
                + "</li>"
            )
        name = _text(_short(section, 40)) if section else "(未分节)"
        items.append(f'<li class="secn"><span title="{html.escape(section or "")}">{name}</span>'
                     f'{"<ol>" + "".join(subs) + "</ol>" if subs else ""}</li>')
    return f'<ol class="outline">{"".join(items)}</ol>'


_LEGEND = (
    ("dir", "工作要求 directive"),
    ("sub", "具体任务 subtask"),
    ("owner lead", "责任单位 owner"),
    ("owner support", "配合单位 support"),
    ("deadline", "完成时限 deadline"),
    ("cadence", "频次 cadence"),
    ("target", "目标 target"),
    ("noise", "档案噪声 noise"),
)


def _json_for_script(data: object) -> str:
    # inside <script> only "</script" and "<!--" can end the element early; escaping <, > and & rules both out
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(extraction: Extraction, *, links: Iterable[Link] = (), earlier: Iterable[Any] = ()) -> str:
    """The speech as one self-contained HTML page with every record highlighted (see the module docstring).

    ``links`` are follow-up links of this speech's tasks; ``earlier`` (extractions, task
    records, or (record, date) pairs) names the tasks they follow — without it the earlier
    task_id is shown.
    """
    text = extraction.text
    doc = extraction.document
    if not text and extraction.tasks:
        raise ValueError("render needs Extraction.text (the original text); this extraction has none")
    follows = _follows(extraction, links, earlier)
    body = highlight(text, _marks(extraction, _Written(text), follows))
    root = f"tk-{doc.doc_id}"
    n_dir = len(extraction.directives)
    n_sub = len(extraction.tasks) - n_dir
    n_due = sum(1 for t in extraction.tasks if t.deadline)
    meta = " · ".join(html.escape(x) for x in (doc.date, doc.source) if x)
    shown = _LEGEND + tuple((f"dir follows {r}", f"{_RELATION_ZH[r]} {r}") for r in _RELATION_ZH
                            if any(f.relation == r for f in follows.values()))
    legend = "".join(f'<li><span class="{cls} sw">示例</span> {html.escape(label)}</li>' for cls, label in shown)
    records = {t.task_id: t.to_dict() for t in extraction.tasks}
    for task_id, follow in follows.items():
        records[task_id]["follows"] = {"task_id": follow.follows, "relation": follow.relation,
                                       "label": follow.line(), "score": follow.score}
    title = html.escape(doc.title or doc.source or "textkit")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{_CSS}</style>
</head>
<body>
<div class="tk-view" data-tk-root="{root}">
<header class="tk-head">
<h1>{title}</h1>
<p class="meta">{meta}</p>
<p class="counts">{n_dir} 项工作要求 directives · {n_sub} 项具体任务 subtasks · {n_due} 项有完成时限 with deadlines</p>
</header>
<div class="tk-grid">
<main class="tk-text">{body}</main>
<aside class="tk-side">
<section class="tk-legend"><h2>图例 Legend</h2><ul>{legend}</ul></section>
<section class="tk-detail"><h2>记录 Record</h2><div class="tk-record"><p class="hint">点击或悬停高亮文字查看记录。Click a highlight to see its record.</p></div></section>
<section class="tk-nav"><h2>提纲 Outline</h2>{_outline(extraction, follows)}</section>
</aside>
</div>
<script type="application/json" class="tk-data">{_json_for_script(records)}</script>
</div>
<script>{_JS}</script>
</body>
</html>
"""


# Every rule is scoped under .tk-view: inside Jupyter the page is inlined into the notebook.
_CSS = """
.tk-view{--dir:#e6effa;--dir-edge:#7aa7dc;--sub:#fff1bf;--owner:#0f6b2a;--support:#3f8f57;
 --deadline:#b3001b;--deadline-bg:#fde8ea;--cadence:#006d75;--cadence-bg:#e0f4f5;--target:#5a2d91;
 --target-bg:#efe6fb;--active:#ffd08a;color:#1d1d1f;background:#fafaf7;
 font:16px/1.95 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;
 padding:20px 28px;box-sizing:border-box}
.tk-view *{box-sizing:border-box}
.tk-view h1{font-size:22px;line-height:1.4;margin:0 0 4px;color:#12263f}
.tk-view h2{font-size:13px;letter-spacing:.04em;text-transform:uppercase;color:#5b6470;margin:0 0 8px}
.tk-view .meta,.tk-view .counts{margin:0;color:#5b6470;font-size:13px;line-height:1.6}
.tk-view .tk-head{border-bottom:1px solid #d9dde3;padding-bottom:10px;margin-bottom:14px}
.tk-view .tk-grid{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:24px;align-items:start}
.tk-view .tk-text{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #e3e6ea;
 border-radius:8px;padding:18px 22px;max-width:52em}
.tk-view .tk-side{position:sticky;top:12px;max-height:calc(100vh - 24px);overflow:auto;font-size:13px;line-height:1.6}
.tk-view .tk-side section{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:10px 12px;margin-bottom:12px}
.tk-view .tk-legend ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:1fr 1fr;gap:4px 10px}
.tk-view .sw{display:inline-block;padding:0 4px;line-height:1.5;font-size:12px}
.tk-view .brk{display:block;height:.55em}
.tk-view .sec{font-weight:700;font-size:1.08em;color:#12263f}
.tk-view .dir{background:var(--dir);box-shadow:inset 0 -1px 0 var(--dir-edge);cursor:pointer}
.tk-view .dir.first::before{content:attr(data-path);font:600 11px/1 sans-serif;color:#fff;background:#3d6fb0;
 border-radius:3px;padding:2px 4px;margin-right:4px;vertical-align:2px}
.tk-view .sub{background:var(--sub);cursor:pointer}
.tk-view .sub.first::before{content:attr(data-path);font:600 10px/1 sans-serif;color:#7a5a00;background:#ffe38a;
 border-radius:3px;padding:1px 3px;margin-right:3px;vertical-align:2px}
.tk-view .hd{font-weight:700;color:#0b3d91}
.tk-view .dir.follows.first,.tk-view .sw.follows{border-left:4px solid var(--link);padding-left:2px}
.tk-view .repeats{--link:#6b7785}.tk-view .reschedules{--link:#c05621}.tk-view .extends{--link:#2f855a}
.tk-view .lk{font-size:11px;color:#fff;background:var(--link);border-radius:3px;padding:0 4px;margin-left:4px}
.tk-view .owner{color:var(--owner);font-weight:600;border-bottom:2px solid var(--owner)}
.tk-view .owner.support{color:var(--support);font-weight:500;border-bottom:2px dashed var(--support)}
.tk-view .owner.unspecified{border-bottom-style:solid;border-bottom-width:1px}
.tk-view .deadline{color:var(--deadline);background:var(--deadline-bg);border:1px solid #e8a0a8;border-radius:3px;font-weight:600}
.tk-view .cadence{color:var(--cadence);background:var(--cadence-bg);border-bottom:2px dotted var(--cadence)}
.tk-view .target{color:var(--target);background:var(--target-bg);border-radius:3px}
.tk-view .noise{color:#a0a4aa;font-size:.8em;text-decoration:line-through}
.tk-view .tk-text .dir:hover,.tk-view .tk-text .sub:hover{filter:brightness(.96)}
.tk-view .tk-text .active{background:var(--active);outline:1px solid #e39b2d}
.tk-view .tk-record dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0}
.tk-view .tk-record dt{color:#5b6470;white-space:nowrap}
.tk-view .tk-record dd{margin:0;word-break:break-word}
.tk-view .tk-record .body{max-height:9em;overflow:auto;background:#f6f7f9;padding:4px 6px;border-radius:4px}
.tk-view .hint{color:#8a9099;margin:0}
.tk-view .outline,.tk-view .outline ol{margin:0;padding-left:1.2em}
.tk-view .outline ol{list-style:none;padding-left:.9em}
.tk-view .outline>li{margin-bottom:6px}
.tk-view .secn>span{display:block;font-weight:700;color:#12263f;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tk-view .outline a{color:#1f4f8f;text-decoration:none}
.tk-view .outline a:hover{text-decoration:underline}
.tk-view{container-type:inline-size}
@container (max-width:900px){.tk-view .tk-grid{grid-template-columns:minmax(0,1fr)}
 .tk-view .tk-side{order:-1;position:static;max-height:none}.tk-view .tk-nav{max-height:14em;overflow:auto}}
"""

# Builds the record panel with textContent only, so record text is never parsed as HTML.
_JS = """
(function () {
  var ROLE = {lead: '牵头', support: '配合', unspecified: '责任'};
  function init(root) {
    if (root.getAttribute('data-tk-init')) return;
    root.setAttribute('data-tk-init', '1');
    var data = JSON.parse(root.querySelector('.tk-data').textContent);
    var panel = root.querySelector('.tk-record');
    function row(dl, name, value, cls) {
      if (value === null || value === undefined || value === '' || (value.length === 0)) return;
      var dt = document.createElement('dt'); dt.textContent = name; dl.appendChild(dt);
      var dd = document.createElement('dd'); if (cls) dd.className = cls;
      if (typeof value === 'string') dd.textContent = value; else dd.appendChild(value);
      dl.appendChild(dd);
    }
    function show(id, scroll) {
      var rec = data[id]; if (!rec) return;
      root.querySelectorAll('.active').forEach(function (el) { el.classList.remove('active'); });
      var parts = root.querySelectorAll('[data-rec="' + id + '"]');
      parts.forEach(function (el) { el.classList.add('active'); });
      if (scroll && parts.length) parts[0].scrollIntoView({block: 'center'});
      var dl = document.createElement('dl');
      row(dl, '路径 path', rec.path + '  (' + (rec.kind === 'directive' ? '工作要求' : '具体任务') + ')');
      row(dl, '编号 marker', rec.marker);
      row(dl, '标题 heading', rec.heading);
      row(dl, '部分 section', rec.section);
      row(dl, '责任单位 owners', rec.owners.map(function (o) {
        return o.name + '(' + ROLE[o.role] + ')' + (o.canonical ? ' = ' + o.canonical : '');
      }).join('、'));
      var d = rec.deadline;
      if (d) row(dl, '完成时限 deadline', d.text + ' [' + d.kind + ']' + (d.due ? ' → ' + d.due : '') +
                 (d.placeholder ? ' · 已脱敏' : '') + (d.estimated ? ' · 按惯例估计' : '') + (d.approximate ? ' · 近似' : ''));
      row(dl, '频次 cadence', rec.cadence.map(function (c) { return c.text + ' (' + c.freq + ')'; }).join('、'));
      row(dl, '目标 targets', rec.targets.map(function (t) { return t.text; }).join('、'));
      if (rec.follows) row(dl, '接续 follows', rec.follows.label + ' · ' + rec.follows.task_id);
      row(dl, '原文 text', rec.text, 'body');
      row(dl, '位置 span', rec.span[0] + '–' + rec.span[1]);
      row(dl, '置信度', String(rec.confidence));
      row(dl, 'task_id', rec.task_id);
      panel.replaceChildren(dl);
    }
    root.querySelector('.tk-text').addEventListener('click', function (ev) {
      var el = ev.target.closest('[data-rec]'); if (el) show(el.getAttribute('data-rec'), false);
    });
    root.querySelectorAll('[data-go]').forEach(function (a) {
      a.addEventListener('click', function (ev) { ev.preventDefault(); show(a.getAttribute('data-go'), true); });
    });
  }
  document.querySelectorAll('[data-tk-root]').forEach(init);
  // a link to page.html#r-<task_id> opens with that record selected
  if (location.hash.indexOf('#r-') === 0) {
    document.querySelectorAll('[data-tk-root]').forEach(function (root) {
      var el = root.querySelector('[data-go="' + location.hash.slice(3) + '"]'); if (el) el.click();
    });
  }
})();
"""
