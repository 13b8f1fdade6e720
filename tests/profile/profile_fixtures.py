"""Tables with one injected problem per column, and other helpers shared by the profile tests."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa

ROWS = 2_000
#: Columns that hold no problem: no alert may name them.
CLEAN_COLUMNS = ("clean_category", "clean_number", "clean_date")
#: (alert code, column) each fixture column is built to trigger.
EXPECTED = [
    ("DUPLICATES", ""), ("MISSING", "note"), ("DIRTY_CATEGORY", "region"), ("UNITS_IN_NUMBERS", "price"),
    ("UNITS_IN_NUMBERS", "amount"), ("NUMBERS_AS_TEXT", "qty_text"), ("DATE_AS_TEXT", "date_text"), ("MIXED_TYPES", "mixed"),
    ("OUTLIERS", "with_outlier"), ("INFINITE", "with_inf"), ("ZEROS", "mostly_zero"), ("CONSTANT", "constant"),
    ("SKEWED", "skewed"), ("IMBALANCE", "is_test"), ("HIGH_CARDINALITY", "code"), ("HIGH_CORRELATION", "twice"),
    ("PII", "email"), ("PII", "phone"), ("PII", "id_number"),
]
#: Rows of the dirty table whose "note" is missing, and how: None, "", "N/A", "-", "无", "  ".
NOTE_MISSING = {0: None, 1: "", 2: "N/A", 3: "-", 4: "无", 5: "  "}


def cn_id(seed: int) -> str:
    """A made-up 18-character Chinese resident ID number with a valid check digit."""
    body = f"110105{1960 + seed % 40}{seed % 12 + 1:02d}{seed % 28 + 1:02d}{seed % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def dirty_table(rows: int = ROWS, *, seed: int = 7) -> pa.Table:
    rng = np.random.default_rng(seed)
    i = np.arange(rows)
    regions = np.array(["华东", "华北", "华南"])[i % 3].astype(object)
    # 12 variants of 华东: padded, with 区, full width; 华北地区 once.
    for j, variant in zip(range(3, 39, 3), ["华东 ", "华东区", " 华东", "华东区"] * 3):
        regions[j] = variant
    regions[4] = "华北地区"
    note = np.array(["ok", "fine", "good"])[i % 3].astype(object)
    for j, value in NOTE_MISSING.items():
        note[j] = value
    mixed = [str(k) if k % 3 else ["abc", "很多", "unknown"][k % 9 // 3] for k in range(rows)]
    with_outlier = rng.normal(50, 5, rows).round(2)
    with_outlier[17] = 5000.0
    with_inf = rng.normal(10, 2, rows)
    with_inf[[8, 9]] = np.inf
    mostly_zero = np.where(i % 2 == 0, 0, rng.integers(1, 100, rows))
    base = rng.normal(0, 1, rows)
    table = pa.table({
        "id": pa.array(i, pa.int64()),
        "clean_category": pa.array(np.array(["red", "green", "blue"])[rng.integers(0, 3, rows)]),
        "clean_number": pa.array(rng.normal(100, 15, rows).round(3)),
        "clean_date": pa.array(np.datetime64("2024-01-01") + rng.integers(0, 300, rows).astype("timedelta64[D]")),
        "region": pa.array(list(regions), pa.string()),
        "note": pa.array(list(note), pa.string()),
        "price": pa.array([f"{p}元" for p in rng.integers(10, 500, rows)]),
        "amount": pa.array([f"${a:,}" for a in rng.integers(1000, 9000, rows)]),
        "qty_text": pa.array([str(q) for q in rng.integers(1, 50, rows)]),
        "date_text": pa.array([f"2024年{m}月{d}日" for m, d in zip(rng.integers(1, 13, rows), rng.integers(1, 29, rows))]),
        "mixed": pa.array(mixed),
        "with_outlier": pa.array(with_outlier),
        "with_inf": pa.array(with_inf),
        "mostly_zero": pa.array(mostly_zero, pa.int64()),
        "constant": pa.array(["CNY"] * rows),
        "skewed": pa.array(np.exp(rng.normal(0, 2.2, rows)).round(4)),
        "is_test": pa.array(["yes" if k % 40 == 0 else "no" for k in range(rows)]),
        "code": pa.array([f"C{k}" for k in rng.integers(0, 1_500, rows)]),
        "base": pa.array(base),
        "twice": pa.array(base * 2 + rng.normal(0, 0.01, rows)),
        "email": pa.array([f"user{k}@example.com" for k in range(rows)]),
        "phone": pa.array([f"13{k:09d}" for k in rng.integers(0, 999_999_999, rows)]),
        "id_number": pa.array([cn_id(k) for k in range(rows)]),
    })
    # Three exact duplicate rows.
    return pa.concat_tables([table, table.take([20, 21, 22])])


def write_gb18030(path: Path) -> Path:
    """A GB18030 CSV of 300 orders with "100元" prices and dirty region spellings."""
    rows = [["订单号", "地区", "单价", "备注"]]
    for k in range(300):
        region = ["华东", "华北", "西南"][k % 3]
        if k in (3, 30, 60):
            region = {3: "华东 ", 30: "华东区", 60: "ＨＤ"}[k]
        if k in (90, 120):
            region = "hd"
        rows.append([str(k + 1), region, f"{100 + k % 50}元", "无" if k % 25 == 0 else "正常"])
    with open(path, "w", newline="", encoding="gb18030") as out:
        csv.writer(out).writerows(rows)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
