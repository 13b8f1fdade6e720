SELECT "category" AS "category", COUNT(*) AS "count", SUM("quantity") AS "sum_quantity" FROM "sales" WHERE NOT "日期" IS NULL AND "returned" = TRUE GROUP BY 1 ORDER BY "category"
