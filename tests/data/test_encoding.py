"""Encodings: detection, streaming transcoding into the cache, reuse, and clean-up on failure."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import shuxi
from shuxi.data import encoding
from shuxi.data.encoding import detect_encoding, ensure_utf8
from shuxi.errors import EncodingError

ROWS = "地区,产品,销售额\n华东,苹果,1200\n华北,香蕉,800\n华南,橙子,950\n"


def rows(ds: shuxi.Dataset) -> list[tuple]:
    return [tuple(r.values()) for r in ds.engine.execute(f'SELECT * FROM "{ds.name}"').to_pylist()]


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_chinese_csv_in_every_common_encoding(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "sales.csv"
    data = ROWS.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(codec) + data  # with a byte-order mark, as Excel writes them
    path.write_bytes(data)
    ds = shuxi.open(path)
    assert ds.columns == ["地区", "产品", "销售额"]
    assert rows(ds) == [("华东", "苹果", 1200), ("华北", "香蕉", 800), ("华南", "橙子", 950)]
    assert path.read_bytes() == data  # the user's file is never touched


def test_transcoded_source_records_its_encoding(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(ROWS.encode("gbk"))
    ds = shuxi.open(path)
    assert ds.source.encoding == "gb18030"
    assert ds.schema.metadata[b"shuxi.encoding"] == b"gb18030"


def test_utf8_bom_is_not_part_of_the_first_column_name(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "名称,数量\n苹果,3\n".encode())
    ds = shuxi.open(path)
    assert ds.columns == ["名称", "数量"]
    assert ds.source.paths == (str(path.resolve()),)  # DuckDB skips the BOM itself: no copy needed


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_utf8_bom_json(tmp_path: Path, suffix: str) -> None:
    records = [{"名称": "苹果", "数量": 3}, {"名称": "香蕉", "数量": 5}]
    text = json.dumps(records, ensure_ascii=False) if suffix == ".json" else "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    path = tmp_path / f"data{suffix}"
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    ds = shuxi.open(path)
    assert ds.columns == ["名称", "数量"] and rows(ds) == [("苹果", 3), ("香蕉", 5)]


def test_gbk_after_a_megabyte_of_ascii_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    body = "".join(f"{i},item{i}\n" for i in range(200_000))  # about 2.6 MB of ASCII
    path.write_bytes(("id,name\n" + body + "200000,中文名称\n").encode("gbk"))
    assert detect_encoding(path) == "gb18030"
    ds = shuxi.open(path)
    assert ds.engine.execute(f"SELECT name FROM {ds.name} WHERE id = 200000").column(0).to_pylist() == ["中文名称"]


def test_western_code_page_via_charset_normalizer(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    path.write_bytes("name,city\nRené,Zürich\nJosé,Málaga\nFrançois,Besançon\n".encode("cp1252"))
    ds = shuxi.open(path)
    assert rows(ds) == [("René", "Zürich"), ("José", "Málaga"), ("François", "Besançon")]


def test_utf16_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes(ROWS.encode("utf-16-le"))
    assert detect_encoding(path) == "utf-16-le"
    assert shuxi.open(path).columns == ["地区", "产品", "销售额"]


def test_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(ROWS.encode("gbk"))
    assert shuxi.open(path, encoding="GBK").columns == ["地区", "产品", "销售额"]
    with pytest.raises(EncodingError, match="not an encoding"):
        shuxi.open(path, encoding="klingon")


def test_wrong_explicit_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(("a,b\n" + "1,x\n" * 10 + "2,\ufffe\n").encode("utf-8") + b"3,\xff\n")
    with pytest.raises(EncodingError, match=r"line 12") as info:
        shuxi.open(path, encoding="gb18030")
    assert str(path) in str(info.value)


# -- the cache -----------------------------------------------------------------------------------------


def test_copy_lives_in_the_cache_and_is_reused(tmp_path: Path, cache_dir: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "sales.csv"
    path.write_bytes(ROWS.encode("gb18030"))
    first, found = ensure_utf8(path, encoding=None, cache_dir=cache_dir)
    assert found == "gb18030" and first.parent == cache_dir / "transcoded"
    assert sorted(p.name for p in folder.iterdir()) == ["sales.csv"]  # nothing written next to the file
    stamp = first.stat().st_mtime_ns
    again, _ = ensure_utf8(path, encoding=None, cache_dir=cache_dir)
    assert again == first and again.stat().st_mtime_ns == stamp  # reused, not rewritten

    path.write_bytes((ROWS + "西部,梨,10\n").encode("gb18030"))
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))
    changed, _ = ensure_utf8(path, encoding=None, cache_dir=cache_dir)
    assert changed != first and not first.exists()  # the stale copy is removed
    assert changed.read_text(encoding="utf-8").endswith("西部,梨,10\n")


def test_failed_transcoding_leaves_nothing_behind(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = tmp_path / "bad.csv"
    path.write_bytes(("a,b\n" + "1,中\n" * 1000).encode("gb18030") + b"\xff\xff\n")
    with pytest.raises(EncodingError):
        ensure_utf8(path, encoding="gb18030", cache_dir=cache)
    assert list((cache / "transcoded").iterdir()) == []


def test_interrupted_transcoding_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    path = tmp_path / "big.csv"
    path.write_bytes(("a,b\n" + "1,中文\n" * 5000).encode("gb18030"))
    real = codecs.getincrementaldecoder("gb18030")

    class Interrupting(real):  # type: ignore[misc, valid-type]
        calls = 0

        def decode(self, data: bytes, final: bool = False) -> str:
            Interrupting.calls += 1
            if Interrupting.calls == 3:
                raise KeyboardInterrupt
            return super().decode(data, final)

    monkeypatch.setattr(encoding, "CHUNK_BYTES", 1024)
    monkeypatch.setattr(encoding.codecs, "getincrementaldecoder", lambda name: Interrupting)
    with pytest.raises(KeyboardInterrupt):
        ensure_utf8(path, encoding="gb18030", cache_dir=cache)
    assert list((cache / "transcoded").iterdir()) == []


# -- memory on a big file --------------------------------------------------------------------------------


@pytest.mark.slow
def test_big_gbk_file_transcodes_in_bounded_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big_gbk.csv"
    line = "2024-01-02,华东地区,苹果手机专卖店,1234.50,备注：这是一条比较长的中文说明文字\n"
    block = (line * 10_000).encode("gbk")
    with open(path, "wb") as handle:
        handle.write("日期,地区,门店,金额,备注\n".encode("gbk"))
        while handle.tell() < 200 * 2**20:
            handle.write(block)
    script = textwrap.dedent(f"""
        import json, time
        from pathlib import Path
        from shuxi.data.encoding import ensure_utf8

        def peak():  # the process's peak resident memory so far, in bytes
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024

        before = peak()
        start = time.perf_counter()
        target, found = ensure_utf8(Path({str(path)!r}), encoding=None, cache_dir=Path({str(tmp_path / "cache")!r}))
        print(json.dumps({{"growth": peak() - before, "seconds": time.perf_counter() - start,
                          "found": found, "size": target.stat().st_size}}))
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(shuxi.__file__).parent.parent)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    result = json.loads(out.stdout)
    with capsys.disabled():
        print(f"\ntranscoding {path.stat().st_size / 2**20:.0f} MB of GBK: peak RSS growth "
              f"{result['growth'] / 2**20:.1f} MB, {result['seconds']:.1f}s")
    assert result["found"] == "gb18030"
    assert result["growth"] < 100 * 2**20


def test_wrong_explicit_utf8_is_reported_by_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(ROWS.encode("gbk"))
    with pytest.raises(EncodingError, match="not valid UTF-8") as info:
        shuxi.open(path, encoding="utf-8")
    assert "encoding=" in str(info.value)
