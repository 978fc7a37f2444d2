package server

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zeptodb/zeptodb/internal/chformat"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// handleQuery runs one statement the way ClickHouse's HTTP interface
// does: on any path that is not one of ours (ClickHouse serves queries on
// every path, and Grafana may be given one), GET read-only and POST for
// anything, the statement in ?query= and then the body.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h := w.Header()
	queryID := q.Get("query_id")
	if !saneID(queryID) {
		queryID = newQueryID()
	}
	h.Set("X-ClickHouse-Query-Id", queryID)
	h.Set("X-ClickHouse-Timezone", "UTC")
	h.Set("X-ClickHouse-Server-Display-Name", s.opts.DisplayName)
	h.Set("Keep-Alive", "timeout=10")
	if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodHead {
		h.Set("Allow", "GET, POST")
		s.writeError(w, r, newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", r.Method+" is not allowed; use GET for reads, POST for any statement"))
		return
	}
	text, err := s.statementText(w, r, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if r.Method != http.MethodPost && strings.TrimSpace(text) == "" {
		io.WriteString(w, "Ok.\n") // ClickHouse's answer to GET / without a query
		return
	}
	x := s.exec.Load()
	if x == nil {
		s.writeError(w, r, newAPIError(http.StatusServiceUnavailable, "NOT_READY", "server is recovering, retry shortly"))
		return
	}
	// Only SQL must be UTF-8: with ?query= the body may be data in a
	// binary format (INSERT ... FORMAT ArrowStream).
	if sql := q.Get("query"); (sql != "" && !utf8.ValidString(sql)) || (sql == "" && !utf8.ValidString(text)) {
		s.writeError(w, r, newAPIError(http.StatusBadRequest, "BAD_ENCODING", "the statement is not valid UTF-8"))
		return
	}
	if strings.TrimSpace(text) == "" {
		s.writeError(w, r, newAPIError(http.StatusBadRequest, "EMPTY_QUERY", "empty query: send a statement in the body (POST) or in ?query="))
		return
	}
	if text, err = bindParams(text, q); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.run(w, r, x, text, q)
}

// newQueryID returns a random UUID (version 4), as ClickHouse makes them.
func newQueryID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// statementText collects the statement: the query parameter, then the
// body (ClickHouse clients send INSERT data after the query this way),
// decompressed when the client says it is.
func (s *Server) statementText(w http.ResponseWriter, r *http.Request, q url.Values) (string, error) {
	text := q.Get("query")
	if r.Method != http.MethodPost {
		return text, nil
	}
	limit := s.opts.MaxBodyBytes
	if id, _ := identity(r); id.Limits.MaxBody > 0 {
		limit = id.Limits.MaxBody
	}
	tooLarge := newAPIError(http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE",
		"request body exceeds the limit of "+strconv.FormatInt(limit, 10)+" bytes (max_body_size, or the key's max_body)")
	var body io.Reader = http.MaxBytesReader(w, r.Body, limit)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return "", bodyError(err, tooLarge)
		}
		body = zr
	case "deflate":
		zr, err := zlib.NewReader(body)
		if err != nil {
			return "", bodyError(err, tooLarge)
		}
		body = zr
	default:
		return "", newAPIError(http.StatusBadRequest, "BAD_REQUEST", "Content-Encoding "+enc+" is not supported: send gzip, deflate or an uncompressed body")
	}
	// The limit holds for what the body expands to, too: a small
	// compressed body must not become gigabytes.
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return "", bodyError(err, tooLarge)
	}
	if int64(len(data)) > limit {
		return "", tooLarge
	}
	if text != "" && len(data) > 0 {
		return text + "\n" + string(data), nil
	}
	return text + string(data), nil
}

func bodyError(err error, tooLarge error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return tooLarge
	}
	return newAPIError(http.StatusBadRequest, "TRUNCATED_BODY", "reading request body: "+err.Error())
}

