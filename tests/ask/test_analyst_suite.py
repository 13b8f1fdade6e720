"""The analyst suite: questions in Chinese and English, each checked against hand-written SQL.

Every question names a fixture table (tests/ask/fixtures.py), the SQL that answers it, written by hand and run
by plain DuckDB on the fixture file (never through shuxi's planner), and how ``ds.ask``'s answer is compared
with that SQL's result (:class:`fixtures.Expect`). Statistics (correlation, two-group comparison) are checked
against SciPy. The readable list of the questions, grouped by kind, is tests/ask/analyst_questions.md.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import shuxi


def _load_fixtures() -> Any:
    # Loaded by path under a unique name: several test folders may have a fixtures.py.
    name = "shuxi_tests_ask_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fixtures.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fx = _load_fixtures()
Expect = fx.Expect
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Q:
    """One suite question: what is asked, of which table, the SQL that answers it, and how to compare."""

    kind: str
    question: str
    table: str
    truth: str
    expect: Any = Expect()

    @property
    def language(self) -> str:
        return "zh" if CJK.search(self.question) else "en"


V, FIRST = Expect("values"), Expect("first")
ROWS, ORDERED = Expect("rows"), Expect("ordered")
TIERS = Expect("rows", labels=True)


def pearson(table: str, x: str, y: str) -> Expect:
    return Expect("values", stats={"test": "pearson", "table": table, "x": x, "y": y})


def quartiles(table: str, column: str) -> Expect:
    # A histogram in the answer's stats is optional; when there is one, its bin counts are checked too.
    return Expect("numbers", stats={"test": "histogram", "table": table, "column": column})


def two_groups(table: str, value: str, group: str, a: str, b: str) -> Expect:
    return Expect("rows", stats={"test": "two_groups", "table": table, "value": value, "group": group, "a": a, "b": b})


# Ranking numeric candidates by |r| with the target: the strongest one must be the answer's first driver.
_DRIVER_ZH = """SELECT c FROM (VALUES
  ('配送天数', (SELECT abs(corr(满意度, 配送天数)) FROM orders)), ('单价', (SELECT abs(corr(满意度, 单价)) FROM orders)),
  ('数量', (SELECT abs(corr(满意度, 数量)) FROM orders)), ('销售额', (SELECT abs(corr(满意度, 销售额)) FROM orders)),
  ('折扣', (SELECT abs(corr(满意度, 折扣)) FROM orders))) t(c, r) ORDER BY r DESC LIMIT 1"""
_DRIVER_EN = """SELECT c FROM (VALUES
  ('delivery_days', (SELECT abs(corr(satisfaction, delivery_days)) FROM sales)),
  ('price', (SELECT abs(corr(satisfaction, price)) FROM sales)),
  ('quantity', (SELECT abs(corr(satisfaction, quantity)) FROM sales)),
  ('revenue', (SELECT abs(corr(satisfaction, revenue)) FROM sales))) t(c, r) ORDER BY r DESC LIMIT 1"""

# Tertiles of the distinct prices (each product in one tier), as in the seed analysis.
_TERTILE_ZH = "WITH p AS (SELECT 价格, ntile(3) OVER (ORDER BY 价格) AS t FROM (SELECT DISTINCT 价格 FROM seed_zh)) "
_TERTILE_EN = "WITH p AS (SELECT price, ntile(3) OVER (ORDER BY price) AS t FROM (SELECT DISTINCT price FROM seed_en)) "
_ORDERS_TERTILE = "WITH p AS (SELECT 单价, ntile(3) OVER (ORDER BY 单价) AS t FROM (SELECT DISTINCT 单价 FROM orders)) "
_SALES_TERTILE = ("WITH p AS (SELECT price, ntile(3) OVER (ORDER BY price) AS t "
                  "FROM (SELECT DISTINCT price FROM sales)) ")

QUESTIONS: list[Q] = [
    # ---------------------------------------------------------------- the seed (3 products)
    Q("tiers (tertiles)", "按价格把产品分成高、中、低三档，每档销量的平均值和方差", "seed_zh",
      _TERTILE_ZH + "SELECT CASE t WHEN 1 THEN '低' WHEN 2 THEN '中' ELSE '高' END, avg(销量), var_samp(销量) "
      "FROM seed_zh JOIN p USING (价格) GROUP BY t ORDER BY t", TIERS),
    Q("correlation", "价格和销量的相关系数是多少", "seed_zh",
      "SELECT corr(价格, 销量) FROM seed_zh", pearson("seed_zh", "价格", "销量")),
    Q("lookup", "产品B的价格是多少", "seed_zh", "SELECT 价格 FROM seed_zh WHERE 产品 = 'B'", V),
    Q("arg-max", "哪个产品销量最高", "seed_zh", "SELECT 产品 FROM seed_zh ORDER BY 销量 DESC LIMIT 1", V),
    Q("count (filter >)", "价格超过150的产品有几个", "seed_zh", "SELECT count(*) FROM seed_zh WHERE 价格 > 150", V),
    Q("tiers (tertiles)", "Split the products into high, medium and low price tiers and show the mean and variance "
      "of quantity in each tier", "seed_en",
      _TERTILE_EN + "SELECT CASE t WHEN 1 THEN 'low' WHEN 2 THEN 'medium' ELSE 'high' END, avg(quantity), "
      "var_samp(quantity) FROM seed_en JOIN p USING (price) GROUP BY t ORDER BY t", TIERS),
    Q("correlation", "What is the correlation between price and quantity?", "seed_en",
      "SELECT corr(price, quantity) FROM seed_en", pearson("seed_en", "price", "quantity")),
    Q("lookup", "What is the price of product C?", "seed_en", "SELECT price FROM seed_en WHERE product = 'C'", V),
    Q("arg-max", "Which product has the highest quantity?", "seed_en",
      "SELECT product FROM seed_en ORDER BY quantity DESC LIMIT 1", V),
    Q("count (filter >)", "How many products cost more than 150?", "seed_en",
      "SELECT count(*) FROM seed_en WHERE price > 150", V),
    Q("sum", "What is the total quantity?", "seed_en", "SELECT sum(quantity) FROM seed_en", V),

    # ---------------------------------------------------------------- orders: GB18030 CSV, Chinese headers
    Q("count", "一共有多少笔订单？", "orders", "SELECT count(*) FROM orders", V),
    Q("count (filter =)", "华东地区有多少笔订单", "orders", "SELECT count(*) FROM orders WHERE 地区 = '华东'", V),
    Q("sum", "总销售额是多少", "orders", "SELECT sum(销售额) FROM orders", V),
    Q("mean", "平均单价是多少？", "orders", "SELECT avg(单价) FROM orders", V),
    Q("median", "销售量的中位数是多少", "orders", "SELECT median(数量) FROM orders", V),
    Q("max", "最大的一笔订单销售额是多少", "orders", "SELECT max(销售额) FROM orders", V),
    Q("min", "最低折扣是多少", "orders", "SELECT min(折扣) FROM orders", V),
    Q("std", "营收的标准差", "orders", "SELECT stddev_samp(销售额) FROM orders", V),
    Q("variance", "数量的方差是多少", "orders", "SELECT var_samp(数量) FROM orders", V),
    Q("count distinct", "一共有多少个不同的城市", "orders", "SELECT count(DISTINCT 城市) FROM orders", V),
    Q("group by one", "各地区的总销售额", "orders", "SELECT 地区, sum(销售额) FROM orders GROUP BY 地区", ROWS),
    Q("group by two", "每个地区每种客户类型的订单数", "orders",
      "SELECT 地区, 客户类型, count(*) FROM orders GROUP BY 地区, 客户类型", ROWS),
    Q("top k", "销售额最高的三个地区", "orders",
      "SELECT 地区, sum(销售额) AS s FROM orders GROUP BY 地区 ORDER BY s DESC LIMIT 3", ORDERED),
    Q("bottom k", "销量最少的两个产品", "orders",
      "SELECT 产品, sum(数量) AS s FROM orders GROUP BY 产品 ORDER BY s LIMIT 2", ORDERED),
    Q("arg-max", "哪个地区的销售额最高", "orders",
      "SELECT 地区 FROM orders GROUP BY 地区 ORDER BY sum(销售额) DESC LIMIT 1", V),
    Q("arg-min", "哪个城市的平均折扣最低", "orders",
      "SELECT 城市 FROM orders GROUP BY 城市 ORDER BY avg(折扣) LIMIT 1", V),
    Q("count (filter >)", "单价超过1000元的订单有多少笔", "orders", "SELECT count(*) FROM orders WHERE 单价 > 1000", V),
    Q("count (filter <)", "单价低于100元的订单数", "orders", "SELECT count(*) FROM orders WHERE 单价 < 100", V),
    Q("count (filter between)", "数量在10到50之间的订单有几笔", "orders",
      "SELECT count(*) FROM orders WHERE 数量 BETWEEN 10 AND 50", V),
    Q("count (filter in)", "华东和华南一共有多少笔订单", "orders",
      "SELECT count(*) FROM orders WHERE 地区 IN ('华东', '华南')", V),
    Q("sum (filter contains)", "产品名称里带“电脑”的订单总销售额是多少", "orders",
      "SELECT sum(销售额) FROM orders WHERE 产品 LIKE '%电脑%'", V),
    Q("sum (filter ≠)", "除了东北以外，其他地区的总销售额是多少", "orders",
      "SELECT sum(销售额) FROM orders WHERE 地区 <> '东北'", V),
    Q("count (filter not)", "不是企业客户的订单有多少笔", "orders",
      "SELECT count(*) FROM orders WHERE 客户类型 <> '企业'", V),
    Q("count (boolean)", "退货的订单有多少笔", "orders", "SELECT count(*) FROM orders WHERE 是否退货", V),
    Q("share of total", "各地区销售额占总销售额的比例", "orders",
      "SELECT 地区, sum(销售额) / (SELECT sum(销售额) FROM orders) FROM orders GROUP BY 地区", ROWS),
    Q("trend (month)", "每个月的销售额趋势", "orders",
      "SELECT date_trunc('month', 日期)::DATE AS m, sum(销售额) FROM orders GROUP BY m ORDER BY m", ORDERED),
    Q("trend (quarter)", "按季度统计订单数", "orders",
      "SELECT date_trunc('quarter', 日期)::DATE AS q, count(*) FROM orders GROUP BY q ORDER BY q", ORDERED),
    Q("trend (year)", "每年的总销售额是多少", "orders",
      "SELECT date_trunc('year', 日期)::DATE AS y, sum(销售额) FROM orders GROUP BY y ORDER BY y", ORDERED),
    Q("period (month)", "2024年3月的销售额是多少", "orders",
      "SELECT sum(销售额) FROM orders WHERE 日期 >= DATE '2024-03-01' AND 日期 < DATE '2024-04-01'", V),
    Q("period (relative)", "去年一共有多少笔订单", "orders",  # the data ends in June 2024: 去年 is 2023
      "SELECT count(*) FROM orders WHERE year(日期) = (SELECT year(max(日期)) - 1 FROM orders)", V),
    Q("period (quarter)", "2024年第一季度的总销售额", "orders",
      "SELECT sum(销售额) FROM orders WHERE 日期 BETWEEN DATE '2024-01-01' AND DATE '2024-03-31'", V),
    Q("compare two groups", "个人客户和企业客户的平均销售额有没有显著差异", "orders",
      "SELECT 客户类型, avg(销售额) FROM orders GROUP BY 客户类型",
      two_groups("orders", "销售额", "客户类型", "个人", "企业")),
    Q("distribution", "销售额的四分位数是多少", "orders",
      "SELECT quantile_cont(销售额, 0.25), quantile_cont(销售额, 0.5), quantile_cont(销售额, 0.75) FROM orders",
      quartiles("orders", "销售额")),
    Q("drivers", "什么因素影响满意度", "orders", _DRIVER_ZH, FIRST),
    Q("numbers (两千)", "数量超过两千的订单有几笔", "orders", "SELECT count(*) FROM orders WHERE 数量 > 2000", V),
    Q("numbers (1.5万)", "销售额超过1.5万的订单有多少笔", "orders",
      "SELECT count(*) FROM orders WHERE 销售额 > 15000", V),
    Q("numbers (12.5%)", "折扣是12.5%的订单有多少笔", "orders", "SELECT count(*) FROM orders WHERE 折扣 = 0.125", V),
    Q("numbers (三百)", "单价不到三百元的订单有多少", "orders", "SELECT count(*) FROM orders WHERE 单价 < 300", V),
    Q("top k (五)", "销售额最高的前五个城市", "orders",
      "SELECT 城市, sum(销售额) AS s FROM orders GROUP BY 城市 ORDER BY s DESC LIMIT 5", ORDERED),
    Q("correlation", "单价和数量之间的相关性", "orders",
      "SELECT corr(单价, 数量) FROM orders", pearson("orders", "单价", "数量")),
    Q("tiers (cut points)", "单价低于500元为低档，500到2000元为中档，2000元以上为高档，各档的订单数", "orders",
      "SELECT CASE WHEN 单价 < 500 THEN '低' WHEN 单价 < 2000 THEN '中' ELSE '高' END AS t, count(*) FROM orders "
      "GROUP BY t ORDER BY min(单价)", TIERS),
    Q("tiers (tertiles)", "按单价把产品分成三档，每档的总销售额", "orders",
      _ORDERS_TERTILE + "SELECT CASE t WHEN 1 THEN '低' WHEN 2 THEN '中' ELSE '高' END, sum(销售额) "
      "FROM orders JOIN p USING (单价) GROUP BY t ORDER BY t", TIERS),
    Q("mean (two filters)", "2024年华东地区的平均销售额", "orders",
      "SELECT avg(销售额) FROM orders WHERE 地区 = '华东' AND year(日期) = 2024", V),
    Q("group by one", "各类别的平均单价", "orders", "SELECT 类别, avg(单价) FROM orders GROUP BY 类别", ROWS),
    Q("arg-max (rate)", "哪个客户类型的退货率最高", "orders",
      "SELECT 客户类型 FROM orders GROUP BY 客户类型 ORDER BY avg(是否退货::INT) DESC LIMIT 1", V),
    Q("trend (quarter, one year)", "2023年每个季度的营收", "orders",
      "SELECT date_trunc('quarter', 日期)::DATE AS q, sum(销售额) FROM orders WHERE year(日期) = 2023 "
      "GROUP BY q ORDER BY q", ORDERED),
    Q("top k", "销量排名前三的城市", "orders",
      "SELECT 城市, sum(数量) AS s FROM orders GROUP BY 城市 ORDER BY s DESC LIMIT 3", ORDERED),
    Q("group by one", "各个产品的销量分别是多少", "orders", "SELECT 产品, sum(数量) FROM orders GROUP BY 产品", ROWS),
    Q("trend (month, relative)", "去年每个月的订单量", "orders",
      "SELECT date_trunc('month', 日期)::DATE AS m, count(*) FROM orders "
      "WHERE year(日期) = (SELECT year(max(日期)) - 1 FROM orders) GROUP BY m ORDER BY m", ORDERED),
    Q("mean (filter =)", "企业客户的平均折扣", "orders", "SELECT avg(折扣) FROM orders WHERE 客户类型 = '企业'", V),
    Q("share of total (one value)", "上海的订单占全部订单的比例", "orders",
      "SELECT count(*) FILTER (WHERE 城市 = '上海') / count(*) FROM orders", V),
    Q("arg-max", "单价最贵的产品是什么", "orders", "SELECT 产品 FROM orders ORDER BY 单价 DESC LIMIT 1", V),
    Q("correlation", "满意度和配送天数有关系吗", "orders",
      "SELECT corr(满意度, 配送天数) FROM orders", pearson("orders", "满意度", "配送天数")),
    Q("count (two filters)", "华北地区退货的订单有几笔", "orders",
      "SELECT count(*) FROM orders WHERE 地区 = '华北' AND 是否退货", V),
    Q("top k (all, ranked)", "每个类别的销售额排名", "orders",
      "SELECT 类别, sum(销售额) AS s FROM orders GROUP BY 类别 ORDER BY s DESC", ORDERED),

    # ---------------------------------------------------------------- sales: Parquet with dates, English headers
    Q("group by one", "各地区的总销售额", "sales", "SELECT region, sum(revenue) FROM sales GROUP BY region", ROWS),
    Q("count", "How many orders are there?", "sales", "SELECT count(*) FROM sales", V),
    Q("count (filter =)", "How many orders came from the West region?", "sales",
      "SELECT count(*) FROM sales WHERE region = 'West'", V),
    Q("sum", "What is the total revenue?", "sales", "SELECT sum(revenue) FROM sales", V),
    Q("mean (filter =)", "What's the average revenue per order in the East?", "sales",
      "SELECT avg(revenue) FROM sales WHERE region = 'East'", V),
    Q("median", "What is the median price?", "sales", "SELECT median(price) FROM sales", V),
    Q("max", "What is the largest quantity in a single order?", "sales", "SELECT max(quantity) FROM sales", V),
    Q("min", "What is the smallest order revenue?", "sales", "SELECT min(revenue) FROM sales", V),
    Q("std", "What is the standard deviation of revenue?", "sales", "SELECT stddev_samp(revenue) FROM sales", V),
    Q("variance", "What is the variance of quantity?", "sales", "SELECT var_samp(quantity) FROM sales", V),
    Q("count distinct", "How many distinct products are there?", "sales",
      "SELECT count(DISTINCT product) FROM sales", V),
    Q("group by one", "Total revenue by region", "sales",
      "SELECT region, sum(revenue) FROM sales GROUP BY region", ROWS),
    Q("group by two", "Revenue by region and category", "sales",
      "SELECT region, category, sum(revenue) FROM sales GROUP BY region, category", ROWS),
    Q("top k", "Top five products by revenue", "sales",
      "SELECT product, sum(revenue) AS s FROM sales GROUP BY product ORDER BY s DESC LIMIT 5", ORDERED),
    Q("bottom k", "Which 3 regions have the lowest revenue?", "sales",
      "SELECT region, sum(revenue) AS s FROM sales GROUP BY region ORDER BY s LIMIT 3", ORDERED),
    Q("arg-max", "Which region has the highest revenue?", "sales",
      "SELECT region FROM sales GROUP BY region ORDER BY sum(revenue) DESC LIMIT 1", V),
    Q("arg-min", "Which customer segment has the lowest average revenue?", "sales",
      "SELECT customer_segment FROM sales GROUP BY customer_segment ORDER BY avg(revenue) LIMIT 1", V),
    Q("count (filter >)", "How many orders have a quantity greater than 10?", "sales",
      "SELECT count(*) FROM sales WHERE quantity > 10", V),
    Q("count (filter <)", "How many orders have a price below 20?", "sales",
      "SELECT count(*) FROM sales WHERE price < 20", V),
    Q("count (filter between)", "How many orders have a price between 100 and 800?", "sales",
      "SELECT count(*) FROM sales WHERE price BETWEEN 100 AND 800", V),
    Q("sum (filter in)", "What is the total revenue for the East and West regions?", "sales",
      "SELECT sum(revenue) FROM sales WHERE region IN ('East', 'West')", V),
    Q("count (filter contains)", "How many orders are for products with 'Pro' in the name?", "sales",
      "SELECT count(*) FROM sales WHERE product LIKE '%Pro%'", V),
    Q("sum (filter ≠)", "What is the total revenue excluding the Central region?", "sales",
      "SELECT sum(revenue) FROM sales WHERE region <> 'Central'", V),
    Q("count (filter not)", "How many orders were not returned?", "sales",
      "SELECT count(*) FROM sales WHERE NOT returned", V),
    Q("count (boolean)", "How many orders were returned?", "sales", "SELECT count(*) FROM sales WHERE returned", V),
    Q("share of total", "What share of total revenue does each category account for?", "sales",
      "SELECT category, sum(revenue) / (SELECT sum(revenue) FROM sales) FROM sales GROUP BY category", ROWS),
    Q("trend (month)", "Show the monthly revenue trend", "sales",
      "SELECT date_trunc('month', order_date)::DATE AS m, sum(revenue) FROM sales GROUP BY m ORDER BY m", ORDERED),
    Q("trend (quarter)", "Number of orders per quarter", "sales",
      "SELECT date_trunc('quarter', order_date)::DATE AS q, count(*) FROM sales GROUP BY q ORDER BY q", ORDERED),
    Q("trend (year)", "Revenue by year", "sales",
      "SELECT date_trunc('year', order_date)::DATE AS y, sum(revenue) FROM sales GROUP BY y ORDER BY y", ORDERED),
    Q("period (month)", "What was the revenue in March 2024?", "sales",
      "SELECT sum(revenue) FROM sales WHERE order_date >= DATE '2024-03-01' AND order_date < DATE '2024-04-01'", V),
    Q("period (quarter)", "How many orders were placed in Q1 2024?", "sales",
      "SELECT count(*) FROM sales WHERE order_date BETWEEN DATE '2024-01-01' AND DATE '2024-03-31'", V),
    Q("period (relative)", "How much revenue did we make last year?", "sales",  # the data ends in 2024
      "SELECT sum(revenue) FROM sales WHERE year(order_date) = (SELECT year(max(order_date)) - 1 FROM sales)", V),
    Q("compare two groups", "Compare the average quantity of Consumer and Corporate customers", "sales",
      "SELECT customer_segment, avg(quantity) FROM sales WHERE customer_segment IN ('Consumer', 'Corporate') "
      "GROUP BY customer_segment", two_groups("sales", "quantity", "customer_segment", "Consumer", "Corporate")),
    Q("distribution", "What are the quartiles of revenue?", "sales",
      "SELECT quantile_cont(revenue, 0.25), quantile_cont(revenue, 0.5), quantile_cont(revenue, 0.75) FROM sales",
      quartiles("sales", "revenue")),
    Q("drivers", "What drives customer satisfaction?", "sales", _DRIVER_EN, FIRST),
    Q("correlation", "What is the correlation between delivery days and satisfaction?", "sales",
      "SELECT corr(delivery_days, satisfaction) FROM sales", pearson("sales", "delivery_days", "satisfaction")),
    Q("numbers (1,500)", "How many orders have revenue over 1,500?", "sales",
      "SELECT count(*) FROM sales WHERE revenue > 1500", V),
    Q("numbers (2k)", "How many orders have revenue above 2k?", "sales",
      "SELECT count(*) FROM sales WHERE revenue > 2000", V),
    Q("numbers (twenty)", "How many orders have more than twenty units?", "sales",
      "SELECT count(*) FROM sales WHERE quantity > 20", V),
    Q("tiers (cut points)", "Split prices into tiers: under 100 is low, 100 to 500 is medium, over 500 is high. "
      "How many orders are in each tier?", "sales",
      "SELECT CASE WHEN price < 100 THEN 'low' WHEN price < 500 THEN 'medium' ELSE 'high' END AS t, count(*) "
      "FROM sales GROUP BY t ORDER BY min(price)", TIERS),
    Q("tiers (tertiles)", "Group the products into three price tiers and show the average quantity in each", "sales",
      _SALES_TERTILE + "SELECT CASE t WHEN 1 THEN 'low' WHEN 2 THEN 'medium' ELSE 'high' END, avg(quantity) "
      "FROM sales JOIN p USING (price) GROUP BY t ORDER BY t", TIERS),
    Q("mean (two filters)", "What is the average revenue of Electronics orders in 2024?", "sales",
      "SELECT avg(revenue) FROM sales WHERE category = 'Electronics' AND year(order_date) = 2024", V),
    Q("count (two filters)", "How many orders from the North have a quantity above 5?", "sales",
      "SELECT count(*) FROM sales WHERE region = 'North' AND quantity > 5", V),
    Q("sum", "How many units did we sell in total?", "sales", "SELECT sum(quantity) FROM sales", V),
    Q("group by one (rate)", "What is the return rate by region?", "sales",
      "SELECT region, avg(returned::INT) FROM sales GROUP BY region", ROWS),
    Q("arg-max", "Which category has the highest average price?", "sales",
      "SELECT category FROM sales GROUP BY category ORDER BY avg(price) DESC LIMIT 1", V),
    Q("mean (filter =)", "Average order value for Corporate customers", "sales",
      "SELECT avg(revenue) FROM sales WHERE customer_segment = 'Corporate'", V),
    Q("group by one", "How many orders did each customer segment place?", "sales",
      "SELECT customer_segment, count(*) FROM sales GROUP BY customer_segment", ROWS),
    Q("mean (period)", "What was the average quantity per order in 2023?", "sales",
      "SELECT avg(quantity) FROM sales WHERE year(order_date) = 2023", V),
    Q("arg-max", "Which product sold the most units?", "sales",
      "SELECT product FROM sales GROUP BY product ORDER BY sum(quantity) DESC LIMIT 1", V),
    Q("share of total (one value)", "What is the overall return rate?", "sales",
      "SELECT avg(returned::INT) FROM sales", V),
    Q("trend (month, one year)", "Show revenue for each month of 2024", "sales",
      "SELECT date_trunc('month', order_date)::DATE AS m, sum(revenue) FROM sales WHERE year(order_date) = 2024 "
      "GROUP BY m ORDER BY m", ORDERED),
    Q("correlation", "Is there a relationship between price and quantity?", "sales",
      "SELECT corr(price, quantity) FROM sales", pearson("sales", "price", "quantity")),
    Q("top k (all, ranked)", "List the regions by number of orders, largest first", "sales",
      "SELECT region, count(*) AS n FROM sales GROUP BY region ORDER BY n DESC", ORDERED),
    Q("sum (filter =)", "How much revenue came from Furniture?", "sales",
      "SELECT sum(revenue) FROM sales WHERE category = 'Furniture'", V),

    # ---------------------------------------------------------------- WikiTableQuestions-style medal tables
    Q("wtq first row", "Which nation is listed first?", "medals", "SELECT nation FROM medals ORDER BY rank LIMIT 1", V),
    Q("wtq last row", "Which nation is in the last row?", "medals",
      "SELECT nation FROM medals ORDER BY rank DESC LIMIT 1", V),
    Q("wtq next row", "Which nation comes right after Japan?", "medals",
      "SELECT nation FROM medals WHERE rank = (SELECT rank + 1 FROM medals WHERE nation = 'Japan')", V),
    Q("wtq previous row", "Which nation is listed just before France?", "medals",
      "SELECT nation FROM medals WHERE rank = (SELECT rank - 1 FROM medals WHERE nation = 'France')", V),
    Q("wtq how many more", "How many more gold medals did China win than Japan?", "medals",
      "SELECT (SELECT gold FROM medals WHERE nation = 'China') - (SELECT gold FROM medals WHERE nation = 'Japan')", V),
    Q("wtq difference", "What is the difference in total medals between Germany and Italy?", "medals",
      "SELECT abs((SELECT total FROM medals WHERE nation = 'Germany') - "
      "(SELECT total FROM medals WHERE nation = 'Italy'))", V),
    Q("wtq which is greater", "Who won more silver medals, Italy or France?", "medals",
      "SELECT nation FROM medals WHERE nation IN ('Italy', 'France') ORDER BY silver DESC LIMIT 1", V),
    Q("count (filter >)", "How many nations won more than 10 gold medals?", "medals",
      "SELECT count(*) FROM medals WHERE gold > 10", V),
    Q("arg-max", "Which nation won the most bronze medals?", "medals",
      "SELECT nation FROM medals ORDER BY bronze DESC LIMIT 1", V),
    Q("lookup", "What was Canada's total?", "medals", "SELECT total FROM medals WHERE nation = 'Canada'", V),
    Q("sum", "What is the total number of bronze medals?", "medals", "SELECT sum(bronze) FROM medals", V),
    Q("wtq first row", "排在第一位的是哪个国家", "medals_zh", "SELECT 国家 FROM medals_zh ORDER BY 名次 LIMIT 1", V),
    Q("wtq last row", "表格最后一行是哪个国家", "medals_zh", "SELECT 国家 FROM medals_zh ORDER BY 名次 DESC LIMIT 1", V),
    Q("wtq next row", "日本的下一名是哪个国家", "medals_zh",
      "SELECT 国家 FROM medals_zh WHERE 名次 = (SELECT 名次 + 1 FROM medals_zh WHERE 国家 = '日本')", V),
    Q("wtq previous row", "法国的上一名是哪个国家", "medals_zh",
      "SELECT 国家 FROM medals_zh WHERE 名次 = (SELECT 名次 - 1 FROM medals_zh WHERE 国家 = '法国')", V),
    Q("wtq how many more", "中国比日本多几枚金牌", "medals_zh",
      "SELECT (SELECT 金牌 FROM medals_zh WHERE 国家 = '中国') - (SELECT 金牌 FROM medals_zh WHERE 国家 = '日本')", V),
    Q("wtq difference", "德国和意大利的奖牌总数相差多少", "medals_zh",
      "SELECT abs((SELECT 总数 FROM medals_zh WHERE 国家 = '德国') - (SELECT 总数 FROM medals_zh WHERE 国家 = '意大利'))",
      V),
    Q("wtq which is greater", "意大利和法国谁的银牌多", "medals_zh",
      "SELECT 国家 FROM medals_zh WHERE 国家 IN ('意大利', '法国') ORDER BY 银牌 DESC LIMIT 1", V),
    Q("count (filter >)", "金牌超过10枚的国家有几个", "medals_zh", "SELECT count(*) FROM medals_zh WHERE 金牌 > 10", V),
    Q("arg-max", "铜牌最多的国家是哪个", "medals_zh", "SELECT 国家 FROM medals_zh ORDER BY 铜牌 DESC LIMIT 1", V),
    Q("lookup", "加拿大的奖牌总数是多少", "medals_zh", "SELECT 总数 FROM medals_zh WHERE 国家 = '加拿大'", V),
]


# -- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return fx.write_tables(tmp_path_factory.mktemp("analyst-suite"))


@pytest.fixture(scope="module")
def truth(tables: dict[str, Any]) -> Iterator[Any]:
    con = fx.truth_connection(tables)
    yield con
    con.close()


@pytest.fixture(scope="module")
def datasets(tables: dict[str, Any]) -> Iterator[dict[str, Any]]:
    pytest.importorskip("shuxi.ask", reason="the question planner (src/shuxi/ask) has not landed yet")
    opened = {name: shuxi.open(str(t.path)) for name, t in tables.items()}
    for name, ds in opened.items():
        assert ds.name == name
    yield opened
    for ds in opened.values():
        ds.close()


# -- checking one answer ------------------------------------------------------------------------------------------


def expected_stats(spec: dict[str, Any], truth: Any) -> dict[str, float]:
    """The statistics SciPy computes on the truth connection's data for a correlation or two-group question."""
    from scipy import stats

    if spec["test"] == "pearson":
        x, y, table = spec["x"], spec["y"], spec["table"]
        pairs = truth.execute(f"SELECT {x}, {y} FROM {table} WHERE {x} IS NOT NULL AND {y} IS NOT NULL").fetchall()
        xs, ys = zip(*pairs)
        result = stats.pearsonr([float(v) for v in xs], [float(v) for v in ys])
        return {"r": float(result.statistic), "n": len(pairs), "p_value": float(result.pvalue)}
    value, group, table = spec["value"], spec["group"], spec["table"]
    query = f"SELECT {value} FROM {table} WHERE {group} = ? AND {value} IS NOT NULL"
    a, b = ([float(v) for (v,) in truth.execute(query, [g]).fetchall()] for g in (spec["a"], spec["b"]))
    return {"welch": float(stats.ttest_ind(a, b, equal_var=False).pvalue),
            "student": float(stats.ttest_ind(a, b, equal_var=True).pvalue),
            "mann-whitney": float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)}


