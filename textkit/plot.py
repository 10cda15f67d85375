"""Plots of a task frame (``textkit.frames``): who carries the work, what falls due when, how often.

Every function takes the frame and returns a matplotlib ``Figure`` (nothing is
shown or saved). Labels are Chinese, so each function first makes sure a CJK
font is in matplotlib's font list (:func:`use_cjk_font`); without one Chinese
renders as empty boxes. CI installs Debian's ``fonts-noto-cjk``.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from textkit.extras import require

if TYPE_CHECKING:
    from matplotlib.figure import Figure

require("matplotlib", purpose="textkit.plot")  # without it, importing this module says which extra to install

# In order of preference; the first one installed wins.
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
_FILE_HINTS = ("notocjk", "notosanscjk", "notoserifcjk", "sourcehan", "wqy", "wenquanyi", "droidsansfallback",
               "simhei", "msyh", "pingfang")
INSTALL_HINT = "install a CJK font, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu)"

ROLE_COLOURS = {"lead": "#2e7d32", "unspecified": "#7cb342", "support": "#b0bec5"}
ROLE_LABELS = {"lead": "牵头 lead", "unspecified": "责任 (未注明角色)", "support": "配合 support"}
FREQ_LABELS = {
    "daily": "每日 daily",
    "weekly": "每周 weekly",
    "monthly": "每月 monthly",
    "quarterly": "每季 quarterly",
    "half-yearly": "每半年 half-yearly",
    "yearly": "每年 yearly",
}


class MissingCJKFontWarning(UserWarning):
    """No CJK font was found: Chinese labels will render as boxes."""


def find_cjk_font() -> str | None:
    """The family name of an installed CJK font, or None.

    Looks in matplotlib's font list first, then registers CJK font files that
    were installed after matplotlib built its cache (``fonts-noto-cjk`` installed
    into a running environment).
    """
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in names), None)

    name = known()
    if name is not None:
        return name
    for path in font_manager.findSystemFonts():
        squashed = path.lower().replace("-", "").replace("_", "").replace(" ", "")
        if any(hint in squashed for hint in _FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    return known()


def use_cjk_font() -> str | None:
    """Put a CJK font first in matplotlib's sans-serif list (idempotent); return its name.

    Warns with :class:`MissingCJKFontWarning` and leaves the fonts alone when none is
    installed: the plot still draws, with boxes for Chinese characters.
    """
    import matplotlib as mpl

    name = find_cjk_font()
    if name is None:
        warnings.warn(f"no CJK font found, Chinese labels will not render: {INSTALL_HINT}",
                      MissingCJKFontWarning, stacklevel=2)
        return None
    current = [f for f in mpl.rcParams["font.sans-serif"] if f != name]
    mpl.rcParams["font.sans-serif"] = [name, *current]
    mpl.rcParams["font.family"] = "sans-serif"
    # CJK fonts draw U+2212 minus; keeping ASCII '-' avoids a glyph lookup on negative ticks
    mpl.rcParams["axes.unicode_minus"] = False
    return name


def _short(label: Any, width: int) -> str:
    text = " ".join(str(label).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    from matplotlib.figure import Figure

    use_cjk_font()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


def _doc_label(title: Any, source: Any) -> str:
    """A legend entry for a speech: its title, else its file name; short either way."""
    if pd.notna(title) and str(title).strip():
        return _short(title, 16)
    return _short(Path(str(source)).stem if pd.notna(source) else "(untitled)", 16)


def _task_label(text: str, lead: Any, width: int) -> str:
    """``市工信局要对…`` as is; a task whose text does not name its lead gets it in front."""
    text = " ".join(str(text).split())
    if pd.notna(lead) and str(lead) not in text[: width]:
        text = f"{_short(lead, 8)}: {text}"
    return _short(text, width)


def tasks_per_owner(frame: pd.DataFrame, *, top: int = 15, leaves_only: bool = True,
                    label_width: int = 14, merge_variants: bool = True) -> Figure:
    """Horizontal bars: how many tasks each owner carries, split by role (牵头, 责任, 配合).

    Counts ``leaf`` rows by default so a directive and its subtasks are not counted twice.
    Long owner names are shortened to ``label_width`` characters. ``merge_variants`` counts
    one party once however it is written (the frame's ``owner_keys``: ``縣發改局`` = ``县发改局``
    = ``县发展和改革局``, ``各乡镇（街道）`` = ``各乡镇(街道)``).
    """
    rows = frame[frame["leaf"]] if leaves_only and "leaf" in frame else frame
    from textkit.frames import owner_key

    pairs = [
        (owner_key(name) if merge_variants else name, role)
        for names, roles in zip(rows["owners"], rows["owner_roles"], strict=True)
        for name, role in zip(names, roles, strict=True)
    ]
    counts = pd.DataFrame(pairs, columns=["owner", "role"]).value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=[r for r in ROLE_COLOURS if r in counts.columns])
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False).index[:top]].iloc[::-1]
    fig, ax = _figure(9, max(2.5, 0.38 * len(counts) + 1.4))
    left = pd.Series(0, index=counts.index)
    labels = [_short(name, label_width) for name in counts.index]
    for role in counts.columns:
        ax.barh(labels, counts[role], left=left, color=ROLE_COLOURS[role], label=ROLE_LABELS[role])
        left = left + counts[role]
    for y, total in enumerate(left):
        ax.text(total + 0.1, y, str(int(total)), va="center", fontsize=9, color="#333")
    ax.set_xlabel("任务数 tasks")
    ax.set_title(f"各单位承担的任务 (前 {len(counts)} 名) · tasks per owner")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, (left.max() if len(left) else 1) * 1.1 + 0.5)
    ax.spines[["top", "right"]].set_visible(False)
    if len(counts):
        ax.legend(loc="lower right", frameon=False)
    return fig


def deadline_timeline(frame: pd.DataFrame, *, limit: int = 30, label_width: int = 24) -> Figure:
    """Gantt-style: one bar per task with a known ``due``, from its document's date to the due date.

    Sorted by due date, the ``limit`` earliest shown; the label is the lead owner and
    the start of the task's text. A task without a document date is a dot at its due date.
    """
    import matplotlib.dates as mdates

    due = frame[frame["due"].notna() & frame["leaf"]] if "leaf" in frame else frame[frame["due"].notna()]
    due = due.sort_values(["due", "path"]).head(limit)
    start = pd.to_datetime(due["date"], errors="coerce", format="ISO8601")
    fig, ax = _figure(11, max(2.5, 0.34 * len(due) + 1.6))
    docs = list(dict.fromkeys(due["doc_id"]))
    # ten distinct colours; beyond ten speeches colours repeat and the legend lists the first ten
    palette = [f"C{i % 10}" for i in range(len(docs))]
    colour = {doc: palette[i] for i, doc in enumerate(docs)}
    labels = []
    for y, (_, row) in enumerate(due.iloc[::-1].iterrows()):
        begin = start.loc[row.name]
        c = colour[row["doc_id"]]
        if pd.notna(begin) and begin < row["due"]:
            ax.barh(y, mdates.date2num(row["due"]) - mdates.date2num(begin), left=mdates.date2num(begin),
                    height=0.55, color=c, alpha=0.35)
        ax.plot([mdates.date2num(row["due"])], [y], marker="D", color=c, markersize=6)
        ax.annotate(row["deadline_text"], (mdates.date2num(row["due"]), y), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=8, color="#444")
        labels.append(_task_label(row["text"], row["lead"], label_width))
    ax.set_yticks(range(len(labels)), labels, fontsize=9)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="x", color="#e0e0e0")
    ax.set_axisbelow(True)
    ax.margins(x=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"完成时限 · deadlines by due date ({len(due)} 项, 从讲话日期到截止日期)")
    if len(docs) > 1:
        from matplotlib.lines import Line2D

        first = due.drop_duplicates("doc_id").set_index("doc_id")
        handles = [Line2D([], [], marker="D", linestyle="", color=colour[d],
                          label=_doc_label(first.loc[d, "title"], first.loc[d, "source"]))
                   for d in docs[:10]]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8,
                  title="讲话 speech", title_fontsize=9)
    return fig


def cadence_mix(frame: pd.DataFrame, *, leaves_only: bool = True) -> Figure:
    """Bars: how many tasks recur daily, weekly, monthly, quarterly, half-yearly, yearly."""
    rows = frame[frame["leaf"]] if leaves_only and "leaf" in frame else frame
    # a task that says 每月 twice recurs monthly once
    freqs = pd.Series([f for values in rows["cadence"] for f in dict.fromkeys(values)], dtype="string")
    counts = freqs.value_counts().reindex(list(FREQ_LABELS), fill_value=0)
    fig, ax = _figure(8, 3.8)
    bars = ax.bar([FREQ_LABELS[f] for f in counts.index], counts.to_numpy(), color="#00838f")
    ax.bar_label(bars, padding=2, fontsize=9)
    ax.set_ylabel("任务数 tasks")
    ax.set_title("频次构成 · cadence mix")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(0, max(1, int(counts.max())) * 1.15)
    ax.tick_params(axis="x", labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
