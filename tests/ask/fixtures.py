"""Tables and answer checks for the analyst suite (tests/ask/test_analyst_suite.py).

Every table is generated here with a fixed seed and written to the file format an analyst would hand shuxi:

- ``seed_zh`` / ``seed_en``: the seed scenario, three products A/B/C priced 100/200/300 selling 1000/800/600
  (UTF-8 CSV, Chinese and English headers);
- ``orders``: 800 orders in a GB18030 CSV with Chinese headers and the cell forms Chinese spreadsheets use
  ("4999元", "1,200", "12.5%", "2024年3月5日", 是/否);
- ``sales``: 1,500 orders over 2023–2024 in Parquet with English headers, real dates and a boolean;
- ``medals`` / ``medals_zh``: a WikiTableQuestions-style medal table (file order = rank).

The ground truth never goes through shuxi: :func:`truth_connection` gives a plain DuckDB connection on which
each table is the fixture file itself (CSV, Parquet) or, for the GB18030 file, the clean typed values the file
was written from. Comparing shuxi's answer with it therefore also checks shuxi's reading of the file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REL_TOL = 1e-9


# -- the tables ----------------------------------------------------------------------------------------------


@dataclass
class Table:
    """One fixture table: the file shuxi opens and how the truth connection sees the same data."""

    name: str
    path: Path
    #: Clean values registered in the truth connection; None means DuckDB reads ``path`` itself.
    clean: pa.Table | None = None


def write_seed(folder: Path) -> list[Table]:
    zh = folder / "seed_zh.csv"
    zh.write_text("产品,价格,销量\nA,100,1000\nB,200,800\nC,300,600\n", encoding="utf-8")
    en = folder / "seed_en.csv"
    en.write_text("product,price,quantity\nA,100,1000\nB,200,800\nC,300,600\n", encoding="utf-8")
    return [Table("seed_zh", zh), Table("seed_en", en)]


ZH_REGIONS = {"华东": (0.32, ["上海", "杭州", "南京"]), "华北": (0.24, ["北京", "天津"]),
              "华南": (0.20, ["广州", "深圳"]), "西南": (0.14, ["成都", "重庆"]), "东北": (0.10, ["沈阳", "哈尔滨"])}
ZH_PRODUCTS = [  # name, category, unit price (元), typical quantity per order
    ("笔记本电脑", "电子产品", 4999, 3), ("手机", "电子产品", 2999, 5), ("平板电脑", "电子产品", 1999, 4),
    ("耳机", "电子产品", 299, 20), ("签字笔", "办公用品", 5, 900), ("笔记本", "办公用品", 12, 400),
    ("打印纸", "办公用品", 25, 150), ("办公椅", "家具", 699, 8), ("书桌", "家具", 899, 6),
]
ZH_DISCOUNTS = [0.0, 0.05, 0.10, 0.125, 0.15]


def write_orders(folder: Path, *, rows: int = 800, seed: int = 20240305) -> Table:
    """The GB18030 orders file and the typed values it was written from."""
    rng = np.random.default_rng(seed)
    regions = list(ZH_REGIONS)
    weights = np.array([ZH_REGIONS[r][0] for r in regions])
    start, days = dt.date(2023, 1, 1), (dt.date(2024, 6, 30) - dt.date(2023, 1, 1)).days + 1
    clean: dict[str, list[Any]] = {k: [] for k in
                                   ["订单号", "地区", "城市", "产品", "类别", "单价", "数量", "销售额", "折扣", "日期",
                                    "客户类型", "是否退货", "配送天数", "满意度"]}
    lines = [",".join(clean)]
    for i in range(rows):
        region = regions[rng.choice(len(regions), p=weights / weights.sum())]
        city = ZH_REGIONS[region][1][rng.integers(len(ZH_REGIONS[region][1]))]
        name, category, price, typical = ZH_PRODUCTS[rng.integers(len(ZH_PRODUCTS))]
        company = bool(rng.random() < 0.4)
        quantity = int(max(1, rng.poisson(typical * (2.5 if company else 1.0))))
        discount = float(ZH_DISCOUNTS[rng.integers(len(ZH_DISCOUNTS))])
        amount = float(repr(round(price * quantity * (1 - discount), 2)))
        date = start + dt.timedelta(days=int(rng.integers(days)))
        returned = bool(rng.random() < 0.08)
        delivery = int(rng.integers(1, 8))
        satisfaction = int(np.clip(round(5.6 - 0.6 * delivery + rng.normal(0, 0.4)), 1, 5))
        row = [f"D{i + 1:05d}", region, city, name, category, price, quantity, amount, discount, date,
               "企业" if company else "个人", returned, delivery, satisfaction]
        for key, value in zip(clean, row):
            clean[key].append(value)
        cells = [f"D{i + 1:05d}", region, city, name, category,
                 f"{price}元" if i % 3 else str(price),            # some unit prices carry 元
                 f'"{quantity:,}"' if quantity >= 1000 else str(quantity),  # "1,200"
                 repr(amount), f"{discount * 100:g}%",             # 12.5%
                 f"{date.year}年{date.month}月{date.day}日",
                 "企业" if company else "个人", "是" if returned else "否", str(delivery), str(satisfaction)]
        lines.append(",".join(cells))
    path = folder / "orders.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return Table("orders", path, clean=pa.table(clean))


EN_REGIONS = {"East": 0.31, "North": 0.23, "South": 0.19, "West": 0.16, "Central": 0.11}
EN_PRODUCTS = [  # name, category, unit price, typical quantity per order
    ("Laptop Pro", "Electronics", 1299.0, 2), ("Phone X", "Electronics", 799.0, 3),
    ("Tablet Pro", "Electronics", 599.0, 3), ("Headphones", "Electronics", 149.0, 6),
    ("Pen Set", "Office", 12.5, 40), ("Notebook", "Office", 7.9, 60), ("Printer Paper", "Office", 29.9, 15),
    ("Office Chair", "Furniture", 249.0, 4), ("Desk", "Furniture", 399.0, 2),
]
EN_SEGMENTS = {"Consumer": 0.5, "Corporate": 0.3, "Home Office": 0.2}


def write_sales(folder: Path, *, rows: int = 1500, seed: int = 7) -> Table:
    """The Parquet orders file (English headers, dates across 2023–2024, a boolean)."""
    rng = np.random.default_rng(seed)
    regions, segments = list(EN_REGIONS), list(EN_SEGMENTS)
    region_p = np.array(list(EN_REGIONS.values()))
    segment_p = np.array(list(EN_SEGMENTS.values()))
    product_idx = rng.integers(len(EN_PRODUCTS), size=rows)
    segment_idx = rng.choice(len(segments), size=rows, p=segment_p / segment_p.sum())
    typical = np.array([p[3] for p in EN_PRODUCTS])[product_idx]
    # Corporate buyers order more per order, so "compare Consumer and Corporate" has a real difference.
    quantity = np.maximum(1, rng.poisson(typical * np.where(segment_idx == 1, 1.6, 1.0))).astype(np.int64)
    price = np.array([p[2] for p in EN_PRODUCTS])[product_idx]
    delivery = rng.integers(1, 11, size=rows)
    satisfaction = np.clip(np.rint(5.8 - 0.45 * delivery + rng.normal(0, 0.5, rows)), 1, 5).astype(np.int64)
    dates = np.datetime64("2023-01-01") + rng.integers(0, 731, size=rows).astype("timedelta64[D]")
    table = pa.table({
        "order_id": np.arange(1, rows + 1, dtype=np.int64),
        "order_date": pa.array(dates, pa.date32()),
        "region": [regions[i] for i in rng.choice(len(regions), size=rows, p=region_p / region_p.sum())],
        "product": [EN_PRODUCTS[i][0] for i in product_idx],
        "category": [EN_PRODUCTS[i][1] for i in product_idx],
        "price": price,
        "quantity": quantity,
        "revenue": np.round(price * quantity, 2),
        "customer_segment": [segments[i] for i in segment_idx],
        "returned": rng.random(rows) < 0.07,
        "delivery_days": delivery.astype(np.int64),
        "satisfaction": satisfaction,
    })
    path = folder / "sales.parquet"
    pq.write_table(table, path)
    return Table("sales", path)


MEDALS = [  # Tokyo 2020, top 12 in table order
    ("United States", "美国", 39, 41, 33), ("China", "中国", 38, 32, 18), ("Japan", "日本", 27, 14, 17),
    ("Great Britain", "英国", 22, 21, 22), ("Australia", "澳大利亚", 17, 7, 22), ("Netherlands", "荷兰", 10, 12, 14),
    ("France", "法国", 10, 12, 11), ("Germany", "德国", 10, 11, 16), ("Italy", "意大利", 10, 10, 20),
    ("Canada", "加拿大", 7, 6, 11), ("Brazil", "巴西", 7, 6, 8), ("New Zealand", "新西兰", 7, 6, 7),
]


def write_medals(folder: Path) -> list[Table]:
    en = ["rank,nation,gold,silver,bronze,total"]
    zh = ["名次,国家,金牌,银牌,铜牌,总数"]
    for rank, (nation, guojia, g, s, b) in enumerate(MEDALS, start=1):
        en.append(f"{rank},{nation},{g},{s},{b},{g + s + b}")
        zh.append(f"{rank},{guojia},{g},{s},{b},{g + s + b}")
    (folder / "medals.csv").write_text("\n".join(en) + "\n", encoding="utf-8")
    (folder / "medals_zh.csv").write_text("\n".join(zh) + "\n", encoding="utf-8")
    return [Table("medals", folder / "medals.csv"), Table("medals_zh", folder / "medals_zh.csv")]


def write_tables(folder: Path) -> dict[str, Table]:
    """Write every fixture table into ``folder``; keyed by the table name shuxi gives each file."""
    tables = [*write_seed(folder), write_orders(folder), write_sales(folder), *write_medals(folder)]
    return {t.name: t for t in tables}


def truth_connection(tables: dict[str, Table]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection, independent of shuxi, where each table reads its file (or its clean values)."""
    con = duckdb.connect()
    for t in tables.values():
        if t.clean is not None:
            con.register(t.name, t.clean)
        elif t.path.suffix == ".parquet":
            con.execute(f"CREATE VIEW {t.name} AS SELECT * FROM read_parquet('{t.path}')")
        else:
            con.execute(f"CREATE VIEW {t.name} AS SELECT * FROM read_csv('{t.path}', header=true)")
    return con


