package parser

import (
	"fmt"
	"strconv"
	"strings"
)

// ParamError reports a query parameter that is not set (Missing) or whose
// value does not fit its type.
type ParamError struct {
	Name    string
	Missing bool
	Msg     string
}

func (e *ParamError) Error() string { return e.Msg }

// BindParams substitutes ClickHouse's server-side query parameters: each
// {name:Type} outside string literals, quoted names and comments becomes a
// SQL literal of value(name) — the parameter's text as ClickHouse clients
// send it (param_name), in TabSeparated's escaping, \N for NULL — checked
// against Type. Values never become SQL: a string is quoted and escaped, a
// number must be one.
func BindParams(sql string, value func(name string) (string, bool)) (string, error) {
	var out strings.Builder
	last := 0
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(sql, i)
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(sql)
			}
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			if j := strings.Index(sql[i+2:], "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(sql)
			}
		case c == '{':
			name, typ, end, ok := placeholder(sql, i)
			if !ok {
				continue
			}
			raw, set := value(name)
			if !set {
				return "", &ParamError{Name: name, Missing: true, Msg: fmt.Sprintf("query parameter %q is not set: send it as param_%s", name, name)}
			}
			lit, err := paramLiteral(typ, raw)
			if err != nil {
				return "", &ParamError{Name: name, Msg: fmt.Sprintf("query parameter %q: %v", name, err)}
			}
			out.WriteString(sql[last:i])
			out.WriteString(lit)
			last, i = end, end-1
		}
	}
	if last == 0 {
		return sql, nil
	}
	out.WriteString(sql[last:])
	return out.String(), nil
}

// skipQuoted returns the index of the quote that closes the one at i
// (backslash escapes and doubled quotes stay inside), or the end.
func skipQuoted(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j
		}
	}
	return len(s)
}

// placeholder reads {name:Type} at i; end is just past the '}'.
func placeholder(s string, i int) (name, typ string, end int, ok bool) {
	j := i + 1
	for j < len(s) && s[j] == ' ' {
		j++
	}
	k := j
	for k < len(s) && (s[k] == '_' || s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || k > j && s[k] >= '0' && s[k] <= '9') {
		k++
	}
	if k == j {
		return "", "", 0, false
	}
	name = s[j:k]
	for k < len(s) && s[k] == ' ' {
		k++
	}
	if k >= len(s) || s[k] != ':' {
		return "", "", 0, false
	}
	depth := 0
	for t := k + 1; t < len(s); t++ {
		switch s[t] {
		case '(':
			depth++
		case ')':
			depth--
		case '\'':
			t = skipQuoted(s, t)
		case '}':
			if depth == 0 {
				return name, strings.TrimSpace(s[k+1 : t]), t + 1, true
			}
		}
	}
	return "", "", 0, false
}

// paramLiteral renders a parameter's text as a literal of ClickHouse type typ.
func paramLiteral(typ, raw string) (string, error) {
	base := typ
	nullable := false
	for _, wrap := range []string{"Nullable(", "LowCardinality("} {
		if strings.HasPrefix(base, wrap) && strings.HasSuffix(base, ")") {
			nullable = nullable || wrap == "Nullable("
			base = strings.TrimSpace(base[len(wrap) : len(base)-1])
		}
	}
	if raw == `\N` {
		if !nullable {
			return "", fmt.Errorf("NULL for the non-Nullable type %s", typ)
		}
		return "NULL", nil
	}
	name, _, _ := strings.Cut(base, "(")
	switch name {
	case "String", "FixedString", "UUID", "IPv4", "IPv6", "Enum8", "Enum16":
		return quoteLiteral(unescapeParam(raw)), nil
	case "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64":
		if _, err := strconv.ParseInt(raw, 10, 64); err != nil {
			if _, uerr := strconv.ParseUint(raw, 10, 64); uerr != nil || strings.HasPrefix(name, "Int") {
				return "", fmt.Errorf("%q is not an %s", raw, name)
			}
		}
		return raw, nil
	case "Float32", "Float64", "Decimal", "Decimal32", "Decimal64":
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return "", fmt.Errorf("%q is not a %s", raw, name)
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	case "Bool", "Boolean":
		switch strings.ToLower(raw) {
		case "true", "1":
			return "TRUE", nil
		case "false", "0":
			return "FALSE", nil
		}
		return "", fmt.Errorf("%q is not a Bool", raw)
	case "Date", "Date32", "DateTime", "DateTime64":
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil && name == "DateTime" && n >= -9e9 && n <= 9e9 {
			return strconv.FormatInt(n*1e9, 10), nil // epoch seconds; timestamps compare as nanoseconds
		}
		return "TIMESTAMP " + quoteLiteral(unescapeParam(raw)), nil
	}
	return "", fmt.Errorf("type %s is not supported for query parameters", typ)
}

// unescapeParam undoes the TabSeparated escaping clients send values in.
func unescapeParam(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// quoteLiteral quotes s as a SQL string literal the lexer reads back as s.
func quoteLiteral(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
