package main

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/zeptodb/zeptodb/internal/engine"
)

// metricsHandler exposes the engine's counters, read at scrape time,
// with the Go runtime's and the process's.
func metricsHandler(eng *engine.Engine) http.Handler {
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
