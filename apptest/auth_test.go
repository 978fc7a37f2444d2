package apptest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// createKey runs `zeptodb keys create` and returns the key it prints.
func createKey(t *testing.T, file, role, name string) string {
	t.Helper()
	out, err := exec.Command(binary, "keys", "create", "--role", role, "--name", name, "--file", file).Output()
	if err != nil {
		t.Fatalf("keys create: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// send makes one request with the given credentials and returns its
// status and body; an error's body ends with a line naming ZeptoDB's
// code (the X-ZeptoDB-Error-Code header), which tests look for.
func send(t *testing.T, method, url, body string, cred func(*http.Request)) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if cred != nil {
		cred(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if code := resp.Header.Get("X-ZeptoDB-Error-Code"); code != "" {
		return resp.StatusCode, string(b) + "X-ZeptoDB-Error-Code: " + code + "\n"
	}
	return resp.StatusCode, string(b)
}

func bearer(key string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+key) }
}

// TestAuthRolesEndToEnd: the real binary with a keys file and a key from
// the environment; every role against every endpoint and statement class.
func TestAuthRolesEndToEnd(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "keys.txt")
	keys := map[string]string{}
	for _, role := range []string{"admin", "writer", "reader", "metrics"} {
		keys[role] = createKey(t, file, role, "k-"+role)
	}
	envKey := "zepto_" + strings.Repeat("ab", 32)
	t.Setenv("ZEPTODB_API_KEYS", envKey+" reader from-env")
	s := start(t, filepath.Join(dir, "data"), "--api-keys-file", file)
	if code, body := send(t, "POST", s.url+"/", createTrades, bearer(keys["admin"])); code != 200 {
		t.Fatalf("admin CREATE TABLE: %d %s", code, body)
	}

	type class int
	const (
		public class = iota
		read
		write
		ddl
		admin
		stats
	)
	requests := []struct {
		class        class
		method, path string
		body         func(n int) string
	}{
		{public, "GET", "/ping", nil},
		{public, "GET", "/health", nil},
		{public, "GET", "/ready", nil},
		{public, "GET", "/metrics", nil},
		{read, "POST", "/", func(int) string { return "SELECT count(*) FROM trades" }},
		{read, "GET", "/?query=SELECT+sum(price)+FROM+trades", nil},
		{read, "POST", "/", func(int) string { return "SHOW TABLES" }},
		{read, "POST", "/", func(int) string { return "DESCRIBE trades" }},
		{read, "POST", "/", func(int) string { return "EXPLAIN SELECT * FROM trades WHERE symbol = 'A'" }},
		{write, "POST", "/", func(n int) string {
			return fmt.Sprintf("INSERT INTO trades VALUES (%d, 'A', 1.5, %d)", time.Now().UnixNano(), n)
		}},
		{write, "POST", "/", func(int) string { return "INSERT INTO trades SELECT * FROM trades WHERE volume < 0" }},
		{write, "POST", "/", func(int) string { return "UPDATE trades SET price = 2 WHERE volume = -1" }},
		{write, "POST", "/", func(int) string { return "DELETE FROM trades WHERE volume = -1" }},
		{ddl, "POST", "/", func(n int) string { return fmt.Sprintf("CREATE TABLE t%d (ts TIMESTAMP, v DOUBLE)", n) }},
		{ddl, "POST", "/", func(int) string { return "ALTER TABLE trades SET TTL 3650 DAYS" }},
		{ddl, "POST", "/", func(n int) string { return fmt.Sprintf("DROP TABLE IF EXISTS nosuch%d", n) }},
		{ddl, "POST", "/", func(n int) string { return fmt.Sprintf("CREATE TABLE c%d AS SELECT * FROM trades", n) }},
		{ddl, "POST", "/", func(int) string { return "KILL QUERY WHERE query_id = 'none'" }},
		{write, "POST", "/api/v2/write", func(n int) string { return fmt.Sprintf("lp,t=a f=%di %d", n, time.Now().UnixNano()) }},
		{write, "POST", "/write?db=default", func(n int) string { return fmt.Sprintf("lp,t=b f=%di %d", n, time.Now().UnixNano()) }},
		{read, "GET", "/?query=SELECT+name+FROM+system.tables", nil},
		{admin, "POST", "/admin/backup", nil},
		{admin, "GET", "/admin/keys", nil},
		{admin, "GET", "/admin/audit?n=5", nil},
		{stats, "GET", "/stats", nil},
	}
	callers := []struct {
		name    string
		cred    func(*http.Request)
		allowed []class // beyond public
		status  int     // when not allowed
	}{
		{"no credentials", nil, nil, 401},
		{"unknown key", bearer("zepto_" + strings.Repeat("0", 64)), nil, 401},
		{"malformed token", bearer("hunter2"), nil, 401},
		{"admin", bearer(keys["admin"]), []class{read, write, ddl, admin, stats}, 0},
		{"writer", bearer(keys["writer"]), []class{read, write}, 403},
		{"reader", bearer(keys["reader"]), []class{read}, 403},
		{"reader from the environment", bearer(envKey), []class{read}, 403},
		{"metrics", bearer(keys["metrics"]), []class{stats}, 403},
		{"reader via X-ClickHouse-Key", func(r *http.Request) { r.Header.Set("X-ClickHouse-Key", keys["reader"]) }, []class{read}, 403},
		{"reader via basic auth", func(r *http.Request) { r.SetBasicAuth("default", keys["reader"]) }, []class{read}, 403},
	}
	n := 0
	for _, c := range callers {
		for _, req := range requests {
			n++
			url, body := s.url+req.path, ""
			if req.body != nil {
				body = req.body(n)
			}
			ok := req.class == public
			for _, a := range c.allowed {
				ok = ok || a == req.class
			}
			code, resp := send(t, req.method, url, body, c.cred)
			switch {
			case ok && code/100 != 2:
				t.Errorf("%s: %s %s %q: %d, want 2xx: %s", c.name, req.method, req.path, body, code, resp)
			case !ok && code != c.status:
				t.Errorf("%s: %s %s %q: %d, want %d: %s", c.name, req.method, req.path, body, code, c.status, resp)
			case !ok && c.status == 401 && !strings.Contains(resp, "UNAUTHENTICATED"):
				t.Errorf("%s: 401 without the UNAUTHENTICATED code: %s", c.name, resp)
			case !ok && c.status == 403 && !strings.Contains(resp, "FORBIDDEN"):
				t.Errorf("%s: 403 without the FORBIDDEN code: %s", c.name, resp)
			}
		}
	}
	// The password parameter (ClickHouse's ?user=&password=).
	if code, resp := send(t, "GET", s.url+"/?user=default&password="+keys["reader"]+"&query=SELECT+1", "", nil); code != 200 {
		t.Errorf("password parameter: %d %s", code, resp)
	}
	// /stats counts what the matrix did: two inserted rows, the one
	// CREATE TABLE AS SELECT copied, and four line-protocol points (admin
	// and writer, v1 and v2).
	code, resp := send(t, "GET", s.url+"/stats", "", bearer(keys["metrics"]))
	var st map[string]any
	if err := json.Unmarshal([]byte(resp), &st); code != 200 || err != nil || st["ticks_ingested"] != 7.0 || st["queries_executed"].(float64) < 20 || st["server_ready"] != true {
		t.Errorf("/stats: %d %s", code, resp)
	}
	// Only the admin and writer inserts landed.
	if code, resp := send(t, "POST", s.url+"/", "SELECT count(*) FROM trades", bearer(keys["admin"])); code != 200 || resp != "2\n" {
		t.Errorf("rows after the matrix: %d %s (want 2: one insert by admin, one by writer)", code, resp)
	}

	// Revoked and reloaded with SIGHUP: the writer's key stops working,
	// the others go on.
	if out, err := exec.Command(binary, "keys", "revoke", "--name", "k-writer", "--file", file).CombinedOutput(); err != nil {
		t.Fatalf("keys revoke: %v %s", err, out)
	}
	s.cmd.Process.Signal(syscall.SIGHUP)
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, _ := send(t, "POST", s.url+"/", "SELECT 1", bearer(keys["writer"]))
		if code == 401 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the revoked key still answers %d 5 s after SIGHUP", code)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, _ := send(t, "POST", s.url+"/", "SELECT 1", bearer(keys["reader"])); code != 200 {
		t.Fatalf("reader after the reload: %d", code)
	}
	if !s.waitLog("API keys reloaded") || strings.Contains(s.log.String(), keys["reader"]) {
		t.Fatal("the reload is not logged, or a key is")
	}
}

