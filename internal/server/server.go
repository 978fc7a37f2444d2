package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/zeptodb/zeptodb/internal/audit"
	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/chformat"
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
	// LineAutoCreate lets line protocol create tables and add columns
	// (ilp_auto_create).
	LineAutoCreate bool
	// Version is the server's version, in error messages and headers.
	Version string
	// DisplayName names this server to clients (displayName(), the
	// X-ClickHouse-Server-Display-Name header); the host name by default.
	DisplayName string
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
	procs     running
}

// New returns a server that is not ready yet.
func New(opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 256 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.DisplayName == "" {
		opts.DisplayName, _ = os.Hostname()
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
	mux.HandleFunc("/write", s.handleInfluxWrite)
	mux.HandleFunc("/api/v2/write", s.handleInfluxWrite)
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
			s.writeError(w, r, newAPIError(http.StatusServiceUnavailable, "NOT_READY", "server is recovering, retry shortly"))
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
		w.Write(append(chformat.AppendJSONString([]byte(`{"status":"failed","error":`), s.exec.Load().Health().Error()), "}\n"...))
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

// handleBackup streams an online backup. An error after the first bytes
// can no longer change the status: the connection is cut, so the client
// sees a truncated archive, never a complete-looking one.
func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, auth.ActAdmin) {
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.writeError(w, r, newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "POST to take a backup"))
		return
	}
	backup := s.backup.Load()
	if backup == nil || s.draining.Load() {
		s.writeError(w, r, newAPIError(http.StatusServiceUnavailable, "NOT_READY", "not ready"))
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
