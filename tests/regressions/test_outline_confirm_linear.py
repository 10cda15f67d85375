"""Bug: outline._confirm scanned every later candidate for each one (``raw[i + 1:]``
and ``_next_of`` over it), so ``一要`` repeated 20,000 times (no boundary, no item 2)
took 45 s and 1 MB of such text would take hours. Now linear; these tests pin
both the speed and that the decisions are those of the old quadratic scan."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from textkit import outline
from textkit.clean import clean
from textkit.outline import _Candidate, _compatible, _confirm, _glued_heading_ok, _next_of


def _confirm_reference(raw: list[_Candidate], text: str) -> list[_Candidate]:
    """The quadratic original, kept as the specification."""
    kept: list[_Candidate] = []
    for i, c in enumerate(raw):
        later = raw[i + 1 :]
        earlier = raw[:i]
        if c.family == "seq":
            ok = c.boundary and (
                any(o.family == "seq" and o.ordinal > c.ordinal for o in later) or _next_of(c, later) is not None
            ) if c.ordinal == 1 else (
                c.boundary and any(o.family == "seq" and o.ordinal < c.ordinal for o in earlier)
            )
        elif c.ordinal == 1:
            nxt = _next_of(c, later)
            ok = nxt is not None and (c.boundary or nxt.boundary)
            announced = c.boundary and not any(o.family == c.family for o in later) and outline._announced(c, text)
            ok = ok or (nxt is None and announced)
            if ok and not c.boundary and (c.family not in outline._GLUE_FAMILIES or not _glued_heading_ok(c, text)):
                ok = False
        else:
            prev_ok = any(_compatible(o.family, c.family) and o.ordinal == c.ordinal - 1 for o in kept)
            first_of_family = not any(_compatible(o.family, c.family) for o in earlier)
            next_ok = _next_of(c, later) is not None
            ok = c.boundary and (prev_ok or (first_of_family and (next_ok or c.line_start)))
        if ok:
            kept.append(c)
    return kept


FAMILIES = ["part", "di", "paren", "aparen", "circled", "shiyao", "shi", "yao", "sec", "sec_inline", "bare", "arabic", "seq"]

candidates = st.lists(
    st.builds(
        lambda fam, n, b, ls, k: _Candidate(fam, n, k, k + 2, "一要", b, ls),
        st.sampled_from(FAMILIES),
        st.integers(1, 5),
        st.booleans(),
        st.booleans(),
        st.integers(0, 50),
    ),
    max_size=40,
).map(lambda cs: sorted(cs, key=lambda c: c.start))


@settings(max_examples=300, deadline=None)
@given(candidates, st.text(alphabet="一要,。1 a", max_size=60))
def test_linear_confirm_decides_as_the_quadratic_one(raw: list[_Candidate], text: str) -> None:
    assert _confirm(raw, text) == _confirm_reference(raw, text)


def test_repeated_markers_without_boundaries_are_linear() -> None:
    text = "一要" * 20000
    cleaned = clean(text)
    t0 = time.perf_counter()
    outline.parse(cleaned)
    assert time.perf_counter() - t0 < 5.0  # was 45 s
