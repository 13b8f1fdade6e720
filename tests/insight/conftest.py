"""The shared local Spark session (defined once in tests/engines/conftest.py) for the Spark tests here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_path = Path(__file__).parents[1] / "engines" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_shuxi_engine_fixtures", _path)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

spark = _module.spark
