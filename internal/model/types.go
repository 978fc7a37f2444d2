package model

import (
	"fmt"
	"strings"
)

// ColumnType is the storage type of a column.
type ColumnType uint8

// Column types. The numeric values are part of the WAL format: never reorder.
const (
	TypeInvalid ColumnType = iota
	TypeInt64
	TypeInt32
	TypeFloat64
	TypeFloat32
	TypeTimestamp // int64 nanoseconds since the Unix epoch, UTC
	TypeSymbol    // dictionary-encoded string
	TypeString
	TypeBool
	typeCount
)

var typeNames = [...]string{
	TypeInvalid:   "INVALID",
	TypeInt64:     "INT64",
	TypeInt32:     "INT32",
	TypeFloat64:   "FLOAT64",
	TypeFloat32:   "FLOAT32",
	TypeTimestamp: "TIMESTAMP",
	TypeSymbol:    "SYMBOL",
	TypeString:    "STRING",
	TypeBool:      "BOOL",
}

func (t ColumnType) String() string {
	if t < typeCount {
		return typeNames[t]
	}
	return fmt.Sprintf("ColumnType(%d)", uint8(t))
}

// Valid reports whether t names a real column type.
func (t ColumnType) Valid() bool { return t > TypeInvalid && t < typeCount }

// IsInteger reports whether values of t are stored as integers.
func (t ColumnType) IsInteger() bool {
	return t == TypeInt64 || t == TypeInt32 || t == TypeTimestamp
}

// IsFloat reports whether values of t are floating point.
func (t ColumnType) IsFloat() bool { return t == TypeFloat64 || t == TypeFloat32 }

// IsNumeric reports whether t takes part in arithmetic.
func (t ColumnType) IsNumeric() bool { return t.IsInteger() || t.IsFloat() }

// IsText reports whether values of t are strings.
func (t ColumnType) IsText() bool { return t == TypeSymbol || t == TypeString }

// typeAliases maps every accepted SQL spelling to its storage type.
var typeAliases = map[string]ColumnType{
	"INT64": TypeInt64, "BIGINT": TypeInt64, "LONG": TypeInt64, "INT8": TypeInt64,
	"INT32": TypeInt32, "INT": TypeInt32, "INTEGER": TypeInt32, "INT4": TypeInt32,
	"FLOAT64": TypeFloat64, "DOUBLE": TypeFloat64, "FLOAT8": TypeFloat64, "DOUBLE PRECISION": TypeFloat64,
	"FLOAT32": TypeFloat32, "FLOAT": TypeFloat32, "REAL": TypeFloat32, "FLOAT4": TypeFloat32,
	"TIMESTAMP": TypeTimestamp, "TIMESTAMP_NS": TypeTimestamp, "DATETIME64": TypeTimestamp,
	"SYMBOL": TypeSymbol, "LOWCARDINALITY": TypeSymbol,
	"STRING": TypeString, "VARCHAR": TypeString, "TEXT": TypeString, "CHAR": TypeString,
	"BOOL": TypeBool, "BOOLEAN": TypeBool,
}

// ParseType maps a SQL type name (any case, any accepted alias) to a ColumnType.
func ParseType(name string) (ColumnType, error) {
	t, ok := typeAliases[strings.ToUpper(strings.TrimSpace(name))]
	if !ok {
		return TypeInvalid, fmt.Errorf("unknown column type %q", name)
	}
	return t, nil
}