// outputFormat picks the format of a result: the statement's FORMAT
// clause, else default_format, else the X-ClickHouse-Format header, else
// TabSeparated, as ClickHouse does.
func outputFormat(clause string, q url.Values, r *http.Request) (chformat.Format, error) {
	name := clause
	for _, n := range []string{q.Get("default_format"), r.Header.Get("X-ClickHouse-Format")} {
		if name == "" {
			name = n
		}
	}
	if name == "" {
		return chformat.TabSeparated, nil
	}
	f, ok := chformat.Lookup(name)
	if !ok {
		return "", newAPIError(http.StatusNotFound, "UNKNOWN_FORMAT", "unknown format "+name)
	}
	return f, nil
}

func (s *Server) run(w http.ResponseWriter, r *http.Request, x *exec.Executor, text string, q url.Values) {
	defer func() {
		// A bug in one statement must answer 500, not take the server
		// down or drop the connection.
		if v := recover(); v != nil {
			s.log.Error("panic while running a statement", "request_id", w.Header().Get("X-Request-Id"), "panic", v, "stack", string(debug.Stack()))
			s.writeError(w, r, newAPIError(http.StatusInternalServerError, "INTERNAL_ERROR", fmt.Sprintf("internal error: %v", v)))
		}
	}()
	if _, err := outputFormat("", q, r); err != nil { // a bad default is refused before anything runs
		s.writeError(w, r, err)
		return
	}
	id, _ := identity(r)
	limits := s.opts.Limits.effective(id)
	if secs, err := strconv.ParseFloat(q.Get("max_execution_time"), 64); err == nil && secs > 0 {
		if d := time.Duration(secs * float64(time.Second)); limits.QueryTimeout == 0 || d < limits.QueryTimeout {
			limits.QueryTimeout = d // the client's own deadline, as clickhouse-go sends it
		}
	}
	release, err := s.admit(id.Name, limits)
	if err != nil {
		w.Header().Set("Retry-After", "1")
		s.writeError(w, r, err)
		return
	}
	defer release()
	r, cancel := withTimeout(r, limits.QueryTimeout)
	defer cancel()
	killCtx, kill := context.WithCancelCause(r.Context())
	defer kill(nil)
	r = r.WithContext(killCtx)
	defer s.procs.add(w.Header().Get("X-ClickHouse-Query-Id"), who(r), cut(text, 4096), kill)()
	start := time.Now()
	class := exec.ClassRead // what the statement does, told by the executor
	ctx := exec.WithMemoryLimit(authorizeStatements(r, &class).Context(), limits.MaxQueryMemory)
	res, err := x.ExecuteText(ctx, text, r.Method != http.MethodPost)
	err = timeoutError(r, err, limits.QueryTimeout)
	if err != nil && errors.Is(context.Cause(killCtx), errKilled) {
		err = errKilled
	}
	if err == nil {
		res = capRows(res, q.Get("limit"))
		if limits.MaxResultRows > 0 && res.Rows > limits.MaxResultRows {
			err = resultTooLarge(res.Rows, limits.MaxResultRows)
		}
	}
	s.auditStatement(r, w, class, text, err)
	if took := time.Since(start); s.opts.Limits.SlowQuery > 0 && took >= s.opts.Limits.SlowQuery {
		s.log.Warn("slow query", "request_id", w.Header().Get("X-Request-Id"), "who", who(r), "ms", took.Milliseconds(), "rows", rowsOf(res), "statement", cut(text, 1024), "err", err)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeResult(w, r, q, res, start, limits)
}

// writeResult encodes a result in its format, whole, before the first
// byte is sent: any failure is still a proper error response.
func (s *Server) writeResult(w http.ResponseWriter, r *http.Request, q url.Values, res *exec.Result, start time.Time, limits Limits) {
	var out []byte
	h := w.Header()
	if res.Columns != nil {
		f, err := outputFormat(res.Format, q, r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		cols := make([]chformat.Column, len(res.Columns))
		for i, c := range res.Columns {
			cols[i] = chformat.Column{Name: c.Name, Type: c.Type, Data: c.Data}
		}
		out = chformat.Append(make([]byte, 0, 256+res.Rows*32), f, cols, res.Rows, chformat.Options{
			QuoteInt64:     q.Get("output_format_json_quote_64bit_integers") != "0",
			ElapsedSeconds: time.Since(start).Seconds(), RowsRead: res.RowsRead,
		})
		if limits.MaxResultBytes > 0 && int64(len(out)) > limits.MaxResultBytes {
			s.writeError(w, r, newAPIError(http.StatusBadRequest, "RESULT_TOO_LARGE", "the result is "+strconv.Itoa(len(out))+
				" bytes, over max_result_bytes ("+strconv.FormatInt(limits.MaxResultBytes, 10)+"): select fewer columns or rows"))
			return
		}
		h.Set("Content-Type", f.ContentType())
		h.Set("X-ClickHouse-Format", string(f))
	} else {
		h.Set("Content-Type", "text/plain; charset=UTF-8")
	}
	h.Set("X-ClickHouse-Summary", summary(res, len(out), time.Since(start)))
	if q.Get("enable_http_compression") == "1" && acceptsGzip(r) && len(out) > 0 {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(out) // a bytes.Buffer does not fail
		zw.Close()
		out = buf.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(out)))
	if r.Method == http.MethodHead {
		return
	}
	if _, err := w.Write(out); err != nil {
		s.log.Debug("write response", "err", err)
	}
}

// summary is the X-ClickHouse-Summary header: a JSON object whose values
// are all strings, as ClickHouse sends it.
func summary(res *exec.Result, resultBytes int, took time.Duration) string {
	b := []byte(`{"read_rows":"`)
	b = strconv.AppendInt(b, res.RowsRead, 10)
	b = append(b, `","read_bytes":"0","written_rows":"`...)
	b = strconv.AppendInt(b, res.Written, 10)
	b = append(b, `","written_bytes":"0","total_rows_to_read":"`...)
	b = strconv.AppendInt(b, res.RowsRead, 10)
	b = append(b, `","result_rows":"`...)
	b = strconv.AppendInt(b, int64(res.Rows), 10)
	b = append(b, `","result_bytes":"`...)
	b = strconv.AppendInt(b, int64(resultBytes), 10)
	b = append(b, `","elapsed_ns":"`...)
	b = strconv.AppendInt(b, took.Nanoseconds(), 10)
	return string(append(b, `"}`...))
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if name, _, _ := strings.Cut(strings.TrimSpace(part), ";"); strings.EqualFold(name, "gzip") {
			return true
		}
	}
	return false
}

