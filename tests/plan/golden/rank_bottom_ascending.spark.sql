SELECT `product` AS `product`, MIN(`price`) AS `min_price` FROM `sales` GROUP BY 1 ORDER BY `min_price` ASC NULLS LAST, `product` NULLS LAST LIMIT 4
