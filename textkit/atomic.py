"""One way to write a file so that a reader, a crash or a kill never sees half of it.

``atomic_write(path, data)`` writes ``data`` (bytes, text, or a callback that
writes into an open file) to a temporary file beside the target, fsyncs it,
renames it over the target and fsyncs the directory, so after a power cut the
file is either the old one or the new one. A symlinked target is written
through: the link stays a link and its target file is replaced. A new file
gets the umask's mode (0644 usually), an existing one keeps its mode.

Temporary files are named ``.<name>.<random>.tmp``; :func:`remove_stale_temps`
clears those a killed writer left behind (call it while holding the file's lock).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_open", "atomic_write", "ensure_folder", "real_target", "remove_stale_temps"]

Writer = Callable[[IO[Any]], None]


def _read_umask() -> int:
    """Read once at import: os.umask can only be read by setting it, which races between threads."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def real_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` must replace: a symlink's target, not the link."""
    return Path(os.path.realpath(Path(path).expanduser()))


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | str | Writer,
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Path:
    """Replace ``path`` with ``data`` atomically and durably; returns the file actually written."""
    binary = isinstance(data, bytes | bytearray)
    mode = "wb" if binary else "w"
    options: dict[str, Any] = {} if binary else {"encoding": encoding, "newline": newline}
    with atomic_open(path, mode, **options) as fh:
        if callable(data):
            data(fh)
        else:
            fh.write(data)
    return real_target(path)


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents (``--to new/dir/ledger.csv`` just works); a file in
    the way is ``Not a directory`` naming that file (``mkdir`` alone says ``File exists``, which
    reads as if the ledger itself were the problem)."""
    import errno

    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent))
            break
    folder.mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """A file to write in; it replaces ``path`` (fsynced, with its directory) only if the block finishes."""
    target = real_target(path)
    ensure_folder(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def remove_stale_temps(path: str | os.PathLike[str]) -> int:
    """Delete temp files a killed writer left beside ``path``; only safe under the file's lock."""
    target = real_target(path)
    removed = 0
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed


def _mode_for(target: Path) -> int:
    """mkstemp makes 0600 files; keep the target's mode, or the umask default for a new file."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
