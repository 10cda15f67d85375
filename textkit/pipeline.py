"""One document through every stage: clean → outline → directives → fields → records.

This is the function a notebook, the CLI, the bulk runner and the service all
call. It only composes the stages; each stage lives in its own module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from textkit.clean import CleanText, clean
from textkit.errors import InputError
from textkit.extractors.base import Context, Found
from textkit.extractors.cadence import find_cadence
from textkit.extractors.deadlines import find_deadlines
from textkit.extractors.deadlines import warm_up as warm_deadlines
from textkit.extractors.directives import Decision, decide
from textkit.extractors.owners import find_aliases, find_owners
from textkit.extractors.targets import find_targets
from textkit.io import read_path
from textkit.lexicon import lexicon as party_lexicon
from textkit.outline import Node, Outline, parse
from textkit.records import (
    Cadence,
    Deadline,
    Document,
    Extraction,
    Owner,
    Target,
    TaskRecord,
    copied,
    document_id,
    task_id,
)
from textkit.segment import sentences
from textkit.triggers import field_triggers

DateLike = date | str | None
_TRIM = " \t\n,;:、,。"


def extract(text: str, *, ref_date: DateLike = None, source: str | None = None, model: Any = "default") -> Extraction:
    """Extract the task records of one document given as text.

    ``ref_date`` is "today" for relative deadlines (``年内``, ``10个工作日内``);
    without it the document's own date is used, and without that ``due`` stays
    unknown. ``model`` is the directive scorer: ``"default"`` loads the shipped
    model when there is one, ``None`` uses the rules alone.
    """
    if not isinstance(text, str):
        raise InputError(source, f"expected text (str), got {type(text).__name__}")
    cleaned = clean(text)
    outline = parse(cleaned)
    scorer = _default_scorer() if model == "default" else model
    decisions = decide(outline, scorer=scorer)
    context = _context(ref_date, outline.date, cleaned.text, source)
    doc_id = document_id(text)
    tasks: list[TaskRecord] = []
    for decision in decisions:
        if decision.directive:
            tasks.extend(_directive_records(cleaned, outline, decision, doc_id, context))
    document = Document(
        doc_id=doc_id,
        title=_written_span(cleaned, outline.title_span),
        date=outline.date,
        source=source,
        sections=tuple(_section_headings(cleaned, outline)),
        char_count=len(text),
    )
    return Extraction(document=document, tasks=tuple(tasks), text=text)


def extract_file(path: str | Path, *, ref_date: DateLike = None, source: str | None = None, **options: Any) -> Extraction:
    """Read a file (any encoding or format textkit reads) and extract it; ``source`` defaults to the path."""
    text = read_path(path)
    return extract(text, ref_date=ref_date, source=source or str(path), **options)


def _default_scorer() -> Any:
    from textkit.model import default_model

    return default_model()


_WARM_UP_TEXT = (
    "二、抓好重点工作一要压实责任。县應急管理局要牵头,10个工作日内完成检查,确保合格率达到百分之九十五。"
    "二是要加强调度。各乡镇每月5日前报送进展,6月30日前完成整改。"
)


def warm_up() -> None:
    """Load now what a first document would load: once per bulk worker or service process.

    The directive model, the lexicons, and the imports extraction otherwise
    makes in the middle of a document: cn2an (the first Chinese numeral,
    0.15–0.65 s) and chinesecalendar (the first deadline counted in working
    days). No segmenter: extraction cuts no words.
    """
    from textkit.extractors.numerals import to_number

    _default_scorer()
    to_number("十五")  # imports cn2an
    import chinese_calendar  # noqa: F401 - imported lazily by extractors/deadlines.py

    extract(_WARM_UP_TEXT, ref_date="2024-04-18", source="warm-up")
    warm_deadlines()  # patterns compiled on first use: the warm-up text fires only some of them
    party_lexicon().party_branches  # the owners' party branches likewise: compile every one  # noqa: B018
    scorer = _default_scorer()
    if scorer is not None:
        scorer.weights.prepare()  # the scorer's automata (~0.15 s): a worker scores many texts


def _context(ref_date: DateLike, doc_date: str | None, text: str, source: str | None) -> Context:
    ref = _parse_ref(ref_date, source)
    ref_year = ref.year if ref else None
    if ref is None and doc_date:
        if len(doc_date) == 10 and REF_DATE_RANGE[0].isoformat() <= doc_date <= REF_DATE_RANGE[1].isoformat():
            ref = date.fromisoformat(doc_date)
        ref_year = int(doc_date[:4])
    return Context(ref=ref, ref_year=ref_year, aliases=find_aliases(text))


#: Reference dates textkit computes deadlines from; 9999-12-31 + 年内 overflowed into a traceback (HTTP 500).
REF_DATE_RANGE = (date(1900, 1, 1), date(2199, 12, 31))


def _parse_ref(ref_date: DateLike, source: str | None) -> date | None:
    if ref_date is None:
        return None
    if isinstance(ref_date, date):
        parsed = ref_date
    else:
        try:
            parsed = date.fromisoformat(str(ref_date))
        except ValueError:
            raise InputError(source, f"ref_date {ref_date!r} is not a date (YYYY-MM-DD)") from None
    first, last = REF_DATE_RANGE
    if not first <= parsed <= last:
        raise InputError(source, f"ref_date {parsed.isoformat()} is outside {first.isoformat()}…{last.isoformat()}")
    return parsed


def _written_span(cleaned: CleanText, span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    # a title set over two lines (机构名 / 2024年第一次会议纪要) reads as one
    return "".join(line.strip() for line in cleaned.as_written(*span).splitlines()) or None


def _section_headings(cleaned: CleanText, outline: Outline) -> Iterable[str]:
    for node in outline.nodes:
        if node.children or node.family in {"sec", "part"}:
            yield _heading(cleaned, node)


def _heading(cleaned: CleanText, node: Node) -> str:
    return cleaned.as_written(node.body_start, node.heading_end).strip().strip(_TRIM)


def _rstrip(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing whitespace (not before ``start``)."""
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return end


