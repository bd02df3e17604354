module hgym/go-resolver

go 1.19
