"""Follow-ups across documents: which later tasks repeat, reschedule or extend earlier ones.

A link is ``{task_id, follows, relation, score}`` (``task-records.md``, "Follow-ups
across documents"). Linking works on directives, each seen with its subtasks'
owners, deadlines and targets, in two steps:

1. candidates: the earlier tasks nearest in content (character 2–3-gram TF-IDF
   over the text without exhortations and owner names, :mod:`textkit.link_index`);
2. decision: a logistic pair model over content, heading, shared numbers,
   shared owners, owners wholly apart and scopes apart (another 段, 批, 期,
   片区 or year of the same kind of work; weights in ``data/links.toml``, fitted
   on the train series), each earlier task followed at most once per document,
   and among near-equal candidates the latest, so a chain 01 → 02 → 03 links 03
   to 02.

The relation follows the contract from the fields, not the words: a different
deadline → ``reschedules``; a new or raised target, a new owner or a first
deadline → ``extends``; else ``repeats``. An item that only exhorts (``一要高度
重视``) never links.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from textkit.records import Extraction, TaskRecord
from textkit.resources import load_toml

if TYPE_CHECKING:  # numpy and scipy load when linking runs, not with every `textkit` command
    from textkit.link_index import LinkIndex

RELATIONS = ("repeats", "reschedules", "extends")
FEATURES = ("content", "heading", "numbers", "owners", "owners_apart", "scope_apart", "bias")
#: Candidates per later task; the pair model sees only these.
CANDIDATES = 8
#: A later candidate wins over a better-scored earlier one when within this much probability.
RECENCY_MARGIN = 0.25

_NUMBER = re.compile(r"\d+(?:\.\d+)?(?![\d.]*[年月日号时点])")
_NOISE = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class Link:
    """One later task following one earlier task."""

    task_id: str
    follows: str
    relation: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"task_id": self.task_id, "follows": self.follows, "relation": self.relation, "score": self.score}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Link:
        relation = str(data["relation"])
        if relation not in RELATIONS:
            raise ValueError(f"relation {relation!r} is not one of {', '.join(RELATIONS)}")
        return cls(str(data["task_id"]), str(data["follows"]), relation, float(data["score"]))


@dataclass(frozen=True)
class TaskView:
    """What linking looks at in one directive: its work, owners, deadlines and targets (subtasks' included)."""

    task_id: str
    doc_id: str
    order: tuple[str, int]  # (document date or "", position): later sorts higher
    heading: str
    text: str
    content: str
    owners: frozenset[str]
    deadlines: frozenset[str]
    targets: frozenset[tuple[float | None, str]]
    numbers: frozenset[str]
    exhortation: bool
    #: (kind, token) of the stretch, batch, phase, area or year the heading names (``上游段`` → ("stretch", "上游"))
    heading_scope: frozenset[tuple[str, str]] = frozenset()
    #: the same, named anywhere in the text
    text_scope: frozenset[tuple[str, str]] = frozenset()


# --- building views ---------------------------------------------------------------


@cache
def _settings() -> dict[str, Any]:
    return load_toml("links")


@cache
def _exhortation_pattern() -> re.Pattern[str]:
    phrases = sorted(_settings()["exhortation"]["phrases"], key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases))


@cache
def _scope_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(p)) for kind, patterns in _settings()["scope"].items() for p in patterns)


def scopes(text: str) -> frozenset[tuple[str, str]]:
    """(kind, token) of every stretch, batch, phase, area or year ``text`` names (``data/links.toml`` [scope])."""
    return frozenset((kind, m.group(1)) for kind, pattern in _scope_patterns() for m in pattern.finditer(text))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def is_exhortation(heading: str) -> bool:
    """Whether a heading only urges (``高度重视``, ``提高政治站位``) once filler words are gone."""
    filler = set(_settings()["exhortation"]["filler"])
    rest = _exhortation_pattern().sub("", _norm(heading))
    return len([c for c in rest if c not in filler]) < 2 and rest != _norm(heading)