# -- comparing an answer with the truth ----------------------------------------------------------------------

#: Tier labels an answer may use for the tiers a question names.
LABEL_ALIASES = {
    "low": ("low", "lower", "cheap"), "medium": ("medium", "middle", "mid"), "high": ("high", "upper", "expensive"),
    "低": ("低",), "中": ("中",), "高": ("高",),
}


def normalise(value: Any) -> Any:
    """Arrow/Python/NumPy cells as plain Python: Decimal → float, datetime → date, NaN → None."""
    if isinstance(value, np.generic):
        value = value.item()
    if hasattr(value, "as_py"):
        value = value.as_py()
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, bool) or value is None or isinstance(value, (str, dt.date)):
        return value
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return None if math.isnan(number) else number


_QUARTER = re.compile(r"^(\d{4})\s*(?:-|年)?\s*(?:Q|第)([1-4一二三四])(?:季度)?$", re.I)


def _as_period_start(value: Any) -> dt.date | None:
    """A period label an answer might show ("2024-03", "2024-Q1", "2024年3月", 2024) as its first day."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and 1900 <= value <= 2200:
        return dt.date(value, 1, 1)
    if not isinstance(value, str):
        return None
    text = value.strip()
    quarter = _QUARTER.match(text)
    if quarter:
        q = "1234一二三四".index(quarter.group(2)) % 4 + 1
        return dt.date(int(quarter.group(1)), 3 * q - 2, 1)
    match = re.match(r"^(\d{4})(?:[-/年](\d{1,2})月?)?(?:[-/月](\d{1,2})日?)?$", text)
    if match:
        year, month, day = match.group(1), match.group(2), match.group(3)
        try:
            return dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return None
    return None


def cell_matches(expected: Any, got: Any, *, labels: bool = False) -> bool:
    """One cell of the truth against one cell of the answer (numbers within 1e-9 relative)."""
    expected, got = normalise(expected), normalise(got)
    if expected is None:
        return got is None
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected == got
    if isinstance(expected, (int, float)):
        if isinstance(got, (int, float)):
            return math.isclose(expected, got, rel_tol=REL_TOL, abs_tol=1e-12)
        return False
    if isinstance(expected, dt.date):
        return _as_period_start(got) == expected
    if isinstance(expected, str):
        if not isinstance(got, str):
            return False
        if got.strip() == expected:
            return True
        if labels:
            options = LABEL_ALIASES.get(expected.lower(), (expected.lower(),))
            return any(o in got.lower() for o in options)
        return False
    return bool(expected == got)


def rows_of(table: pa.Table) -> list[tuple[Any, ...]]:
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return list(zip(*columns)) if columns else []


def _sort_key(row: Sequence[Any]) -> tuple[Any, ...]:
    key = []
    for cell in row:
        cell = normalise(cell)
        if cell is None:
            key.append((0, ""))
        elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
            key.append((1, f"{float(cell):.6e}" if cell else "0"))
        else:
            key.append((2, str(cell)))
    return tuple(key)


def table_contains(expected: pa.Table, got: pa.Table, *, ordered: bool, labels: bool = False) -> str | None:
    """None when some columns of ``got`` hold exactly the rows of ``expected`` (else the reason).

    The answer may name and order its columns as it likes and carry extra columns (counts, shares), but it must
    have the same number of rows, and for one assignment of its columns to the truth's columns every row must match
    (in the same order when ``ordered``).
    """
    want, have = rows_of(expected), rows_of(got)
    if len(want) != len(have):
        return f"{len(have)} rows, expected {len(want)}"
    if not want:
        return None
    if not ordered:
        want = sorted(want, key=_sort_key)
    for mapping in itertools.permutations(range(got.num_columns), expected.num_columns):
        picked = [tuple(row[c] for c in mapping) for row in have]
        if not ordered:
            # Sort the answer on the truth's columns so that rows line up with the sorted truth.
            picked = sorted(picked, key=_sort_key)
        if all(cell_matches(e, g, labels=labels) for w, p in zip(want, picked) for e, g in zip(w, p)):
            return None
    return "no choice of the answer's columns reproduces the expected rows"


def values_match(expected: Iterable[Any], got: Iterable[Any]) -> bool:
    want, have = list(expected), list(got)
    return len(want) == len(have) and all(cell_matches(e, g) for e, g in zip(want, have))


def numbers_in(table: pa.Table) -> list[float]:
    found = []
    for row in rows_of(table):
        for cell in row:
            cell = normalise(cell)
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                found.append(float(cell))
    return found


@dataclass(frozen=True)
class Expect:
    """What a question's answer is checked against (see the module docstring of the suite)."""

    #: values: ``answer.values`` equals the truth's cells in order (one row or one column);
    #: first: ``answer.values[0]`` equals the truth's first cell;
    #: rows: ``answer.table`` holds the truth's rows (any order); ordered: the same rows in order;
    #: numbers: every number of the truth appears among the answer table's numbers.
    how: Literal["values", "first", "rows", "ordered", "numbers"] = "values"
    labels: bool = False
    stats: dict[str, Any] = field(default_factory=dict)
