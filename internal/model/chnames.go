package model

// ClickHouseName is ClickHouse's name for the type, as its clients expect
// it in result metadata and DESCRIBE.
func (t ColumnType) ClickHouseName() string {
	switch t {
	case TypeInt64:
		return "Int64"
	case TypeInt32:
		return "Int32"
	case TypeFloat64:
		return "Float64"
	case TypeFloat32:
		return "Float32"
	case TypeTimestamp:
		return "DateTime64(9, 'UTC')"
	case TypeSymbol:
		return "LowCardinality(String)"
	case TypeString:
		return "String"
	case TypeBool:
		return "Bool"
	}
	return "Nothing"
}
