SELECT `quantity` AS `quantity`, COUNT(*) AS `count` FROM `sales` WHERE `revenue` BETWEEN 100 AND 1000 AND `quantity` IN (1, 2, 3) AND NOT `rating` IN (1, 5) GROUP BY 1 ORDER BY `quantity` NULLS LAST
