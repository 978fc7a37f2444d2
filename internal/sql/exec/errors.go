package exec

import "fmt"

// Code classifies an execution error for the HTTP layer.
type Code string

// Error codes.
const (
	CodeUnknownTable    Code = "UNKNOWN_TABLE"
	CodeUnknownColumn   Code = "UNKNOWN_COLUMN"
	CodeTypeMismatch    Code = "TYPE_MISMATCH"
	CodeBadArguments    Code = "BAD_ARGUMENTS"
	CodeUnknownFunc     Code = "UNKNOWN_FUNCTION"
	CodeNotSupported    Code = "NOT_SUPPORTED"
	CodeTableExists     Code = "TABLE_ALREADY_EXISTS"
	CodeOverflow        Code = "NUMBER_OUT_OF_RANGE"
	CodeGroupBy         Code = "NOT_AN_AGGREGATE"
	CodeWrongValues     Code = "WRONG_NUMBER_OF_VALUES"
	CodeReadOnly        Code = "READONLY"
	CodeResultTooLarge  Code = "RESULT_TOO_LARGE"
	CodeNoSpace         Code = "INSUFFICIENT_STORAGE"
	CodeCorrupt         Code = "DATA_CORRUPTION"
	CodeMemoryLimit     Code = "MEMORY_LIMIT"
	CodeUnknownFormat   Code = "UNKNOWN_FORMAT"
	CodeCannotParse     Code = "CANNOT_PARSE_INPUT"
	CodeUnknownDatabase Code = "UNKNOWN_DATABASE"
)

// Error is a user error found while binding or running a statement. Line
// and Col locate it in the statement when known (1-based, 0 if unknown).
type Error struct {
	Code      Code
	Msg       string
	Line, Col int
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s at line %d, column %d", e.Msg, e.Line, e.Col)
	}
	return e.Msg
}

func errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}
