SELECT {private}.refresh_customer_health()
