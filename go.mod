module github.com/zeptodb/zeptodb

go 1.26.8

require (
	github.com/klauspost/compress v1.20.4
	github.com/pierrec/lz4/v4 v4.1.33
	gopkg.in/yaml.v3 v3.0.1
)
