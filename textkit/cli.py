"""The ``textkit`` command: a thin layer over functions a notebook can call too.

Errors go to stderr as one line naming the file and the problem, never a
traceback; the exit code is 0 when every input worked, 1 when any failed, 2
for bad usage.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer

from textkit.cli_support import parse_ref_date, report
from textkit.errors import TextkitError

_app = typer.Typer(
    name="textkit",
    help="Turn Chinese policy speeches, minutes and plans into task records for ledgers (落实台账).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _model_line(status: dict[str, Any]) -> str:
    """One line naming the directive model in use, or saying the rules decide."""
    if not status.get("loaded"):
        return f"directive model: none, the fallback rules decide ({status.get('reason')})"
    return (
        f"directive model: {status['path']} (trained {str(status.get('date', '?'))[:10]} on "
        f"{status.get('corpus', '?')}/, {status.get('train_documents', '?')} documents; "
        f"{status['features']} features; sha256 {status['sha256']})"
    )


def _version(value: bool) -> None:
    if not value:
        return
    import textkit
    from textkit.model import model_status

    typer.echo(f"textkit {textkit.__version__}")
    typer.echo(_model_line(model_status()))
    raise typer.Exit()


@_app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                          help="Print the version and the directive model in use, then exit.")] = False,
) -> None:
    """Turn Chinese policy speeches, minutes and plans into task records for ledgers (落实台账)."""


INTERRUPTED = "interrupted; run the same command again to resume (documents already in the ledger are skipped)"


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"




def _read_input(path: str) -> tuple[str, str]:
    """Text and source name of one CLI input; ``-`` is standard input."""
    from textkit.io import decode, read_path

    if path == "-":
        return decode(sys.stdin.buffer.read(), name="<stdin>"), "<stdin>"
    return read_path(path), path


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@_app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Speech files (txt in any encoding, docx, pdf, html), or - for stdin.")],
    ref_date: Annotated[str | None, typer.Option("--ref-date", metavar="YYYY-MM-DD", help="Reference date for relative deadlines, YYYY-MM-DD.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", metavar="[json|jsonl|table]", help="json, jsonl (one task a line) or table.")] = Format.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Write DIR/<file stem>.json per input instead of printing.")] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="URL", help="Also upsert the records into this ledger (sqlite:///ledger.db, x.xlsx, …).")] = None,
) -> None:
    """Extract task records from speeches and print them (or write them to --out / --to)."""
    from textkit.pipeline import extract as run

    ref = parse_ref_date(ref_date)
    failed = 0
    results = []
    for path in paths:
        try:
            text, source = _read_input(path)
            results.append((path, run(text, ref_date=ref, source=source)))
            if not results[-1][1].tasks:  # an empty table or [] alone looks like a failure
                typer.echo(f"textkit: note: {source}: no directive found (no task records)", err=True)
        except TextkitError as exc:
            failed += 1
            report(str(exc))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for path, result in results:
            stem = Path(path).stem if path != "-" else "stdin"
            if fmt is Format.jsonl:
                lines = "".join(json.dumps(t.to_dict(), ensure_ascii=False) + "\n" for t in result.tasks)
                _write_atomic(out / f"{stem}.jsonl", lines)
            else:
                _write_atomic(out / f"{stem}.json", _dumps(result.to_dict()) + "\n")
    elif fmt is Format.json:
        data = [r.to_dict() for _, r in results]
        if data:
            typer.echo(_dumps(data[0] if len(paths) == 1 else data))
    elif fmt is Format.jsonl:
        for _, result in results:
            for task in result.tasks:
                typer.echo(json.dumps(task.to_dict(), ensure_ascii=False))
    else:
        from textkit.show import print_table

        for _, result in results:
            print_table(result)
    if to is not None and results:
        failed += _seed(to, [r for _, r in results])
    raise typer.Exit(1 if failed else 0)


def _seed(url: str, extractions: list[Any]) -> int:
    """Upsert extractions into a ledger in one write; returns 1 on failure (after reporting it), else 0."""
    from textkit.ledgers import open_ledger

    try:
        with open_ledger(url) as ledger:
            counts = ledger.seed_many(extractions)
            typer.echo(
                f"{len(extractions)} document(s): {counts.inserted} inserted, {counts.updated} updated, "
                f"{counts.unchanged} unchanged → {ledger.name}",
                err=True,
            )
    except TextkitError as exc:
        report(str(exc))
        return 1
    return 0


def _write_atomic(path: Path, content: str) -> None:
    """Written whole or not at all, and durable (fsync): ``textkit.atomic``, the one helper for every file textkit writes."""
    import errno
    import os

    from textkit.atomic import atomic_write

    for parent in (path.parent, *path.parent.parents):
        if parent.exists():
            if not parent.is_dir():  # say so, rather than mkdir's "File exists"
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent))
            break
    atomic_write(path, content)


@_app.command()
def outline(
    path: Annotated[str, typer.Argument(help="A speech file, or - for stdin.")],
) -> None:
    """Print the recovered outline: title, date, sections and enumerated items with markers and spans."""
    from textkit.show import print_outline

    try:
        text, source = _read_input(path)
    except TextkitError as exc:
        report(str(exc))
        raise typer.Exit(1) from None
    print_outline(text, source)


@_app.command()
def schema() -> None:
    """Print the JSON Schema of extraction output."""
    from textkit.records import json_schema

    typer.echo(_dumps(json_schema()))


@_app.command()
def train(
    corpus: Annotated[Path, typer.Option("--corpus", help="Corpus directory holding gold/ and docs/.")] = Path("corpora"),
    out: Annotated[Path | None, typer.Option("--out", metavar="FILE", help="Where to save the model.")] = None,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds over train documents (0: none).")] = 5,
) -> None:
    """Train the directive model on the corpus's train split, print its cross-validated score, save it."""
    from textkit.model import MODEL_PATH, train_corpus

    try:
        path, summary = train_corpus(corpus, out or MODEL_PATH, folds=folds)
    except (OSError, ValueError, TextkitError) as exc:
        report(str(exc))
        raise typer.Exit(1) from None
    typer.echo(summary)
    typer.echo(f"saved {path}")


