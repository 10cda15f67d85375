"""Editable data shipped with the package (``textkit/data/*.toml``), loaded once and cached.

Lexicons — directive cues, deadline terms, event calendars, organ suffixes and
aliases — are data reviewed by people who know the domain, not code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Parse ``textkit/data/<name>.toml``."""
    with resources.files("textkit.data").joinpath(f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def data_path(name: str) -> Path:
    """Filesystem path of a data file (for jieba, which reads user dictionaries from disk)."""
    return Path(str(resources.files("textkit.data").joinpath(name)))


def cache_dir() -> Path:
    """A per-user cache directory (the jieba dictionary cache lives here, not in a shared /tmp)."""
    import platformdirs  # ~0.01 s of imports that extracting never needs (only the segmenter's cache)

    path = Path(platformdirs.user_cache_dir("textkit"))
    path.mkdir(parents=True, exist_ok=True)
    return path
