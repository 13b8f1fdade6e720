SELECT CAST(DATE_TRUNC('YEAR', "日期") AS DATE) AS "日期_year", SUM("revenue") AS "sum_revenue", COUNT(*) AS "count" FROM "sales" GROUP BY 1 ORDER BY "日期_year"