@_app.command()
def model(
    as_json: Annotated[bool, typer.Option("--json", help="Print the facts as JSON.")] = False,
) -> None:
    """Say which directive model extraction uses (path, training date and corpus, features); exit 1 if only the rules."""
    from textkit.model import model_status

    status = model_status()
    if as_json:
        typer.echo(_dumps(status))
    else:
        typer.echo(_model_line(status))
        if status.get("loaded"):
            for key in ("date", "corpus", "corpus_sha256", "train_documents", "train_nodes", "train_positive",
                        "features", "feature_version", "format_version", "scikit_learn", "C", "seed"):
                if key in status:
                    typer.echo(f"  {key}: {status[key]}")
            for key in ("cv", "test", "test_rules"):
                if isinstance(status.get(key), dict):
                    c = status[key]
                    typer.echo(f"  {key}: F1 {c.get('f1')} (tp {c.get('tp')}, fp {c.get('fp')}, fn {c.get('fn')})")
    raise typer.Exit(0 if status.get("loaded") else 1)


@_app.command("eval")
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="Directory of gold JSON files.")],
    docs_dir: Annotated[Path | None, typer.Argument(help="Documents (default: docs/ beside GOLD_DIR).")] = None,
    split: Annotated[str | None, typer.Option("--split", help="Only gold files of this meta.split (train, test).")] = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="PRED_DIR", help="Also write predictions as PRED_DIR/<name>.json.")] = None,
    rules: Annotated[bool, typer.Option("--rules", help="Score the rule fallback instead of the trained model.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Per-document counts too.")] = False,
) -> None:
    """Extract each gold file's document and print directive, deadline, owner and cadence P/R/F1 and due accuracy;
    for a series corpus (``*/gold.json``), link P/R/F1 and relation accuracy."""
    from textkit.evaluate import evaluate

    if gold_dir.is_dir() and any(gold_dir.glob("*/gold.json")):  # a series corpus: score follow-up links
        from textkit.link_eval import evaluate_links

        try:
            typer.echo(evaluate_links(gold_dir, split=split).table(verbose=verbose))
        except (OSError, ValueError, TextkitError) as exc:
            report(str(exc))
            raise typer.Exit(1) from None
        return
    if not gold_dir.is_dir() or not any(gold_dir.glob("*.json")):
        report(f"{gold_dir}: no gold files (*.json) here")
        raise typer.Exit(1)
    try:
        scores = evaluate(gold_dir, docs_dir, split=split, model=None if rules else "default")
    except (OSError, ValueError, TextkitError) as exc:
        report(str(exc))
        raise typer.Exit(1) from None
    if out is not None:
        scores.write_predictions(out)
    typer.echo(scores.table(verbose=verbose))
    from textkit.model import missing_documents

    missing = missing_documents(gold_dir, docs_dir, split=split)
    if missing:
        report(f"{len(missing)} gold files skipped, their documents are not here (real excerpts live in the "
               f"git-ignored cache: python corpora/real/realgold.py check): {' '.join(missing[:10])}"
               + (" …" if len(missing) > 10 else ""))