def _close(expected: float, got: Any, *, rel: float = 1e-9, abs_tol: float = 1e-12) -> bool:
    return isinstance(got, (int, float)) and not isinstance(got, bool) and math.isclose(expected, got, rel_tol=rel,
                                                                                         abs_tol=abs_tol)


def histogram_problem(spec: dict[str, Any], bins: list[dict[str, Any]], truth: Any) -> str | None:
    """Each bin's count against DuckDB's count of the values in [start, end) (the last bin includes its end)."""
    column, table = spec["column"], spec["table"]
    for i, b in enumerate(bins):
        upper = "<=" if i == len(bins) - 1 else "<"
        (count,) = truth.execute(f"SELECT count(*) FROM {table} WHERE {column} >= ? AND {column} {upper} ?",
                                 [b["bin_start"], b["bin_end"]]).fetchall()[0]
        if b.get("count") != count:
            return f"histogram bin [{b['bin_start']}, {b['bin_end']}) counts {b.get('count')}, DuckDB counts {count}"
    return None


def stats_problem(spec: dict[str, Any], answer_stats: dict[str, Any], truth: Any) -> str | None:
    if spec["test"] == "histogram":
        bins = answer_stats.get("histogram")
        return histogram_problem(spec, bins, truth) if bins else None
    want = expected_stats(spec, truth)
    if spec["test"] == "pearson":
        if not _close(want["r"], answer_stats.get("r")):
            return f"stats r = {answer_stats.get('r')!r}, SciPy says {want['r']!r}"
        if answer_stats.get("n") != want["n"]:
            return f"stats n = {answer_stats.get('n')!r}, expected {want['n']}"
        # p-values: SciPy's own rounding for |r| = 1 is ~1e-8, so an absolute tolerance of 1e-6 is the honest bar.
        if not _close(want["p_value"], answer_stats.get("p_value"), rel=1e-6, abs_tol=1e-6):
            return f"stats p_value = {answer_stats.get('p_value')!r}, SciPy says {want['p_value']!r}"
        return None
    p = answer_stats.get("p_value")
    if p is None:
        return f"stats carry no p_value: {answer_stats!r}"
    # The answer's p-value is checked against the test it says it used (Welch's t-test unless it names another).
    named = str(answer_stats.get("test", "welch")).lower()
    method = "mann-whitney" if "mann" in named or "wilcoxon" in named else (
        "student" if "student" in named or "pooled" in named else "welch")
    if not _close(want[method], p, rel=1e-6, abs_tol=1e-9):
        return f"stats p_value = {p!r} (test {named!r}), SciPy {method} says {want[method]!r}"
    return None


