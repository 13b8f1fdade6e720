SELECT `review` AS `review`, COUNT(*) AS `count` FROM `sales` WHERE LOCATE(LOWER('GOOD'), LOWER(`review`)) > 0 GROUP BY 1 ORDER BY `review` NULLS LAST
