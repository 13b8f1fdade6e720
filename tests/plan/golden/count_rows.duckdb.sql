SELECT COUNT(*) AS "count" FROM "sales"
