package ingest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ValuesError reports why a VALUES list could not be decoded. Row is the
// 1-based row the error belongs to (0 when it is outside any row); Column
// names the schema column when the error concerns one value; Line and Col
// are the 1-based position in the decoded text, Col counting characters as
// the SQL parser does (both 0 when the error has no position).
type ValuesError struct {
	Row    int
	Column string
	Line   int
	Col    int
	Msg    string
}

func (e *ValuesError) Error() string {
	var b strings.Builder
	switch {
	case e.Column != "":
		fmt.Fprintf(&b, "row %d, column %s: ", e.Row, e.Column)
	case e.Row > 0 && e.Line == 0: // a row of an input format, which has no position
		fmt.Fprintf(&b, "row %d: ", e.Row)
	}
	b.WriteString(e.Msg)
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d, column %d)", e.Line, e.Col)
	}
	return b.String()
}

// Shift makes the position relative to a longer text in which the decoded
// one followed prefix, such as the statement that SplitInsertValues cut
// the values from: Shift(sql[:len(sql)-len(values)]).
func (e *ValuesError) Shift(prefix string) {
	if e.Line == 0 {
		return
	}
	nl := strings.Count(prefix, "\n")
	if e.Line == 1 {
		e.Col += utf8.RuneCountInString(prefix[strings.LastIndexByte(prefix, '\n')+1:])
	}
	e.Line += nl
}

// position converts a byte offset in text to a 1-based line and character
// column, counting as the SQL lexer does: only '\n' starts a line.
func position(text string, off int) (line, col int) {
	off = min(max(off, 0), len(text))
	before := text[:off]
	line = 1 + strings.Count(before, "\n")
	col = 1 + utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:])
	return line, col
}