def answer_problem(q: Q, answer: Any, truth: Any) -> str | None:
    """Why ``answer`` does not match the hand-written SQL (None when it does)."""
    expected = truth.sql(q.truth).to_arrow_table()
    how = q.expect.how
    cells = [c for row in fx.rows_of(expected) for c in row]
    if how == "values":
        flat = cells if expected.num_rows == 1 else expected.column(0).to_pylist()
        if not fx.values_match(flat, answer.values):
            return f"values {answer.values!r}, expected {flat!r}"
    elif how == "first":
        if not answer.values or not fx.cell_matches(cells[0], answer.values[0]):
            return f"first value {answer.values[:1]!r}, expected {cells[0]!r}"
    elif how in ("rows", "ordered"):
        problem = fx.table_contains(expected, answer.table, ordered=how == "ordered", labels=q.expect.labels)
        if problem:
            return f"table: {problem}; expected rows {fx.rows_of(expected)!r}, got {fx.rows_of(answer.table)!r}"
    elif how == "numbers":
        have = fx.numbers_in(answer.table)
        missing = [c for c in cells if not any(fx.cell_matches(c, h) for h in have)]
        if missing:
            return f"numbers {missing!r} missing from the answer table {fx.rows_of(answer.table)!r}"
    else:  # pragma: no cover - a typo in the question list
        raise ValueError(how)
    if q.expect.stats:
        return stats_problem(q.expect.stats, answer.stats or {}, truth)
    return None


