"""The demo: a realistic, deterministic sales data set and the seed analysis run through Plans.

The data imitates an online shop over two years: 60 products in 6 categories with fixed prices, six
regions, quantities that fall as price rises, revenue, 1–5 star ratings and a short Chinese or English
review per order. 10 million rows generate in well under 30 seconds (vectorised NumPy, written to
Parquet in row groups of one million).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from shuxi.plan.ir import Bucket, Dimension, Filter, Measure, Plan

GENERATOR_VERSION = 1
CHUNK_ROWS = 1_000_000
START = dt.date(2023, 1, 1)
DAYS = 731  # 2023-01-01 … 2024-12-31

CATEGORIES = ["电子产品", "家居", "服装", "食品", "图书", "运动"]
REGIONS = ["华东", "华北", "华南", "华中", "西南", "东北"]
REGION_WEIGHTS = [0.30, 0.20, 0.20, 0.12, 0.10, 0.08]
CHANNELS = ["online", "store", "app"]
REVIEWS = {
    1: ["质量太差，非常失望", "完全不能用，要求退货", "Terrible quality, returned it", "Broke after one day"],
    2: ["一般般，有点失望", "物流太慢了", "Not worth the price", "Disappointing, arrived late"],
    3: ["还可以，中规中矩", "价格合适，质量一般", "It's okay for the price", "Average, nothing special"],
    4: ["挺好的，值得购买", "质量不错，物流很快", "Good value, fast delivery", "Works well, would buy again"],
    5: ["非常满意，强烈推荐！", "完美，超出预期", "Excellent, highly recommend!", "Perfect, exceeded expectations"],
}


@dataclass(frozen=True)
class Catalogue:
    names: list[str]
    categories: np.ndarray  # (P,) category index
    prices: np.ndarray  # (P,) unit price
    quality: np.ndarray  # (P,) mean rating


def catalogue(seed: int = 42) -> Catalogue:
    """60 products: 10 per category, prices log-normal around each category's level."""
    rng = np.random.default_rng(seed)
    levels = np.array([1500.0, 400.0, 200.0, 40.0, 60.0, 300.0])
    names, cats, prices = [], [], []
    for c, level in enumerate(levels):
        for i in range(10):
            names.append(f"{CATEGORIES[c]}-{chr(ord('A') + i)}")
            cats.append(c)
            prices.append(round(float(level * rng.lognormal(0.0, 0.5)), 0) + 0.9)
    quality = np.clip(rng.normal(3.8, 0.6, len(names)), 2.0, 4.8)
    return Catalogue(names, np.array(cats), np.array(prices), quality)


def _chunk(rng: np.random.Generator, cat: Catalogue, start_id: int, rows: int) -> pa.Table:
    p = len(cat.names)
    # Cheaper products sell more often: popularity ∝ price^-0.5.
    popularity = cat.prices ** -0.5
    product = rng.choice(p, size=rows, p=popularity / popularity.sum())
    price = cat.prices[product]
    # Quantity per order falls as price rises (elasticity ≈ -0.6) with Poisson noise; at least 1.
    mean_qty = 12.0 * (price / 100.0) ** -0.6
    quantity = np.maximum(1, rng.poisson(mean_qty)).astype(np.int32)
    days = rng.integers(0, DAYS, size=rows)
    # A mild upward trend and a November peak make trends worth asking about.
    boost = rng.random(rows) < (0.08 * (days >= 304) * (days < 334) + 0.08 * (days >= 669) * (days < 699))
    days = np.where(boost, rng.integers(304, 334, size=rows) + 365 * (days >= 365), days)
    date = pa.array(np.datetime64(START, "D") + days.astype("timedelta64[D]"), pa.date32())
    region = rng.choice(len(REGIONS), size=rows, p=REGION_WEIGHTS)
    channel = rng.choice(len(CHANNELS), size=rows, p=[0.5, 0.2, 0.3])
    rating = np.clip(np.rint(rng.normal(cat.quality[product], 0.9)), 1, 5).astype(np.int8)
    review_choice = rng.integers(0, 4, size=rows)
    review_index = (rating.astype(np.int32) - 1) * 4 + review_choice
    review_texts = [t for stars in range(1, 6) for t in REVIEWS[stars]]
    return pa.table({
        "order_id": pa.array(np.arange(start_id, start_id + rows, dtype=np.int64)),
        "order_date": date,
        "region": pa.DictionaryArray.from_arrays(pa.array(region.astype(np.int32)), REGIONS),
        "channel": pa.DictionaryArray.from_arrays(pa.array(channel.astype(np.int32)), CHANNELS),
        "product": pa.DictionaryArray.from_arrays(pa.array(product.astype(np.int32)), cat.names),
        "category": pa.DictionaryArray.from_arrays(pa.array(cat.categories[product].astype(np.int32)), CATEGORIES),
        "price": pa.array(price),
        "quantity": pa.array(quantity),
        "revenue": pa.array(np.round(price * quantity, 2)),
        "rating": pa.array(rating),
        "review": pa.DictionaryArray.from_arrays(pa.array(review_index.astype(np.int32)), review_texts),
    })


