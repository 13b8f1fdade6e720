SELECT "product" AS "product", COUNT(*) AS "count" FROM "sales" WHERE "price" IS NULL AND NOT "rating" IS NULL GROUP BY 1 ORDER BY "product"
