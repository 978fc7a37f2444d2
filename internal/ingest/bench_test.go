package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/model"
)

// tradesSchema is the load generator's table.
func tradesSchema(tb testing.TB) *model.Schema {
	tb.Helper()
	s, err := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp},
		{Name: "symbol", Type: model.TypeSymbol},
		{Name: "price", Type: model.TypeFloat64},
		{Name: "volume", Type: model.TypeInt64},
	}, "ts", model.PartitionDay)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// tradesValues is a 10,000-row VALUES list of the shape the load
// generator sends: (1762075800000000000, 'S042', 100.25, 300).
func tradesValues(rows int) string {
	var sb strings.Builder
	for i := range rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "(%d, 'S%03d', %d.%02d, %d)", 1762075800000000000+int64(i)*1000, i%100, 100+i%7, i%100, 100*(1+i%9))
	}
	return sb.String()
}

func BenchmarkDecodeValues(b *testing.B) {
	const rows = 10000
	s := tradesSchema(b)
	text := tradesValues(rows)
	targets := []int{0, 1, 2, 3}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		batch, err := DecodeValues(s, targets, text)
		if err != nil {
			b.Fatal(err)
		}
		if batch.Len() != rows {
			b.Fatalf("decoded %d rows, want %d", batch.Len(), rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
