"""The shared local Spark session for the Spark tests here.

It is defined once for the whole run (tests/conftest.py); older checkouts defined it in tests/engines/conftest.py,
which only covers tests/engines, so re-export it from there when that is where it lives.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_path = Path(__file__).parents[1] / "engines" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_shuxi_engine_fixtures", _path)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

if hasattr(_module, "spark"):
    spark = _module.spark
