SELECT "product" AS "product", SUM("revenue") AS "sum_revenue" FROM "sales" GROUP BY 1 ORDER BY "sum_revenue" DESC, "product" LIMIT 3
