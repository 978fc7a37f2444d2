package engine

import (
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/wal"
)

func benchBatch(first, n int) *column.Batch {
	b := &column.Batch{Vectors: []*column.Vector{
		{Type: model.TypeTimestamp, Int64: make([]int64, n)}, {Type: model.TypeSymbol, String: make([]string, n)},
		{Type: model.TypeFloat64, Float64: make([]float64, n)}, {Type: model.TypeInt64, Int64: make([]int64, n)},
	}}
	syms := make([]string, 100)
	for i := range syms {
		syms[i] = fmt.Sprintf("S%03d", i)
	}
	for i := 0; i < n; i++ {
		b.Vectors[0].Int64[i] = 1762075800000000000 + int64(first+i)*1000
		b.Vectors[1].String[i] = syms[(first+i)*7%100]
		b.Vectors[2].Float64[i] = 100 + float64(i%100)/100
		b.Vectors[3].Int64[i] = int64(i % 1000)
	}
	return b
}

// BenchmarkInsert measures durable (fsync) inserts of 10,000-row batches
// from 4 concurrent writers on the real file system: WAL encode, group
// commit and apply, without HTTP or SQL.
func BenchmarkInsert(b *testing.B) {
	for _, mode := range []wal.SyncMode{wal.SyncAlways, wal.SyncNone} {
		b.Run(mode.String(), func(b *testing.B) {
			e, err := Open(Options{Dir: b.TempDir(), WALSync: mode, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			s, _ := model.NewSchema("trades", []model.Column{
				{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
				{Name: "price", Type: model.TypeFloat64}, {Name: "volume", Type: model.TypeInt64},
			}, "", model.PartitionDay)
			if err := e.CreateTable(s, false); err != nil {
				b.Fatal(err)
			}
			const rows = 10000
			batch := benchBatch(0, rows)
			b.ResetTimer()
			var wg sync.WaitGroup
			work := make(chan struct{})
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range work {
						if _, err := e.Insert("trades", batch); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			for i := 0; i < b.N; i++ {
				work <- struct{}{}
			}
			close(work)
			wg.Wait()
			b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
