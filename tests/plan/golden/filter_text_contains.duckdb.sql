SELECT "review" AS "review", COUNT(*) AS "count" FROM "sales" WHERE STRPOS(LOWER("review"), LOWER('GOOD')) > 0 GROUP BY 1 ORDER BY "review"
