package model

import (
	"fmt"
	"strconv"
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

// ParseTypeArgs maps a type with its parameters, as the parser gives them
// upper-cased (LOWCARDINALITY ["STRING"], DATETIME64 ["9", "'UTC'"]), to
// a ColumnType. ClickHouse's types map onto ours only where every value
// fits: narrow and unsigned integers widen, DateTime, DateTime64(p) and
// Date become TIMESTAMP (nanoseconds, UTC), Nullable(T) is T (every
// column but the designated timestamp takes NULL), LowCardinality(String)
// is SYMBOL. Types whose values would not fit are refused, not truncated.
func ParseTypeArgs(name string, args []string) (ColumnType, error) {
	inner := func() (ColumnType, error) {
		if len(args) != 1 {
			return TypeInvalid, fmt.Errorf("%s takes one type", name)
		}
		n, a := splitType(args[0])
		return ParseTypeArgs(n, a)
	}
	switch strings.ToUpper(name) {
	case "NULLABLE":
		return inner()
	case "LOWCARDINALITY":
		t, err := inner()
		if t == TypeString {
			return TypeSymbol, nil
		}
		return t, err
	case "DATE", "DATE32":
		return TypeTimestamp, nil
	case "DATETIME":
		if len(args) > 0 && strings.ToUpper(strings.Trim(args[0], "'")) != "UTC" {
			return TypeInvalid, fmt.Errorf("time zone %s: timestamps are stored in UTC; declare DateTime('UTC') and convert on read", args[0])
		}
		return TypeTimestamp, nil
	case "DATETIME64":
		if len(args) == 0 {
			return TypeTimestamp, nil
		}
		p, err := strconv.Atoi(args[0])
		if err != nil || p < 0 || p > 9 {
			return TypeInvalid, fmt.Errorf("DateTime64 precision %q: want 0 to 9", args[0])
		}
		if len(args) > 1 && strings.ToUpper(strings.Trim(args[1], "'")) != "UTC" {
			return TypeInvalid, fmt.Errorf("time zone %s: timestamps are stored in UTC; declare DateTime64(%d, 'UTC') and convert on read", args[1], p)
		}
		return TypeTimestamp, nil
	case "INT16", "UINT8", "UINT16":
		return TypeInt32, nil
	case "UINT32":
		return TypeInt64, nil
	case "UINT64", "UINT128", "UINT256", "INT128", "INT256":
		return TypeInvalid, fmt.Errorf("%s values do not all fit a 64-bit signed integer, and ZeptoDB does not store this type yet: use Int64 if the values stay below 2^63", name)
	}
	if len(args) > 0 && !strings.EqualFold(name, "VARCHAR") && !strings.EqualFold(name, "CHAR") {
		return TypeInvalid, fmt.Errorf("type %s takes no parameters", name)
	}
	return ParseType(name)
}

// splitType splits "DATETIME64(9, 'UTC')" into its name and parameters.
func splitType(s string) (string, []string) {
	name, rest, ok := strings.Cut(s, "(")
	if !ok {
		return strings.TrimSpace(s), nil
	}
	rest = strings.TrimSuffix(strings.TrimSpace(rest), ")")
	var args []string
	depth, start := 0, 0
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(rest[start:i]))
				start = i + 1
			}
		}
	}
	return strings.TrimSpace(name), append(args, strings.TrimSpace(rest[start:]))
}
