package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// FuzzRequest sends arbitrary requests — method, path, query string,
// credentials in every place they are read from, body — through the
// whole handler of a server with keys and a JWT secret. Whatever comes
// in: no panic (it would surface as a 500), errors in ClickHouse's shape, and
// nothing but the public endpoints answers 200 without the one valid key.
func FuzzRequest(f *testing.F) {
	const key = "zepto_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	keys, err := auth.Load("", key+" reader fuzz")
	if err != nil {
		f.Fatal(err)
	}
	verifier, err := auth.NewJWTVerifier(auth.JWTOptions{Secret: []byte(strings.Repeat("k", 32))})
	if err != nil {
		f.Fatal(err)
	}
	s := New(Options{MaxBodyBytes: 4096, Logger: slog.New(slog.DiscardHandler), Auth: &auth.Authenticator{Keys: keys, JWT: verifier}})
	eng, err := engine.Open(engine.Options{Dir: f.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	x := exec.New(eng, exec.Options{})
	if _, err := x.ExecuteText(t0(), "CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE)", false); err != nil {
		f.Fatal(err)
	}
	s.SetExecutor(x)
	h := s.Handler()

	methods := []string{"GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS"}
	for _, seed := range []struct {
		method      uint8
		path, query string
		authz, user string
		chKey, body string
	}{
		{1, "/", "", "Bearer " + key, "", "", "SELECT count(*) FROM trades"},
		{0, "/", "query=SELECT+1", "", "", "", ""},
		{0, "/", "query=SELECT+1&password=" + key, "", "", "", ""},
		{1, "/", "", "", "default", key, "SELECT 1"},
		{1, "/", "", "Basic " + base64.StdEncoding.EncodeToString([]byte("default:"+key)), "", "", "SELECT 1"},
		{1, "/", "", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.", "", "", "DROP TABLE trades"},
		{2, "/admin/keys/fuzz", "", "Bearer " + key, "", "", ""},
		{1, "/admin/keys", "", "Bearer " + key, "", "", `{"role":"admin","name":"x"}`},
		{0, "/admin/audit", "n=-1", "Bearer " + key, "", "", ""},
		{0, "/ready", "", "", "", "", ""},
		{1, "/", "query=INSERT+INTO+trades+VALUES", "Bearer " + key, "", "", "(1, 'A', 1.5)"},
		{1, "/%2e%2e/admin/keys", "", "Basic %%%", "", "", ""},
	} {
		f.Add(seed.method, seed.path, seed.query, seed.authz, seed.user, seed.chKey, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, method uint8, path, query, authz, user, chKey string, body []byte) {
		u := &url.URL{Scheme: "http", Host: "zeptodb", Path: path, RawQuery: query}
		if !strings.HasPrefix(path, "/") {
			u.Path = "/" + path
		}
		req, err := http.NewRequest(methods[int(method)%len(methods)], u.String(), bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		for name, v := range map[string]string{"Authorization": authz, "X-ClickHouse-User": user, "X-ClickHouse-Key": chKey} {
			if v != "" {
				req.Header.Set(name, v)
			}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code == http.StatusInternalServerError {
			t.Fatalf("%s %s: 500: %s", req.Method, u, w.Body)
		}
		if w.Code >= 400 && (w.Header().Get("X-ClickHouse-Exception-Code") == "" || !strings.HasPrefix(w.Body.String(), "Code: ")) {
			t.Fatalf("%s %s: %d without ClickHouse's error shape: %q", req.Method, u, w.Code, w.Body)
		}
		public := map[string]bool{"/ping": true, "/health": true, "/ready": true, "/metrics": true}[req.URL.Path]
		if w.Code/100 == 2 && !public && !carriesKey(req, key) {
			t.Fatalf("%s %s answered %d without credentials: %s", req.Method, u, w.Code, w.Body)
		}
	})
}

func t0() context.Context { return context.Background() }

// carriesKey reports whether the one valid key is anywhere a credential
// is read from: the fuzzer cannot forge a JWT signature, so without the
// key nothing protected may succeed.
func carriesKey(r *http.Request, key string) bool {
	_, password, _ := r.BasicAuth()
	q, _ := url.ParseQuery(r.URL.RawQuery)
	for _, v := range []string{r.Header.Get("Authorization"), r.Header.Get("X-ClickHouse-Key"), password, q.Get("password"), r.URL.RawQuery} {
		if strings.Contains(v, key) {
			return true
		}
	}
	return false
}
