"""Where a bulk run's documents come from: folders, globs, zip archives, lists of paths.

Discovery is cheap and happens first (names only, so a progress bar knows its
total); bytes are read later, one document at a time, by :class:`Reader`, so
memory does not grow with the archive. Zip archives are read in place, never
extracted to disk, and a member is refused (as an error for that member, the
run goes on) when its name could escape a directory (``../x``, ``/etc/x``,
``C:\\x``) or it looks like a bomb: larger than a member limit, an archive
larger than a total limit, or compressed beyond a ratio no speech reaches.
"""

from __future__ import annotations

import fnmatch
import glob as _glob
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, Self

from textkit.errors import InputError
from textkit.io import MAX_BYTES, SUPPORTED

ZIP_SUFFIX = ".zip"
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class ZipLimits:
    """What a zip archive may hold before textkit calls it a bomb.

    A speech compresses about 3:1 and rarely beyond 20:1; a bomb compresses
    1000:1. The ratio is only judged on members above ``ratio_floor`` bytes,
    where it means something.
    """

    member_bytes: int = MAX_BYTES
    total_bytes: int = 256 * 1024**2  # 25,000 ten-kilobyte speeches; the whole archive is refused beyond it
    ratio: float = 200.0
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = ZipLimits()

@dataclass(frozen=True)
class InputRef:
    """One document to read: a file, or a member of a zip archive; ``error`` marks a refused one."""

    source: str
    path: str
    member: str | None = None
    error: str | None = None

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.member if self.member is not None else self.path).suffix.lower()


def discover(
    specs: Iterable[str],
    *,
    glob: str | None = None,
    stdin: IO[str] | None = None,
    limits: ZipLimits = DEFAULT_LIMITS,
) -> list[InputRef]:
    """Every document named by ``specs``, in a stable order.

    A spec is a folder (searched recursively), a glob (``speeches/**/*.txt``),
    a ``.zip`` archive, a file, or ``-`` for paths one a line on ``stdin``.
    ``glob`` filters what folders and archives hold (``*.txt``); without it,
    every file type textkit reads is taken. A file named outright is always
    taken, so an unsupported one is reported rather than silently dropped.
    """
    refs: list[InputRef] = []
    for spec in specs:
        if spec == "-":
            if stdin is None:
                raise InputError("-", "no standard input to read paths from")
            lines = (line.strip() for line in stdin)
            refs.extend(_expand_many([line for line in lines if line and line != "-"], glob, limits))
        else:
            refs.extend(_expand(spec, glob, limits, named=True))
    return refs


def _expand_many(specs: list[str], pattern: str | None, limits: ZipLimits) -> Iterator[InputRef]:
    for spec in specs:
        yield from _expand(spec, pattern, limits, named=True)


def _expand(spec: str, pattern: str | None, limits: ZipLimits, *, named: bool) -> Iterator[InputRef]:
    path = Path(spec)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.suffix.lower() == ZIP_SUFFIX:
                yield from zip_members(child, pattern=pattern, limits=limits)
            elif _wanted(child.name, pattern):
                yield InputRef(str(child), str(child))
    elif path.is_file():
        if path.suffix.lower() == ZIP_SUFFIX:
            yield from zip_members(path, pattern=pattern, limits=limits)
        elif named or _wanted(path.name, pattern):
            yield InputRef(str(path), str(path))
    elif _GLOB_CHARS & set(spec):
        matches = sorted(_glob.glob(spec, recursive=True))
        if not matches:
            yield InputRef(spec, spec, error="the pattern matches no file")
        for match in matches:
            if Path(match).is_dir() and "**" in spec:
                continue  # `**` also yields folders; their files are matched themselves
            yield from _expand(match, pattern, limits, named=True)
    else:
        yield InputRef(spec, spec, error="no such file or folder")


