package chformat

import (
	"math"
	"strconv"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// appendDateTime64 writes nanoseconds since the epoch as ClickHouse
// writes DateTime64(9, 'UTC'): 2024-01-02 03:04:05.123456789.
func appendDateTime64(dst []byte, ns int64) []byte {
	return time.Unix(0, ns).UTC().AppendFormat(dst, "2006-01-02 15:04:05.000000000")
}

// appendFloat writes a float as ClickHouse's text formats do: shortest
// round-trip digits, nan and inf spelled out, exponents without "+" or
// padding (1e21, 1e-7).
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'g', -1, bits)
	for i := start; i < len(dst); i++ {
		if dst[i] != 'e' {
			continue
		}
		j := i + 1
		if dst[j] == '+' {
			dst = append(dst[:j], dst[j+1:]...)
		} else if dst[j] == '-' {
			j++
		}
		for j+1 < len(dst) && dst[j] == '0' {
			dst = append(dst[:j], dst[j+1:]...)
		}
		break
	}
	return dst
}

// appendPlain writes the value of row in its bare text form, before any
// format's quoting or escaping; it reports false for text values, which
// every format quotes or escapes its own way.
func appendPlain(dst []byte, v *column.Vector, row int) ([]byte, bool) {
	switch v.Type {
	case model.TypeInt64:
		return strconv.AppendInt(dst, v.Int64[row], 10), true
	case model.TypeTimestamp:
		return appendDateTime64(dst, v.Int64[row]), true
	case model.TypeInt32:
		return strconv.AppendInt(dst, int64(v.Int32[row]), 10), true
	case model.TypeFloat64:
		return appendFloat(dst, v.Float64[row], 64), true
	case model.TypeFloat32:
		return appendFloat(dst, float64(v.Float32[row]), 32), true
	case model.TypeBool:
		return strconv.AppendBool(dst, v.Bool[row]), true
	}
	return dst, false
}