// TestAuthRequiredBeyondLoopback: bound to all interfaces without keys
// and without --no-auth the server refuses to start and says what to do;
// with a key, or with --no-auth, it starts.
func TestAuthRequiredBeyondLoopback(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	out, err := exec.Command(binary, "serve", "--host", "0.0.0.0", "--port", fmt.Sprint(freePort(t)), "--data-dir", filepath.Join(dir, "a")).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--api-keys-file") || !strings.Contains(string(out), "--no-auth") {
		t.Fatalf("started beyond loopback without keys: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "keys.txt")
	key := createKey(t, file, "reader", "r")
	s := start(t, filepath.Join(dir, "b"), "--host", "0.0.0.0", "--api-keys-file", file)
	if code, _ := send(t, "POST", s.url+"/", "SELECT 1", bearer(key)); code != 200 {
		t.Fatalf("with a key: %d", code)
	}
	if code, _ := send(t, "POST", s.url+"/", "SELECT 1", nil); code != 401 {
		t.Fatalf("without credentials: %d", code)
	}
	open := start(t, filepath.Join(dir, "c"), "--host", "0.0.0.0", "--no-auth")
	if code, _ := send(t, "POST", open.url+"/", "SELECT 1", nil); code != 200 {
		t.Fatalf("--no-auth: %d", code)
	}
}

// TestJWTEndToEnd: JWT_SECRET (the guide's zeptodb-jwt Secret) makes the
// server accept HS256 tokens; the role claim decides, an expired or
// forged token gets 401. A short secret stops the start.
func TestJWTEndToEnd(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	secret := strings.Repeat("s3cr3t-", 6)
	cmd := exec.Command(binary, "serve", "--port", fmt.Sprint(freePort(t)), "--data-dir", filepath.Join(dir, "short"))
	cmd.Env = append(cmd.Environ(), "JWT_SECRET=short")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "at least 32") {
		t.Fatalf("started with a short JWT secret: %v\n%s", err, out)
	}
	t.Setenv("JWT_SECRET", secret)
	s := start(t, filepath.Join(dir, "data"), "--host", "0.0.0.0") // JWTs are credentials enough
	token := func(role string, exp time.Duration, key string) string {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "sso-" + role, "role": role, "exp": time.Now().Add(exp).Unix()}).SignedString([]byte(key))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	admin, writer := token("admin", time.Hour, secret), token("writer", time.Hour, secret)
	for _, c := range []struct {
		name, token, sql string
		want             int
	}{
		{"admin DDL", admin, createTrades, 200},
		{"writer insert", writer, fmt.Sprintf("INSERT INTO trades VALUES (%d, 'A', 1, 1)", time.Now().UnixNano()), 200},
		{"writer select", writer, "SELECT count(*) FROM trades", 200},
		{"writer DDL", writer, "DROP TABLE trades", 403},
		{"expired", token("admin", -time.Hour, secret), "SELECT 1", 401},
		{"forged", token("admin", time.Hour, secret+"x"), "SELECT 1", 401},
		{"unknown role", token("root", time.Hour, secret), "SELECT 1", 401},
	} {
		if code, body := send(t, "POST", s.url+"/", c.sql, bearer(c.token)); code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, code, c.want, body)
		}
	}
	if strings.Contains(s.log.String(), secret) || strings.Contains(s.log.String(), admin) {
		t.Fatal("a secret or a token is in the log")
	}
}

