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


@pytest.fixture(scope="session")
def readme_section() -> object:
    """``readme_section("## Heading")``: see :func:`_readme_section`."""
    return _readme_section


def _readme_section(heading: str) -> dict[str, list[str]]:
    """The fenced code blocks of one README section (``## heading`` up to the next ``## ``), by fence language.

    Sections whose examples need their own data are listed in tests/test_readme.py's OWN_TESTS and run
    by their own test module through the ``readme_section`` fixture.
    """
    import re

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"(?ms)^{re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", text)
    if match is None:
        raise AssertionError(f"README has no section {heading!r}")
    blocks: dict[str, list[str]] = {}
    for language, body in re.findall(r"```(\w*)\n(.*?)```", match.group(1), flags=re.S):
        blocks.setdefault(language, []).append(body)
    return blocks
