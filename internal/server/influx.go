package server

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/chformat"
	"github.com/zeptodb/zeptodb/internal/ingest"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

// handleInfluxWrite takes InfluxDB line protocol as InfluxDB's HTTP API
// does: POST /write (v1: db, precision) and /api/v2/write (bucket, org,
// precision), body gzip or plain. Lines that parse and fit are written;
// the others are reported in InfluxDB's partial-write answer (400), and
// counted in zepto_ticks_dropped_total.
func (s *Server) handleInfluxWrite(w http.ResponseWriter, r *http.Request) {
	v2 := strings.HasPrefix(r.URL.Path, "/api/v2/")
	fail := func(status int, code, msg string, line int) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Influxdb-Error", msg)
		w.WriteHeader(status)
		if v2 {
			b := []byte(`{"code":`)
			b = appendJSON(b, code)
			b = append(b, `,"message":`...)
			b = appendJSON(b, msg)
			if line > 0 {
				b = append(b, `,"line":`...)
				b = strconv.AppendInt(b, int64(line), 10)
			}
			w.Write(append(b, "}\n"...))
			return
		}
		b := appendJSON([]byte(`{"error":`), msg)
		w.Write(append(b, "}\n"...))
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		fail(http.StatusMethodNotAllowed, "method not allowed", "POST line protocol to this endpoint", 0)
		return
	}
	if id, ok := identity(r); ok && !id.Role.Allows(auth.ActWrite) {
		e := classify(forbidden(id, auth.ActWrite))
		w.Header().Set("X-ZeptoDB-Error-Code", e.code)
		fail(e.status, "forbidden", e.msg, 0)
		return
	}
	x := s.exec.Load()
	if x == nil {
		fail(http.StatusServiceUnavailable, "unavailable", "server is recovering, retry shortly", 0)
		return
	}
	q := r.URL.Query()
	scale, err := ingest.PrecisionScale(q.Get("precision"))
	if err != nil {
		fail(http.StatusBadRequest, "invalid", err.Error(), 0)
		return
	}
	body, err := s.statementText(w, r, url.Values{})
	if err != nil {
		e := classify(err)
		fail(e.status, "invalid", e.msg, 0)
		return
	}
	var lines []exec.Line
	var refused []exec.LineError
	lp := ingest.LineParser{Scale: scale}
	n := 0
	for data := []byte(body); len(data) > 0; {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		n++
		line = bytes.TrimRight(line, "\r")
		if t := bytes.TrimLeft(line, " \t"); len(t) == 0 || t[0] == '#' {
			continue
		}
		p, err := lp.Parse(line)
		if err != nil {
			refused = append(refused, exec.LineError{Line: n, Msg: "unable to parse '" + cutLine(line) + "': " + err.Error()})
			continue
		}
		lines = append(lines, exec.Line{N: n, Point: p})
	}
	class := exec.ClassWrite
	ctx := authorizeStatements(r, &class).Context()
	written, errs := x.WriteLines(ctx, lines, exec.LineOptions{AutoCreate: s.opts.LineAutoCreate})
	if len(refused) > 0 {
		x.CountRejected(len(refused))
	}
	refused = append(refused, errs...)
	s.auditStatement(r, w, exec.ClassWrite, "line protocol: "+strconv.Itoa(written)+" points written, "+strconv.Itoa(len(refused))+" refused", nil)
	if len(refused) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	first := refused[0]
	for _, e := range refused[1:] {
		if e.Line < first.Line {
			first = e
		}
	}
	msg := "partial write: " + strconv.Itoa(written) + " points written, " + strconv.Itoa(len(refused)) + " lines refused; line " +
		strconv.Itoa(first.Line) + ": " + first.Msg + " dropped=" + strconv.Itoa(len(refused))
	fail(http.StatusBadRequest, "invalid", msg, first.Line)
}

func appendJSON(dst []byte, s string) []byte { return chformat.AppendJSONString(dst, s) }

func cutLine(b []byte) string {
	if len(b) > 100 {
		return string(b[:100]) + "..."
	}
	return string(b)
}
