module perfgate.example/orders-api

go 1.19
