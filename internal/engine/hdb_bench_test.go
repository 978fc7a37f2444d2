package engine

import (
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/hdb"
	"github.com/zeptodb/zeptodb/internal/vfs"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// benchTickDays loads rows tick-like rows (100 symbols, prices walking,
// volumes, 4 days) into a fresh engine on the real file system.
func benchTickDays(b *testing.B, dir string, rows int, c hdb.Compression) *Engine {
	e, err := Open(Options{Dir: dir, WALSync: wal.SyncNone, WALSegmentSize: 8 << 20, Logger: slog.New(slog.DiscardHandler), HotPartitions: 1, Compression: c})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.CreateTable(tradesSchema(&testing.T{}, "trades"), false); err != nil {
		b.Fatal(err)
	}
	const batch = 50000
	perDay := int64(rows / 4)
	for first := 0; first < rows; first += batch {
		bt := benchBatch(first, min(batch, rows-first))
		for i := range bt.Vectors[0].Int64 {
			id := int64(first + i)
			bt.Vectors[0].Int64[i] = (id/perDay)*day + (id%perDay)*(day/perDay)
			bt.Vectors[2].Float64[i] = 100 + 5*math.Sin(float64(id)/5000) + float64(id%7)/100
		}
		if _, err := e.Insert("trades", bt); err != nil {
			b.Fatal(err)
		}
	}
	return e
}

// BenchmarkSeal measures a checkpoint sealing three days of ticks (the
// fourth stays hot): rows sealed per second, raw column bytes per second
// and the compression ratio, for both compressions.
func BenchmarkSeal(b *testing.B) {
	rows := 2_000_000
	if s := os.Getenv("ZEPTODB_BENCH_ROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	for _, c := range []hdb.Compression{hdb.CompressLZ4, hdb.CompressZstd} {
		b.Run(c.String(), func(b *testing.B) {
			var sealedRows, rawBytes, stored int64
			var took time.Duration
			for range b.N {
				b.StopTimer()
				dir := b.TempDir()
				e := benchTickDays(b, dir, rows, c)
				b.StartTimer()
				start := time.Now()
				st, err := e.Checkpoint()
				took += time.Since(start)
				if err != nil || st.Sealed != 3 {
					b.Fatalf("%+v %v", st, err)
				}
				b.StopTimer()
				rep, err := InspectHDB(vfs.Default, dir, true)
				if err != nil {
					b.Fatal(err)
				}
				for _, p := range rep.Partitions {
					sealedRows += p.Stats.Rows
					rawBytes += p.Stats.RawBytes
					stored += p.Stats.StoredBytes
				}
				e.Close()
			}
			b.ReportMetric(float64(sealedRows)/took.Seconds(), "rows/s")
			b.ReportMetric(float64(rawBytes)/took.Seconds()/1e6, "rawMB/s")
			b.ReportMetric(float64(rawBytes)/float64(stored), "ratio")
		})
	}
}

// BenchmarkRecover measures start-up: replaying a WAL, and loading the
// same rows from sealed partitions plus a manifest.
func BenchmarkRecover(b *testing.B) {
	rows := 2_000_000
	if s := os.Getenv("ZEPTODB_BENCH_ROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	for _, sealed := range []bool{false, true} {
		name := "wal"
		if sealed {
			name = "hdb"
		}
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			e := benchTickDays(b, dir, rows, hdb.CompressLZ4)
			if sealed {
				if _, err := e.Checkpoint(); err != nil {
					b.Fatal(err)
				}
				if _, err := e.Insert("trades", benchBatch(0, 1)); err != nil {
					b.Fatal(err)
				}
				if _, err := e.Checkpoint(); err != nil { // the second one removes the first's WAL
					b.Fatal(err)
				}
			}
			e.Close()
			size := dirSize(dir)
			b.ResetTimer()
			for range b.N {
				e, err := Open(Options{Dir: dir, WALSync: wal.SyncNone, WALSegmentSize: 8 << 20, Logger: slog.New(slog.DiscardHandler), HotPartitions: 1})
				if err != nil {
					b.Fatal(err)
				}
				e.Close()
			}
			b.ReportMetric(float64(size)/1e6, "MB")
			b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}
