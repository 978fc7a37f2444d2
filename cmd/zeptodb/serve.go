package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/zeptodb/zeptodb/internal/audit"
	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/certs"
	"github.com/zeptodb/zeptodb/internal/config"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/hdb"
	"github.com/zeptodb/zeptodb/internal/secrets"
	"github.com/zeptodb/zeptodb/internal/server"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// loadConfig applies defaults, the config file, the environment and the
// flags, in that order.
func loadConfig(args []string) (config.Config, bool, error) {
	c := config.Default()
	fs := flag.NewFlagSet("zeptodb serve", flag.ContinueOnError)
	fs.String("config", "", "YAML config file (zeptodb.conf); read before the other flags")
	printConfig := fs.Bool("print-config", false, "print the effective configuration and exit")
	c.RegisterFlags(fs)
	if p := flagValue(args, "config"); p != "" {
		if err := c.LoadFile(p); err != nil {
			return c, false, err
		}
	}
	if err := c.LoadEnv(os.Getenv); err != nil {
		return c, false, err
	}
	if err := fs.Parse(args); err != nil {
		return c, false, err
	}
	if fs.NArg() > 0 {
		return c, false, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, *printConfig, c.Validate()
}

// flagValue finds --name VALUE or --name=VALUE before flags are parsed,
// so the file can be loaded first and overridden by the other flags.
func flagValue(args []string, name string) string {
	for i, a := range args {
		a = strings.TrimLeft(a, "-")
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func newLogger(c config.Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

func serve(args []string) error {
	c, printOnly, err := loadConfig(args)
	if err != nil {
		return err
	}
	if printOnly {
		fmt.Print(c.YAML())
		return nil
	}
	started := time.Now()
	log := newLogger(c)
	slog.SetDefault(log)
	sync, _ := wal.ParseSyncMode(c.WALSync)
	compression, err := hdb.ParseCompression(c.HDBCompression)
	if err != nil {
		return err
	}

	vault, err := newVault(c)
	if err != nil {
		return err
	}
	authn, err := newAuthenticator(c, vault)
	if err != nil {
		return err
	}
	if err := c.CheckExposure(authn != nil); err != nil {
		return err
	}
	var keys *auth.Store
	if authn != nil {
		keys = authn.Keys
	}

	if err := os.MkdirAll(c.DataDir, 0o755); err != nil {
		return err
	}
	auditLog, err := audit.Open(filepath.Join(c.DataDir, "audit.log"), 10000, func(err error) {
		log.Error("audit log write failed; events stay in memory only", "err", err)
	})
	if err != nil {
		return err
	}
	defer auditLog.Close()

	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if c.TLSCert != "" {
		reloader, err := certs.NewReloader(c.TLSCert, c.TLSKey)
		if err != nil {
			ln.Close()
			return err
		}
		reloader.OnReload = func(err error) {
			if err != nil {
				log.Error("TLS certificate changed but does not load; the previous one stays in use", "err", err)
				return
			}
			log.Info("TLS certificate reloaded", "cert", c.TLSCert)
		}
		ln, scheme = tls.NewListener(ln, reloader.Config()), "https"
	}
	srv := server.New(server.Options{Version: version, LineAutoCreate: c.ILPAutoCreate, MaxBodyBytes: c.MaxBodySize, Logger: log, Auth: authn, KeysFile: c.APIKeysFile, Audit: auditLog,
		ReadTimeout: time.Duration(c.ReadTimeoutSeconds) * time.Second,
		Limits: server.Limits{
			QueryTimeout: time.Duration(c.QueryTimeoutSeconds) * time.Second, MaxConcurrent: c.MaxConcurrentQueries,
			MaxConcurrentPerKey: c.MaxConcurrentQueriesPerKey, MaxResultRows: c.MaxResultRows,
			SlowQuery: time.Duration(c.SlowQueryMs) * time.Millisecond, RatePerKey: float64(c.RateLimitPerKey), MaxResultBytes: c.MaxResultBytes,
			MaxQueryMemory: c.MaxQueryMemoryBytes,
		}})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "scheme", scheme, "data_dir", c.DataDir, "wal_sync", c.WALSync, "version", version, "auth", authn != nil)

	eng, err := engine.Open(engine.Options{
		Dir: c.DataDir, WALSync: sync, WALSegmentSize: c.WALSegmentSize, WALRepair: c.WALRepair,
		ChunkRows: c.ChunkRows, Logger: log, TTLCheckInterval: time.Duration(c.TTLCheckSeconds) * time.Second,
		HotPartitions: c.HotPartitions, Compression: compression,
		CheckpointInterval: time.Duration(c.CheckpointSeconds) * time.Second, MinFreeBytes: c.MinFreeBytes,
		ColdCacheBytes: c.SealedCacheBytes, HotMemoryBytes: c.HotMemoryBytes, NoMmap: !c.HDBMmap,
	})
	if err != nil {
		srv.Shutdown(context.Background())
		return err
	}
	x := exec.New(eng, exec.Options{Workers: c.WorkerThreads, ParallelThreshold: c.ParallelThreshold, CacheSize: c.QueryCacheSize,
		Processes: srv.Processes, Kill: srv.Kill, CopyDir: c.CopyDir})
	srv.SetMetrics(metricsHandler(eng, x))
	srv.SetStats(statsHandler(eng, x, started))
	srv.SetBackup(func(w io.Writer) error {
		st, err := eng.Backup(w)
		if err == nil {
			log.Info("backup", "lsn", st.LSN, "partitions", st.Partitions, "files", st.Files, "bytes", st.Bytes)
		}
		return err
	})
	srv.SetExecutor(x)
	ilpCtx, stopILP := context.WithCancel(context.Background())
	ilpDone := serveLineProtocol(ilpCtx, log, srv, c, authn != nil)
	log.Info("ready")

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	var refresh <-chan time.Time // Vault's keys are read again on their own
	if vault != nil && keys != nil && c.VaultRefreshSecs > 0 {
		t := time.NewTicker(time.Duration(c.VaultRefreshSecs) * time.Second)
		defer t.Stop()
		refresh = t.C
	}
wait:
	for {
		select {
		case <-refresh:
			if err := keys.Reload(); err != nil {
				log.Error("API keys not refreshed from Vault; the previous keys stay in use", "err", err)
			}
		case sig := <-stop:
			log.Info("shutting down", "signal", sig.String())
			break wait
		case <-hup:
			reloadKeys(log, keys)
		case err := <-served:
			stopILP()
			<-ilpDone
			eng.Close()
			return fmt.Errorf("http server: %w", err)
		}
	}
	stopILP()
	<-ilpDone
	srv.Drain()
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(c.ShutdownTimeout)*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("in-flight requests did not finish in time", "err", err)
	}
	if err := eng.Close(); err != nil {
		return fmt.Errorf("close engine: %w", err)
	}
	log.Info("stopped")
	return nil
}

// The fields of the Vault secret that hold the API keys (lines as in
// ZEPTODB_API_KEYS) and the HS256 JWT secret.
const (
	vaultKeysField = "api_keys"
	vaultJWTField  = "jwt_secret"
)

// reloadKeys reads the API keys again (SIGHUP). A server started without
// keys serves without authentication until restarted: turning it on is
// not a reload.
func reloadKeys(log *slog.Logger, keys *auth.Store) {
	if keys == nil {
		log.Warn("SIGHUP: the server runs without API keys; restart it to turn authentication on")
		return
	}
	if err := keys.Reload(); err != nil {
		log.Error("SIGHUP: API keys not reloaded; the previous keys stay in use", "err", err)
		return
	}
	log.Info("SIGHUP: API keys reloaded", "api_keys", keys.Len())
}

// newVault returns the Vault holding the server's secrets, or nil when
// none is configured. The standard VAULT_ADDR, VAULT_TOKEN,
// VAULT_NAMESPACE and VAULT_CACERT variables fill what the configuration
// leaves out; the token is never read from the configuration file.
func newVault(c config.Config) (*secrets.Vault, error) {
	or := func(v, env string) string {
		if v != "" {
			return v
		}
		return os.Getenv(env)
	}
	if c.VaultPath == "" {
		return nil, nil
	}
	v, err := secrets.NewVault(secrets.VaultOptions{
		Addr: or(c.VaultAddr, "VAULT_ADDR"), Namespace: or(c.VaultNamespace, "VAULT_NAMESPACE"),
		KVMount: c.VaultKVMount, Path: c.VaultPath, Token: os.Getenv("VAULT_TOKEN"), TokenFile: c.VaultTokenFile,
		Role: c.VaultRole, AuthMount: c.VaultAuthMount, ServiceAccountTokenFile: c.VaultSATokenFile, CACertFile: or(c.VaultCACert, "VAULT_CACERT"),
	})
	if err != nil {
		return nil, fmt.Errorf("vault_path is set: %w", err)
	}
	return v, nil
}

// newAuthenticator reads the API keys (Vault's api_keys field,
// api_keys_file, ZEPTODB_API_KEYS) and the JWT keys (for HS256 the first
// of Vault's jwt_secret field, jwt_secret_file, JWT_SECRET; for RS256 or
// ES256 jwt_public_key_file or jwt_jwks_url); nil when there are none:
// the server then checks no credentials.
func newAuthenticator(c config.Config, vault *secrets.Vault) (*auth.Authenticator, error) {
	src := auth.Sources{File: c.APIKeysFile, Env: os.Getenv("ZEPTODB_API_KEYS")}
	if vault != nil {
		src.RemoteName = vault.Where() + " field " + vaultKeysField
		src.Remote = func() (string, bool, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			fields, err := vault.Read(ctx)
			if err != nil {
				return "", false, err
			}
			text, ok := fields[vaultKeysField]
			return text, ok, nil
		}
	}
	keys, err := auth.LoadSources(src)
	if err != nil {
		return nil, err
	}
	a := &auth.Authenticator{Keys: keys}
	opts := auth.JWTOptions{Issuer: c.JWTIssuer, Audience: c.JWTAudience, JWKSURL: c.JWTJWKSURL}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	secret, from, ok, err := secrets.Chain{Vault: vault}.Lookup(ctx, secrets.Secret{Field: vaultJWTField, File: c.JWTSecretFile, Env: "JWT_SECRET"})
	if err != nil {
		return nil, fmt.Errorf("JWT secret: %w", err)
	}
	if ok {
		opts.Secret = []byte(secret) // an empty or short one is refused
		slog.Info("HS256 JWT secret loaded", "from", from)
	}
	if c.JWTPublicKeyFile != "" {
		if opts.PublicKeyPEM, err = os.ReadFile(c.JWTPublicKeyFile); err != nil {
			return nil, fmt.Errorf("jwt_public_key_file: %w", err)
		}
	}
	if opts.Secret != nil || opts.PublicKeyPEM != nil || opts.JWKSURL != "" {
		if a.JWT, err = auth.NewJWTVerifier(opts); err != nil {
			return nil, err
		}
		if err := a.JWT.KeySetError(); err != nil {
			slog.Warn("jwt_jwks_url could not be read; JWTs signed by its keys are refused until it can", "url", c.JWTJWKSURL, "err", err)
		}
	}
	if keys.Len() == 0 && a.JWT == nil {
		return nil, nil
	}
	return a, nil
}

// serveLineProtocol starts line protocol over TCP on ilp_port, unless it
// is 0 or API keys are configured: TCP line protocol carries no
// credentials, so with keys it runs only when ilp_tcp_without_auth says
// so. The channel closes when it has stopped.
func serveLineProtocol(ctx context.Context, log *slog.Logger, srv *server.Server, c config.Config, secured bool) <-chan struct{} {
	done := make(chan struct{})
	if c.ILPPort == 0 {
		close(done)
		return done
	}
	if secured && !c.ILPTCPWithoutAuth {
		log.Info("line protocol over TCP is off: it carries no credentials and API keys are configured; write to /api/v2/write, or set ilp_tcp_without_auth: true")
		close(done)
		return done
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(c.Host, strconv.Itoa(c.ILPPort)))
	if err != nil {
		log.Error("line protocol over TCP not started", "port", c.ILPPort, "err", err)
		close(done)
		return done
	}
	log.Info("line protocol over TCP", "addr", ln.Addr().String())
	go func() {
		defer close(done)
		if err := srv.ServeLineProtocol(ctx, ln); err != nil {
			log.Error("line protocol over TCP stopped", "err", err)
		}
	}()
	return done
}
