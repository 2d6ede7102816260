module vdso_go

go 1.24
