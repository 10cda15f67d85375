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
from dataclasses import dataclass

Edit = tuple[int, int, str]
"""Replace ``text[start:end]`` by a string (empty to delete)."""


@dataclass(frozen=True)
class TextMap:
    """A derived text and the original offset of each of its characters."""

    text: str
    origin: Sequence[int]
    original_length: int

    @classmethod
    def identity(cls, original: str) -> TextMap:
        return cls(original, array("q", range(len(original))), len(original))

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
        if pos >= len(self.text):
            return self.original_length
        return self.origin[max(pos, 0)]

    def apply(self, edits: Iterable[Edit]) -> TextMap:
        """Apply sorted, non-overlapping edits. Replacement characters inherit origins:
        one for one keeps each origin, any other length points at the first replaced character."""
        parts: list[str] = []
        origin = array("q")
        pos = 0
        text, old = self.text, self.origin
        for start, end, repl in edits:
            if start < pos:
                continue  # overlapping edit: the earlier one wins
            parts.append(text[pos:start])
            origin.extend(old[pos:start])
            if repl:
                parts.append(repl)
                if len(repl) == end - start:
                    origin.extend(old[start:end])
                else:
                    anchor = old[start] if start < len(text) else self.original_length
                    origin.extend([anchor] * len(repl))
            pos = end
        if pos == 0 and not parts:
            return self
        parts.append(text[pos:])
        origin.extend(old[pos:])
        return TextMap("".join(parts), origin, self.original_length)

    def translate(self, table: dict[int, str]) -> TextMap:
        """Replace characters one for one (full-width forms, traditional characters)."""
        new = self.text.translate(table)
        if new == self.text:
            return self
        if len(new) != len(self.text):
            raise ValueError("translate() needs a one-for-one table")
        return TextMap(new, self.origin, self.original_length)


def kept_mask(derived: TextMap) -> bytearray:
    """1 for each original character that survives in ``derived``."""
    mask = bytearray(derived.original_length)
    for pos in derived.origin:
        mask[pos] = 1
    return mask
