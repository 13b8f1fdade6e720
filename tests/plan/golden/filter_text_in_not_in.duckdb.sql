SELECT "region" AS "region", COUNT(*) AS "count" FROM "sales" WHERE "product" IN ('Laptop', '茶叶', 'Desk') AND NOT "region" IN ('East', '华南') GROUP BY 1 ORDER BY "region"
