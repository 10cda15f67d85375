"""One exception root for everything textkit raises on purpose.

    TextkitError
    ├── InputError (ValueError)      a file or text textkit cannot read
    ├── LedgerError (RuntimeError)   a ledger backend refused or failed a write
    ├── ValidationError (ValueError) a record that breaks the task-record contract
    └── ServiceError (OSError)       ``textkit serve`` cannot listen or its workers cannot start

Messages name the file (or ledger) and the problem, so the CLI can print
them as they are, without a traceback.
"""

from __future__ import annotations


class TextkitError(Exception):
    """Base of every error textkit raises deliberately."""


class InputError(TextkitError, ValueError):
    """An input could not be read: undecodable, empty, unsupported, corrupt."""

    def __init__(self, source: str | None, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}" if source else problem)


class LedgerError(TextkitError, RuntimeError):
    """A ledger could not be opened, read or written."""


class ValidationError(TextkitError, ValueError):
    """A record or value does not satisfy the task-record contract."""


class ServiceError(TextkitError, OSError):
    """``textkit serve`` cannot run: its address is taken or not bindable."""
