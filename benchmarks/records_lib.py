"""Which library should define the task records once: pydantic v2, msgspec or attrs+cattrs?

Each candidate defines the same contract (Owner, Deadline, Cadence, Target,
Document, TaskRecord with the same checks: enums, ISO due date, ordered span,
confidence in [0, 1], a subtask needs a parent) and is timed on a bulk-like
run: the corpus's extractions (``corpora/docs`` and the seed) repeated to
``--docs`` documents, each one

1. constructed from keyword arguments, as the pipeline builds records;
2. serialised with ``to_dict`` (JSON-ready builtins);
3. read back with ``from_dict`` (checked);
4. validated again as a ledger does before writing.

It also reports whether the library gives a JSON Schema by itself and how
long importing it takes. Run::

    python benchmarks/records_lib.py --docs 10000
"""

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

ROOT = Path(__file__).resolve().parents[1]

Role = Literal["lead", "support", "unspecified"]
DeadlineKind = Literal["date", "relative", "event", "open"]
Freq = Literal["daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly"]
Op = Literal["=", ">=", "<=", ">", "<", "+", "-"]
Kind = Literal["directive", "subtask"]


def corpus_dicts() -> list[dict[str, Any]]:
    """``{"document", "tasks"}`` of every corpus document and the seed, as textkit writes them."""
    import textkit

    paths = sorted((ROOT / "corpora" / "docs").glob("*.txt")) + sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    return [textkit.extract_file(p).to_dict() for p in paths]


def _spanned(item: dict[str, Any]) -> dict[str, Any]:
    """A field's kwargs with its span as a tuple, as the pipeline passes it."""
    return {**item, "span": tuple(item["span"])}


def _iso(value: str | None) -> str | None:
    if value is not None:
        date.fromisoformat(value)
    return value


# --- pydantic v2 ------------------------------------------------------------------------


def pydantic_lib() -> dict[str, Callable[..., Any]]:
    from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

    class Base(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid")

    class Owner(Base):
        name: str = Field(min_length=1)
        role: Role = "unspecified"
        span: tuple[int, int] | None = None
        canonical: str | None = None

    class Deadline(Base):
        text: str = Field(min_length=1)
        kind: DeadlineKind
        due: str | None = None
        estimated: bool = False
        placeholder: bool = False
        span: tuple[int, int] | None = None
        approximate: bool = False

        @field_validator("due")
        @classmethod
        def _due(cls, v: str | None) -> str | None:
            return _iso(v)

    class Cadence(Base):
        text: str = Field(min_length=1)
        freq: Freq
        span: tuple[int, int] | None = None
        day: int | None = None

    class Target(Base):
        text: str = Field(min_length=1)
        value: float | None
        unit: str | None
        op: Op = "="
        placeholder: bool = False
        span: tuple[int, int] | None = None

    class Document(Base):
        doc_id: str
        title: str | None
        date: str | None
        source: str | None
        sections: tuple[str, ...]
        char_count: int = Field(ge=0)

    class TaskRecord(Base):
        task_id: str = Field(min_length=1)
        doc_id: str = Field(min_length=1)
        kind: Kind
        parent_id: str | None
        path: str
        marker: str | None
        heading: str | None
        text: str
        section: str | None
        owners: tuple[Owner, ...] = ()
        deadline: Deadline | None = None
        cadence: tuple[Cadence, ...] = ()
        targets: tuple[Target, ...] = ()
        span: tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]]
        confidence: float = Field(1.0, ge=0, le=1)

        @model_validator(mode="after")
        def _checks(self) -> Any:
            if self.kind == "subtask" and self.parent_id is None:
                raise ValueError("a subtask needs a parent_id")
            if self.span[0] > self.span[1]:
                raise ValueError("span is not ordered")
            return self

    def construct(doc: dict[str, Any]) -> Any:
        tasks = []
        for t in doc["tasks"]:
            d = t["deadline"]
            tasks.append(
                TaskRecord(
                    **{k: v for k, v in t.items() if k not in ("owners", "deadline", "cadence", "targets")},
                    owners=tuple(Owner(**_spanned(o)) for o in t["owners"]),
                    deadline=Deadline(**_spanned(d)) if d else None,
                    cadence=tuple(Cadence(**_spanned(o)) for o in t["cadence"]),
                    targets=tuple(Target(**_spanned(o)) for o in t["targets"]),
                )
            )
        return Document(**{**doc["document"], "sections": tuple(doc["document"]["sections"])}), tasks

    def to_dict(built: Any) -> dict[str, Any]:
        document, tasks = built
        return {"document": document.model_dump(mode="json"), "tasks": [t.model_dump(mode="json") for t in tasks]}

    def from_dict(data: dict[str, Any]) -> Any:
        return Document.model_validate(data["document"]), [TaskRecord.model_validate(t) for t in data["tasks"]]

    def validate(built: Any) -> None:
        for task in built[1]:
            TaskRecord.model_validate(task.model_dump(mode="json"))

    return {
        "construct": construct,
        "to_dict": to_dict,
        "from_dict": from_dict,
        "validate": validate,
        "schema": lambda: TaskRecord.model_json_schema(),
    }


