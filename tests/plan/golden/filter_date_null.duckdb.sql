SELECT "order_id", "日期", "region" FROM "sales" WHERE "日期" IS NULL ORDER BY "order_id" ASC
