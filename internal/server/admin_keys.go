package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/zeptodb/zeptodb/internal/audit"
	"github.com/zeptodb/zeptodb/internal/auth"
)

// keyInfo is a key as the admin API shows it: never the key or its hash.
type keyInfo struct {
	Name   string   `json:"name"`
	Role   string   `json:"role"`
	Tables []string `json:"tables"`
	Key    string   `json:"key,omitempty"` // only in the answer to a create
}

// handleKeys serves GET /admin/keys (list), POST /admin/keys (create:
// {"role","name","tables"}; the answer holds the key, shown only then) and
// DELETE /admin/keys/<name> (revoke). Changes go to the keys file and take
// effect at once.
func (s *Server) handleKeys(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, auth.ActAdmin) {
		return
	}
	if s.opts.Auth == nil || s.opts.Auth.Keys == nil || s.opts.KeysFile == "" {
		s.writeError(w, r, newAPIError(http.StatusConflict, "NO_KEYS_FILE", "the server runs without an API keys file (api_keys_file): keys cannot be managed here"))
		return
	}
	name, hasName := strings.CutPrefix(r.URL.Path, "/admin/keys/")
	switch {
	case r.URL.Path == "/admin/keys" && r.Method == http.MethodGet:
		entries, err := auth.ReadKeysFile(s.opts.KeysFile)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		out := make([]keyInfo, len(entries))
		for i, e := range entries {
			out[i] = keyInfo{Name: e.Name, Role: string(e.Role), Tables: e.Tables}
		}
		s.writeJSON(w, http.StatusOK, map[string]any{"keys": out})
	case r.URL.Path == "/admin/keys" && r.Method == http.MethodPost:
		s.createKey(w, r)
	case hasName && name != "" && r.Method == http.MethodDelete:
		if err := auth.RevokeKey(s.opts.KeysFile, name); err != nil {
			s.writeError(w, r, newAPIError(http.StatusNotFound, "NOT_FOUND", err.Error()))
			return
		}
		if !s.reloadKeys(w, r) {
			return
		}
		s.log.Info("API key revoked", "name", name, "by", who(r))
		s.auditAdmin(r, w, audit.KeyChange, "DELETE /admin/keys/"+name, http.StatusOK, "revoked "+name)
		s.writeJSON(w, http.StatusOK, map[string]string{"revoked": name})
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		s.writeError(w, r, newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "GET or POST /admin/keys, DELETE /admin/keys/<name>"))
	}
}

func (s *Server) createKey(w http.ResponseWriter, r *http.Request) {
	var req keyInfo
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.writeError(w, r, newAPIError(http.StatusBadRequest, "BAD_REQUEST", `want {"role":"...","name":"...","tables":[...]}: `+err.Error()))
		return
	}
	role, err := auth.ParseRole(req.Role)
	if err == nil && req.Tables != nil {
		_, err = auth.ParseTables(strings.Join(req.Tables, ","))
	}
	if err != nil {
		s.writeError(w, r, newAPIError(http.StatusBadRequest, "BAD_REQUEST", err.Error()))
		return
	}
	key, err := auth.GenerateKey()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := auth.AddKey(s.opts.KeysFile, auth.Entry{Hash: auth.HashKey(key), Role: role, Name: req.Name, Tables: req.Tables}); err != nil {
		s.writeError(w, r, newAPIError(http.StatusBadRequest, "BAD_REQUEST", err.Error()))
		return
	}
	if !s.reloadKeys(w, r) {
		return
	}
	s.log.Info("API key created", "name", req.Name, "role", role, "by", who(r))
	s.auditAdmin(r, w, audit.KeyChange, "POST /admin/keys", http.StatusCreated, fmt.Sprintf("created %s role=%s tables=%v", req.Name, role, req.Tables))
	s.writeJSON(w, http.StatusCreated, keyInfo{Name: req.Name, Role: string(role), Tables: req.Tables, Key: key})
}

func (s *Server) reloadKeys(w http.ResponseWriter, r *http.Request) bool {
	if err := s.opts.Auth.Keys.Reload(); err != nil {
		s.writeError(w, r, errors.Join(errors.New("the keys file changed but could not be read back"), err))
		return false
	}
	return true
}

// who names the identity of a request for logs.
func who(r *http.Request) string {
	if id, ok := identity(r); ok {
		return id.Name
	}
	return "-"
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only maps, strings and slices: cannot happen
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
