SELECT "region" AS "region", "category" AS "category", SUM("revenue") AS "sum_revenue", COUNT(*) AS "count" FROM "sales" GROUP BY 1, 2 ORDER BY "region", "category"
