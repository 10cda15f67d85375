"""Texts derived from the caller's original, each character knowing where it came from.

Cleaning only deletes characters or replaces them (one for one, or one for
several), so a derived text is described by one array: ``origin[i]`` is the
offset in the original of derived character ``i``. Any span of the derived text
maps back to a span of the original, which is what makes every record
traceable.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Edit = tuple[int, int, str]
"""Replace ``text[start:end]`` by a string (empty to delete)."""


@dataclass(frozen=True)
class TextMap:
    """A derived text and the original offset of each of its characters."""

    text: str
    origin: Sequence[int]
    original_length: int
    #: Ranges ``[a, b)`` of the original that every original character no longer in ``origin`` lies
    #: in (they may also cover characters dropped earlier), kept by ``identity``, ``apply`` and
    #: ``translate`` so that ``kept_mask`` needs no step per character; None when not known.
    dropped: tuple[tuple[int, int], ...] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def identity(cls, original: str) -> TextMap:
        return cls(original, _iota(len(original)), len(original), ())

    def __len__(self) -> int:
        return len(self.text)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of this text to the smallest covering span of the original."""
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if start == end:
            pos = self.origin[start] if start < n else self.original_length
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1

    def to_original_offset(self, pos: int) -> int:
        """The original offset of a position, clamped like a span's ends (an empty text has only its end)."""
        pos = max(pos, 0)
        if pos >= len(self.text):
            return self.original_length
        return self.origin[pos]

    def apply(self, edits: Iterable[Edit]) -> TextMap:
        """Apply sorted, non-overlapping edits. Replacement characters inherit origins:
        one for one keeps each origin, any other length points at the first replaced character."""
        parts: list[str] = []
        origin = array("q")
        pos = 0
        text, old = self.text, self.origin
        gaps: list[tuple[int, int]] = []
        for start, end, repl in edits:
            if start < pos:
                continue  # overlapping edit: the earlier one wins
            parts.append(text[pos:start])
            if start > pos:
                _gap(origin, old[pos], gaps)
                origin.extend(old[pos:start])
            if repl:
                parts.append(repl)
                if len(repl) == end - start:
                    _gap(origin, old[start], gaps)
                    origin.extend(old[start:end])
                else:
                    anchor = old[start] if start < len(text) else self.original_length
                    _gap(origin, anchor, gaps)
                    origin.extend([anchor] * len(repl))
            pos = end
        if pos == 0 and not parts:
            return self
        parts.append(text[pos:])
        if pos < len(text):
            _gap(origin, old[pos], gaps)
            origin.extend(old[pos:])
        _gap(origin, self.original_length, gaps)
        dropped = None if self.dropped is None else self.dropped + tuple(gaps)
        return TextMap("".join(parts), origin, self.original_length, dropped)

    def translate(self, table: dict[int, str]) -> TextMap:
        """Replace characters one for one (full-width forms, traditional characters)."""
        new = self.text.translate(table)
        if new == self.text:
            return self
        if len(new) != len(self.text):
            raise ValueError("translate() needs a one-for-one table")
        return TextMap(new, self.origin, self.original_length, self.dropped)


def _gap(origin: array[int], first: int, gaps: list[tuple[int, int]]) -> None:
    """Note the original offsets skipped between the map built so far and a piece starting at ``first``.

    Origins never decrease, so the offsets missing from a new map are those strictly between two
    neighbours: inside a piece copied from the old map (missing there too, already in its
    ``dropped``), or at a junction made by an edit, checked here."""
    last = origin[-1] if origin else -1
    if first > last + 1:
        gaps.append((last + 1, first))


_IOTA_LIMIT = 1 << 18
_iota_kept: list[array[int]] = [array("q")]


def _iota(n: int) -> array[int]:
    """``array("q", range(n))``, for a document's identity map: a slice (a copy made in C) of a
    kept 0, 1, 2, … rather than n integers made one by one (200 µs for 2,000 characters).

    The kept array is replaced whole when it grows (never extended in place, so a thread
    slicing it meanwhile sees a complete one) and stops at 2**18 entries (2 MB).
    """
    if n > _IOTA_LIMIT:
        return array("q", range(n))
    iota = _iota_kept[0]
    if len(iota) < n:
        iota = array("q", range(min(_IOTA_LIMIT, max(n, 2 * len(iota), 4096))))
        _iota_kept[0] = iota
    return iota[:n]


def kept_mask(derived: TextMap) -> bytearray:
    """1 for each original character that survives in ``derived``: every character but those in the
    map's ``dropped`` ranges, or, when a map does not know them, a step per character."""
    if derived.dropped is not None:
        n = derived.original_length
        mask = bytearray(b"\x01") * n
        for start, end in derived.dropped:
            if start < n:  # a replacement at the very end points at n, past the original
                mask[start:end] = bytes(min(end, n) - start)
        return mask
    mask = bytearray(derived.original_length)
    for pos in derived.origin:
        mask[pos] = 1
    return mask
