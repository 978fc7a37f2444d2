module github.com/zeptodb/zeptodb

go 1.26.8