def views(records: Iterable[TaskRecord], dates: Mapping[str, str | None] | None = None) -> list[TaskView]:
    """One view per directive, with its subtasks folded in; ``dates`` maps doc_id → document date."""
    records = list(records)
    children: dict[str, list[TaskRecord]] = {}
    for record in records:
        if record.kind == "subtask" and record.parent_id:
            children.setdefault(record.parent_id, []).append(record)
    found: list[TaskView] = []
    for position, record in enumerate(records):
        if record.kind != "directive":
            continue
        family = [record, *children.get(record.task_id, [])]
        collective = set(_settings()["owners"]["collective"])
        owners = frozenset(n for r in family for o in r.owners if (n := _norm(o.name)) not in collective)
        deadlines = frozenset(_deadline_key(r) for r in family if r.deadline is not None)
        targets = frozenset((t.value, _norm(t.unit or "")) for r in family for t in r.targets)
        heading = _norm(record.heading or "")
        text = _norm(record.text)
        marker = _norm(record.marker or "")
        if marker and text.startswith(marker):
            text = text[len(marker):]
        content = _exhortation_pattern().sub("", text)
        for owner in sorted(owners, key=len, reverse=True):
            content = content.replace(owner, "")
        content = _NOISE.sub("", content)
        date = (dates or {}).get(record.doc_id) or ""
        found.append(
            TaskView(
                task_id=record.task_id,
                doc_id=record.doc_id,
                order=(date, position),
                heading=_NOISE.sub("", heading),
                text=text,
                content=content,
                owners=owners,
                deadlines=deadlines,
                targets=targets,
                numbers=frozenset(_NUMBER.findall(text)),
                exhortation=is_exhortation(heading or text[:12]) and not deadlines and not targets
                and not any(r.cadence for r in family),
                heading_scope=scopes(heading),
                text_scope=scopes(text),
            )
        )
    return found


def _deadline_key(record: TaskRecord) -> str:
    deadline = record.deadline
    assert deadline is not None
    return deadline.due or _NOISE.sub("", _norm(deadline.text))


