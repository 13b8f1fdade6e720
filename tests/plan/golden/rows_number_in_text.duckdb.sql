SELECT "name", "place" FROM "places" ORDER BY TRY_CAST(REPLACE(REGEXP_EXTRACT(CAST("place" AS TEXT), '(-?[0-9][0-9,]*(?:[.][0-9]+)?)'), ',', '') AS DOUBLE) ASC, "place" ASC LIMIT 4
