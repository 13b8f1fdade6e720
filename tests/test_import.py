"""``import shuxi`` stays light: heavy libraries load only when used."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("duckdb", "pyarrow", "sqlglot", "pydantic", "numpy", "pandas", "polars", "torch", "pyspark", "sklearn", "typer")


def test_import_shuxi_loads_no_heavy_library() -> None:
    code = "import sys, shuxi; print(','.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_public_names_resolve() -> None:
    import shuxi

    for name in shuxi.__all__:
        assert getattr(shuxi, name) is not None
    assert issubclass(shuxi.ColumnNotFoundError, shuxi.ShuxiError)
