package main

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

// metricsHandler exposes the engine's counters, read at scrape time,
// with the Go runtime's and the process's.
func metricsHandler(eng *engine.Engine, x *exec.Executor) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	gauge := func(name, help string, f func() float64) {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
	}
	counter := func(name, help string, f func() float64) {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f))
	}
	gauge("zepto_server_up", "1 while the server runs.", func() float64 { return 1 })
	gauge("zepto_server_ready", "1 when the server accepts writes (the WAL has not failed).", func() float64 {
		if eng.Err() != nil {
			return 0
		}
		return 1
	})
	gauge("zepto_memory_hot_bytes", "Memory of rows that live only in memory (hot partitions, sealed ones changed since).", func() float64 {
		return float64(eng.HotBytes())
	})
	gauge("zepto_memory_sealed_bytes", "Memory of sealed partitions read back from the HDB.", func() float64 {
		return float64(eng.ColdStats().Bytes)
	})
	gauge("zepto_memory_sealed_budget_bytes", "sealed_cache_bytes: the budget of zepto_memory_sealed_bytes between queries (0: none).", func() float64 {
		return float64(eng.ColdStats().Budget)
	})
	counter("zepto_ticks_ingested_total", "Rows inserted (acknowledged) since start, by every ingest path.", func() float64 { return float64(eng.Stats().RowsIngested) })
	counter("zepto_ticks_dropped_total", "Rows the storage refused after they were decoded (no space, a failed WAL, a batch that does not fit the table); none was acknowledged. Statements that fail to parse count in zepto_queries_failed_total.", func() float64 {
		return float64(eng.Stats().RowsRejected)
	})
	counter("zepto_queries_executed_total", "Statements that succeeded since start.", func() float64 { return float64(x.Stats().Executed) })
	counter("zepto_queries_failed_total", "Statements that failed since start (bad SQL, limits, timeouts, errors).", func() float64 { return float64(x.Stats().Failed) })
	counter("zepto_rows_scanned_total", "Rows in the chunks queries scanned, after partition and zone pruning.", func() float64 { return float64(x.Stats().RowsScanned) })
	counter("zepto_hdb_partition_loads_total", "Sealed partitions read back from the HDB.", func() float64 { return float64(eng.ColdStats().Loads) })
	counter("zepto_hdb_partition_evictions_total", "Sealed partitions dropped from memory to stay within the budget.", func() float64 {
		return float64(eng.ColdStats().Evictions)
	})
	counter("zepto_hdb_corruption_errors_total", "Reads of sealed partitions that failed a checksum or found a file missing.", func() float64 {
		return float64(eng.ColdStats().LoadFailures)
	})
	counter("zepto_ttl_reclaimed_partitions_total", "Partitions dropped by TTL.", func() float64 { return float64(eng.Stats().TTLReclaimed.Partitions) })
	counter("zepto_ttl_reclaimed_rows_total", "Rows dropped by TTL.", func() float64 { return float64(eng.Stats().TTLReclaimed.Rows) })
	counter("zepto_ttl_reclaimed_bytes_total", "Memory freed by TTL.", func() float64 { return float64(eng.Stats().TTLReclaimed.Bytes) })
	gauge("zepto_wal_last_lsn", "Highest LSN appended to the WAL.", func() float64 { return float64(eng.WALStats().LastLSN) })
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// statsHandler answers /stats: the guide's counters and the engine's
// state as one JSON object, for the metrics role and dashboards that do
// not speak Prometheus.
func statsHandler(eng *engine.Engine, x *exec.Executor, started time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		es, xs, cold, wal := eng.Stats(), x.Stats(), eng.ColdStats(), eng.WALStats()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"version":             version,
			"uptime_seconds":      int64(time.Since(started).Seconds()),
			"server_up":           1,
			"server_ready":        eng.Err() == nil,
			"ticks_ingested":      es.RowsIngested,
			"ticks_dropped":       es.RowsRejected,
			"queries_executed":    xs.Executed,
			"queries_failed":      xs.Failed,
			"rows_scanned":        xs.RowsScanned,
			"tables":              len(eng.TableNames()),
			"hot_memory_bytes":    eng.HotBytes(),
			"sealed_memory_bytes": cold.Bytes,
			"wal_last_lsn":        wal.LastLSN,
			"recovered_records":   es.RecoveredRecords,
			"recovery_ms":         es.RecoveryTime.Milliseconds(),
			"ttl_dropped_rows":    es.TTLReclaimed.Rows,
		})
	})
}
