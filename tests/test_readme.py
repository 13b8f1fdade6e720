"""Every example in the README runs: console lines through the real CLI, Python blocks as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", TEXT, flags=re.S)


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The README's sales.csv, written exactly as the README shows it.
    (sales,) = [b for b in _blocks("text") if b.startswith("region,")]
    (tmp_path / "sales.csv").write_text(sales, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHUXI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


#: README sections whose examples need their own data; each is run by the named test module instead.
OWN_TESTS = {
    "## Text classification": "tests/text/test_readme_text.py",
    "## Language models": "tests/lm/test_readme_lm.py",
    "## Profile and clean": "tests/profile/test_readme_profile.py",
    "## Statistics and charts": "tests/insight/test_readme_insight.py",
    "## Use your own LLM": "tests/ask/test_llm_cli.py",
}


def _shared_part() -> str:
    """The README without the sections listed in OWN_TESTS."""
    parts = re.split(r"(?m)^(?=## )", TEXT)
    return "".join(p for p in parts if not any(p.startswith(h) for h in OWN_TESTS))


def _console_commands() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", _shared_part(), flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ shuxi ")]


def test_readme_has_examples() -> None:
    assert len(_console_commands()) >= 4 and len(_blocks("python")) >= 2
    assert "make demo" in TEXT and "make test" in TEXT


@pytest.mark.parametrize("command", _console_commands())
def test_console_example_runs(workdir: Path, command: str) -> None:
    args = shlex.split(command)[1:]
    done = subprocess.run([sys.executable, "-m", "shuxi", *args], capture_output=True, text=True, cwd=workdir,
                          env={**os.environ}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_python_examples_run_in_order(workdir: Path) -> None:
    namespace: dict[str, object] = {}
    # Sections in OWN_TESTS need their own data; their Python blocks run in their own test modules.
    for block in re.findall(r"```python\n(.*?)```", _shared_part(), flags=re.S):
        exec(compile(block, str(README), "exec"), namespace)  # the README's own code, not user input
    rows = namespace["ds"].run(namespace["tiers"]).to_pylist()  # type: ignore[attr-defined]
    assert [r["mean_quantity"] for r in rows] == [1000, 800, 600]
