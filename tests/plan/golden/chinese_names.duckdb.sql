SELECT "region" AS "地区", AVG("unit price ($)") AS "平均单价 ($)", MAX("日期") AS "最近日期" FROM "sales" GROUP BY 1 ORDER BY "平均单价 ($)" DESC, "地区"
