package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/zeptodb/zeptodb/internal/sql/exec"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// apiError is an error with its HTTP status and a stable code.
type apiError struct {
	status    int
	code      string
	msg       string
	line, col int
}

func (e *apiError) Error() string { return e.msg }

func newAPIError(status int, code, msg string) *apiError {
	return &apiError{status: status, code: code, msg: msg}
}

// classify maps an error from parsing or execution to a response.
func classify(err error) *apiError {
	var ae *apiError
	var se *parser.SyntaxError
	var ee *exec.Error
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &se):
		return &apiError{status: http.StatusBadRequest, code: "SYNTAX_ERROR", msg: se.Error(), line: se.Pos.Line, col: se.Pos.Col}
	case errors.As(err, &ee):
		status := http.StatusBadRequest
		switch ee.Code {
		case exec.CodeUnknownTable, exec.CodeUnknownColumn, exec.CodeUnknownFunc, exec.CodeUnknownFormat:
			status = http.StatusNotFound
		case exec.CodeNotSupported:
			status = http.StatusNotImplemented
		case exec.CodeReadOnly:
			status = http.StatusMethodNotAllowed
		case exec.CodeNoSpace:
			status = http.StatusInsufficientStorage
		case exec.CodeCorrupt:
			status = http.StatusInternalServerError
		}
		return &apiError{status: status, code: string(ee.Code), msg: ee.Error(), line: ee.Line, col: ee.Col}
	}
	return &apiError{status: http.StatusInternalServerError, code: "INTERNAL_ERROR", msg: err.Error()}
}

// clickhouseCode is ClickHouse's number and name for an error, which its
// clients read from the X-ClickHouse-Exception-Code header and the body.
type clickhouseCode struct {
	num  int
	name string
}

// clickhouseCodes maps ZeptoDB's error codes onto ClickHouse's
// (src/Common/ErrorCodes.cpp).
var clickhouseCodes = map[string]clickhouseCode{
	"SYNTAX_ERROR": {62, "SYNTAX_ERROR"}, "EMPTY_QUERY": {62, "SYNTAX_ERROR"},
	string(exec.CodeUnknownTable): {60, "UNKNOWN_TABLE"}, string(exec.CodeUnknownColumn): {47, "UNKNOWN_IDENTIFIER"},
	string(exec.CodeTypeMismatch): {53, "TYPE_MISMATCH"}, string(exec.CodeBadArguments): {36, "BAD_ARGUMENTS"},
	string(exec.CodeUnknownFunc): {46, "UNKNOWN_FUNCTION"}, string(exec.CodeNotSupported): {48, "NOT_IMPLEMENTED"},
	string(exec.CodeTableExists): {57, "TABLE_ALREADY_EXISTS"}, string(exec.CodeOverflow): {321, "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE"},
	string(exec.CodeGroupBy): {215, "NOT_AN_AGGREGATE"}, string(exec.CodeWrongValues): {20, "NUMBER_OF_COLUMNS_DOESNT_MATCH"},
	string(exec.CodeReadOnly): {164, "READONLY"}, string(exec.CodeResultTooLarge): {396, "TOO_MANY_ROWS_OR_BYTES"},
	string(exec.CodeNoSpace): {243, "NOT_ENOUGH_SPACE"}, string(exec.CodeCorrupt): {40, "CHECKSUM_DOESNT_MATCH"},
	string(exec.CodeMemoryLimit): {241, "MEMORY_LIMIT_EXCEEDED"},
	"UNAUTHENTICATED":            {516, "AUTHENTICATION_FAILED"}, "FORBIDDEN": {497, "ACCESS_DENIED"},
	"QUERY_TIMEOUT": {159, "TIMEOUT_EXCEEDED"}, "TOO_MANY_REQUESTS": {202, "TOO_MANY_SIMULTANEOUS_QUERIES"},
	"RATE_LIMITED": {201, "QUOTA_EXCEEDED"}, "BODY_TOO_LARGE": {229, "QUERY_IS_TOO_LARGE"},
	"TRUNCATED_BODY": {33, "CANNOT_READ_ALL_DATA"}, "BAD_ENCODING": {36, "BAD_ARGUMENTS"}, "BAD_REQUEST": {36, "BAD_ARGUMENTS"},
	"UNKNOWN_FORMAT": {73, "UNKNOWN_FORMAT"}, string(exec.CodeCannotParse): {27, "CANNOT_PARSE_INPUT_ASSERTION_FAILED"}, "UNKNOWN_DATABASE": {81, "UNKNOWN_DATABASE"},
	"INTERNAL_ERROR":          {49, "LOGICAL_ERROR"},
	"QUERY_WAS_CANCELLED":     {394, "QUERY_WAS_CANCELLED"},
	"UNKNOWN_QUERY_PARAMETER": {456, "UNKNOWN_QUERY_PARAMETER"}, "BAD_QUERY_PARAMETER": {457, "BAD_QUERY_PARAMETER"},
}

// chCode is the ClickHouse code of one of ours; codes ClickHouse has no
// counterpart for are UNKNOWN_EXCEPTION, with ours in the message.
func chCode(code string) clickhouseCode {
	if c, ok := clickhouseCodes[code]; ok {
		return c
	}
	return clickhouseCode{1002, "UNKNOWN_EXCEPTION"}
}

// writeError answers as ClickHouse does, so that its clients raise typed
// exceptions: status, X-ClickHouse-Exception-Code, and one line
// "Code: N. DB::Exception: <message>. (NAME) (version V)". ZeptoDB's own
// code is in X-ZeptoDB-Error-Code.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := classify(err)
	if e.status >= 500 {
		s.log.Error("request failed", "request_id", w.Header().Get("X-Request-Id"), "err", err)
	} else {
		s.log.Debug("request rejected", "request_id", w.Header().Get("X-Request-Id"), "err", err)
	}
	ch := chCode(e.code)
	msg := strings.TrimRight(strings.ReplaceAll(e.msg, "\n", " "), ". ")
	if ch.num == 1002 {
		msg = e.code + ": " + msg
	}
	b := append([]byte("Code: "), strconv.Itoa(ch.num)...)
	b = append(b, ". DB::Exception: "...)
	b = append(b, msg...)
	b = append(b, ". ("...)
	b = append(b, ch.name...)
	b = append(b, ") (version "...)
	b = append(b, s.opts.Version...)
	b = append(b, ")\n"...)
	h := w.Header()
	h.Del("Content-Encoding")
	h.Set("Content-Type", "text/plain; charset=UTF-8")
	h.Set("X-ClickHouse-Exception-Code", strconv.Itoa(ch.num))
	h.Set("X-ZeptoDB-Error-Code", e.code)
	if e.status == http.StatusMethodNotAllowed && h.Get("Allow") == "" {
		h.Set("Allow", "POST")
	}
	w.WriteHeader(e.status)
	if _, err := w.Write(b); err != nil {
		s.log.Debug("write error response", "err", err, slog.String("path", r.URL.Path))
	}
}
