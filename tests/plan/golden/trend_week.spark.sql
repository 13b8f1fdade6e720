SELECT CAST(TRUNC(`日期`, 'WEEK') AS DATE) AS `日期_week`, COUNT(*) AS `count` FROM `sales` WHERE `日期` >= CAST('2024-11-01' AS DATE) GROUP BY 1 ORDER BY `日期_week` NULLS LAST
