SELECT SUM((`price` * `quantity`)) AS `gross`, AVG((CAST((`revenue` - `price`) AS DOUBLE) / NULLIF(2, 0))) AS `half_extra`, MAX(((`quantity` + 1.5) - -2)) AS `shifted` FROM `sales`