# --- msgspec ------------------------------------------------------------------------------


def msgspec_lib() -> dict[str, Callable[..., Any]]:
    import msgspec
    from msgspec import Meta, Struct

    NonEmpty = Annotated[str, Meta(min_length=1)]
    Offset = Annotated[int, Meta(ge=0)]

    class Owner(Struct, frozen=True, forbid_unknown_fields=True):
        name: NonEmpty
        role: Role = "unspecified"
        span: tuple[int, int] | None = None
        canonical: str | None = None

    class Deadline(Struct, frozen=True, forbid_unknown_fields=True):
        text: NonEmpty
        kind: DeadlineKind
        due: str | None = None
        estimated: bool = False
        placeholder: bool = False
        span: tuple[int, int] | None = None
        approximate: bool = False

        def __post_init__(self) -> None:
            _iso(self.due)

    class Cadence(Struct, frozen=True, forbid_unknown_fields=True):
        text: NonEmpty
        freq: Freq
        span: tuple[int, int] | None = None
        day: int | None = None

    class Target(Struct, frozen=True, forbid_unknown_fields=True):
        text: NonEmpty
        value: float | None
        unit: str | None
        op: Op = "="
        placeholder: bool = False
        span: tuple[int, int] | None = None

    class Document(Struct, frozen=True, forbid_unknown_fields=True):
        doc_id: str
        title: str | None
        date: str | None
        source: str | None
        sections: tuple[str, ...]
        char_count: Offset

    class TaskRecord(Struct, frozen=True, forbid_unknown_fields=True):
        task_id: NonEmpty
        doc_id: NonEmpty
        kind: Kind
        parent_id: str | None
        path: str
        marker: str | None
        heading: str | None
        text: str
        section: str | None
        owners: tuple[Owner, ...]
        deadline: Deadline | None
        cadence: tuple[Cadence, ...]
        targets: tuple[Target, ...]
        span: tuple[Offset, Offset]
        confidence: Annotated[float, Meta(ge=0, le=1)] = 1.0

        def __post_init__(self) -> None:
            # msgspec checks types only when decoding; on construction these are the checks we get
            if self.kind not in ("directive", "subtask"):
                raise ValueError("kind")
            if self.kind == "subtask" and self.parent_id is None:
                raise ValueError("a subtask needs a parent_id")
            if not 0 <= self.span[0] <= self.span[1]:
                raise ValueError("span")
            if not 0 <= self.confidence <= 1:
                raise ValueError("confidence")

    def construct(doc: dict[str, Any]) -> Any:
        tasks = []
        for t in doc["tasks"]:
            d = t["deadline"]
            tasks.append(
                TaskRecord(
                    **{k: v for k, v in t.items() if k not in ("owners", "deadline", "cadence", "targets", "span")},
                    span=tuple(t["span"]),
                    owners=tuple(Owner(**_spanned(o)) for o in t["owners"]),
                    deadline=Deadline(**_spanned(d)) if d else None,
                    cadence=tuple(Cadence(**_spanned(o)) for o in t["cadence"]),
                    targets=tuple(Target(**_spanned(o)) for o in t["targets"]),
                )
            )
        return Document(**{**doc["document"], "sections": tuple(doc["document"]["sections"])}), tasks

    def to_dict(built: Any) -> dict[str, Any]:
        document, tasks = built
        # to_builtins keeps tuples; a JSON pass through msgspec's C codec gives lists
        return msgspec.json.decode(msgspec.json.encode({"document": document, "tasks": tasks}))

    def from_dict(data: dict[str, Any]) -> Any:
        return msgspec.convert(data["document"], Document), [msgspec.convert(t, TaskRecord) for t in data["tasks"]]

    def validate(built: Any) -> None:
        for task in built[1]:
            msgspec.convert(msgspec.to_builtins(task), TaskRecord, strict=False)

    return {
        "construct": construct,
        "to_dict": to_dict,
        "from_dict": from_dict,
        "validate": validate,
        "schema": lambda: msgspec.json.schema(TaskRecord),
    }