# --- directive and subtask records ---------------------------------------------------


class _Unit:
    """One sentence or clause of a directive's body and what was found in it."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.owners: list[Owner] = []
        self.deadlines: list[Deadline] = []
        self.cadence: list[Cadence] = []
        self.targets: list[Target] = []

    @property
    def actionable(self) -> bool:
        return bool(self.owners or self.deadlines or self.cadence or self.targets)


def _directive_records(
    cleaned: CleanText, outline: Outline, decision: Decision, doc_id: str, context: Context
) -> list[TaskRecord]:
    node = decision.node
    text = cleaned.text
    start, end = node.start, _rstrip(text, node.start, node.end)
    units = _units(cleaned, node.body_start, end, context)
    top = node
    while top.parent is not None:
        top = top.parent
    section = _heading(cleaned, top)
    ostart, oend = cleaned.to_original(start, end)
    body = cleaned.written(ostart, oend)
    did = task_id(doc_id, "directive", node.path, body)
    actionable = [u for u in units if u.actionable]
    governing = next((u.owners for u in units[:2] if u.owners), [])
    directive = TaskRecord(
        task_id=did,
        doc_id=doc_id,
        kind="directive",
        parent_id=None,
        path=node.path,
        marker=cleaned.as_written(node.start, node.body_start).strip(),
        heading=_heading(cleaned, node) or None,
        text=body,
        section=section or None,
        span=(ostart, oend),
        owners=tuple(_dedupe(o for u in units for o in u.owners)),
        deadline=actionable[0].deadlines[0] if len(actionable) == 1 and actionable[0].deadlines else None,
        cadence=tuple(_dedupe_cadence(c for u in units for c in u.cadence)),
        targets=tuple(t for u in units for t in u.targets),
        confidence=decision.probability,
    )
    records = [directive]
    if len(actionable) < 2:
        return records
    for k, unit in enumerate(actionable, 1):
        us, ue = cleaned.to_original(unit.start, unit.end)
        unit_text = cleaned.written(us, ue)
        path = f"{node.path}.{k}"
        records.append(
            TaskRecord(
                task_id=task_id(doc_id, "subtask", path, unit_text),
                doc_id=doc_id,
                kind="subtask",
                parent_id=did,
                path=path,
                marker=None,
                heading=None,
                text=unit_text,
                section=section or None,
                span=(us, ue),
                owners=tuple(_dedupe(unit.owners or governing)),
                deadline=unit.deadlines[0] if unit.deadlines else None,
                cadence=tuple(unit.cadence),
                targets=tuple(unit.targets),
                confidence=decision.probability,
            )
        )
    return records


def _units(cleaned: CleanText, start: int, end: int, context: Context) -> list[_Unit]:
    """Sentences of a body; a sentence holding several deadlines is cut at the clause
    boundary before each later one, so each deadline governs its own clauses
    (``确保所有项目XX月底前全部开工,主汛期前至少要完成…``)."""
    text = cleaned.text
    units: list[_Unit] = []
    # the triggers say which field extractors can find anything in which sentence
    may_deadline, may_cadence, may_target = field_triggers().searches("deadlines", "cadence", "targets")
    for s, e in sentences(text, start, end):
        chunk = text[s:e]
        deadlines = [f for f in find_deadlines(chunk, context=context) if f.rule != "start"] if may_deadline(text, s, e) else []
        owners = find_owners(chunk, context=context)
        cadence = find_cadence(chunk, context=context) if may_cadence(text, s, e) else []
        targets = find_targets(chunk, context=context) if may_target(text, s, e) else []
        if len(deadlines) < 2:  # the usual sentence: one unit holding everything found in it
            unit = _Unit(s, e)
            unit.deadlines = _placed_all(cleaned, s, deadlines, "text", 0, e - s)
            unit.owners = _placed_all(cleaned, s, owners, "name", 0, e - s)
            unit.cadence = _placed_all(cleaned, s, cadence, "text", 0, e - s)
            unit.targets = _placed_all(cleaned, s, targets, "text", 0, e - s)
            units.append(unit)
            continue
        cuts = [0]
        for prev, found in zip(deadlines, deadlines[1:], strict=False):
            # the last clause break between the two (确保一季度实现…、上半年实现…), else right before the later one
            boundary = max(chunk.rfind(mark, prev.end, found.start) for mark in ",;、")
            cuts.append(boundary + 1 if boundary != -1 else found.start)
        cuts.append(len(chunk))
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b <= a:
                continue
            unit = _Unit(s + a, s + b)
            unit.deadlines = _placed_all(cleaned, s, deadlines, "text", a, b)
            unit.owners = _placed_all(cleaned, s, owners, "name", a, b)
            unit.cadence = _placed_all(cleaned, s, cadence, "text", a, b)
            unit.targets = _placed_all(cleaned, s, targets, "text", a, b)
            units.append(unit)
    return units


def _placed_all(cleaned: CleanText, offset: int, found: list[Found], key: str, a: int, b: int) -> list[Any]:
    """``_placed`` of each value found starting in ``[a, b)`` of the sentence at ``offset``."""
    return [_placed(cleaned, offset, f, key) for f in found if a <= f.start < b] if found else []


def _placed(cleaned: CleanText, offset: int, found: Found, key: str) -> Any:
    """The found value with its text as written and its ``span`` in the original text."""
    text, span = _as_written(cleaned, offset + found.start, offset + found.end)
    # the extractor built and checked the value; only text and span change (no second validation)
    return copied(found.value, {key: text or found.text, "span": span})


def _as_written(cleaned: CleanText, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The written text of an analysis span and the original span it occupies, trimmed so that
    the span starts and ends on written characters (not on spaces or archive noise)."""
    ostart, oend = cleaned.to_original(start, end)
    kept, original = cleaned.layout_kept, cleaned.original
    while ostart < oend and (not kept[ostart] or original[ostart].isspace()):
        ostart += 1
    while oend > ostart and (not kept[oend - 1] or original[oend - 1].isspace()):
        oend -= 1
    return cleaned.written(ostart, oend), (ostart, oend)


def _dedupe(owners: Iterable[Owner]) -> list[Owner]:
    seen: dict[str, Owner] = {}
    for owner in owners:
        kept = seen.get(owner.name)
        if kept is None or (kept.role == "unspecified" and owner.role != "unspecified"):
            seen[owner.name] = owner
    return list(seen.values())


def _dedupe_cadence(items: Iterable[Cadence]) -> list[Cadence]:
    seen: dict[str, Cadence] = {}
    for item in items:
        seen.setdefault(item.freq + "\x1f" + item.text, item)
    return list(seen.values())