@_app.command()
def bulk(
    sources: Annotated[list[str], typer.Argument(help="Folders (recursive), globs, .zip archives, files, or - for paths on stdin.")],
    to: Annotated[str, typer.Option("--to", metavar="URL", help="The ledger to fill (sqlite:///ledger.db, x.xlsx, postgresql://…).")],
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=0, metavar="N", help="Worker processes (default: CPU count; 0: in this process).")] = None,
    ref_date: Annotated[str | None, typer.Option("--ref-date", metavar="YYYY-MM-DD", help="Reference date for relative deadlines, YYYY-MM-DD.")] = None,
    glob: Annotated[str | None, typer.Option("--glob", metavar="PATTERN", help="Only files in folders and archives matching this, e.g. '*.txt'.")] = None,
    errors: Annotated[Path | None, typer.Option("--errors", metavar="FILE", help="Write {source, error} JSON lines for files that failed.")] = None,
    engine: Annotated[str, typer.Option("--engine", metavar="[local|dask]", help="local (process pool) or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler address, tcp://HOST:PORT.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", metavar="N", help="Documents per ledger write.", min=1)] = 50,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="", help="No progress bar.")] = False,
) -> None:
    """Extract whole archives into a ledger in parallel; a restart skips documents already there."""
    from textkit.bulk import run_bulk

    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"{engine!r} is not local or dask", param_hint="--engine")
    ref = parse_ref_date(ref_date)
    try:
        summary = run_bulk(
            sources, to, workers=workers, ref_date=ref, glob=glob, errors=errors, engine=engine,  # type: ignore[arg-type]
            scheduler=scheduler, batch_size=batch_size, progress=not quiet, stdin=sys.stdin,
        )
    except TextkitError as exc:
        report(str(exc))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:  # typer would swallow it silently (exit 130, no word)
        report(INTERRUPTED)
        raise typer.Exit(130) from None
    for line in summary.lines():
        typer.echo(line, err=True)
    if summary.failed and errors is not None:
        typer.echo(f"{summary.errors} files failed; see {errors}", err=True)
    elif summary.failed:
        for source, problem in summary.first_errors:
            report(f"{source}: {problem}")
        if summary.errors > len(summary.first_errors):
            report(f"… and {summary.errors - len(summary.first_errors)} more (use --errors FILE for all)")
    raise typer.Exit(1 if summary.failed else 0)


@_app.command()
def serve(
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[int | None, typer.Option("--workers", min=1, metavar="N", help="Worker processes (default: CPU count).")] = None,
    ledger: Annotated[str | None, typer.Option("--ledger", metavar="URL", help="Ledger for POST /v1/seed (sqlite:///ledger.db, …); needs $TEXTKIT_TOKEN.")] = None,
    max_body_mb: Annotated[float, typer.Option("--max-body-mb", metavar="MB", min=0.001, help="Largest request body accepted, in MB.")] = 10,
    hang_timeout: Annotated[float, typer.Option("--hang-timeout", metavar="SECONDS", min=1, help="Replace a worker whose event loop has not run for this long.")] = 60,
) -> None:
    """Serve extraction and ledger seeding over HTTP (OpenAPI at /openapi.json, docs at /docs)."""
    import os

    from textkit.extras import MissingExtra, require

    try:
        require("fastapi", "uvicorn", "multipart", purpose="textkit serve")
    except MissingExtra as exc:
        report(str(exc))
        raise typer.Exit(1) from None
    import textkit.service as service

    # Workers are separate processes that build the app from the environment (see service.app_from_env).
    os.environ[service.MAX_BODY_ENV] = str(int(max_body_mb * 1024 * 1024))
    if ledger:
        os.environ[service.LEDGER_ENV] = ledger
    else:
        os.environ.pop(service.LEDGER_ENV, None)
    if ledger and not os.environ.get(service.TOKEN_ENV):
        typer.echo(f"textkit: warning: {service.TOKEN_ENV} is not set; POST /v1/seed will answer 503", err=True)
    if ledger:  # a wrong URL or a missing driver is a one-line error here, not a traceback per worker
        from textkit.ledgers import open_ledger

        try:
            open_ledger(ledger).close()
        except TextkitError as exc:
            report(str(exc))
            raise typer.Exit(1) from None
    from textkit.service_workers import run as run_workers

    # extraction is CPU-bound Python: one process per core is what scales (a worker's threads share its GIL);
    # each worker listens on its own SO_REUSEPORT socket, so clients spread over them (service_workers)
    config = {"app": "textkit.service:app_from_env", "factory": True, "server_header": False,
              "http": "textkit.http_timeouts:HeaderTimeoutProtocol"}  # slow headers dropped
    try:
        code = run_workers(host, port, workers or os.cpu_count() or 1, config, hang_timeout=hang_timeout)
    except TextkitError as exc:
        report(str(exc))
        raise typer.Exit(1) from None
    raise typer.Exit(code)


