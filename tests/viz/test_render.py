"""save_chart: real PNG/SVG files, Chinese glyphs that render, atomic writes, no silent overwrite."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pytest

from shuxi.errors import DataError
from shuxi.viz.charts import chart_for
from shuxi.viz.render import render_chart, save_chart

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _regions(labels: list[str]) -> dict:
    spec = chart_for("group", pa.table({"地区": labels, "销售额": [3.0, 5.0]}), x="地区", y="销售额")
    assert spec is not None
    return spec


def test_png_is_a_real_image_of_the_expected_size(tmp_path: Path) -> None:
    table = pa.table({"价格": [100.0, 200.0, 300.0], "销量": [1000.0, 800.0, 600.0]})
    spec = chart_for("correlate", table, x="价格", y="销量", title="价格与销量", language="zh")
    assert spec is not None
    path = save_chart(spec, tmp_path / "scatter.png")
    data = path.read_bytes()
    width, height = _png_size(data)
    # 480×300 plot plus axes and title, drawn at scale 2.
    assert 2 * 480 < width < 2 * 700 and 2 * 300 < height < 2 * 450
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_chinese_labels_render_as_distinct_glyphs() -> None:
    """Without a CJK font every Chinese character is the same empty box, so two charts that differ only in their
    Chinese labels come out pixel-identical; with the bundled Noto Sans CJK they differ."""
    first = render_chart(_regions(["华东", "华南"]))
    second = render_chart(_regions(["西北", "东北"]))
    assert first != second
    assert render_chart(_regions(["华东", "华南"])) == first  # rendering is deterministic


def test_the_font_is_what_makes_the_difference() -> None:
    """The premise of the test above: vl-convert alone (no font registered) draws both as identical boxes."""
    script = textwrap.dedent("""
        import json, vl_convert
        from shuxi.viz.charts import chart_for
        import pyarrow as pa
        def png(labels):
            spec = chart_for("group", pa.table({"地区": labels, "销售额": [3.0, 5.0]}), x="地区", y="销售额")
            spec["config"] = {"font": "Noto Sans CJK SC"}
            return vl_convert.vegalite_to_png(json.dumps(spec), scale=2)
        print(png(["华东", "华南"]) == png(["西北", "东北"]))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_svg_by_suffix(tmp_path: Path) -> None:
    path = save_chart(_regions(["华东", "华南"]), tmp_path / "chart.SVG")
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and "华东" in text and "Noto Sans CJK SC" in text


def test_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "chart.png"
    target.write_bytes(b"keep me")
    with pytest.raises(DataError, match="already exists") as info:
        save_chart(_regions(["华东", "华南"]), target)
    assert "overwrite" in str(info.value)
    assert target.read_bytes() == b"keep me" and list(tmp_path.iterdir()) == [target]
    save_chart(_regions(["华东", "华南"]), target, overwrite=True)
    assert target.read_bytes()[:8] == PNG_MAGIC and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("name", ["chart.jpg", "chart", "chart.pdf"])
def test_unknown_suffix_is_a_clear_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(DataError, match="unknown file type") as info:
        save_chart(_regions(["a", "b"]), tmp_path / name)
    assert ".png or .svg" in str(info.value) and not list(tmp_path.iterdir())


def test_missing_folder_and_folder_target(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        save_chart(_regions(["a", "b"]), tmp_path / "nowhere" / "chart.png")
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(DataError, match="is a folder"):
        save_chart(_regions(["a", "b"]), tmp_path / "dir.png")


def test_invalid_spec_and_external_data_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="could not be drawn"):
        save_chart({"mark": "bar", "encoding": {"x": {"field": "a", "type": "bogus"}}}, tmp_path / "bad.png")
    remote = {"data": {"url": "https://example.com/data.csv"}, "mark": "bar",
              "encoding": {"x": {"field": "a", "type": "nominal"}}}
    with pytest.raises(DataError, match="not allowed"):
        save_chart(remote, tmp_path / "remote.png")
    assert not list(tmp_path.iterdir())


def test_every_kind_renders(tmp_path: Path) -> None:
    import datetime as dt

    specs = {
        "bar": _regions(["华东", "华南"]),
        "grouped": chart_for("group", pa.table({"t": ["低", "低", "高", "高"], "y": ["23", "24", "23", "24"],
                                                 "v": [1.0, 2.0, 3.0, 4.0]}), x="t", y="v", color="y"),
        "trend": chart_for("trend", pa.table({"d": [dt.date(2024, 1, 1), dt.date(2024, 2, 1)], "v": [1, 2]}),
                           x="d", y="v", language="zh"),
        "hist": chart_for("distribution", pa.table({"bin_start": [0.0, 1.0], "bin_end": [1.0, 2.0], "count": [3, 1]}),
                          x="v", y=None),
        "dotted": chart_for("group", pa.table({"r": ["a", "b"], "s.t": [1.0, 2.0]}), x="r", y="s.t"),
    }
    sizes = {}
    for name, spec in specs.items():
        assert spec is not None
        sizes[name] = _png_size(save_chart(spec, tmp_path / f"{name}.png").read_bytes())
    assert all(w > 100 and h > 100 for w, h in sizes.values())
    # The dotted field resolved (escaped): its bars have height, so the SVG has the axis ticks up to 2.
    svg = render_chart(specs["dotted"], fmt="svg").decode()
    assert ">2.0<" in svg or ">2<" in svg