# --- attrs + cattrs -------------------------------------------------------------------------


def attrs_lib() -> dict[str, Callable[..., Any]]:
    import attrs
    import cattrs
    from attrs import validators as v

    def _in(*values: str) -> Any:
        return v.in_(values)

    @attrs.frozen
    class Owner:
        name: str = attrs.field(validator=v.min_len(1))
        role: str = attrs.field(default="unspecified", validator=_in("lead", "support", "unspecified"))
        span: tuple[int, int] | None = None
        canonical: str | None = None

    @attrs.frozen
    class Deadline:
        text: str = attrs.field(validator=v.min_len(1))
        kind: str = attrs.field(validator=_in("date", "relative", "event", "open"))
        due: str | None = attrs.field(default=None, converter=_iso)
        estimated: bool = False
        placeholder: bool = False
        span: tuple[int, int] | None = None
        approximate: bool = False

    @attrs.frozen
    class Cadence:
        text: str = attrs.field(validator=v.min_len(1))
        freq: str = attrs.field(validator=_in("daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly"))
        span: tuple[int, int] | None = None
        day: int | None = None

    @attrs.frozen
    class Target:
        text: str = attrs.field(validator=v.min_len(1))
        value: float | None
        unit: str | None
        op: str = attrs.field(default="=", validator=_in("=", ">=", "<=", ">", "<", "+", "-"))
        placeholder: bool = False
        span: tuple[int, int] | None = None

    @attrs.frozen
    class Document:
        doc_id: str
        title: str | None
        date: str | None
        source: str | None
        sections: tuple[str, ...]
        char_count: int = attrs.field(validator=v.ge(0))

    @attrs.frozen
    class TaskRecord:
        task_id: str = attrs.field(validator=v.min_len(1))
        doc_id: str = attrs.field(validator=v.min_len(1))
        kind: str = attrs.field(validator=_in("directive", "subtask"))
        parent_id: str | None
        path: str
        marker: str | None
        heading: str | None
        text: str
        section: str | None
        owners: tuple[Owner, ...]
        deadline: Deadline | None
        cadence: tuple[Cadence, ...]
        targets: tuple[Target, ...]
        span: tuple[int, int]
        confidence: float = attrs.field(default=1.0, validator=[v.ge(0), v.le(1)])

        def __attrs_post_init__(self) -> None:
            if self.kind == "subtask" and self.parent_id is None:
                raise ValueError("a subtask needs a parent_id")
            if not 0 <= self.span[0] <= self.span[1]:
                raise ValueError("span")

    converter = cattrs.Converter(forbid_extra_keys=True)
    # fixed-length tuples (spans) unstructure as tuples by default; JSON wants lists
    converter.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", None) is tuple, lambda v: [converter.unstructure(x) for x in v]
    )

    def construct(doc: dict[str, Any]) -> Any:
        tasks = []
        for t in doc["tasks"]:
            d = t["deadline"]
            tasks.append(
                TaskRecord(
                    **{k: v for k, v in t.items() if k not in ("owners", "deadline", "cadence", "targets", "span")},
                    span=tuple(t["span"]),
                    owners=tuple(Owner(**_spanned(o)) for o in t["owners"]),
                    deadline=Deadline(**_spanned(d)) if d else None,
                    cadence=tuple(Cadence(**_spanned(o)) for o in t["cadence"]),
                    targets=tuple(Target(**_spanned(o)) for o in t["targets"]),
                )
            )
        return Document(**{**doc["document"], "sections": tuple(doc["document"]["sections"])}), tasks

    def to_dict(built: Any) -> dict[str, Any]:
        document, tasks = built
        return {"document": converter.unstructure(document), "tasks": [converter.unstructure(t) for t in tasks]}

    def from_dict(data: dict[str, Any]) -> Any:
        return converter.structure(data["document"], Document), [converter.structure(t, TaskRecord) for t in data["tasks"]]

    def validate(built: Any) -> None:
        for task in built[1]:
            converter.structure(converter.unstructure(task), TaskRecord)

    return {"construct": construct, "to_dict": to_dict, "from_dict": from_dict, "validate": validate, "schema": None}


