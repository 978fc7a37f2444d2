package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/zeptodb/zeptodb/internal/audit"
	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

// Options configures a Server.
type Options struct {
	// MaxBodyBytes bounds a request body; 0 means 256 MiB. Larger bodies
	// get 413 and change nothing.
	MaxBodyBytes int64
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// Auth checks the API keys or JWTs requests must present, except to
	// /ping, /health, /ready and /metrics; nil serves everyone (loopback,
	// or --no-auth).
	Auth *auth.Authenticator
	// KeysFile is the API keys file /admin/keys changes ("" for none).
	KeysFile string
	// Audit records who did what; nil records nothing.
	Audit *audit.Log
	// Limits bound statements: time, concurrency, result size.
	Limits Limits
	// ReadTimeout bounds reading a whole request, body included (a client
	// trickling bytes cannot hold a connection forever); 0 means none.
	ReadTimeout time.Duration
}

// Server is the HTTP front door. It answers /ping and /health at once,
// and /ready and queries only after SetExecutor (recovery done).
type Server struct {
	opts     Options
	backup   atomic.Pointer[func(io.Writer) error]
	metrics  atomic.Pointer[http.Handler]
	stats    atomic.Pointer[http.Handler]
	log      *slog.Logger
	exec     atomic.Pointer[exec.Executor]
	draining atomic.Bool
	idPrefix string
	idSeq    atomic.Uint64
	http     *http.Server

	admission admission
}

// New returns a server that is not ready yet.
func New(opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 256 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	s := &Server{opts: opts, log: opts.Logger, idPrefix: hex.EncodeToString(b[:])}
	headerTimeout := 10 * time.Second
	if opts.ReadTimeout > 0 {
		headerTimeout = min(headerTimeout, opts.ReadTimeout)
	}
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: headerTimeout, ReadTimeout: opts.ReadTimeout,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn)}
	return s
}

// SetExecutor makes the server ready to run statements.
func (s *Server) SetExecutor(x *exec.Executor) { s.exec.Store(x) }

// SetMetrics serves h on /metrics (Prometheus text format).
func (s *Server) SetMetrics(h http.Handler) { s.metrics.Store(&h) }

// SetStats enables /stats (the admin and metrics roles).
func (s *Server) SetStats(h http.Handler) { s.stats.Store(&h) }

// SetBackup enables POST /admin/backup, which streams what backup writes
// (a gzipped tar of a consistent data directory).
func (s *Server) SetBackup(backup func(io.Writer) error) { s.backup.Store(&backup) }

// Drain makes /ready answer 503 so load balancers stop sending traffic.
func (s *Server) Drain() { s.draining.Store(true) }

// Serve accepts connections on l until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	err := s.http.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error { return s.http.Shutdown(ctx) }

