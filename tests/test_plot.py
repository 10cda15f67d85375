"""Plots draw, and draw Chinese with a CJK font (no tofu boxes, no missing-glyph warnings)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import textkit  # noqa: E402
from tests.conftest import CORPUS  # noqa: E402
from textkit import plot  # noqa: E402
from textkit.frames import extract_frame  # noqa: E402

CJK_FILE_WORDS = ("cjk", "wqy", "wenquanyi", "sourcehan", "droidsansfallback", "simhei", "msyh", "pingfang")


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    docs = sorted((CORPUS / "docs").glob("*.txt"))[:6]
    return extract_frame(docs)


@pytest.fixture(scope="module")
def cjk() -> str:
    name = plot.find_cjk_font()
    if name is None:
        pytest.skip(f"no CJK font installed here ({plot.INSTALL_HINT}); CI installs fonts-noto-cjk")
    return name


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buffer, format="png", dpi=60)
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert not glyphs, glyphs[:3]
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG") and len(data) > 2000
    return data


def _chinese_texts(fig: Figure) -> list[Text]:
    texts = [t for t in fig.findobj(Text) if any("\u4e00" <= ch <= "\u9fff" for ch in t.get_text())]
    assert texts, "the figure has no Chinese label to check"
    return texts


PLOTS: list[Callable[[pd.DataFrame], Figure]] = [plot.tasks_per_owner, plot.deadline_timeline, plot.cadence_mix]


@pytest.mark.parametrize("draw", PLOTS, ids=lambda f: f.__name__)
def test_chinese_labels_render_with_a_cjk_font(draw: Callable[[pd.DataFrame], Figure], frame: pd.DataFrame,
                                              cjk: str) -> None:
    fig = draw(frame)
    assert isinstance(fig, Figure)
    _png(fig)  # draws every text (tick labels included) and fails on a missing glyph
    for text in _chinese_texts(fig):
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        squashed = Path(path).name.lower().replace("-", "").replace("_", "")
        assert any(word in squashed for word in CJK_FILE_WORDS), f"{text.get_text()!r} drawn with {path}"


def test_the_cjk_font_is_first_in_the_sans_serif_list(cjk: str) -> None:
    import matplotlib as mpl

    assert plot.use_cjk_font() == cjk
    assert mpl.rcParams["font.sans-serif"][0] == cjk


def test_missing_font_warns_with_the_install_command(monkeypatch: pytest.MonkeyPatch, frame: pd.DataFrame) -> None:
    monkeypatch.setattr(plot, "find_cjk_font", lambda: None)
    with pytest.warns(plot.MissingCJKFontWarning, match="fonts-noto-cjk"):
        fig = plot.cadence_mix(frame)
    assert isinstance(fig, Figure)


def test_plots_of_an_empty_frame_still_draw(cjk: str) -> None:
    empty = extract_frame([])
    for draw in PLOTS:
        assert isinstance(draw(empty), Figure)


def test_long_owner_names_are_shortened(cjk: str) -> None:
    long_name = "某某市人民政府办公室综合协调督查督办一科"
    text = f"一、工作要求\n一要强化督办。{long_name}要牵头在6月30日前完成整改。"
    frame = textkit.extract(text, ref_date="2024-05-06").to_frame()
    assert len(frame)
    # one list per row (a bare list of lists would be read as a 2-D block when the frame has one row)
    frame["owners"] = pd.Series([[long_name]] * len(frame), index=frame.index, dtype=object)
    frame["owner_roles"] = pd.Series([["lead"]] * len(frame), index=frame.index, dtype=object)
    fig = plot.tasks_per_owner(frame, label_width=10)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels and all(len(label) <= 10 for label in labels)
