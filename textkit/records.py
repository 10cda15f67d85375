"""The task-record contract (``shared/spec/task-records.md``) as value objects.

Everything downstream of extraction — JSON output, ledgers, frames — sees only
these types. They are frozen, hold tuples rather than lists, and round-trip
through ``to_dict``/``from_dict`` exactly.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from textkit.errors import ValidationError

Kind = Literal["directive", "subtask"]
Role = Literal["lead", "support", "unspecified"]
DeadlineKind = Literal["date", "relative", "event", "open"]
Freq = Literal["daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly"]

KINDS: tuple[str, ...] = ("directive", "subtask")
ROLES: tuple[str, ...] = ("lead", "support", "unspecified")
DEADLINE_KINDS: tuple[str, ...] = ("date", "relative", "event", "open")
FREQS: tuple[str, ...] = ("daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly")
OPS: tuple[str, ...] = ("=", ">=", "<=", ">", "<", "+", "-")

SCHEMA_VERSION = "1.0"


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ValidationError(message)


@dataclass(frozen=True)
class Owner:
    """A party told to act. ``name`` is as written; ``canonical`` the full name when an alias is known."""

    name: str
    role: Role = "unspecified"
    canonical: str | None = None

    def __post_init__(self) -> None:
        _check(bool(self.name), "owner name is empty")
        _check(self.role in ROLES, f"owner role {self.role!r} is not one of {ROLES}")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "canonical": self.canonical}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Owner:
        return cls(name=data["name"], role=data.get("role", "unspecified"), canonical=data.get("canonical"))


@dataclass(frozen=True)
class Deadline:
    """When required work is due. ``due`` is the last day (ISO) or None when it cannot be known.

    ``approximate`` flags a ``due`` computed without the official holiday calendar
    (a year the State Council has not published yet): weekdays were counted instead.
    """

    text: str
    kind: DeadlineKind
    due: str | None = None
    placeholder: bool = False
    approximate: bool = False

    def __post_init__(self) -> None:
        _check(bool(self.text), "deadline text is empty")
        _check(self.kind in DEADLINE_KINDS, f"deadline kind {self.kind!r} is not one of {DEADLINE_KINDS}")
        if self.due is not None:
            _check(_is_iso_date(self.due), f"deadline due {self.due!r} is not an ISO date")

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "due": self.due,
            "placeholder": self.placeholder,
            "approximate": self.approximate,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Deadline:
        return cls(
            text=data["text"],
            kind=data["kind"],
            due=data.get("due"),
            placeholder=bool(data.get("placeholder", False)),
            approximate=bool(data.get("approximate", False)),
        )


@dataclass(frozen=True)
class Cadence:
    """A recurring obligation: ``每月5日前报送`` is monthly with ``day`` 5."""

    text: str
    freq: Freq
    day: int | None = None

    def __post_init__(self) -> None:
        _check(bool(self.text), "cadence text is empty")
        _check(self.freq in FREQS, f"cadence freq {self.freq!r} is not one of {FREQS}")

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "freq": self.freq, "day": self.day}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cadence:
        return cls(text=data["text"], freq=data["freq"], day=data.get("day"))


@dataclass(frozen=True)
class Target:
    """A quantified goal: ``不低于95%`` is value 95, unit ``%``, op ``>=``."""

    text: str
    value: float | None
    unit: str | None
    op: str = "="
    placeholder: bool = False

    def __post_init__(self) -> None:
        _check(bool(self.text), "target text is empty")
        _check(self.op in OPS, f"target op {self.op!r} is not one of {OPS}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "op": self.op,
            "placeholder": self.placeholder,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Target:
        return cls(
            text=data["text"],
            value=data.get("value"),
            unit=data.get("unit"),
            op=data.get("op", "="),
            placeholder=bool(data.get("placeholder", False)),
        )


@dataclass(frozen=True)
class Document:
    """One speech, minutes or plan. ``doc_id`` is a hash of the original text."""

    doc_id: str
    title: str | None
    date: str | None
    source: str | None
    sections: tuple[str, ...]
    char_count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "sections": list(self.sections),
            "char_count": self.char_count,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        return cls(
            doc_id=data["doc_id"],
            title=data.get("title"),
            date=data.get("date"),
            source=data.get("source"),
            sections=tuple(data.get("sections") or ()),
            char_count=int(data["char_count"]),
        )


@dataclass(frozen=True)
class TaskRecord:
    """A directive (an enumerated item that assigns work) or a subtask inside one."""

    task_id: str
    doc_id: str
    kind: Kind
    parent_id: str | None
    path: str
    marker: str | None
    heading: str | None
    text: str
    section: str | None
    span: tuple[int, int]
    owners: tuple[Owner, ...] = ()
    deadline: Deadline | None = None
    cadence: tuple[Cadence, ...] = ()
    targets: tuple[Target, ...] = ()
    confidence: float = 1.0

    def __post_init__(self) -> None:
        _check(self.kind in KINDS, f"kind {self.kind!r} is not one of {KINDS}")
        _check(self.kind == "directive" or self.parent_id is not None, "a subtask needs a parent_id")
        start, end = self.span
        _check(0 <= start <= end, f"span {self.span!r} is not an ordered pair of offsets")
        _check(0.0 <= self.confidence <= 1.0, f"confidence {self.confidence!r} is outside [0, 1]")
        # four decimals is all a confidence means; rounding here keeps JSON round trips exact
        object.__setattr__(self, "confidence", round(float(self.confidence), 4))

    def to_dict(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "doc_id": self.doc_id,
            "kind": self.kind,
            "parent_id": self.parent_id,
            "path": self.path,
            "marker": self.marker,
            "heading": self.heading,
            "text": self.text,
            "section": self.section,
            "owners": [o.to_dict() for o in self.owners],
            "deadline": self.deadline.to_dict() if self.deadline else None,
            "cadence": [c.to_dict() for c in self.cadence],
            "targets": [t.to_dict() for t in self.targets],
            "span": list(self.span),
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TaskRecord:
        try:
            return cls(
                task_id=data["task_id"],
                doc_id=data["doc_id"],
                kind=data["kind"],
                parent_id=data.get("parent_id"),
                path=data["path"],
                marker=data.get("marker"),
                heading=data.get("heading"),
                text=data["text"],
                section=data.get("section"),
                span=(int(data["span"][0]), int(data["span"][1])),
                owners=tuple(Owner.from_dict(o) for o in data.get("owners") or ()),
                deadline=Deadline.from_dict(data["deadline"]) if data.get("deadline") else None,
                cadence=tuple(Cadence.from_dict(c) for c in data.get("cadence") or ()),
                targets=tuple(Target.from_dict(t) for t in data.get("targets") or ()),
                confidence=float(data.get("confidence", 1.0)),
            )
        except (KeyError, TypeError, IndexError) as exc:
            raise ValidationError(f"not a task record: {exc!r}") from exc

    def evolve(self, **changes: Any) -> TaskRecord:
        return replace(self, **changes)


@dataclass(frozen=True)
class Extraction:
    """What one document yields: its ``Document`` and its task records, in text order."""

    document: Document
    tasks: tuple[TaskRecord, ...]
    text: str = field(default="", repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document.to_dict(), "tasks": [t.to_dict() for t in self.tasks]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, text: str = "") -> Extraction:
        return cls(
            document=Document.from_dict(data["document"]),
            tasks=tuple(TaskRecord.from_dict(t) for t in data.get("tasks") or ()),
            text=text,
        )

    @property
    def directives(self) -> tuple[TaskRecord, ...]:
        return tuple(t for t in self.tasks if t.kind == "directive")

    def subtasks_of(self, directive: TaskRecord) -> tuple[TaskRecord, ...]:
        return tuple(t for t in self.tasks if t.parent_id == directive.task_id)

    def to_frame(self) -> Any:
        """One row per task as a pandas DataFrame (see ``textkit.frames``)."""
        from textkit.frames import extraction_frame

        return extraction_frame(self)

    def _repr_html_(self) -> str:
        from textkit.render import render

        return render(self)


def _is_iso_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _canonical(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace())


def _canonical_head(text: str, n: int) -> str:
    """``_canonical(text)[:n]`` without normalising a whole body: NFKC never combines
    across a CJK ideograph (a starter no composition takes as its second
    character), so the canonical form of the text before one is the start of the
    whole text's; grow a prefix cut there until it gives ``n`` characters."""
    size = 2 * n
    while size < len(text):
        cut = size
        while cut < len(text) and not "\u4e00" <= text[cut] <= "\u9fff":
            cut += 1
        head = _canonical(text[:cut])
        if len(head) >= n or cut >= len(text):
            return head[:n]
        size = 2 * cut
    return _canonical(text)[:n]


