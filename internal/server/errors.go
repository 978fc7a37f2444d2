package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

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
		case exec.CodeUnknownTable:
			status = http.StatusNotFound
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

// writeError sends {"error":{"code","message","line","column"},"request_id"}.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := classify(err)
	if e.status >= 500 {
		s.log.Error("request failed", "request_id", w.Header().Get("X-Request-Id"), "err", err)
	} else {
		s.log.Debug("request rejected", "request_id", w.Header().Get("X-Request-Id"), "err", err)
	}
	b := []byte(`{"error":{"code":`)
	b = appendJSONString(b, e.code)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, e.msg)
	if e.line > 0 {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(e.line), 10)
		b = append(b, `,"column":`...)
		b = strconv.AppendInt(b, int64(e.col), 10)
	}
	b = append(b, `},"request_id":`...)
	b = appendJSONString(b, w.Header().Get("X-Request-Id"))
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-ZeptoDB-Error-Code", e.code)
	if e.status == http.StatusMethodNotAllowed && w.Header().Get("Allow") == "" {
		w.Header().Set("Allow", "POST")
	}
	w.WriteHeader(e.status)
	if _, err := w.Write(b); err != nil {
		s.log.Debug("write error response", "err", err, slog.String("path", r.URL.Path))
	}
}
