SELECT "order_id" FROM "sales" WHERE "review" = 'x'' OR ''1''=''1'
