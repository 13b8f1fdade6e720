SELECT CASE WHEN ISNAN(CORR("price", "sales")) THEN NULL ELSE CORR("price", "sales") END AS "corr_price_sales" FROM "seed"
