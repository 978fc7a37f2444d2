package parser

import "fmt"

// SyntaxError reports malformed SQL text and where it is.
type SyntaxError struct {
	Pos Pos
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("syntax error at line %d, column %d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
}