# --- pair features and the decision -----------------------------------------------------


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _jaccard(a: frozenset[Any] | set[Any], b: frozenset[Any] | set[Any]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def owners_apart(later: TaskView, earlier: TaskView) -> bool:
    """Both tasks name owners and none is the same unit (one name containing the other counts as the same:
    ``县民政局`` / ``县民政局养老股``). Work handed to another unit is other work: ``县财政局`` paying the
    subsidy is not ``县民政局`` doing the 适老化改造 it pays for."""
    if not later.owners or not earlier.owners:
        return False
    return not any(a in b or b in a for a in later.owners for b in earlier.owners)


def _scope_of(view: TaskView, kind: str) -> set[str]:
    """The tokens of one kind a task is about: its heading's, else its text's; a task naming no year
    is about its document's year."""
    found = {t for k, t in view.heading_scope if k == kind} or {t for k, t in view.text_scope if k == kind}
    if not found and kind == "year" and view.order[0][:4].isdigit():
        found = {view.order[0][:4]}
    return found


def scope_apart(later: TaskView, earlier: TaskView) -> bool:
    """Both tasks are about a stretch, batch, phase, area or year of one kind (named in the heading, else in
    the text; a year may be the document's), and no one is the same: ``开展上游段河道清淤`` after the 镇区段
    was done, ``启动第二批卫生院改造`` after the 第一批, the 2025年度 programme after this year's are new
    work, not follow-ups. A weight, not a veto: ``延伸到上游段`` can widen the 镇区段's cleaning."""
    for kind in {k for k, _ in later.text_scope | earlier.text_scope}:
        mine, theirs = _scope_of(later, kind), _scope_of(earlier, kind)
        if mine and theirs and not mine & theirs:
            return True
    return False


def pair_features(later: TaskView, earlier: TaskView, content_similarity: float) -> list[float]:
    """The model's inputs for one pair, in :data:`FEATURES` order."""
    heading = _jaccard(_bigrams(later.heading), _bigrams(earlier.heading))
    return [content_similarity, heading, _jaccard(later.numbers, earlier.numbers),
            _jaccard(later.owners, earlier.owners), float(owners_apart(later, earlier)),
            float(scope_apart(later, earlier)), 1.0]


def probability(features: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """The pair model: logistic regression over :func:`pair_features`."""
    weights = weights if weights is not None else _settings()["model"]["weights"]
    z = sum(w * x for w, x in zip(weights, features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def relation(later: TaskView, earlier: TaskView) -> str:
    """``reschedules`` when the deadlines differ, ``extends`` when a target, owner or first deadline is new."""
    if later.deadlines and earlier.deadlines and not later.deadlines <= earlier.deadlines:
        return "reschedules"
    new_owners = {o for o in later.owners - earlier.owners if o not in earlier.text}
    if _raised_targets(later, earlier) or new_owners or (later.deadlines and not earlier.deadlines):
        return "extends"
    return "repeats"


def _raised_targets(later: TaskView, earlier: TaskView) -> bool:
    """A target whose unit is new, or whose value exceeds every earlier value in that unit (50 → 80 公里);
    a lower figure (开复工率为56% after a 60% goal) is a status report, not a new goal."""
    for value, unit in later.targets:
        if value is None:
            continue
        before = [v for v, u in earlier.targets if u == unit and v is not None]
        if not before or value > max(before):
            return True
    return False


def candidate_pairs(
    index: LinkIndex, earlier: Mapping[str, TaskView], later: Sequence[TaskView], k: int = CANDIDATES
) -> list[tuple[TaskView, TaskView, list[float]]]:
    """Every (later, earlier) pair the index proposes, with its features; exhortations propose nothing."""
    asking = [v for v in later if not v.exhortation and v.content]
    if not asking:
        return []
    hits = index.search([v.content for v in asking], k=k)
    pairs = []
    for view, found in zip(asking, hits, strict=True):
        for task_id, similarity in found:
            other = earlier.get(task_id)
            if other is None or other.exhortation or other.doc_id == view.doc_id:
                continue
            pairs.append((view, other, pair_features(view, other, similarity)))
    return pairs


def decide(
    pairs: Iterable[tuple[TaskView, TaskView, list[float]]],
    *,
    weights: Sequence[float] | None = None,
    threshold: float | None = None,
    followers: Mapping[str, TaskView] | None = None,
) -> list[Link]:
    """Links from scored pairs: above the threshold, one per later task, each earlier task once per document.

    ``followers`` maps an earlier task_id to the earlier task that already follows
    it: a match on the head of a chain moves to its end (the last time the work was asked).
    """
    threshold = _settings()["model"]["threshold"] if threshold is None else threshold
    pairs = list(pairs)
    ends = getattr(followers, "ends", None)  # a ledger's followers walk every pair's chain in one go
    walked = ends([(later, earlier) for later, earlier, _ in pairs]) if callable(ends) \
        else [chain_end(followers, later, earlier) for later, earlier, _ in pairs]
    scored = [(probability(f, weights), later, earlier) for (later, _, f), earlier in zip(pairs, walked, strict=True)]
    by_task: dict[str, list[tuple[float, TaskView, TaskView]]] = {}
    for item in scored:
        if item[0] >= threshold:
            by_task.setdefault(item[1].task_id, []).append(item)
    choices: list[tuple[float, TaskView, TaskView]] = []
    for items in by_task.values():
        best = max(p for p, _, _ in items)
        near = [item for item in items if item[0] >= best - RECENCY_MARGIN]
        # the latest document wins among near-equals (chains link to the last time the work was asked)
        latest = max(near, key=lambda item: item[2].order)[2].doc_id
        choices.extend(item for item in near if item[2].doc_id == latest)
    links: list[Link] = []
    taken: set[tuple[str, str]] = set()
    linked: set[str] = set()
    for p, later, earlier in sorted(choices, key=lambda i: -i[0]):
        if later.task_id in linked or (later.doc_id, earlier.task_id) in taken:
            continue
        linked.add(later.task_id)
        taken.add((later.doc_id, earlier.task_id))
        links.append(Link(later.task_id, earlier.task_id, relation(later, earlier), round(p, 4)))
    return links


def chain_end(followers: Mapping[str, TaskView] | None, later: TaskView, earlier: TaskView) -> TaskView:
    """Where a match of ``later`` on ``earlier`` moves along ``followers``: to each follower in turn while it
    comes before ``later``, stopping on a task met twice."""
    seen = {earlier.task_id}
    while followers and earlier.task_id in followers and followers[earlier.task_id].order < later.order:
        earlier = followers[earlier.task_id]
        if earlier.task_id in seen:
            break
        seen.add(earlier.task_id)
    return earlier


# --- the public function -------------------------------------------------------------


def _records_and_dates(source: Any) -> tuple[list[TaskRecord], dict[str, str | None]]:
    """Records (and document dates) from an extraction, several, records, or anything with ``records()``."""
    if isinstance(source, Extraction):
        return list(source.tasks), {source.document.doc_id: source.document.date}
    if hasattr(source, "records") and callable(source.records):  # a ledger
        return list(source.records()), {}
    records: list[TaskRecord] = []
    dates: dict[str, str | None] = {}
    for item in source:
        if isinstance(item, Extraction):
            records.extend(item.tasks)
            dates[item.document.doc_id] = item.document.date
        elif isinstance(item, TaskRecord):
            records.append(item)
        else:
            raise TypeError(f"cannot link against {type(item).__name__}: expected Extraction or TaskRecord")
    return records, dates


def link(earlier: Any, later: Any, *, index: LinkIndex | None = None) -> list[Link]:
    """Links for the later tasks: each directive of ``later`` that follows one of ``earlier``.

    ``earlier`` is an :class:`Extraction`, several, task records, or a ledger;
    ``later`` an extraction or its records. Tasks of the same document never link
    to each other. Pass ``index`` (already holding the earlier tasks) to skip
    re-indexing them.
    """
    old_records, dates = _records_and_dates(earlier)
    new_records, new_dates = _records_and_dates(later)
    dates.update(new_dates)
    return link_views(views(old_records, dates), views(new_records, dates), index=index)


def link_views(
    earlier: Iterable[TaskView] | Mapping[str, TaskView],
    later: Sequence[TaskView],
    *,
    index: LinkIndex | None = None,
    followers: Mapping[str, TaskView] | None = None,
    k: int = CANDIDATES,
) -> list[Link]:
    """:func:`link` on views. ``earlier`` may be a lazy mapping (task_id → view) that fetches only the
    candidates ``index`` proposes; ``followers`` (from stored links) spares re-linking the earlier documents."""
    old_views = earlier if isinstance(earlier, Mapping) else {v.task_id: v for v in earlier}
    if index is None:
        from textkit.link_index import LinkIndex

        index = LinkIndex()
        index.add(list(old_views), [v.content for v in old_views.values()])
    if followers is None:
        followers = chains(old_views.values())
    return decide(candidate_pairs(index, old_views, later, k=k), followers=followers)


def chains(earlier: Iterable[TaskView], links: Iterable[Link] | None = None, *,
           weights: Sequence[float] | None = None, threshold: float | None = None) -> dict[str, TaskView]:
    """earlier task_id → the earlier task that follows it, from ``links`` (a ledger's) or by linking the
    earlier documents one after another in date order (with the shipped model, or ``weights``/``threshold``)."""
    by_id = {v.task_id: v for v in earlier}
    if links is None:
        documents: dict[str, list[TaskView]] = {}
        for view in sorted(by_id.values(), key=lambda v: v.order):
            documents.setdefault(view.doc_id, []).append(view)
        ordered = list(documents.values())
        from textkit.link_index import LinkIndex

        links, index, seen = [], LinkIndex(), {}
        for before, current in zip(ordered, ordered[1:], strict=False):
            index.add([v.task_id for v in before], [v.content for v in before])
            seen.update({v.task_id: v for v in before})
            links.extend(decide(candidate_pairs(index, seen, current), followers=_followers(links, by_id),
                                weights=weights, threshold=threshold))
    return _followers(links, by_id)


def _followers(links: Iterable[Link], by_id: Mapping[str, TaskView]) -> dict[str, TaskView]:
    return {item.follows: by_id[item.task_id] for item in links if item.task_id in by_id}


def chain(task_id: str, found: list[Link]) -> list[tuple[str, Link | None]]:
    """The chain through ``task_id``, earliest first: (task_id, the link that brought it in)."""
    back = {x.task_id: x for x in found}
    forward = {x.follows: x for x in found}
    start, seen = task_id, {task_id}
    while start in back and back[start].follows not in seen:
        start = back[start].follows
        seen.add(start)
    steps: list[tuple[str, Link | None]] = [(start, None)]
    while steps[-1][0] in forward and forward[steps[-1][0]].task_id not in {s for s, _ in steps}:
        step = forward[steps[-1][0]]
        steps.append((step.task_id, step))
    return steps
