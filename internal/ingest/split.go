package ingest

import "strings"

// SplitInsertValues recognises INSERT INTO name [(col, ...)] VALUES rest,
// with keywords in any case, white space between the parts and the
// optional TABLE after INTO that the SQL parser accepts. It returns the
// names as written and rest, the text after VALUES, for DecodeValues.
//
// Anything else — comments or quoted identifiers before VALUES, reserved
// words as names, INSERT ... FORMAT, INSERT ... SELECT — gives ok=false:
// the caller should hand such statements to the full SQL parser. Names are
// [A-Za-z_][A-Za-z0-9_]*.
func SplitInsertValues(sql string) (table string, columns []string, values string, ok bool) {
	i := skipBlanks(sql, 0)
	w, i := word(sql, i)
	if !strings.EqualFold(w, "INSERT") {
		return "", nil, "", false
	}
	if w, i = word(sql, skipBlanks(sql, i)); !strings.EqualFold(w, "INTO") {
		return "", nil, "", false
	}
	w, i = word(sql, skipBlanks(sql, i))
	if strings.EqualFold(w, "TABLE") {
		w, i = word(sql, skipBlanks(sql, i))
	}
	if !isName(w) {
		return "", nil, "", false
	}
	table = w
	i = skipBlanks(sql, i)
	if i < len(sql) && sql[i] == '(' {
		i++
		columns = []string{}
		for {
			w, i = word(sql, skipBlanks(sql, i))
			if !isName(w) {
				return "", nil, "", false
			}
			columns = append(columns, w)
			i = skipBlanks(sql, i)
			if i >= len(sql) {
				return "", nil, "", false
			}
			if sql[i] == ')' {
				i++
				break
			}
			if sql[i] != ',' {
				return "", nil, "", false
			}
			i++
		}
	}
	if w, i = word(sql, skipBlanks(sql, i)); !strings.EqualFold(w, "VALUES") {
		return "", nil, "", false
	}
	return table, columns, sql[i:], true
}

// skipBlanks skips white space (not comments) from i.
func skipBlanks(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\n', '\t', '\r', '\f', '\v':
			i++
		default:
			return i
		}
	}
	return i
}

// word returns the identifier-like word at i ("" if there is none) and the
// offset after it.
func word(s string, i int) (string, int) {
	if i >= len(s) || !isIdentStart(s[i]) {
		return "", i
	}
	j := i + 1
	for j < len(s) && isIdentChar(s[j]) {
		j++
	}
	return s[i:j], j
}

// isName reports whether w may be a bare table or column name: a word the
// SQL parser does not reserve.
func isName(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range reservedWords {
		if strings.EqualFold(w, r) {
			return false
		}
	}
	return true
}

// reservedWords are the words the SQL parser never takes as a bare name
// (parser.reserved); names spelled like them must be quoted, which sends
// the statement to the full parser.
var reservedWords = [...]string{
	"AND", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "CREATE", "DESC", "DISTINCT",
	"DROP", "ELSE", "END", "EXPLAIN", "FALSE", "FORMAT", "FROM", "GROUP", "HAVING", "ILIKE",
	"IN", "INSERT", "INTO", "IS", "JOIN", "LIKE", "LIMIT", "NOT", "NULL", "OFFSET", "ON", "OR",
	"ORDER", "SELECT", "SETTINGS", "THEN", "TRUE", "UNION", "VALUES", "WHEN", "WHERE",
}