def document_id(original_text: str) -> str:
    """A content hash: the same text gives the same id wherever it is read from."""
    return hashlib.sha1(original_text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def task_id(doc_id: str, kind: str, path: str, text: str) -> str:
    """Stable across runs: document, kind, outline position and the start of the text.

    Only the first 24 characters of the text take part, so a later extractor
    that moves the end of a body keeps the id (ledgers upsert on it).
    """
    key = "\x1f".join((doc_id, kind, path, _canonical_head(text, 24)))
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``{"document", "tasks"}`` output."""
    nullable_str = {"type": ["string", "null"]}
    owner = {
        "type": "object",
        "required": ["name", "role"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "role": {"enum": list(ROLES)},
            "canonical": nullable_str,
        },
    }
    deadline = {
        "type": ["object", "null"],
        "required": ["text", "kind", "due", "placeholder"],
        "properties": {
            "text": {"type": "string", "minLength": 1},
            "kind": {"enum": list(DEADLINE_KINDS)},
            "due": {"type": ["string", "null"], "format": "date"},
            "placeholder": {"type": "boolean"},
            "approximate": {"type": "boolean"},
        },
    }
    cadence = {
        "type": "object",
        "required": ["text", "freq"],
        "properties": {
            "text": {"type": "string"},
            "freq": {"enum": list(FREQS)},
            "day": {"type": ["integer", "null"]},
        },
    }
    target = {
        "type": "object",
        "required": ["text", "value", "unit", "op", "placeholder"],
        "properties": {
            "text": {"type": "string"},
            "value": {"type": ["number", "null"]},
            "unit": nullable_str,
            "op": {"enum": list(OPS)},
            "placeholder": {"type": "boolean"},
        },
    }
    task = {
        "type": "object",
        "required": [
            "task_id", "doc_id", "kind", "parent_id", "path", "marker", "heading", "text",
            "section", "owners", "deadline", "cadence", "targets", "span", "confidence",
        ],
        "properties": {
            "task_id": {"type": "string"},
            "doc_id": {"type": "string"},
            "kind": {"enum": list(KINDS)},
            "parent_id": nullable_str,
            "path": {"type": "string"},
            "marker": nullable_str,
            "heading": nullable_str,
            "text": {"type": "string"},
            "section": nullable_str,
            "owners": {"type": "array", "items": owner},
            "deadline": deadline,
            "cadence": {"type": "array", "items": cadence},
            "targets": {"type": "array", "items": target},
            "span": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        },
    }
    document = {
        "type": "object",
        "required": ["doc_id", "title", "date", "source", "sections", "char_count"],
        "properties": {
            "doc_id": {"type": "string"},
            "title": nullable_str,
            "date": nullable_str,
            "source": nullable_str,
            "sections": {"type": "array", "items": {"type": "string"}},
            "char_count": {"type": "integer", "minimum": 0},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://textkit.invalid/schema/extraction-{SCHEMA_VERSION}.json",
        "title": "textkit extraction",
        "type": "object",
        "required": ["document", "tasks"],
        "properties": {"document": document, "tasks": {"type": "array", "items": task}},
        "$defs": {"task": task, "document": document},
    }
