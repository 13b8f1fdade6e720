WITH __shuxi_rows AS (SELECT *, ROW_NUMBER() OVER () AS "_row" FROM "seed") SELECT "product" FROM "__shuxi_rows" WHERE "_row" = (SELECT MIN("_row") FROM "__shuxi_rows" WHERE "product" = 'C') + 1
