package exec

import (
	"context"
	"fmt"
	"testing"

	"github.com/zeptodb/zeptodb/internal/ingest"
)

// BenchmarkWriteLines parses and writes 10,000 line-protocol trades per
// iteration (no fsync), the line-protocol path without HTTP.
func BenchmarkWriteLines(b *testing.B) {
	x, _, _ := testExecutor(&testing.T{}, 0, Options{})
	raw := make([][]byte, 10000)
	for i := range raw {
		raw[i] = []byte(fmt.Sprintf("trades,sym=S%03d px=%g,qty=%di %d", i%100, 100+float64(i%1000)/100, 1+i%500, 1762075800000000000+int64(i)*1000))
	}
	b.ResetTimer()
	b.ReportAllocs()
	for n := 0; n < b.N; n++ {
		lines := make([]Line, len(raw))
		lp := ingest.LineParser{Scale: 1}
		for i, r := range raw {
			p, err := lp.Parse(r)
			if err != nil {
				b.Fatal(err)
			}
			lines[i] = Line{N: i + 1, Point: p}
		}
		if _, errs := x.WriteLines(context.Background(), lines, LineOptions{AutoCreate: true}); len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
	b.ReportMetric(float64(len(raw)*b.N)/b.Elapsed().Seconds(), "rows/s")
}
