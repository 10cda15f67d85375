"""What every ``textkit`` sub-command shares: the error line and the ``--ref-date`` parser."""

from __future__ import annotations

from datetime import date

import typer


def report(message: str) -> None:
    """One line on stderr, never a traceback: ``textkit: error: <file>: <problem>``; URL passwords hidden."""
    from textkit.redact import redact

    typer.echo(f"textkit: error: {redact(message)}", err=True)


def describe_failure(exc: BaseException) -> str:
    """One line for an error that escaped a command: the file and the OS's reason, else the exception."""
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename if exc.filename is not None else ""
        if where and "/." in str(where) and str(where).endswith(".tmp"):  # a temp file beside the real target
            where = str(where).rsplit("/.", 1)[0]
        return f"{where}: {exc.strerror}" if where else exc.strerror
    from textkit.errors import TextkitError

    if isinstance(exc, TextkitError | OSError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc} (set TEXTKIT_DEBUG=1 for the traceback, and please report it)"


def parse_ref_date(value: str | None) -> date | None:
    """``--ref-date YYYY-MM-DD`` as a date; a bad value is a usage error (exit code 2)."""
    if value is None:
        return None
    from textkit.pipeline import REF_DATE_RANGE

    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--ref-date") from None
    first, last = REF_DATE_RANGE
    if not first <= parsed <= last:
        raise typer.BadParameter(f"{value} is outside {first}…{last}", param_hint="--ref-date")
    return parsed
