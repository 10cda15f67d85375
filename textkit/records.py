"""The task-record contract (``shared/spec/task-records.md``), defined once.

Each record type is a frozen pydantic model, and that one definition gives
everything the contract needs: the checks made when a record is built, the
JSON form (``to_dict``/``from_dict``, fields in the spec's order), the JSON
Schema (``json_schema()``, what ``textkit schema`` prints) and the check a
ledger makes before writing (``check_record``). pydantic won a measurement
against msgspec and attrs+cattrs (``benchmarks/records_lib.py``): it is the one
whose definition also checks records on construction.

This module depends on nothing above it: frames and render are reached by
name (``Extraction.to_frame``, ``_repr_html_``), as ledger backends are.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticError

from textkit.errors import ValidationError

Kind = Literal["directive", "subtask"]
Role = Literal["lead", "support", "unspecified"]
DeadlineKind = Literal["date", "relative", "event", "open"]
Freq = Literal["daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly"]
Op = Literal["=", ">=", "<=", ">", "<", "+", "-"]

KINDS: tuple[str, ...] = get_args(Kind)
ROLES: tuple[str, ...] = get_args(Role)
DEADLINE_KINDS: tuple[str, ...] = get_args(DeadlineKind)
FREQS: tuple[str, ...] = get_args(Freq)
OPS: tuple[str, ...] = get_args(Op)

#: Version of the JSON form; 1.1 added ``span`` to every field and ``estimated`` to deadlines.
SCHEMA_VERSION = "1.1"


def _ordered(span: tuple[int, int]) -> tuple[int, int]:
    if span[0] > span[1]:
        raise ValueError(f"span {list(span)} is not an ordered pair of offsets")
    return span


def _iso_date(value: str | None) -> str | None:
    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO date") from None
    return value


Offset = Annotated[StrictInt, Field(ge=0)]
Span = Annotated[tuple[Offset, Offset], AfterValidator(_ordered)]
"""``[start, end)`` offsets into the text exactly as the caller gave it (before cleaning)."""
FieldSpan = Annotated[Span | None, Field(description="where the field is written in the original text; null only for a record built by hand or read from a ledger older than schema 1.1")]
NonEmpty = Annotated[str, Field(min_length=1)]
IsoDate = Annotated[str | None, AfterValidator(_iso_date), Field(json_schema_extra={"format": "date"})]


if TYPE_CHECKING:
    from pydantic._internal._model_construction import ModelMetaclass
else:
    ModelMetaclass = type(BaseModel)  # pydantic's metaclass, reached without its private module


class _RecordType(ModelMetaclass):
    """Building a record by calling its class: positional arguments (``Owner("县财政局", "lead")``)
    follow ``_positional``, and a broken value raises textkit's ``ValidationError`` naming the field.

    Done here rather than in ``__init__``, which pydantic would also run for every
    nested record it validates, so reading JSON stays on pydantic's fast path.
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if args:
            positional: tuple[str, ...] = cls.__dict__.get("_positional", ())
            if len(args) > len(positional):
                raise TypeError(f"{cls.__name__} takes at most {len(positional)} positional arguments")
            for name, value in zip(positional, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"{cls.__name__} got {name!r} twice")
                kwargs[name] = value
        outside = cls.__dict__.get("_not_in_json")
        private = {name: kwargs.pop(name) for name in outside if name in kwargs} if outside else {}
        try:
            # what BaseModel.__init__ does, without its frame and the instance made before validating:
            # the same validator on the same fields (model_validate's path); no record class defines __init__
            record = cls.__pydantic_validator__.validate_python(kwargs)  # type: ignore[attr-defined, unused-ignore]
        except PydanticError as exc:
            raise ValidationError(_describe(cls.__name__, exc)) from None
        for name, value in private.items():
            setattr(record, f"_{name}", value)
        return record


