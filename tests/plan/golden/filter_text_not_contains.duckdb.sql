SELECT "review" AS "review", COUNT(*) AS "count" FROM "sales" WHERE NOT STRPOS(LOWER("review"), LOWER('物流')) > 0 GROUP BY 1 ORDER BY "review"
