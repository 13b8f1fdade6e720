SELECT "region" AS "region", SUM("revenue") AS "sum_revenue", COUNT(*) AS "count" FROM "sales" GROUP BY 1 HAVING SUM("revenue") > 60000 AND COUNT(*) >= 50 ORDER BY "sum_revenue" DESC, "region"
