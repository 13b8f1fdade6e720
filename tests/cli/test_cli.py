"""The command line: every command documented, results in each format, user errors as exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from shuxi.cli import app

runner = CliRunner()


@pytest.fixture()
def sales_csv(tmp_path: Path) -> Path:
    path = tmp_path / "sales.csv"
    path.write_text("region,product,price,quantity\n华东,A,100,1000\n华北,B,200,800\n华南,C,300,600\n", encoding="utf-8")
    return path


def _commands() -> list[str]:
    """Every runnable command, groups expanded: "sql", "text train", …"""
    import click

    def walk(group: click.Group, prefix: str) -> list[str]:
        names = []
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                names += walk(command, f"{prefix}{name} ")
            else:
                names.append(prefix + name)
        return names

    return sorted(walk(typer.main.get_command(app), ""))  # type: ignore[arg-type]


def test_every_command_has_help_and_an_example() -> None:
    commands = _commands()
    assert {"schema", "sql", "demo"} <= set(commands)
    for name in commands:
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, result.output
        assert "Example: shuxi " + name in result.output, f"`shuxi {name} --help` shows no example"
        summary = result.output.split("Example")[0]
        assert len(summary.split()) > 6, f"`shuxi {name}` has no real help text"


def test_sql_text_json_and_csv(sales_csv: Path) -> None:
    query = "SELECT product, quantity FROM sales ORDER BY price DESC"
    text = runner.invoke(app, ["sql", str(sales_csv), query])
    assert text.exit_code == 0, text.output
    assert text.output.index("C") < text.output.index("A")

    as_json = runner.invoke(app, ["sql", str(sales_csv), query, "--format", "json"])
    payload = json.loads(as_json.output)
    assert payload["columns"] == ["product", "quantity"]
    assert payload["rows"] == [["C", 600], ["B", 800], ["A", 1000]]
    assert payload["truncated"] is False

    as_csv = runner.invoke(app, ["sql", str(sales_csv), query, "--format", "csv"])
    assert as_csv.output.splitlines() == ["product,quantity", "C,600", "B,800", "A,1000"]


def test_sql_limit_marks_truncation(sales_csv: Path) -> None:
    result = runner.invoke(app, ["sql", str(sales_csv), "SELECT * FROM sales", "--format", "json", "--limit", "2"])
    payload = json.loads(result.output)
    assert len(payload["rows"]) == 2 and payload["truncated"] is True


def test_schema_json_names_the_table(sales_csv: Path) -> None:
    result = runner.invoke(app, ["schema", str(sales_csv), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["table"] == "sales"
    assert [c["name"] for c in payload["columns"]] == ["region", "product", "price", "quantity"]
    assert payload["columns"][2]["type"] == "int64"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHUXI_CACHE_DIR": str(cwd / "cache")}
    return subprocess.run([sys.executable, "-m", "shuxi", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["sql", "missing.csv", "SELECT 1"], "does not exist"),
        (["sql", "sales.csv", "DROP TABLE sales"], "Refused"),
        (["sql", "sales.csv", "SELECT * FROM read_csv('/etc/passwd')"], "Refused"),
        (["sql", "sales.csv", "SELECT pricee FROM sales"], "price"),
        (["schema", "notes.docx"], "extension"),
        (["sql", "sales.csv", "SELECT 1", "--format", "xml"], "xml"),
    ],
)
def test_user_errors_exit_2_without_traceback(sales_csv: Path, args: list[str], fragment: str) -> None:
    (sales_csv.parent / "notes.docx").write_bytes(b"PK\x03\x04 not really")
    done = _run(args, sales_csv.parent)
    assert done.returncode == 2, done.stderr
    assert fragment in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_demo_runs_the_seed_analysis(tmp_path: Path) -> None:
    out = tmp_path / "demo.parquet"
    done = _run(["demo", "--rows", "20000", "--out", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.exists()
    from shuxi.demo import DEMO_QUESTIONS, SEED_QUESTIONS

    text = " ".join(done.stdout.split())
    for question in DEMO_QUESTIONS + SEED_QUESTIONS:
        assert question in text, question
    # The demo writes the charts it mentions, as real PNG files.
    charts = sorted((tmp_path / "charts").glob("*.png"))
    assert len(charts) >= 4 and all(c.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for c in charts)
    assert str(charts[0]) in done.stdout.replace("\n", "")
    # The seed scenario: one product per tier, means 1,000/800/600, variance undefined, r = -1, negative.
    seed = text.split("Seed scenario", 1)[1]
    for label, mean in (("低", "1,000"), ("中", "800"), ("高", "600")):
        assert f"{label}档：行数1，quantity的平均值{mean}，方差无定义" in seed.replace(" ", "").replace("│", ""), seed
    answer = seed.split(SEED_QUESTIONS[1], 1)[1]
    assert "r = -1.000" in answer and "负相关" in answer and "正相关" not in answer
    # The demo never overwrites a file.
    again = _run(["demo", "--rows", "20000", "--out", str(out)], tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
