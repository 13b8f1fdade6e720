SELECT COUNT("price") AS "count_price", COUNT(DISTINCT "product") AS "distinct_product", COUNT(DISTINCT "region") AS "地区数" FROM "sales"
