package parser

import (
	"fmt"
	"strings"
)

// Pos is a 1-based position in the query text. Columns count characters,
// not bytes, so they match what a user sees in an editor.
type Pos struct {
	Line int
	Col  int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// tokenKind classifies a token.
type tokenKind uint8

const (
	tokEOF         tokenKind = iota
	tokError                 // lexical error; text holds the message
	tokIdent                 // unquoted identifier or non-reserved keyword, as written
	tokQuotedIdent           // "..." or `...`, unescaped
	tokKeyword               // reserved word, as written
	tokInt                   // decimal digits, sign not included
	tokFloat                 // as written
	tokString                // unescaped value
	tokOp                    // operator or punctuation
	tokDuration              // QuestDB duration such as 5m or 100ms, as written
)

var kindNames = [...]string{
	tokEOF: "EOF", tokError: "error", tokIdent: "ident", tokQuotedIdent: "quoted ident",
	tokKeyword: "keyword", tokInt: "int", tokFloat: "float", tokString: "string", tokOp: "op",
	tokDuration: "duration",
}

func (k tokenKind) String() string { return kindNames[k] }

// token is one lexical unit. off and end delimit its source text, which
// error messages quote and INSERT ... FORMAT uses to find where data begins.
type token struct {
	kind tokenKind
	text string
	pos  Pos
	off  int // byte offset of the first byte
	end  int // byte offset just past the last byte
}

// is reports whether t is the word w (a keyword or an unquoted identifier),
// ignoring case. Quoted identifiers never match: quoting is how a user says
// "this is a name, not a keyword".
func (t token) is(w string) bool {
	return (t.kind == tokKeyword || t.kind == tokIdent) && strings.EqualFold(t.text, w)
}

func (t token) isOp(op string) bool { return t.kind == tokOp && t.text == op }

// isName reports whether t may be used as a name: an unquoted non-reserved
// word or any quoted identifier.
func (t token) isName() bool { return t.kind == tokIdent || t.kind == tokQuotedIdent }

// reserved holds the words that can never be bare names. The set is kept
// small on purpose: every word here is a column name a user must quote.
// Words that only matter in one position (TIMESTAMP, INTERVAL, IF, EXISTS,
// NULLS, SHOW, TABLES, PARTITION, ENGINE, ...) are recognised contextually.
var reserved = map[string]bool{
	"AND": true, "AS": true, "ASC": true, "BETWEEN": true, "BY": true,
	"CASE": true, "CAST": true, "CREATE": true, "DESC": true, "DISTINCT": true,
	"DROP": true, "ELSE": true, "END": true, "EXPLAIN": true, "FALSE": true,
	"FORMAT": true, "FROM": true, "GROUP": true, "HAVING": true, "ILIKE": true,
	"IN": true, "INSERT": true, "INTO": true, "IS": true, "JOIN": true, "LIKE": true,
	"LIMIT": true, "NOT": true, "NULL": true, "OFFSET": true, "ON": true, "OR": true,
	"ORDER": true, "SELECT": true, "SETTINGS": true, "THEN": true,
	"TRUE": true, "UNION": true, "VALUES": true, "WHEN": true, "WHERE": true,
}

// isReserved reports whether word (any case) is a reserved keyword.
func isReserved(word string) bool { return reserved[strings.ToUpper(word)] }

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isIdentStart(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || isDigit(c) }
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isBareIdent reports whether s lexes as a single unquoted identifier.
func isBareIdent(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return true
}
