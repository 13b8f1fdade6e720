SELECT CORR(`price`, `sales`) AS `corr_price_sales` FROM `seed`
