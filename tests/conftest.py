"""Shared fixtures. Every test session gets its own cache folder, so tests never write to the user's cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """SHUXI_CACHE_DIR for the whole session (subprocesses started by tests inherit it)."""
    folder = tmp_path_factory.mktemp("shuxi-cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("SHUXI_CACHE_DIR", str(folder))
    yield folder
    patch.undo()