// TestTableListsEndToEnd: a key limited to some tables gets, for any
// other table, the very answer a missing table gets, through joins and
// subqueries; SHOW TABLES lists only its tables.
func TestTableListsEndToEnd(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "keys.txt")
	admin := createKey(t, file, "admin", "ops")
	out, err := exec.Command(binary, "keys", "create", "--role", "reader", "--name", "desk", "--tables", "trades", "--file", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	desk := strings.TrimSpace(string(out))
	s := start(t, filepath.Join(dir, "data"), "--api-keys-file", file)
	for _, sql := range []string{createTrades, "CREATE TABLE pnl (ts TIMESTAMP, symbol SYMBOL, pnl DOUBLE)"} {
		if code, body := send(t, "POST", s.url+"/", sql, bearer(admin)); code != 200 {
			t.Fatalf("%s: %d %s", sql, code, body)
		}
	}
	missing := func(body, table string) string {
		return strings.ReplaceAll(strings.Split(body, `"request_id"`)[0], table, "T")
	}
	_, nosuch := send(t, "POST", s.url+"/", "SELECT * FROM nosuch", bearer(desk))
	for _, sql := range []string{
		"SELECT * FROM pnl",
		"SELECT * FROM trades t JOIN pnl p ON t.symbol = p.symbol",
		"SELECT * FROM trades WHERE symbol IN (SELECT symbol FROM pnl)",
	} {
		code, body := send(t, "POST", s.url+"/", sql, bearer(desk))
		if code != 404 || !strings.Contains(body, "UNKNOWN_TABLE") {
			t.Errorf("%s: %d %s", sql, code, body)
		}
		if sql == "SELECT * FROM pnl" && missing(body, "pnl") != missing(nosuch, "nosuch") {
			t.Errorf("a hidden table answers differently from a missing one:\n%s\n%s", body, nosuch)
		}
	}
	if code, body := send(t, "POST", s.url+"/", "SHOW TABLES", bearer(desk)); code != 200 || strings.Contains(body, "pnl") || !strings.Contains(body, "trades") {
		t.Errorf("SHOW TABLES: %d %s", code, body)
	}
	if code, body := send(t, "POST", s.url+"/", "SELECT count(*) FROM trades", bearer(desk)); code != 200 {
		t.Errorf("its own table: %d %s", code, body)
	}
}