def generate_sales(path: Path, *, rows: int = 1_000_000, seed: int = 42,
                   progress: Callable[[int], None] | None = None) -> Path:
    """Write ``rows`` demo orders to ``path`` (Parquet), atomically: a partial file never has the final name."""
    if rows < 1:
        from shuxi.errors import ConfigError

        raise ConfigError(f"The demo needs at least one row, not {rows}.")
    cat = catalogue(seed)
    rng = np.random.default_rng(seed + 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + f".{os.getpid()}.partial")
    writer = None
    try:
        done = 0
        while done < rows:
            n = min(CHUNK_ROWS, rows - done)
            table = _chunk(rng, cat, done + 1, n)
            if writer is None:
                writer = pq.ParquetWriter(partial, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=CHUNK_ROWS)
            done += n
            if progress:
                progress(n)
        assert writer is not None
        writer.close()
        writer = None
        os.replace(partial, path)
    finally:
        if writer is not None:
            writer.close()
        partial.unlink(missing_ok=True)
    return path


def demo_path(cache_dir: Path, rows: int) -> Path:
    return Path(cache_dir) / "demo" / f"v{GENERATOR_VERSION}-{rows}" / "sales.parquet"


def seed_plans(table: str, *, price: str = "price", quantity: str = "quantity", language: str = "en") -> tuple[Plan, Plan]:
    """The seed analysis: price tiers (tertiles of distinct prices) with count, mean and variance of quantity,
    and the price–quantity correlation."""
    tiers = Plan(
        kind="tiers", table=table, language=language,  # type: ignore[arg-type]
        dimensions=[Dimension(column=price, bucket=Bucket(method="quantiles", n=3, distinct=True), alias="price_tier")],
        measures=[Measure(agg="count", alias="orders"), Measure(agg="mean", column=quantity),
                  Measure(agg="var", column=quantity)],
    )
    correlation = Plan(
        kind="correlate", table=table, language=language,  # type: ignore[arg-type]
        measures=[Measure(agg="corr", column=price, other=quantity, alias="r"), Measure(agg="count", alias="n")],
        # n counts the pairs the coefficient is computed from: rows where both values are present.
        filters=[Filter(column=price, op="not_null"), Filter(column=quantity, op="not_null")],
    )
    return tiers, correlation


#: What `shuxi demo` asks of the generated orders, in both languages, the seed analysis included.
DEMO_QUESTIONS = [
    "按价格把产品分成高、中、低三档，每档销量的平均值和方差",
    "what is the correlation between price and quantity",
    "哪个地区的销售额最高",
    "monthly revenue trend in 2024",
    "各品类的销售额占比",
    "compare the average rating between online and app",
]
#: And of the seed scenario's three products, where the source article got the sign wrong.
SEED_QUESTIONS = [
    "按价格把产品分成高、中、低三档，每档销量的平均值和方差",
    "价格和销量是正相关还是负相关",
]


def seed_table() -> pa.Table:
    """The scenario from the article shuxi answers correctly: three products, sales fall as price rises."""
    return pa.table({"product": ["A", "B", "C"], "price": [100, 200, 300], "quantity": [1000, 800, 600]})
