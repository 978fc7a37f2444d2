package chformat

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/zeptodb/zeptodb/internal/model"
)

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, so the output is always valid JSON.
func AppendJSONString(dst []byte, s string) []byte {
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

// appendJSONValue writes one value as ClickHouse's JSON formats do.
func appendJSONValue(dst []byte, c Column, row int, quoteInt64 bool) []byte {
	v := c.Data
	if v.IsNull(row) {
		return append(dst, "null"...)
	}
	switch v.Type {
	case model.TypeInt64:
		if quoteInt64 {
			dst = append(dst, '"')
			dst = strconv.AppendInt(dst, v.Int64[row], 10)
			return append(dst, '"')
		}
		return strconv.AppendInt(dst, v.Int64[row], 10)
	case model.TypeInt32:
		return strconv.AppendInt(dst, int64(v.Int32[row]), 10)
	case model.TypeFloat64, model.TypeFloat32:
		f, bits := 0.0, 64
		if v.Type == model.TypeFloat64 {
			f = v.Float64[row]
		} else {
			f, bits = float64(v.Float32[row]), 32
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return append(dst, "null"...)
		}
		return appendFloat(dst, f, bits)
	case model.TypeBool:
		return strconv.AppendBool(dst, v.Bool[row])
	case model.TypeTimestamp:
		dst = append(dst, '"')
		dst = appendDateTime64(dst, v.Int64[row])
		return append(dst, '"')
	}
	return AppendJSONString(dst, v.String[row])
}

// appendJSONDocument writes JSON or JSONCompact: meta, data, rows and
// statistics, in ClickHouse's key order and tab-indented layout.
func appendJSONDocument(dst []byte, compact bool, cols []Column, rows int, opts Options) []byte {
	dst = append(dst, "{\n\t\"meta\":\n\t[\n"...)
	for i, c := range cols {
		dst = append(dst, "\t\t{\n\t\t\t\"name\": "...)
		dst = AppendJSONString(dst, c.Name)
		dst = append(dst, ",\n\t\t\t\"type\": "...)
		dst = AppendJSONString(dst, TypeName(c.Type))
		dst = append(dst, "\n\t\t}"...)
		if i < len(cols)-1 {
			dst = append(dst, ',')
		}
		dst = append(dst, '\n')
	}
	dst = append(dst, "\t],\n\n\t\"data\":\n\t[\n"...)
	for row := 0; row < rows; row++ {
		dst = append(dst, "\t\t"...)
		if compact {
			dst = append(dst, '[')
		} else {
			dst = append(dst, '{')
		}
		for i, c := range cols {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			if !compact {
				dst = AppendJSONString(dst, c.Name)
				dst = append(dst, ": "...)
			}
			dst = appendJSONValue(dst, c, row, opts.QuoteInt64)
		}
		if compact {
			dst = append(dst, ']')
		} else {
			dst = append(dst, '}')
		}
		if row < rows-1 {
			dst = append(dst, ',')
		}
		dst = append(dst, '\n')
	}
	dst = append(dst, "\t],\n\n\t\"rows\": "...)
	dst = strconv.AppendInt(dst, int64(rows), 10)
	dst = append(dst, ",\n\n\t\"statistics\":\n\t{\n\t\t\"elapsed\": "...)
	dst = strconv.AppendFloat(dst, opts.ElapsedSeconds, 'f', -1, 64)
	dst = append(dst, ",\n\t\t\"rows_read\": "...)
	dst = strconv.AppendInt(dst, opts.RowsRead, 10)
	dst = append(dst, ",\n\t\t\"bytes_read\": "...)
	dst = strconv.AppendInt(dst, opts.BytesRead, 10)
	return append(dst, "\n\t}\n}\n"...)
}

// appendJSONEachRow writes one object per row, keys in column order.
func appendJSONEachRow(dst []byte, cols []Column, rows int, opts Options) []byte {
	for row := 0; row < rows; row++ {
		dst = append(dst, '{')
		for i, c := range cols {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, c.Name)
			dst = append(dst, ':')
			dst = appendJSONValue(dst, c, row, opts.QuoteInt64)
		}
		dst = append(dst, "}\n"...)
	}
	return dst
}

// appendJSONCompactEachRow writes one array per row, after a names line
// and a types line for the WithNames variants.
func appendJSONCompactEachRow(dst []byte, f Format, cols []Column, rows int, opts Options) []byte {
	header := func(name func(Column) string) {
		dst = append(dst, '[')
		for i, c := range cols {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendJSONString(dst, name(c))
		}
		dst = append(dst, "]\n"...)
	}
	if f == JSONCompactEachRowWithNames || f == JSONCompactEachRowWithNamesTypes {
		header(func(c Column) string { return c.Name })
	}
	if f == JSONCompactEachRowWithNamesTypes {
		header(func(c Column) string { return TypeName(c.Type) })
	}
	for row := 0; row < rows; row++ {
		dst = append(dst, '[')
		for i, c := range cols {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendJSONValue(dst, c, row, opts.QuoteInt64)
		}
		dst = append(dst, "]\n"...)
	}
	return dst
}