def _id(q: Q) -> str:
    return f"{q.table}:{q.question[:40]}"


@pytest.mark.parametrize("q", QUESTIONS, ids=[_id(q) for q in QUESTIONS])
def test_analyst_question(q: Q, datasets: dict[str, Any], truth: Any) -> None:
    answer = datasets[q.table].ask(q.question)
    assert isinstance(answer.table, pa.Table)
    assert isinstance(answer.sql, str) and answer.sql.strip()
    problem = answer_problem(q, answer, truth)
    assert problem is None, f"{q.question!r} on {q.table}: {problem}\nSQL: {answer.sql}"
    json.dumps(answer.to_dict(), ensure_ascii=False)  # every answer serialises (dates, decimals, NaN included)
    # The SQL shown is the SQL that ran: plain DuckDB on the same data gives the answer's table back. (A drivers
    # answer runs a query per candidate column, so its one SQL string cannot reproduce the whole ranking.)
    if not q.kind.startswith("drivers"):
        shown = truth.sql(answer.sql).to_arrow_table()
        assert fx.table_contains(shown, answer.table, ordered=True) is None, f"{answer.sql}\ngives {shown}"
    # The text is in the question's language (English tables' answers to English questions carry no Chinese).
    if q.language == "zh":
        assert CJK.search(answer.text), answer.text
    elif q.table in ("sales", "seed_en", "medals"):
        assert not CJK.search(answer.text), answer.text


