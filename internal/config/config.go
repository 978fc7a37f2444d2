package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is the effective server configuration. The yaml tag of each
// field is its key in zeptodb.conf; the environment variable is ZEPTODB_
// plus the key upper-cased; the flag is the key with dashes.
type Config struct {
	Host              string `yaml:"host"`
	Port              int    `yaml:"port"`
	DataDir           string `yaml:"data_dir"`
	WorkerThreads     int    `yaml:"worker_threads"`
	ParallelThreshold int64  `yaml:"parallel_threshold"`
	QueryCacheSize    int    `yaml:"query_cache_size"`
	WALSync           string `yaml:"wal_sync"`
	WALSegmentSize    int64  `yaml:"wal_segment_size"`
	WALRepair         bool   `yaml:"wal_repair"`
	ChunkRows         int    `yaml:"chunk_rows"`
	MaxBodySize       int64  `yaml:"max_body_size"`
	NoAuth            bool   `yaml:"no_auth"`
	LogLevel          string `yaml:"log_level"`
	LogFormat         string `yaml:"log_format"`
	ShutdownTimeout   int    `yaml:"shutdown_timeout_seconds"`
	TTLCheckSeconds   int    `yaml:"ttl_check_seconds"`
	HotPartitions     int    `yaml:"hot_partitions"`
	HDBCompression    string `yaml:"hdb_compression"`
	CheckpointSeconds int    `yaml:"checkpoint_seconds"`
	MinFreeBytes      int64  `yaml:"min_free_bytes"`
	SealedCacheBytes  int64  `yaml:"sealed_cache_bytes"`
	HotMemoryBytes    int64  `yaml:"hot_memory_bytes"`
	HDBMmap           bool   `yaml:"hdb_mmap"`
	APIKeysFile       string `yaml:"api_keys_file"`
	JWTPublicKeyFile  string `yaml:"jwt_public_key_file"`
	JWTIssuer         string `yaml:"jwt_issuer"`
	JWTAudience       string `yaml:"jwt_audience"`
	JWTJWKSURL        string `yaml:"jwt_jwks_url"`
	JWTSecretFile     string `yaml:"jwt_secret_file"`
	VaultAddr         string `yaml:"vault_addr"`
	VaultNamespace    string `yaml:"vault_namespace"`
	VaultKVMount      string `yaml:"vault_kv_mount"`
	VaultPath         string `yaml:"vault_path"`
	VaultTokenFile    string `yaml:"vault_token_file"`
	VaultRole         string `yaml:"vault_role"`
	VaultAuthMount    string `yaml:"vault_auth_mount"`
	VaultSATokenFile  string `yaml:"vault_service_account_token_file"`
	VaultCACert       string `yaml:"vault_ca_cert"`
	VaultRefreshSecs  int    `yaml:"vault_refresh_seconds"`
	TLSCert           string `yaml:"tls_cert"`
	TLSKey            string `yaml:"tls_key"`

	QueryTimeoutSeconds        int    `yaml:"query_timeout_seconds"`
	MaxConcurrentQueries       int    `yaml:"max_concurrent_queries"`
	MaxConcurrentQueriesPerKey int    `yaml:"max_concurrent_queries_per_key"`
	MaxResultRows              int    `yaml:"max_result_rows"`
	SlowQueryMs                int    `yaml:"slow_query_ms"`
	ReadTimeoutSeconds         int    `yaml:"read_timeout_seconds"`
	RateLimitPerKey            int    `yaml:"rate_limit_per_key"`
	MaxResultBytes             int64  `yaml:"max_result_bytes"`
	MaxQueryMemoryBytes        int64  `yaml:"max_query_memory_bytes"`
	ILPAutoCreate              bool   `yaml:"ilp_auto_create"`
	ILPPort                    int    `yaml:"ilp_port"`
	CopyDir                    string `yaml:"copy_dir"`
	ILPTCPWithoutAuth          bool   `yaml:"ilp_tcp_without_auth"`
}

// Default returns the embedded defaults: a single node on loopback with
// its data in ./zeptodb-data.
func Default() Config {
	return Config{
		Host: "127.0.0.1", Port: 8123, DataDir: "./zeptodb-data", WorkerThreads: 0,
		ParallelThreshold: 100000, QueryCacheSize: 1000, WALSync: "sync", WALSegmentSize: 64 << 20,
		ChunkRows: 65536, MaxBodySize: 256 << 20, LogLevel: "info", LogFormat: "text", ShutdownTimeout: 30,
		TTLCheckSeconds: 60, HotPartitions: 2, HDBCompression: "lz4", CheckpointSeconds: 300,
		MinFreeBytes: 128 << 20, SealedCacheBytes: 1 << 30, HotMemoryBytes: 2 << 30,
		HDBMmap: true, QueryTimeoutSeconds: 300, MaxConcurrentQueries: 64, MaxConcurrentQueriesPerKey: 16,
		MaxResultRows: 10_000_000, SlowQueryMs: 1000, ReadTimeoutSeconds: 300, MaxResultBytes: 1 << 30,
		MaxQueryMemoryBytes: 4 << 30, ILPAutoCreate: true, ILPPort: 9009, VaultKVMount: "secret", VaultAuthMount: "kubernetes", VaultSATokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token", VaultRefreshSecs: 300,
	}
}