def _wanted(name: str, pattern: str | None) -> bool:
    if pattern is not None:
        return fnmatch.fnmatch(name, pattern)
    return PurePosixPath(name).suffix.lower() in SUPPORTED


def zip_members(path: str | Path, *, pattern: str | None = None, limits: ZipLimits = DEFAULT_LIMITS) -> Iterator[InputRef]:
    """The documents of one archive by its central directory, unsafe members marked with why."""
    archive = str(path)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        yield InputRef(archive, archive, error=f"not a readable zip archive ({exc})")
        return
    wanted = [i for i in infos if not i.is_dir() and _wanted(PurePosixPath(i.filename).name, pattern)]
    total = sum(i.file_size for i in wanted if not unsafe_name(i.filename))
    if total > limits.total_bytes:  # refused before any member is read: 300 x 1 MB kept a run busy for minutes
        yield InputRef(archive, archive, error=(
            f"refused: the archive holds {total:,} bytes uncompressed (the limit is {limits.total_bytes:,}); "
            "a zip bomb? Unzip it and pass the folder if it is genuine"))
        return
    for info in infos:
        if info.is_dir():
            continue
        source = f"{archive}!{info.filename}"
        unsafe = unsafe_name(info.filename)
        if unsafe:
            yield InputRef(source, archive, info.filename, error=unsafe)
            continue
        if not _wanted(PurePosixPath(info.filename).name, pattern):
            continue
        yield InputRef(source, archive, info.filename, error=_bomb(info, limits))


def unsafe_name(name: str) -> str | None:
    """Why a member name is refused (absolute, a drive, or climbing out with ``..``), else None."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return f"refused: absolute member name {name!r}"
    if ".." in PurePosixPath(posix).parts:
        return f"refused: member name {name!r} climbs out of the archive (path traversal)"
    if "\x00" in name:
        return "refused: member name holds a NUL byte"
    return None


def _bomb(info: zipfile.ZipInfo, limits: ZipLimits) -> str | None:
    if info.flag_bits & 0x1:
        return "encrypted member; textkit does not read passwords"
    if info.file_size > limits.member_bytes:
        return f"refused: {info.file_size:,} bytes uncompressed (the limit is {limits.member_bytes:,}); a zip bomb?"
    if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        return f"refused: compressed {ratio:,.0f}:1 (the limit is {limits.ratio:,.0f}:1); a zip bomb?"
    return None


class Reader:
    """Reads the bytes of refs, keeping the last archive open (refs of one archive come together)."""

    def __init__(self, limits: ZipLimits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self._zip: zipfile.ZipFile | None = None
        self._zip_path: str | None = None

    def read(self, ref: InputRef) -> bytes:
        """The document's bytes; raises ``InputError`` naming the source."""
        if ref.error:
            raise InputError(ref.source, ref.error)
        if ref.member is None:
            return _read_file(ref)
        return self._read_member(ref)

    def _read_member(self, ref: InputRef) -> bytes:
        assert ref.member is not None
        if self._zip_path != ref.path:
            self.close()
            try:
                self._zip = zipfile.ZipFile(ref.path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise InputError(ref.source, f"not a readable zip archive ({exc})") from None
            self._zip_path = ref.path
        assert self._zip is not None
        limit = self.limits.member_bytes
        try:
            # Read in bounded chunks: never trust the declared size to bound memory.
            with self._zip.open(ref.member) as member:
                chunks, size = [], 0
                while chunk := member.read(1024 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise InputError(ref.source, f"refused: more than {limit:,} bytes uncompressed; a zip bomb?")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise InputError(ref.source, f"corrupt zip member ({exc})") from None
        return b"".join(chunks)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        self._zip, self._zip_path = None, None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _read_file(ref: InputRef) -> bytes:
    path = Path(ref.path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(ref.source, f"too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(ref.source, "no such file") from None
    except OSError as exc:
        raise InputError(ref.source, f"cannot read ({exc.strerror or exc})") from None
