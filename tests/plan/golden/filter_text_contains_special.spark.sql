SELECT COUNT(*) AS `count` FROM `sales` WHERE LOCATE(LOWER('%'), LOWER(`review`)) > 0 AND NOT LOCATE(LOWER('_'), LOWER(`review`)) > 0