@pytest.fixture(scope="module")
def spark_datasets(tables: dict[str, Any]) -> Iterator[dict[str, Any]]:
    pytest.importorskip("shuxi.ask", reason="the question planner (src/shuxi/ask) has not landed yet")
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java 17 or 21")
    opened = {name: shuxi.open(str(t.path), engine="spark") for name, t in tables.items()}
    yield opened
    for ds in opened.values():
        ds.close()


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.parametrize("q", QUESTIONS, ids=[_id(q) for q in QUESTIONS])
def test_analyst_question_on_spark(q: Q, spark_datasets: dict[str, Any], truth: Any) -> None:
    """The same questions on the Spark engine get the same answers (minutes: Spark local[2] runs each query)."""
    answer = spark_datasets[q.table].ask(q.question)
    problem = answer_problem(q, answer, truth)
    assert problem is None, f"{q.question!r} on {q.table} (Spark): {problem}\nSQL: {answer.sql}"


def test_suite_shape() -> None:
    """At least 80 questions, half in each language, over the fixture tables; no question twice on one table."""
    languages = [q.language for q in QUESTIONS]
    assert len(QUESTIONS) >= 80
    assert abs(languages.count("zh") - languages.count("en")) <= 2
    assert len({(q.table, q.question) for q in QUESTIONS}) == len(QUESTIONS)
    assert {"seed_zh", "seed_en", "orders", "sales"} <= {q.table for q in QUESTIONS}


