SELECT "region" AS "region", SUM("revenue") AS "sum_revenue" FROM "sales" GROUP BY 1 ORDER BY "region"
