SELECT COUNT(*) AS `count`, SUM(`revenue`) AS `sum_revenue` FROM `sales` WHERE `price` >= 50 AND `price` < 500.5 AND `quantity` > 2 AND `quantity` <= 10
