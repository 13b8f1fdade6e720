SELECT `review` AS `review`, COUNT(*) AS `count` FROM `sales` WHERE NOT LOCATE(LOWER('物流'), LOWER(`review`)) > 0 GROUP BY 1 ORDER BY `review` NULLS LAST
