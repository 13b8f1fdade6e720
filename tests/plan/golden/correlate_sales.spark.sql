SELECT CORR(`price`, `quantity`) AS `corr_price_quantity`, CORR(`rating`, `revenue`) AS `corr_rating_revenue` FROM `sales`