// LoadFile overlays the YAML file at path onto c. Unknown keys are errors.
func (c *Config) LoadFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) { // EOF: an empty file
		return fmt.Errorf("config %s: %w", path, err)
	}
	return nil
}

// fields lists (key, pointer) for every setting, in declaration order.
func (c *Config) fields() []field {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	out := make([]field, t.NumField())
	for i := range out {
		out[i] = field{key: t.Field(i).Tag.Get("yaml"), val: v.Field(i)}
	}
	return out
}

type field struct {
	key string
	val reflect.Value
}

func (f field) set(s string) error {
	switch f.val.Kind() {
	case reflect.String:
		f.val.SetString(s)
	case reflect.Int, reflect.Int64:
		n, err := parseSize(s)
		if err != nil {
			return fmt.Errorf("%s: %w", f.key, err)
		}
		f.val.SetInt(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%s: %w", f.key, err)
		}
		f.val.SetBool(b)
	}
	return nil
}

// parseSize reads an integer with an optional KiB/MiB/GiB (or K/M/G) suffix.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.m
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not an integer: %q", s)
	}
	return n * mult, nil
}

// LoadEnv overlays ZEPTODB_<KEY> environment variables.
func (c *Config) LoadEnv(getenv func(string) string) error {
	for _, f := range c.fields() {
		if s := getenv("ZEPTODB_" + strings.ToUpper(f.key)); s != "" {
			if err := f.set(s); err != nil {
				return fmt.Errorf("environment: %w", err)
			}
		}
	}
	return nil
}

// RegisterFlags defines a flag per setting on fs (data_dir → --data-dir);
// only flags given on the command line override c, after Parse.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	for _, f := range c.fields() {
		name := strings.ReplaceAll(f.key, "_", "-")
		if f.val.Kind() == reflect.Bool {
			fs.BoolFunc(name, "set "+f.key, f.set)
			continue
		}
		fs.Func(name, "set "+f.key, f.set)
	}
}

// Validate checks the settings against each other.
func (c *Config) Validate() error {
	if c.HDBCompression != "lz4" && c.HDBCompression != "zstd" {
		return fmt.Errorf("hdb_compression: %q is not lz4 or zstd", c.HDBCompression)
	}
	switch c.WALSync {
	case "sync", "batch", "none":
	default:
		return fmt.Errorf("wal_sync: %q is not sync, batch or none", c.WALSync)
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("port: %d out of range", c.Port)
	}
	if c.ILPPort < 0 || c.ILPPort > 65535 || c.ILPPort == c.Port {
		return fmt.Errorf("ilp_port: %d is out of range or the HTTP port (0 turns line protocol over TCP off)", c.ILPPort)
	}
	if c.DataDir == "" {
		return fmt.Errorf("data_dir: empty")
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("tls_cert and tls_key go together: give both to serve HTTPS, or neither")
	}
	if c.WorkerThreads < 0 || c.ParallelThreshold < 0 || c.QueryCacheSize < 0 || c.ChunkRows < 0 || c.MaxBodySize < 0 || c.TTLCheckSeconds < 0 ||
		c.HotPartitions < 0 || c.CheckpointSeconds < 0 || c.MinFreeBytes < 0 || c.SealedCacheBytes < 0 || c.HotMemoryBytes < 0 ||
		c.QueryTimeoutSeconds < 0 || c.MaxConcurrentQueries < 0 || c.MaxConcurrentQueriesPerKey < 0 || c.MaxResultRows < 0 || c.SlowQueryMs < 0 || c.ReadTimeoutSeconds < 0 || c.RateLimitPerKey < 0 || c.MaxResultBytes < 0 || c.MaxQueryMemoryBytes < 0 || c.VaultRefreshSecs < 0 {
		return fmt.Errorf("sizes and counts must not be negative")
	}
	return nil
}

// CheckExposure refuses to serve other machines without authentication:
// bound beyond loopback, the server needs credentials to check (secured:
// API keys or a JWT key) or an explicit --no-auth.
func (c *Config) CheckExposure(secured bool) error {
	if !secured && !c.NoAuth && !isLoopback(c.Host) {
		return fmt.Errorf("host %s is reachable from other machines and neither API keys nor JWT keys are configured: create a key with `zeptodb keys create --role admin --name ops --file keys.txt` and pass --api-keys-file keys.txt (or set ZEPTODB_API_KEYS, or JWT_SECRET / --jwt-public-key-file for JWTs), or pass --no-auth to serve without authentication", c.Host)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// YAML renders the effective configuration as a zeptodb.conf.
func (c *Config) YAML() string {
	out, err := yaml.Marshal(c)
	if err != nil {
		return "# " + err.Error()
	}
	return string(out)
}
