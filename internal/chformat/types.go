package chformat

import "github.com/zeptodb/zeptodb/internal/model"

// TypeName is ClickHouse's name for a column type, as clients expect it
// in headers, JSON meta and DESCRIBE.
func TypeName(t model.ColumnType) string { return t.ClickHouseName() }
