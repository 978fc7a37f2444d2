package server

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD so the output is always valid JSON.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// appendFloat writes a JSON number; NaN and infinities, which JSON
// cannot express, are written as null.
func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

// appendResultJSON writes {"columns":[...],"types":[...],"data":[[...]],
// "rows":N,"execution_time_us":X}.
func appendResultJSON(dst []byte, r *exec.Result, micros int64) []byte {
	dst = append(dst, `{"columns":[`...)
	for i, c := range r.Columns {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, c.Name)
	}
	dst = append(dst, `],"types":[`...)
	for i, c := range r.Columns {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, c.Type.String())
	}
	dst = append(dst, `],"data":[`...)
	for row := 0; row < r.Rows; row++ {
		if row > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		for i, c := range r.Columns {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendValue(dst, c, row)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `],"rows":`...)
	dst = strconv.AppendInt(dst, int64(r.Rows), 10)
	if r.Columns == nil {
		dst = append(dst, `,"written_rows":`...)
		dst = strconv.AppendInt(dst, r.Written, 10)
	}
	dst = append(dst, `,"execution_time_us":`...)
	dst = strconv.AppendInt(dst, micros, 10)
	return append(dst, "}\n"...)
}

func appendValue(dst []byte, c exec.ResultColumn, row int) []byte {
	v := c.Data
	if v.IsNull(row) {
		return append(dst, "null"...)
	}
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		return strconv.AppendInt(dst, v.Int64[row], 10)
	case model.TypeFloat64:
		return appendFloat(dst, v.Float64[row])
	case model.TypeBool:
		return strconv.AppendBool(dst, v.Bool[row])
	}
	return appendJSONString(dst, v.String[row])
}
