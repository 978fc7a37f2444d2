package server

import (
	"net/http"
	"strconv"

	"github.com/zeptodb/zeptodb/internal/audit"
	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

// auditStatement records a DDL or write statement, and any statement
// refused for lack of permission.
func (s *Server) auditStatement(r *http.Request, w http.ResponseWriter, class exec.Class, text string, err error) {
	if s.opts.Audit == nil {
		return
	}
	status, detail := http.StatusOK, ""
	if err != nil {
		e := classify(err)
		status, detail = e.status, e.code
	}
	kind := audit.Write
	switch {
	case class == exec.ClassDDL:
		kind = audit.DDL
	case class == exec.ClassWrite:
	case status == http.StatusForbidden:
		kind = audit.AuthFailure
	default:
		return // reads are not audited
	}
	s.record(r, w, kind, text, status, detail)
}

// auditAdmin records an admin action.
func (s *Server) auditAdmin(r *http.Request, w http.ResponseWriter, kind, action string, status int, detail string) {
	if s.opts.Audit != nil {
		s.record(r, w, kind, action, status, detail)
	}
}

func (s *Server) record(r *http.Request, w http.ResponseWriter, kind, action string, status int, detail string) {
	e := audit.Event{Kind: kind, Who: "-", Remote: r.RemoteAddr, RequestID: w.Header().Get("X-Request-Id"), Action: action, Status: status, Detail: detail}
	if id, ok := identity(r); ok {
		e.Who, e.Role = id.Name, string(id.Role)
	}
	s.opts.Audit.Record(e)
}

// handleAudit serves GET /admin/audit?n=: the newest n events (default
// 100), oldest first.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, auth.ActAdmin) {
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		s.writeError(w, r, newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "GET /admin/audit?n=100"))
		return
	}
	if s.opts.Audit == nil {
		s.writeError(w, r, newAPIError(http.StatusConflict, "NO_AUDIT_LOG", "the server runs without an audit log"))
		return
	}
	n := 100
	if v := r.URL.Query().Get("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			s.writeError(w, r, newAPIError(http.StatusBadRequest, "BAD_REQUEST", "n must be a count of events"))
			return
		}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"events": s.opts.Audit.Recent(n)})
}
