SELECT EXISTS (SELECT FROM {app}.customer_health)
