"""Shared fixtures: the project's own sample texts and, where present, the shared seed."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpora"

PURE_ONLY = ("it monkeypatches functions of modules compiled with mypyc, which call each other natively; "
             "tests/test_compiled.py runs it under TEXTKIT_PURE=1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``pure_python`` run only where the compiled modules are not loaded (issue 15).

    In a compiled install a monkeypatched function of a compiled module is not what its callers
    call, so such a test would test nothing; ``test_compiled.py`` runs them all in a process with
    ``TEXTKIT_PURE=1`` instead.
    """
    from textkit import _native

    if _native.active():
        skip = pytest.mark.skip(reason=PURE_ONLY)
        for item in items:
            if item.get_closest_marker("pure_python"):
                item.add_marker(skip)


def wait_until_healthy(process: subprocess.Popen, url: str, *, within: float = 60, what: str = "the service") -> None:
    """Poll ``url``/health until a started server answers 200; fail if it exits or takes longer than ``within`` s."""
    import httpx

    deadline = time.monotonic() + within
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, f"{what} did not start"
        time.sleep(0.2)


def shared_or_skip(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared seed and spec live beside the repository, not in it")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    seeds = shared_or_skip("seeds")
    files = sorted(seeds.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed speech in {seeds}")
    return files[0]


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


# A short speech of our own: a repeated title, one line, a page marker inside a word,
# an assessment list and a work list with a style switch.
SPEECH = (
    "在全县安全生产工作会议上的讲话在2024年全县安全生产工作会议上的讲话同志们:今天召开会议,主要是部署下一阶段安全生产工作。"
    "下面,我讲两点意见。一、正确看待当前形势今年以来,全县安全生产形势总体平稳,主要有以下几个特点:"
    "一是责任体系比较健全。各乡镇普遍建立了包保制度。二是隐患排查有了新进展。全年排查隐患1200余处。"
    "二、抓好下一阶段重点工作一要压实企业主体责任。县应急管理局要牵头组织全面检查,6月30日前完成所有危化企业复查。"
    "二要加强汛期安全防范。各乡镇要在主汛期前完成隐1/3患点整改,每月5日前向县应急管理局报送进展。"
    "三是要严格督查考核。县委督查室要坚持周调度、月通报,确2/3保整改率达到95%以上。我就讲这么多,谢谢大家。"
)


#: six train series (never the held-out ones) that the ledger-link tests seed into one ledger
TRAIN_SERIES = ("bairong-key-projects", "nanxi-county-elderly-care", "anshan-safety-production",
                "lishui-county-education", "mingxi-employment", "yunling-forest-fire")


@pytest.fixture(scope="session")
def train_series_documents() -> list:
    """The extractions of :data:`TRAIN_SERIES`' documents, in series order (made once per session)."""
    from textkit.link_eval import extractions, load_series

    found = [s for s in load_series(CORPUS / "series", split="train") if s.name in TRAIN_SERIES]
    assert len(found) == len(TRAIN_SERIES)
    return [e for s in found for e in extractions(s)]
