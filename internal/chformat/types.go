package chformat

import "github.com/zeptodb/zeptodb/internal/model"

// TypeName is ClickHouse's name for a column type, as clients expect it
// in headers, JSON meta and DESCRIBE.
func TypeName(t model.ColumnType) string {
	switch t {
	case model.TypeInt64:
		return "Int64"
	case model.TypeInt32:
		return "Int32"
	case model.TypeFloat64:
		return "Float64"
	case model.TypeFloat32:
		return "Float32"
	case model.TypeTimestamp:
		return "DateTime64(9, 'UTC')"
	case model.TypeSymbol:
		return "LowCardinality(String)"
	case model.TypeString:
		return "String"
	case model.TypeBool:
		return "Bool"
	}
	return "Nothing"
}
