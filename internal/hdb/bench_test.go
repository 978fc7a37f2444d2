package hdb

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// tickPartition is one day of trades: 100 symbols of rows/100 rows each,
// increasing timestamps, a random-walk price, round-lot volumes and one
// of four venues.
func tickPartition(b *testing.B, rows int) *Partition {
	s, err := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "sym", Type: model.TypeSymbol},
		{Name: "price", Type: model.TypeFloat64}, {Name: "volume", Type: model.TypeInt64},
		{Name: "venue", Type: model.TypeSymbol},
	}, "ts", model.PartitionDay)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	venues := []string{"XNAS", "ARCA", "BATS", "IEXG"}
	const day = int64(86400e9)
	p := &Partition{Table: "trades", Schema: s, Start: 20000 * day}
	per := rows / 100
	for i := 0; i < 100; i++ {
		sym := fmt.Sprintf("S%03d", i)
		ts, price := p.Start+34200e9, 50+rng.Float64()*100
		v := []*column.Vector{{Type: model.TypeTimestamp}, {Type: model.TypeSymbol}, {Type: model.TypeFloat64}, {Type: model.TypeInt64}, {Type: model.TypeSymbol}}
		for r := 0; r < per; r++ {
			ts += 1 + rng.Int63n(2e9)
			price += float64(rng.Intn(21)-10) / 100
			v[0].Int64 = append(v[0].Int64, ts)
			v[1].String = append(v[1].String, sym)
			v[2].Float64 = append(v[2].Float64, price)
			v[3].Int64 = append(v[3].Int64, int64(1+rng.Intn(20))*100)
			v[4].String = append(v[4].String, venues[rng.Intn(len(venues))])
		}
		p.Series = append(p.Series, Series{Symbol: sym, Rows: &column.Batch{Vectors: v}})
	}
	return p
}

const benchRows = 1_000_000

// BenchmarkWrite writes a partition of 1M ticks to a MemFS. MB/s counts
// the uncompressed block encodings; ratio is raw bytes per stored byte.
func BenchmarkWrite(b *testing.B) {
	p := tickPartition(b, benchRows)
	for _, c := range compressions {
		b.Run(c.String(), func(b *testing.B) {
			fsys := vfs.NewMemFS()
			if _, err := Write(fsys, "/probe", p, c); err != nil {
				b.Fatal(err)
			}
			st, err := Verify(fsys, "/probe")
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.RawBytes)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dir := fmt.Sprintf("/p%d", i)
				if _, err := Write(fsys, dir, p, c); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := RemoveDir(fsys, dir); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(st.RawBytes)/float64(st.StoredBytes), "ratio")
		})
	}
}

// BenchmarkRead reads back a partition of 1M ticks from a MemFS.
func BenchmarkRead(b *testing.B) {
	p := tickPartition(b, benchRows)
	for _, c := range compressions {
		b.Run(c.String(), func(b *testing.B) {
			fsys := vfs.NewMemFS()
			if _, err := Write(fsys, "/p", p, c); err != nil {
				b.Fatal(err)
			}
			st, err := Verify(fsys, "/p")
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.RawBytes)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := Read(fsys, "/p"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(st.RawBytes)/float64(st.StoredBytes), "ratio")
		})
	}
}

// pread hides the OS file system's Mapper: reads go through pread.
type pread struct{ vfs.FS }

// BenchmarkReadOS reads a partition of 1M ticks back from the OS file
// system (page cache warm), whole and one series, through a mapping and
// through pread, side by side.
func BenchmarkReadOS(b *testing.B) {
	p := tickPartition(b, benchRows)
	dir := b.TempDir() + "/p"
	if _, err := Write(vfs.Default, dir, p, CompressLZ4); err != nil {
		b.Fatal(err)
	}
	st, err := Verify(vfs.Default, dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, fs := range []struct {
		name string
		fsys vfs.FS
	}{{"mmap", vfs.Default}, {"pread", pread{vfs.Default}}} {
		r, err := Open(fs.fsys, dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("whole/"+fs.name, func(b *testing.B) {
			b.SetBytes(st.RawBytes)
			for range b.N {
				if _, err := r.ReadAll(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("one_series/"+fs.name, func(b *testing.B) {
			b.SetBytes(st.RawBytes / 100)
			for i := range b.N {
				if _, err := r.ReadSeries(i % 100); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
