"""A timeline of one chain of follow-ups: when the work was asked, and where its deadline stood each time.

One row per document in the chain (earliest at the top): a dot on the date the
document asked for the work, a line to the deadline it set (a cross), and the
relation that brought it in. A deadline that keeps moving right is the story
a 督查督办 officer wants to see at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class ChainStep:
    """One document's view of the work: its date, the heading, the deadline due and how it links back."""

    asked: str
    heading: str
    due: str | None = None
    relation: str | None = None


def chain_timeline(steps: Sequence[ChainStep], *, label_width: int = 18) -> Figure:
    """The chain as a matplotlib ``Figure`` (nothing shown or saved); steps without a date are skipped."""
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    from textkit.plot import use_cjk_font

    use_cjk_font()
    dated = [s for s in steps if _day(s.asked)]
    figure = Figure(figsize=(8, 1.2 + 0.6 * max(len(dated), 1)))
    ax = figure.subplots()
    for row, step in enumerate(dated):
        asked: Any = _day(step.asked)  # matplotlib's stubs do not list dates, its converters take them
        due: Any = _day(step.due)
        ax.plot([asked], [row], "o", color="tab:blue")
        if due is not None:
            ax.plot([asked, due], [row, row], "-", color="tab:gray", linewidth=1)
            ax.plot([due], [row], "x", color="tab:red" if step.relation == "reschedules" else "tab:green")
        label = step.heading if len(step.heading) <= label_width else step.heading[: label_width - 1] + "…"
        ax.annotate(f"{label}  ({step.relation or '首次部署'})", (asked, row), xytext=(6, 6),
                    textcoords="offset points", fontsize=8)
    ax.set_yticks(range(len(dated)), [s.asked for s in dated])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_title("任务跟进时间线(● 部署 × 截止)" if dated else "(no dated steps)")
    figure.tight_layout()
    return figure


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
