SELECT "product" AS "product", COUNT(*) AS "count" FROM "sales" WHERE "region" = '华东' AND "product" <> 'Phone' GROUP BY 1 ORDER BY "product"
