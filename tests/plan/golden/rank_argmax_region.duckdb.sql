SELECT "region" AS "region", AVG("rating") AS "mean_rating" FROM "sales" GROUP BY 1 ORDER BY "mean_rating" DESC, "region" LIMIT 1