def test_fixture_files_are_what_analysts_send(tables: dict[str, Any], truth: Any) -> None:
    """The orders file is GB18030 with formatted cells, and the truth connection holds the values behind them."""
    raw = tables["orders"].path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    assert "元" in text and '"1,' in text and "12.5%" in text and "年" in text and ",是," in text
    assert truth.execute("SELECT count(*), max(数量) > 2000, max(日期) FROM orders").fetchall()[0][:2] == (800, True)
    assert pq.read_schema(tables["sales"].path).field("order_date").type == pa.date32()


# -- bad input and the seed's text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "question", "existing"), [
    ("sales", "What is the average profit by region?", ["product", "price", "revenue", "region"]),
    ("orders", "各地区的平均利润是多少", ["销售额", "单价", "地区", "数量"]),
])
def test_unknown_column_suggests_close_names(datasets: dict[str, Any], table: str, question: str,
                                             existing: list[str]) -> None:
    with pytest.raises(shuxi.PlanError) as caught:
        datasets[table].ask(question)
    message = str(caught.value)
    assert any(name in message for name in existing), message


_QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{4,})[”\"」』]")


@pytest.mark.parametrize(("table", "question"), [("sales", "asdf qwer zxcv"), ("orders", "今天天气怎么样？")])
def test_question_not_understood_offers_three_examples(datasets: dict[str, Any], table: str, question: str) -> None:
    """The message offers at least three example questions, and each of them is answered on this table."""
    with pytest.raises(shuxi.PlanError) as caught:
        datasets[table].ask(question)
    message = str(caught.value)
    # Quoted examples, or a list after the last colon ("Try questions like: a; b; c" / "可以这样问：a；b；c").
    examples = _QUOTED.findall(message) or [
        part.strip(" -•*·.。") for part in re.split(r"[;；\n]", re.split(r"[:：]", message)[-1]) if part.strip(" -•*·.。")]
    assert len(examples) >= 3, message
    for example in examples[:3]:
        assert datasets[table].ask(example).text


