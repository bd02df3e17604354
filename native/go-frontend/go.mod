module hgym/go-frontend

go 1.19
