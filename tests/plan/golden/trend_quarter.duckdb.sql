SELECT CAST(DATE_TRUNC('QUARTER', "日期") AS DATE) AS "日期_quarter", AVG("rating") AS "mean_rating" FROM "sales" WHERE "region" = 'West' GROUP BY 1 ORDER BY "日期_quarter"