@pytest.mark.parametrize(("table", "question", "column", "number"), [
    ("orders", "华东地区单价超过10万元的订单有多少笔", "单价", ("100000", "100,000", "10万")),
    ("sales", "How many orders from the East region have a price above 100000?", "price", ("100000", "100,000")),
])
def test_filters_matching_nothing_answer_zero_and_say_why(datasets: dict[str, Any], table: str, question: str,
                                                          column: str, number: tuple[str, ...]) -> None:
    answer = datasets[table].ask(question)
    assert fx.values_match([0], answer.values), answer.values
    assert column in answer.text and any(n in answer.text for n in number), answer.text


def test_seed_correlation_text_is_negative_in_both_languages(datasets: dict[str, Any]) -> None:
    zh = datasets["seed_zh"].ask("价格和销量有什么关系？")
    en = datasets["seed_en"].ask("How are price and quantity related?")
    for answer in (zh, en):
        assert _close(-1.0, answer.stats.get("r")) and answer.stats.get("n") == 3, answer.stats
    assert "负相关" in zh.text and "正相关" not in zh.text, zh.text
    assert "negative" in en.text.lower() and "positive" not in en.text.lower(), en.text


def test_seed_tiers_say_variance_is_undefined_for_one_product(datasets: dict[str, Any]) -> None:
    zh = datasets["seed_zh"].ask("按价格把产品分成高、中、低三档，每档销量的平均值和方差")
    en = datasets["seed_en"].ask("Split the products into high, medium and low price tiers and show the mean and "
                                 "variance of quantity in each tier")
    for answer in (zh, en):
        variance = [c for c in answer.table.column_names if "var" in c.lower() or "方差" in c]
        assert variance and all(fx.normalise(v) is None for v in answer.table.column(variance[0]).to_pylist())
    note_zh = zh.text + " ".join(zh.warnings)
    assert "方差" in note_zh and re.search(r"无法|不能|未定义|没有定义|只有一个|仅一个|单个|一个产品", note_zh), note_zh
    note_en = (en.text + " ".join(en.warnings)).lower()
    assert "variance" in note_en and re.search(r"undefined|not defined|only one|single|one product", note_en), note_en


