SELECT "order_id", "rating", "quantity" FROM "sales" WHERE "quantity" = 5 AND "rating" <> 3 ORDER BY "order_id" ASC
