"""Issue 18: one party is one group in frames and plots, however a document writes it
(traditional or simplified characters, full-width brackets, a known short form)."""

from __future__ import annotations

import pandas as pd
import pytest
from opencc import OpenCC

from textkit.frames import extraction_frame, owner_key
from textkit.pipeline import extract

SPEECH = ("二、抓好重点工作一要压实责任。县发改局要牵头,6月30日前完成项目入库。"
          "二要加强调度。县应急管理局要牵头,7月底前完成检查。三要压实属地责任。各乡镇（街道）要在8月底前完成整改。")


@pytest.mark.parametrize(("written", "key"), [
    ("縣發改局", "县发展和改革局"), ("县发改局", "县发展和改革局"), ("县发展和改革局", "县发展和改革局"),
    ("縣應急管理局", "县应急管理局"), ("各鄉鎮（街道）", "各乡镇(街道)"), ("市財政局", "市财政局"),
])
def test_owner_key(written: str, key: str) -> None:
    assert owner_key(written) == key


def _frame() -> pd.DataFrame:
    traditional = OpenCC("s2t").convert(SPEECH)
    assert traditional != SPEECH
    return pd.concat([extraction_frame(extract(text, ref_date="2024-04-18")) for text in (SPEECH, traditional)],
                     ignore_index=True)


def test_a_traditional_and_a_simplified_document_group_under_one_lead() -> None:
    frame = _frame()
    assert frame["lead"].nunique() > frame["lead_key"].nunique(), "the leads as written differ"
    counts = frame.groupby("lead_key").size()
    assert counts["县发展和改革局"] == 2 and counts["县应急管理局"] == 2


def test_tasks_per_owner_draws_one_bar_per_party() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from textkit.plot import tasks_per_owner

    figure = tasks_per_owner(_frame(), leaves_only=False, label_width=30)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert len(labels) == len(set(labels)) and "县应急管理局" in labels
    assert not {"縣應急管理局", "縣發改局"} & set(labels)
