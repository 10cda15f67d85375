"""What every ``textkit`` sub-command shares: the error line, the ``--ref-date`` parser and how help is shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import typer
from typer.core import TyperArgument


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



class _PlainArgument(TyperArgument):
    """A positional argument shown by name: ``PATHS...`` in the usage line, no type in the panel."""

    @property
    def display_name_raw(self) -> str:
        name = self.metavar or (self.name or "").upper()
        return f"{name}..." if self.nargs != 1 else name

    def _usage_display_name(self) -> str:
        return self.display_name_raw if self.required else f"[{self.display_name_raw}]"

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def plain_help(command: Any) -> Any:
    """``command`` (the click tree of the typer app) with help that names what to type, as click does.

    typer 0.29 (which carries its own click) prints a required argument as ``{paths}...`` in the
    usage line and every parameter's Python type in the panels (``<list[str]>``, ``<bool>`` after
    ``--help``). Options name their value with ``metavar=`` where they are declared; this fixes the
    rest in one place: an argument reads ``PATHS...`` / ``[DOCS_DIR]`` with no type beside it, an
    option without a metavar shows its choices or its name (``--split SPLIT``), and a flag nothing. Older typer, built on click, already prints this and is left alone.
    """
    if not hasattr(TyperArgument, "_usage_display_name"):
        return command
    commands = [command]
    while commands:
        cmd = commands.pop()
        commands.extend(getattr(cmd, "commands", {}).values())
        for param in cmd.params:
            if type(param) is TyperArgument:
                param.metavar = param.metavar or (param.name or "").upper()
                param.__class__ = _PlainArgument  # the same object; only how it is shown changes
            elif param.metavar is None:
                param.metavar = _option_metavar(param)
        cmd.get_help_option = _bare_help_option(cmd.get_help_option)
    return command


def _option_metavar(option: Any) -> str:
    """What an option without a declared metavar takes: nothing for a flag, its choices, else its name."""
    if getattr(option, "is_flag", False) or getattr(option, "count", False):
        return ""
    described = getattr(option, "type_descriptor", None)
    if described is not None and described.is_choice and described.choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in described.choices) + "]"
    return (option.name or "").upper()


def _bare_help_option(get_help_option: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``--help`` is made on first use; it shows as a flag (no ``<bool>``) once made."""

    def wrapped(ctx: Any) -> Any:
        option = get_help_option(ctx)
        if option is not None and option.metavar is None:
            option.metavar = ""
        return option

    return wrapped
