package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/zeptodb/zeptodb/internal/audit"
	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

// publicPath reports the endpoints anyone may call: probes and metrics.
func publicPath(path string) bool {
	switch path {
	case "/ping", "/health", "/ready", "/metrics":
		return true
	}
	return false
}

// credential returns the API key or JWT a request presents, in any of
// the forms clients send: a bearer token (or InfluxDB's "Token"),
// ClickHouse's X-ClickHouse-Key header, HTTP basic auth (the password) or
// the password parameter (InfluxDB v1: p).
// presented tells a request with no credentials from one with bad ones.
func credential(r *http.Request) (key string, presented bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(tok), true
		}
		if tok, ok := strings.CutPrefix(h, "Token "); ok { // InfluxDB v2 clients
			return strings.TrimSpace(tok), true
		}
		if _, pass, ok := r.BasicAuth(); ok {
			return pass, true
		}
		return "", true
	}
	if k := r.Header.Get("X-ClickHouse-Key"); k != "" {
		return k, true
	}
	q := r.URL.Query()
	for _, name := range []string{"password", "p"} { // ClickHouse's, and InfluxDB v1's
		if p := q.Get(name); p != "" {
			return p, true
		}
	}
	return "", false
}

type identityKey struct{}

// withAuth lets through public endpoints and requests presenting a known
// key, with its identity in the context; others get 401. Without keys
// (Options.Keys nil) every request is let through.
func (s *Server) withAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Auth == nil || publicPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		token, presented := credential(r)
		id, ok, why := s.opts.Auth.Authenticate(token)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="zeptodb"`)
			msg := "authentication required: send an API key as Authorization: Bearer <key>"
			if presented {
				msg = "invalid credentials"
			}
			s.log.Info("authentication failed", "request_id", w.Header().Get("X-Request-Id"), "remote", r.RemoteAddr, "path", r.URL.Path, "presented", presented, "reason", why)
			s.opts.Audit.Record(audit.Event{Kind: audit.AuthFailure, Who: "-", Remote: r.RemoteAddr, RequestID: w.Header().Get("X-Request-Id"),
				Action: r.Method + " " + r.URL.Path, Status: http.StatusUnauthorized, Detail: why})
			s.writeError(w, r, newAPIError(http.StatusUnauthorized, "UNAUTHENTICATED", msg))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, id)))
	})
}

// identity returns who a request acts as, if keys are in use.
func identity(r *http.Request) (auth.Identity, bool) {
	id, ok := r.Context().Value(identityKey{}).(auth.Identity)
	return id, ok
}

// forbidden is the 403 for id attempting a.
func forbidden(id auth.Identity, a auth.Action) error {
	return newAPIError(http.StatusForbidden, "FORBIDDEN", fmt.Sprintf("key %q (role %s) may not %s", id.Name, id.Role, a))
}

// allowed answers 403 and returns false when the request's identity may
// not perform a.
func (s *Server) allowed(w http.ResponseWriter, r *http.Request, a auth.Action) bool {
	if id, ok := identity(r); ok && !id.Role.Allows(a) {
		s.writeError(w, r, forbidden(id, a))
		return false
	}
	return true
}

// authorizeStatements makes the executor check every statement of the
// request against its identity's role, and tell its class.
func authorizeStatements(r *http.Request, class *exec.Class) *http.Request {
	id, ok := identity(r)
	a := exec.Authorizer{Class: func(c exec.Class) error {
		*class = c
		if !ok {
			return nil
		}
		a := auth.ActRead
		switch c {
		case exec.ClassWrite:
			a = auth.ActWrite
		case exec.ClassDDL:
			a = auth.ActDDL
		}
		if !id.Role.Allows(a) {
			return forbidden(id, a)
		}
		return nil
	}}
	if ok && id.Tables != nil {
		a.Table = func(name string) error {
			if !id.AllowsTable(name) {
				return newAPIError(http.StatusForbidden, "FORBIDDEN", fmt.Sprintf("key %q may not use table %s", id.Name, name))
			}
			return nil
		}
	}
	return r.WithContext(exec.WithAuthorizer(r.Context(), a))
}
