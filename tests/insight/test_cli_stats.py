"""``shuxi stats``: thin commands whose numbers match the library, with user errors as exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shuxi.cli import app

runner = CliRunner()


@pytest.fixture()
def sales(tmp_path: Path) -> Path:
    rows = ["地区,产品,价格,销量"] + [f"{'华东' if i % 2 else '华南'},P{i},{100 + 10 * i},{2000 - 15 * i + (i % 3) * 7}"
                                     for i in range(30)]
    path = tmp_path / "sales.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_corr_json_and_chinese_text(sales: Path, tmp_path: Path) -> None:
    done = runner.invoke(app, ["stats", "corr", str(sales), "价格", "销量", "--format", "json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.output)
    assert payload["n"] == 30 and payload["direction"] == "negative" and payload["r"] < -0.99
    assert payload["text"].startswith("r = -") and "负相关" in payload["text"]  # Chinese names → Chinese text

    chart = tmp_path / "corr.png"
    done = runner.invoke(app, ["stats", "corr", str(sales), "价格", "销量", "--method", "spearman", "--lang", "en",
                               "--chart", str(chart)])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("ρ = -1.000 (n = 30): a perfect negative correlation")
    assert chart.read_bytes()[:4] == b"\x89PNG"

    again = runner.invoke(app, ["stats", "corr", str(sales), "价格", "销量", "--chart", str(chart)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_drivers_and_hist(sales: Path, tmp_path: Path) -> None:
    done = runner.invoke(app, ["stats", "drivers", str(sales), "销量", "--format", "json"])
    assert done.exit_code == 0, done.output
    drivers = json.loads(done.output)["drivers"]
    assert drivers[0]["column"] == "价格" and drivers[0]["r"] < -0.99
    assert {d["column"]: d["note"] for d in drivers}["产品"] == "undefined"  # one row per product: no η²

    text = runner.invoke(app, ["stats", "drivers", str(sales), "销量"])
    assert text.exit_code == 0 and "Association, not causation." in text.output

    svg = tmp_path / "hist.svg"
    done = runner.invoke(app, ["stats", "hist", str(sales), "价格", "--bins", "5", "--format", "json", "--chart", str(svg)])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.output)
    assert payload["summary"]["n"] == 30 and payload["summary"]["median"] == pytest.approx(245.0)
    assert sum(b["count"] for b in payload["histogram"]) == 30
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg")


@pytest.mark.parametrize(("args", "message"), [
    (["stats", "corr", "{data}", "价格", "销售"], "does not exist"),
    (["stats", "corr", "{data}", "价格", "地区"], "not numbers"),
    (["stats", "drivers", "{data}", "地区"], "not numbers"),
    (["stats", "hist", "{data}", "产品"], "not numbers"),
    (["stats", "hist", "{data}", "价格", "--chart", "out.jpg"], "unknown file type"),
])
def test_user_errors_exit_2(sales: Path, args: list[str], message: str) -> None:
    done = runner.invoke(app, [a.format(data=sales) for a in args])
    assert done.exit_code == 2 and message in done.output
