SELECT `order_id`, `review`, `price` FROM `sales` WHERE `review` IS NULL AND NOT `price` IS NULL ORDER BY `order_id` DESC