def test_to_dict_is_json_with_the_contract_keys(datasets: dict[str, Any]) -> None:
    answer = datasets["orders"].ask("各地区的总销售额")
    data = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))
    assert {"question", "text", "sql", "plan", "columns", "rows", "values", "chart", "stats", "warnings"} <= set(data)
    assert data["question"] == "各地区的总销售额" and len(data["rows"]) == 5
    assert answer.chart is None or isinstance(answer.chart, dict)


QUESTIONS_FILE = Path(__file__).with_name("analyst_questions.md")
_CHECKS = {"values": "values", "first": "first value", "rows": "table rows",
           "ordered": "table rows in order", "numbers": "numbers in the table"}
_PREAMBLE = """# Analyst suite: the questions

The questions `tests/ask/test_analyst_suite.py` asks `ds.ask`, grouped by kind. Each is checked against SQL written by
hand in the test and run by plain DuckDB on the fixture file (never through shuxi's planner); correlation and
two-group questions also have their `stats` checked against SciPy. Generated from the test's `QUESTIONS` list
(`python tests/ask/test_analyst_suite.py`); `test_questions_file_is_current` keeps the two in step.

Tables (built by `tests/ask/fixtures.py` with fixed seeds):

| table | file | shape |
|---|---|---|
| `seed_zh`, `seed_en` | UTF-8 CSV | the seed: products A/B/C, price 100/200/300, 销量/quantity 1000/800/600 |
| `orders` | GB18030 CSV, Chinese headers | 800 orders 2023-01 … 2024-06: 地区, 城市, 产品, 类别, 单价 ("4999元"), \
数量 ("1,200"), 销售额, 折扣 ("12.5%"), 日期 ("2024年3月5日"), 客户类型, 是否退货 (是/否), 配送天数, 满意度 |
| `sales` | Parquet, English headers | 1,500 orders 2023 … 2024: order_date (date), region, product, category, price, \
quantity, revenue, customer_segment, returned (bool), delivery_days, satisfaction |
| `medals`, `medals_zh` | UTF-8 CSV | WikiTableQuestions-style medal table (Tokyo 2020 top 12, file order = rank) |

Checks: *values*: `answer.values` equals the truth's cells; *table rows*: some columns of `answer.table` hold
exactly the truth's rows (extra columns allowed; numbers within 1e-9 relative; tier labels may read 高档 for 高 or
middle for medium; periods may be shown as dates, 2024-03, 2024-Q1 or 2024); *first value*: the first driver named;
*numbers in the table*: every quantile appears among the answer's numbers (and a histogram in `stats`, if any, has
the bin counts DuckDB finds). Every answer must also serialise with `json.dumps(answer.to_dict())`, its text
must be in the question's language, and its `sql`, run by plain DuckDB, must give back its table (drivers aside).

Outside the list (separate tests):

- A column that does not exist ("What is the average profit by region?", "各地区的平均利润是多少") raises
  `shuxi.PlanError` whose message names real columns.
- A question that cannot be parsed ("asdf qwer zxcv", "今天天气怎么样？") raises `shuxi.PlanError` offering at least
  three example questions, each of which is then asked and answered.
- Filters that match nothing ("华东地区单价超过10万元的订单有多少笔", "How many orders from the East region have a
  price above 100000?") answer `[0]`, and the text names the condition.
- The seed's correlation text says 负相关 / negative and never 正相关 / positive, with r = −1 and n = 3 in `stats`;
  the seed's tiers leave the variance empty and say why.
- `answer.to_dict()` is JSON with the contract's keys.
"""


def render_questions_file() -> str:
    """tests/ask/analyst_questions.md: counts by kind and language, then each kind's questions with their SQL."""
    groups: dict[str, list[Q]] = {}
    for q in QUESTIONS:
        groups.setdefault(q.kind.split(" (")[0], []).append(q)
    zh = sum(q.language == "zh" for q in QUESTIONS)
    lines = [_PREAMBLE, f"**{len(QUESTIONS)} questions: {zh} Chinese, {len(QUESTIONS) - zh} English.**", "",
             "| kind | zh | en |", "|---|---|---|"]
    for kind, qs in groups.items():
        n_zh = sum(q.language == "zh" for q in qs)
        lines.append(f"| {kind} | {n_zh} | {len(qs) - n_zh} |")
    for kind, qs in groups.items():
        lines += ["", f"## {kind}", "", "| question | table | detail | check | truth SQL |", "|---|---|---|---|---|"]
        for q in qs:
            check = _CHECKS[q.expect.how] + (" + SciPy stats" if q.expect.stats.get("test") in ("pearson", "two_groups")
                                             else "")
            sql = " ".join(q.truth.split()).replace("|", "\\|")
            detail = q.kind[len(kind):].strip(" ()")
            lines.append(f"| {q.question} | `{q.table}` | {detail} | {check} | `{sql}` |")
    return "\n".join(lines) + "\n"


def test_questions_file_is_current() -> None:
    """The readable list is generated from QUESTIONS; regenerate with `python tests/ask/test_analyst_suite.py`."""
    assert QUESTIONS_FILE.read_text(encoding="utf-8") == render_questions_file()


if __name__ == "__main__":
    QUESTIONS_FILE.write_text(render_questions_file(), encoding="utf-8")