@_app.command()
def render(
    path: Annotated[str, typer.Argument(help="A speech file, or - for stdin.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The HTML file to write (- for stdout).")],
    ref_date: Annotated[str | None, typer.Option("--ref-date", metavar="YYYY-MM-DD", help="Reference date for relative deadlines, YYYY-MM-DD.")] = None,
    links: Annotated[str | None, typer.Option("--links", metavar="URL", help="Mark the tasks that follow earlier tasks of this ledger (its rows and links are not changed).")] = None,
) -> None:
    """Write the speech as one self-contained HTML page with its records highlighted."""
    from textkit.pipeline import extract as run
    from textkit.render import render as to_html

    ref = parse_ref_date(ref_date)
    try:
        text, source = _read_input(path)
        extraction = run(text, ref_date=ref, source=source)
        found, earlier = _ledger_links(links, extraction) if links else ([], [])
        page = to_html(extraction, links=found, earlier=earlier)
    except TextkitError as exc:
        report(str(exc))
        raise typer.Exit(1) from None
    if str(out) == "-":
        typer.echo(page, nl=False)
    else:
        _write_atomic(out, page)
        typer.echo(f"wrote {out}", err=True)


def _ledger_links(url: str, extraction: Any) -> tuple[list[Any], list[Any]]:
    """The follow-up links of a speech's tasks in a ledger, and the earlier tasks they name."""
    from textkit.ledgers import open_ledger
    from textkit.ledgers.cli import _must_exist
    from textkit.ledgers.links import links_of

    _must_exist(url)  # looking must not create an empty SQLite file
    with open_ledger(url) as ledger:
        return links_of(ledger, extraction)


@cache
def _mounted() -> typer.Typer:
    """The whole command tree: ``textkit ledger …`` mounted on the top-level commands.

    The ledger commands import the ledgers, their links and follow-ups (~0.03 s), which
    ``textkit extract`` never uses: ``main`` mounts them unless another top-level command is
    named, and ``app`` (tests, notebooks) is always the whole tree."""
    from textkit.ledgers.cli import ledger_app

    _app.add_typer(ledger_app, name="ledger")
    return _app


def __getattr__(name: str) -> Any:
    """``textkit.cli.app``: the Typer app with every command, ``ledger`` included."""
    if name == "app":
        return _mounted()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _top_level(args: list[str]) -> bool:
    """Whether ``args`` open with a top-level command other than ``ledger`` (its own options and
    help included); anything else (``--help``, ``--version``, a typo, ``ledger``) needs the whole tree."""
    names = {info.name or typer.main.get_command_name(info.callback.__name__)
             for info in _app.registered_commands if info.callback is not None}
    return bool(args) and args[0] in names


def main() -> None:
    """Entry point of the ``textkit`` script: the one place an error becomes a line on stderr."""
    from textkit.cli_support import describe_failure, plain_help

    try:
        commands = _app if _top_level(sys.argv[1:]) else _mounted()
        plain_help(typer.main.get_command(commands))(prog_name="textkit")
    except KeyboardInterrupt:
        report(INTERRUPTED)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a user's mistake (a file for --out, a dead scheduler) is one line
        import os

        if os.environ.get("TEXTKIT_DEBUG"):
            raise
        report(describe_failure(exc))
        sys.exit(1)
