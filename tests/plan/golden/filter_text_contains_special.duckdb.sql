SELECT COUNT(*) AS "count" FROM "sales" WHERE STRPOS(LOWER("review"), LOWER('%')) > 0 AND NOT STRPOS(LOWER("review"), LOWER('_')) > 0