def shipped_lib() -> dict[str, Callable[..., Any]]:
    """textkit.records itself (pydantic, with positional construction and textkit's own errors)."""
    from textkit.records import (
        Cadence,
        Deadline,
        Document,
        Extraction,
        Owner,
        Target,
        TaskRecord,
        check_records,
    )

    def construct(doc: dict[str, Any]) -> Any:
        tasks = []
        for t in doc["tasks"]:
            d = t["deadline"]
            tasks.append(
                TaskRecord(
                    **{k: v for k, v in t.items() if k not in ("owners", "deadline", "cadence", "targets", "span")},
                    span=tuple(t["span"]),
                    owners=tuple(Owner(**_spanned(o)) for o in t["owners"]),
                    deadline=Deadline(**_spanned(d)) if d else None,
                    cadence=tuple(Cadence(**_spanned(o)) for o in t["cadence"]),
                    targets=tuple(Target(**_spanned(o)) for o in t["targets"]),
                )
            )
        return Extraction(Document(**doc["document"]), tuple(tasks))

    return {
        "construct": construct,
        "to_dict": lambda built: built.to_dict(),
        "from_dict": Extraction.from_dict,
        "validate": lambda built: check_records(built.tasks),
        "schema": lambda: Extraction.model_json_schema(),
    }


LIBS = {"pydantic": pydantic_lib, "msgspec": msgspec_lib, "attrs+cattrs": attrs_lib, "textkit.records": shipped_lib}
IMPORTS = {"pydantic": "pydantic", "msgspec": "msgspec", "attrs+cattrs": "cattrs", "textkit.records": "textkit.records"}


def with_new_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """The corpus dict in the new contract's shape (every field with a span, deadlines ``estimated``)."""
    doc = json.loads(json.dumps(doc))
    for task in doc["tasks"]:
        for item in (*task["owners"], *task["cadence"], *task["targets"]):
            item.setdefault("span", list(task["span"]))
        if task["deadline"]:
            task["deadline"].setdefault("estimated", False)
            task["deadline"].setdefault("span", list(task["span"]))
    return doc


def _first_difference(a: Any, b: Any, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in dict.fromkeys([*a, *b]):
            if a.get(key, "<missing>") != b.get(key, "<missing>"):
                return _first_difference(a.get(key), b.get(key), f"{where}.{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return f"{where}: {a!r} != {b!r}"


def import_seconds(module: str) -> float:
    """Import time in a fresh interpreter, with one model class built (pydantic defers work to first use)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out)


def run(n_docs: int) -> list[dict[str, Any]]:
    t = time.perf_counter()
    base = [with_new_fields(d) for d in corpus_dicts()]
    print(f"corpus extracted in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    docs = [base[i % len(base)] for i in range(n_docs)]
    n_tasks = sum(len(d["tasks"]) for d in docs)
    rows = []
    for name, factory in LIBS.items():
        lib = factory()
        timings = dict.fromkeys(("construct", "to_dict", "from_dict", "validate"), 0.0)
        clock = time.perf_counter
        for i, doc in enumerate(docs):
            # one document at a time through all four steps, as a bulk run streams them
            t0 = clock()
            built = lib["construct"](doc)
            t1 = clock()
            dumped = lib["to_dict"](built)
            t2 = clock()
            loaded = lib["from_dict"](dumped)
            t3 = clock()
            lib["validate"](loaded)
            t4 = clock()
            timings["construct"] += t1 - t0
            timings["to_dict"] += t2 - t1
            timings["from_dict"] += t3 - t2
            timings["validate"] += t4 - t3
            if i < len(base):
                # the round trip must be exact, or the timing means nothing
                again = lib["to_dict"](loaded)
                assert again == dumped == doc, (name, _first_difference(again, doc))
        print(name, {k: round(v, 2) for k, v in timings.items()}, file=sys.stderr)
        rows.append(
            {
                "library": name,
                "docs": n_docs,
                "tasks": n_tasks,
                **{k: round(v, 2) for k, v in timings.items()},
                "total": round(sum(timings.values()), 2),
                "json_schema": lib["schema"] is not None,
                "import_s": round(import_seconds(IMPORTS[name]), 3),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    args = parser.parse_args()
    rows = run(args.docs)
    print("| library | construct | to_dict | from_dict | validate | total (s) | JSON Schema | import (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['library']} | {r['construct']} | {r['to_dict']} | {r['from_dict']} | {r['validate']} "
            f"| {r['total']} | {'yes' if r['json_schema'] else 'no'} | {r['import_s']} |"
        )
    print(f"\n{rows[0]['docs']} documents, {rows[0]['tasks']} task records each pass")


if __name__ == "__main__":
    main()
