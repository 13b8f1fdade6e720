"""Settings: arguments > SHUXI_* environment > defaults, with clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from shuxi.config import load_settings
from shuxi.errors import ConfigError


def test_defaults() -> None:
    settings = load_settings(env={})
    assert settings.engine == "duckdb" and settings.row_limit == 10_000 and settings.timeout is None


def test_environment_then_arguments() -> None:
    env = {"SHUXI_ROW_LIMIT": "50", "SHUXI_MEMORY_LIMIT": "4GB", "SHUXI_TIMEOUT": "2.5", "SHUXI_CACHE_DIR": "/tmp/x"}
    settings = load_settings(env=env)
    assert (settings.row_limit, settings.memory_limit, settings.timeout, settings.cache_dir) == (50, "4GB", 2.5, Path("/tmp/x"))
    assert load_settings({"row_limit": 7}, env=env).row_limit == 7
    assert load_settings({"row_limit": None}, env=env).row_limit == 50


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"SHUXI_ENGINE": "oracle"}, "SHUXI_ENGINE"),
        ({"SHUXI_ROW_LIMIT": "lots"}, "whole number"),
        ({"SHUXI_ROW_LIMIT": "0"}, "positive"),
        ({"SHUXI_MEMORY_LIMIT": "plenty"}, "4GB"),
        ({"SHUXI_TIMEOUT": "-1"}, "positive"),
        ({"SHUXI_THREADS": "two"}, "SHUXI_THREADS"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(env=env)


def test_unknown_setting() -> None:
    with pytest.raises(ConfigError, match="Unknown"):
        load_settings({"colour": "blue"}, env={})