// Handler returns the HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", s.handleQuery)
	mux.HandleFunc("/ping", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "Ok.\n") })
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`+"\n")
	})
	mux.HandleFunc("/ready", s.handleReady)
	mux.HandleFunc("/admin/backup", s.handleBackup)
	mux.HandleFunc("/admin/keys", s.handleKeys)
	mux.HandleFunc("/admin/keys/", s.handleKeys)
	mux.HandleFunc("/admin/audit", s.handleAudit)
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		if !s.allowed(w, r, auth.ActMetrics) {
			return
		}
		h := s.stats.Load()
		if h == nil {
			s.writeError(w, r, newAPIError(http.StatusServiceUnavailable, "NOT_READY", "server is recovering, retry shortly"))
			return
		}
		(*h).ServeHTTP(w, r)
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		h := s.metrics.Load()
		if h == nil {
			http.Error(w, "not ready\n", http.StatusServiceUnavailable)
			return
		}
		(*h).ServeHTTP(w, r)
	})
	return s.withRequestID(s.withAuth(mux))
}

func (s *Server) handleReady(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case s.draining.Load():
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"status":"draining"}`+"\n")
	case s.exec.Load() == nil:
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"status":"recovering"}`+"\n")
	case s.exec.Load().Health() != nil:
		// The WAL failed: writes cannot be acknowledged until a restart
		// recovers, so take this node out of rotation.
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write(append(appendJSONString([]byte(`{"status":"failed","error":`), s.exec.Load().Health().Error()), "}\n"...))
	default:
		io.WriteString(w, `{"status":"ready"}`+"\n")
	}
}

// withRequestID gives every response an X-Request-Id: the client's, if it
// sent a sane one, else a new one.
func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneID(id) {
			id = s.idPrefix + "-" + strconv.FormatUint(s.idSeq.Add(1), 10)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r)
	})
}

func saneID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// statementText collects the statement: the query parameter, then the
// body (ClickHouse sends INSERT data after the query this way).
func (s *Server) statementText(w http.ResponseWriter, r *http.Request) (string, error) {
	q := r.URL.Query().Get("query")
	if r.Method != http.MethodPost {
		return q, nil
	}
	limit := s.opts.MaxBodyBytes
	if id, _ := identity(r); id.Limits.MaxBody > 0 {
		limit = id.Limits.MaxBody
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return "", newAPIError(http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE",
			"request body exceeds the limit of "+strconv.FormatInt(limit, 10)+" bytes (max_body_size, or the key's max_body)")
	case err != nil:
		return "", newAPIError(http.StatusBadRequest, "TRUNCATED_BODY", "reading request body: "+err.Error())
	}
	if q != "" && len(body) > 0 {
		return q + "\n" + string(body), nil
	}
	return q + string(body), nil
}

func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		s.writeError(w, r, newAPIError(http.StatusNotFound, "NOT_FOUND", "no such endpoint: "+r.URL.Path))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, POST")
		s.writeError(w, r, newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", r.Method+" is not allowed; use GET for reads, POST for any statement"))
		return
	}
	x := s.exec.Load()
	if x == nil {
		s.writeError(w, r, newAPIError(http.StatusServiceUnavailable, "NOT_READY", "server is recovering, retry shortly"))
		return
	}
	text, err := s.statementText(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !utf8.ValidString(text) {
		s.writeError(w, r, newAPIError(http.StatusBadRequest, "BAD_ENCODING", "the statement is not valid UTF-8"))
		return
	}
	if strings.TrimSpace(text) == "" {
		s.writeError(w, r, newAPIError(http.StatusBadRequest, "EMPTY_QUERY", "empty query: send a statement in the body (POST) or in ?query="))
		return
	}
	s.run(w, r, x, text)
}

func (s *Server) run(w http.ResponseWriter, r *http.Request, x *exec.Executor, text string) {
	defer func() {
		// A bug in one statement must answer 500, not take the server
		// down or drop the connection.
		if v := recover(); v != nil {
			s.log.Error("panic while running a statement", "request_id", w.Header().Get("X-Request-Id"), "panic", v, "stack", string(debug.Stack()))
			s.writeError(w, r, newAPIError(http.StatusInternalServerError, "INTERNAL_ERROR", fmt.Sprintf("internal error: %v", v)))
		}
	}()
	id, _ := identity(r)
	limits := s.opts.Limits.effective(id)
	release, err := s.admit(id.Name, limits)
	if err != nil {
		w.Header().Set("Retry-After", "1")
		s.writeError(w, r, err)
		return
	}
	defer release()
	r, cancel := withTimeout(r, limits.QueryTimeout)
	defer cancel()
	start := time.Now()
	class := exec.ClassRead // what the statement does, told by the executor
	ctx := exec.WithMemoryLimit(authorizeStatements(r, &class).Context(), limits.MaxQueryMemory)
	res, err := x.ExecuteText(ctx, text, r.Method != http.MethodPost)
	err = timeoutError(r, err, limits.QueryTimeout)
	if err == nil && limits.MaxResultRows > 0 && res.Rows > limits.MaxResultRows {
		err = resultTooLarge(res.Rows, limits.MaxResultRows)
	}
	s.auditStatement(r, w, class, text, err)
	if took := time.Since(start); s.opts.Limits.SlowQuery > 0 && took >= s.opts.Limits.SlowQuery {
		s.log.Warn("slow query", "request_id", w.Header().Get("X-Request-Id"), "who", who(r), "ms", took.Milliseconds(), "rows", rowsOf(res), "statement", cut(text, 1024), "err", err)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := appendResultJSON(make([]byte, 0, 256+res.Rows*32), res, time.Since(start).Microseconds())
	if limits.MaxResultBytes > 0 && int64(len(out)) > limits.MaxResultBytes {
		s.writeError(w, r, newAPIError(http.StatusBadRequest, "RESULT_TOO_LARGE", "the result is "+strconv.Itoa(len(out))+
			" bytes of JSON, over max_result_bytes ("+strconv.FormatInt(limits.MaxResultBytes, 10)+"): select fewer columns or rows"))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	if _, err := w.Write(out); err != nil {
		s.log.Debug("write response", "err", err)
	}
}

// handleBackup streams an online backup. An error after the first bytes
// can no longer change the status: the connection is cut, so the client
// sees a truncated archive, never a complete-looking one.
func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, auth.ActAdmin) {
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST to take a backup\n", http.StatusMethodNotAllowed)
		return
	}
	backup := s.backup.Load()
	if backup == nil || s.draining.Load() {
		http.Error(w, "not ready\n", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", `attachment; filename="zeptodb-backup.tar.gz"`)
	if err := (*backup)(w); err != nil {
		s.log.Error("backup failed", "err", err)
		s.auditAdmin(r, w, audit.Admin, "backup", http.StatusInternalServerError, err.Error())
		panic(http.ErrAbortHandler)
	}
	s.auditAdmin(r, w, audit.Admin, "backup", http.StatusOK, "")
	s.log.Info("backup streamed")
}