class _Record(BaseModel, metaclass=_RecordType):
    """Frozen, no fields beyond the contract, JSON in the spec's field order.

    ``_positional`` is the order of schema 1.0, fields added later come last.
    """

    # every field is always written, so the schema of the output requires every one
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_serialization_defaults_required=True)
    _positional: ClassVar[tuple[str, ...]] = ()
    _not_in_json: ClassVar[tuple[str, ...]] = ()

    if TYPE_CHECKING:  # construction is checked by pydantic at run time; tell mypy positional calls are fine

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON form (lists, not tuples), fields in the spec's order."""
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Read the JSON form back, checking it; a missing optional field takes its default."""
        try:
            return cls.model_validate(data)
        except PydanticError as exc:
            raise ValidationError(_describe(cls.__name__, exc)) from None

    def evolve(self, **changes: Any) -> Self:
        """A copy with ``changes``, checked like a new record."""
        return type(self)(**{**self._fields(), **changes})

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in type(self).model_fields}


_set = object.__setattr__


def copied(record: BaseModel, update: dict[str, Any]) -> BaseModel:
    """``record.model_copy(update=update)`` (the fields, the fields set, no validation) without
    pydantic's frames and its three generic copies, for a record with no extra fields and no
    private attributes (all but ``Extraction``, which goes through ``model_copy``): the pipeline
    places each found value with one, 4,400 a corpus pass."""
    if record.__pydantic_extra__ is not None or record.__pydantic_private__ is not None:
        return record.model_copy(update=update)
    cls = type(record)
    out = object.__new__(cls)  # BaseModel has no __new__ of its own; typed the same without pydantic (mypyc's build)
    fields = record.__dict__.copy()
    fields.update(update)
    _set(out, "__dict__", fields)
    _set(out, "__pydantic_extra__", None)
    _set(out, "__pydantic_fields_set__", record.__pydantic_fields_set__ | update.keys())
    _set(out, "__pydantic_private__", None)
    return out


class Owner(_Record):
    """A party told to act. ``name`` is as written; ``canonical`` the full name when an alias is known."""

    _positional: ClassVar[tuple[str, ...]] = ("name", "role", "canonical", "span")
    name: NonEmpty
    role: Role = "unspecified"
    span: FieldSpan = None
    canonical: str | None = None


class Deadline(_Record):
    """When required work is due. ``due`` is the last day (ISO) or None when it cannot be known.

    ``estimated`` flags a ``due`` that comes from a convention rather than the
    text (``主汛期前`` → the customary start of the main flood season).
    ``approximate`` flags one computed without the official holiday calendar
    (a year the State Council has not published yet): weekdays were counted instead.
    """

    _positional: ClassVar[tuple[str, ...]] = ("text", "kind", "due", "placeholder", "approximate", "estimated", "span")
    text: NonEmpty
    kind: DeadlineKind
    due: IsoDate = None
    estimated: StrictBool = False
    placeholder: StrictBool = False
    span: FieldSpan = None
    approximate: StrictBool = False


class Cadence(_Record):
    """A recurring obligation: ``每月5日前报送`` is monthly with ``day`` 5."""

    _positional: ClassVar[tuple[str, ...]] = ("text", "freq", "day", "span")
    text: NonEmpty
    freq: Freq
    span: FieldSpan = None
    day: StrictInt | None = None


class Target(_Record):
    """A quantified goal: ``不低于95%`` is value 95, unit ``%``, op ``>=``."""

    _positional: ClassVar[tuple[str, ...]] = ("text", "value", "unit", "op", "placeholder", "span")
    text: NonEmpty
    value: float | None = None
    unit: str | None = None
    op: Op = "="
    placeholder: StrictBool = False
    span: FieldSpan = None


class Document(_Record):
    """One speech, minutes or plan. ``doc_id`` is a hash of the original text."""

    _positional: ClassVar[tuple[str, ...]] = ("doc_id", "title", "date", "source", "sections", "char_count")
    doc_id: NonEmpty
    title: str | None = None
    date: str | None = None
    source: str | None = None
    sections: tuple[str, ...] = ()
    char_count: Offset


class TaskRecord(_Record):
    """A directive (an enumerated item that assigns work) or a subtask inside one."""

    _positional: ClassVar[tuple[str, ...]] = ("task_id", "doc_id", "kind", "parent_id", "path", "marker", "heading", "text", "section", "span")
    task_id: NonEmpty
    doc_id: NonEmpty
    kind: Kind
    parent_id: str | None = None
    path: str
    marker: str | None = None
    heading: str | None = None
    text: str
    section: str | None = None
    owners: tuple[Owner, ...] = ()
    deadline: Deadline | None = None
    cadence: tuple[Cadence, ...] = ()
    targets: tuple[Target, ...] = ()
    span: Span
    confidence: Annotated[float, Field(ge=0, le=1)] = 1.0

    @field_validator("confidence")
    @classmethod
    def _four_decimals(cls, value: float) -> float:
        # four decimals is all a confidence means; rounding here keeps JSON round trips exact
        return round(float(value), 4)

    @model_validator(mode="after")
    def _subtask_has_parent(self) -> Self:
        if self.kind == "subtask" and self.parent_id is None:
            raise ValueError("a subtask needs a parent_id")
        return self


class Extraction(_Record):
    """What one document yields: its ``Document`` and its task records, in text order.

    ``text`` (the original the spans point into) travels with the object but is
    not part of the JSON form, nor of equality.
    """

    model_config = ConfigDict(title="textkit extraction")
    _positional: ClassVar[tuple[str, ...]] = ("document", "tasks")
    _not_in_json: ClassVar[tuple[str, ...]] = ("text",)
    document: Document
    tasks: tuple[TaskRecord, ...] = ()
    _text: str = PrivateAttr(default="")

    @property
    def text(self) -> str:
        return self._text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Extraction):
            return NotImplemented
        return (self.document, self.tasks) == (other.document, other.tasks)

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, text: str = "") -> Self:
        extraction = super().from_dict(data)
        extraction._text = text
        return extraction

    def evolve(self, **changes: Any) -> Self:
        text = changes.pop("text", self._text)
        return type(self)(**{**self._fields(), **changes}, text=text)

    @property
    def directives(self) -> tuple[TaskRecord, ...]:
        return tuple(t for t in self.tasks if t.kind == "directive")

    def subtasks_of(self, directive: TaskRecord) -> tuple[TaskRecord, ...]:
        return tuple(t for t in self.tasks if t.parent_id == directive.task_id)

    def to_frame(self) -> Any:
        """One row per task as a pandas DataFrame (see ``textkit.frames``)."""
        return _view("textkit.frames", "extraction_frame")(self)

    def _repr_html_(self) -> str:
        return str(_view("textkit.render", "render")(self))


def _view(module: str, name: str) -> Any:
    """A function of a layer above records, looked up by name on first use (records import nothing above them)."""
    return getattr(import_module(module), name)


# --- the boundary checks -----------------------------------------------------------------


def _describe(what: str, exc: PydanticError) -> str:
    """The first problem of a pydantic error as one line: ``field 'owners[0].role' = 'boss': …``."""
    error = exc.errors(include_url=False)[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")
    value = f" = {error['input']!r}" if error["type"] != "missing" and not isinstance(error["input"], Mapping) else ""
    field = f"field {where!r}{value}: " if where else ""
    return f"{what}: {field}{error['msg']}"


def check_record(record: object) -> None:
    """Check a record (maybe altered or subclassed since it was built) against the contract.

    What a ledger calls before writing: the record's fields go through the
    same definition again, so a field beyond the contract or a value smuggled
    past the constructor is refused with a ``ValidationError`` naming the task
    and the field.
    """
    tid = getattr(record, "task_id", None)
    try:
        data = record.model_dump(mode="json", warnings=False) if isinstance(record, BaseModel) else dict(vars(record))
    except Exception as exc:  # noqa: BLE001 - a malformed nested value
        raise ValidationError(f"task {tid!r}: cannot be serialised ({exc})") from None
    try:
        TaskRecord.model_validate(data)
    except PydanticError as exc:
        raise ValidationError(f"task {tid!r}: {_describe('TaskRecord', exc).split(': ', 1)[1]}") from None


def check_records(records: Iterable[object]) -> None:
    """``check_record`` for each ``TaskRecord``; other objects are left to the caller to refuse."""
    for record in records:
        if isinstance(record, TaskRecord):
            check_record(record)


# --- ids and schema ---------------------------------------------------------------------


def _canonical(text: str) -> str:
    """NFKC without whitespace; ``str.split()`` cuts at exactly the characters ``str.isspace()`` accepts, in C."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _canonical_head(text: str, n: int) -> str:
    """``_canonical(text)[:n]`` without normalising a whole body: NFKC never combines
    across a CJK ideograph (a starter no composition takes as its second
    character), so the canonical form of the text before one is the start of the
    whole text's; grow a prefix cut there until it gives ``n`` characters. The first cut is
    just past ``n`` characters: Chinese text rarely loses any to NFKC and spaces, and
    normalising 48 characters where 26 do was most of ``task_id``."""
    size = n + 2
    while size < len(text):
        cut = size
        while cut < len(text) and not 0x4E00 <= ord(text[cut]) <= 0x9FFF:
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


def json_schema(*, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``{"document", "tasks"}`` output, generated from the models.

    ``ref_template`` places the record definitions elsewhere (the service's OpenAPI
    document keeps them under ``#/components/schemas/``).
    """
    schema = Extraction.model_json_schema(ref_template=ref_template, mode="serialization")
    defs = schema.setdefault("$defs", {})
    # short names for the two records other systems refer to
    defs["task"] = {"$ref": ref_template.format(model="TaskRecord")}
    defs["document"] = {"$ref": ref_template.format(model="Document")}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://textkit.invalid/schema/extraction-{SCHEMA_VERSION}.json",
        "schema_version": SCHEMA_VERSION,
        **schema,
    }
