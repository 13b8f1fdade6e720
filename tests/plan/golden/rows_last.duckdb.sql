WITH __shuxi_rows AS (SELECT *, ROW_NUMBER() OVER () AS "_row" FROM "sales") SELECT "order_id", "product", "price" FROM "__shuxi_rows" ORDER BY "_row" DESC LIMIT 2