// capRows applies the limit setting (Grafana's row limit): at most n
// rows of the result.
func capRows(res *exec.Result, setting string) *exec.Result {
	n, err := strconv.Atoi(setting)
	if err != nil || n <= 0 || res.Rows <= n || res.Columns == nil {
		return res
	}
	out := *res
	out.Columns = make([]exec.ResultColumn, len(res.Columns))
	for i, c := range res.Columns {
		c.Data = c.Data.Slice(0, n)
		out.Columns[i] = c
	}
	out.Rows = n
	return &out
}

// bindParams substitutes the {name:Type} query parameters when the
// request carries param_ values (ClickHouse's server-side parameters).
func bindParams(text string, q url.Values) (string, error) {
	has := false
	for k := range q {
		has = has || strings.HasPrefix(k, "param_")
	}
	if !has {
		return text, nil
	}
	out, err := parser.BindParams(text, func(name string) (string, bool) {
		v, ok := q["param_"+name]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	})
	var pe *parser.ParamError
	switch {
	case errors.As(err, &pe) && pe.Missing:
		return "", newAPIError(http.StatusBadRequest, "UNKNOWN_QUERY_PARAMETER", pe.Msg)
	case errors.As(err, &pe):
		return "", newAPIError(http.StatusBadRequest, "BAD_QUERY_PARAMETER", pe.Msg)
	}
	return out, err
}
