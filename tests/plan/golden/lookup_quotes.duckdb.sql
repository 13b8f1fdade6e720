SELECT "order_id", "unit price ($)", "review" FROM "sales" WHERE "review" = 'It''s OK' ORDER BY "unit price ($)" DESC, "order_id" ASC LIMIT 5
