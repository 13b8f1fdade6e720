SELECT "product", "price" FROM "seed" ORDER BY "price" DESC LIMIT 1