// TestAdminKeysAPI: /admin/keys creates (the key shown once), lists and
// revokes keys in the keys file, effective at once; admin only.
func TestAdminKeysAPI(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "keys.txt")
	admin := createKey(t, file, "admin", "ops")
	reader := createKey(t, file, "reader", "viewer")
	s := start(t, filepath.Join(dir, "data"), "--api-keys-file", file)
	code, body := send(t, "POST", s.url+"/admin/keys", `{"role":"writer","name":"desk1","tables":["trades"]}`, bearer(admin))
	if code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	var created struct{ Key, Name, Role string }
	if err := json.Unmarshal([]byte(body), &created); err != nil || !strings.HasPrefix(created.Key, "zepto_") || created.Role != "writer" {
		t.Fatalf("create answered %s (%v)", body, err)
	}
	if data, _ := os.ReadFile(file); strings.Contains(string(data), created.Key) || !strings.Contains(string(data), "desk1") {
		t.Fatal("the keys file holds the new key, or lacks its entry")
	}
	send(t, "POST", s.url+"/", createTrades, bearer(admin))
	if code, body := send(t, "POST", s.url+"/", "INSERT INTO trades VALUES (1, 'A', 1, 1)", bearer(created.Key)); code != 200 {
		t.Fatalf("the new key: %d %s", code, body)
	}
	if code, body := send(t, "GET", s.url+"/admin/keys", "", bearer(admin)); code != 200 || !strings.Contains(body, `"name":"desk1","role":"writer","tables":["trades"]`) || strings.Contains(body, created.Key) {
		t.Fatalf("list: %d %s", code, body)
	}
	for _, c := range []struct {
		method, path, body string
		key                string
		want               int
	}{
		{"GET", "/admin/keys", "", reader, 403},
		{"POST", "/admin/keys", `{"role":"admin","name":"x"}`, reader, 403},
		{"POST", "/admin/keys", `{"role":"writer","name":"desk1"}`, admin, 400}, // name taken
		{"POST", "/admin/keys", `{"role":"root","name":"y"}`, admin, 400},
		{"POST", "/admin/keys", `{"role":"writer","name":"z","extra":1}`, admin, 400},
		{"POST", "/admin/keys", `not json`, admin, 400},
		{"DELETE", "/admin/keys/nosuch", "", admin, 404},
		{"PUT", "/admin/keys", "", admin, 405},
	} {
		if code, body := send(t, c.method, s.url+c.path, c.body, bearer(c.key)); code != c.want {
			t.Errorf("%s %s %s: %d, want %d: %s", c.method, c.path, c.body, code, c.want, body)
		}
	}
	if code, body := send(t, "DELETE", s.url+"/admin/keys/desk1", "", bearer(admin)); code != 200 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if code, _ := send(t, "POST", s.url+"/", "SELECT 1", bearer(created.Key)); code != 401 {
		t.Fatalf("a revoked key answers %d", code)
	}
	if strings.Contains(s.log.String(), created.Key) {
		t.Fatal("a key is in the log")
	}

	// The audit trail of all that, from the API and from the file.
	if code, _ := send(t, "GET", s.url+"/admin/audit", "", bearer(reader)); code != 403 {
		t.Fatalf("a reader read the audit log: %d", code)
	}
	code, body = send(t, "GET", s.url+"/admin/audit?n=1000", "", bearer(admin))
	if code != 200 {
		t.Fatalf("audit: %d %s", code, body)
	}
	for _, want := range []string{
		`"event":"key_change","who":"ops","role":"admin"`, `created desk1 role=writer tables=[trades]`, `revoked desk1`,
		`"event":"ddl","who":"ops"`, `"action":"CREATE TABLE trades`,
		`"event":"write","who":"desk1","role":"writer"`, `"action":"INSERT INTO trades VALUES (1, 'A', 1, 1)","status":200`,
		`"event":"auth_failure","who":"-"`, `"status":401,"detail":"unknown API key"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the audit log lacks %s", want)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "data", "audit.log"))
	if err != nil || strings.Count(string(data), "\n") < 5 || strings.Contains(string(data), created.Key) || strings.Contains(string(data), admin) {
		t.Fatalf("audit.log: %v, %d lines, or it holds a key", err, strings.Count(string(data), "\n"))
	}
}
