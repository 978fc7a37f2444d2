package engine

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// A data directory written by each released format version lives in
// testdata/format-v<N>: every newer binary must start on it and find
// exactly the rows written. After a format change, add the new version's
// directory with
//
//	go test ./internal/engine -run TestReadsOlderFormats -write-format-fixture testdata/format-vN
//
// and keep the old ones.
var writeFormatFixture = flag.String("write-format-fixture", "", "write a data directory of the current format to this path")

// fixtureSchema has a column of every type, the designated timestamp and
// symbol, and a second SYMBOL column.
func fixtureSchema(t *testing.T) *model.Schema {
	t.Helper()
	s, err := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
		{Name: "venue", Type: model.TypeSymbol}, {Name: "price", Type: model.TypeFloat64},
		{Name: "volume", Type: model.TypeInt64}, {Name: "qty", Type: model.TypeInt32},
		{Name: "px32", Type: model.TypeFloat32}, {Name: "note", Type: model.TypeString},
		{Name: "buy", Type: model.TypeBool},
	}, "", model.PartitionDay)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fixtureBatch holds n rows of day d (2024-03-0d), every column NULL now
// and then.
func fixtureBatch(d, first, n int) *column.Batch {
	b := &column.Batch{Vectors: []*column.Vector{
		{Type: model.TypeTimestamp}, {Type: model.TypeSymbol}, {Type: model.TypeSymbol}, {Type: model.TypeFloat64},
		{Type: model.TypeInt64}, {Type: model.TypeInt32}, {Type: model.TypeFloat32}, {Type: model.TypeString}, {Type: model.TypeBool},
	}}
	day0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	for i := first; i < first+n; i++ {
		ts := day0 + int64(d)*int64(24*time.Hour) + int64(i%97)*int64(time.Minute) + int64(i)
		b.Vectors[0].Int64 = append(b.Vectors[0].Int64, ts)
		b.Vectors[1].String = append(b.Vectors[1].String, fmt.Sprintf("S%d", i%5))
		b.Vectors[2].String = append(b.Vectors[2].String, []string{"XLON", "XNYS", "", "XPAR"}[i%4])
		b.Vectors[3].Float64 = append(b.Vectors[3].Float64, 100+float64(i)/8)
		b.Vectors[4].Int64 = append(b.Vectors[4].Int64, int64(i))
		b.Vectors[5].Int32 = append(b.Vectors[5].Int32, int32(i%1000-500))
		b.Vectors[6].Float32 = append(b.Vectors[6].Float32, float32(i)/4)
		b.Vectors[7].String = append(b.Vectors[7].String, strings.Repeat("n", i%4)+"é")
		b.Vectors[8].Bool = append(b.Vectors[8].Bool, i%3 == 0)
		for c := 1; c < len(b.Vectors); c++ {
			if c != 4 && (i+c)%11 == 0 { // volume (the row id) is never NULL
				b.Vectors[c].SetNull(b.Len() - 1)
			}
		}
	}
	return b
}

// fixtureWrites are the writes of a fixture: three days, a checkpoint
// sealing two of them, then a fourth day and late rows for a sealed day
// left in the WAL, and a TTL that expires nothing.
func fixtureWrites(t *testing.T, e *Engine) {
	must(t, e.CreateTable(fixtureSchema(t), false))
	for d := 0; d < 3; d++ {
		_, err := e.Insert("trades", fixtureBatch(d, d*100, 100))
		must(t, err)
	}
	if st, err := e.Checkpoint(); err != nil || st.Sealed != 2 {
		t.Fatalf("checkpoint: %+v %v", st, err)
	}
	_, err := e.SetTTL("trades", TTL{N: 1000, Unit: "WEEK"}, time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC))
	must(t, err)
	for _, b := range []*column.Batch{fixtureBatch(3, 300, 100), fixtureBatch(0, 400, 7)} {
		_, err := e.Insert("trades", b)
		must(t, err)
	}
}

// writeFixture writes the data directory of the current format to dir.
func writeFixture(t *testing.T, dir string) {
	opts := testOptions(nil)
	opts.Dir, opts.HotPartitions = dir, 1
	if _, err := os.Stat(opts.Dir); err == nil {
		t.Fatalf("%s exists", opts.Dir)
	}
	e, err := Open(opts)
	must(t, err)
	fixtureWrites(t, e)
	must(t, e.Close())
	must(t, os.Remove(filepath.Join(opts.Dir, "LOCK")))
}

// TestReadsOlderFormats starts on the data directory of every format
// version in testdata and finds exactly the rows and the TTL written.
func TestReadsOlderFormats(t *testing.T) {
	if *writeFormatFixture != "" {
		writeFixture(t, *writeFormatFixture)
	}
	dirs, _ := filepath.Glob("testdata/format-v*")
	if len(dirs) == 0 {
		t.Fatal("no format fixtures in testdata")
	}
	mem := testOptions(nil) // the rows the fixtures hold, written now
	mem.FS, mem.HotPartitions = vfs.NewMemFS(), 1
	want, err := Open(mem)
	must(t, err)
	fixtureWrites(t, want)
	wantRows := tableRows(t, want, "trades")
	must(t, want.Close())
	if len(wantRows) != 407 {
		t.Fatalf("%d rows written", len(wantRows))
	}
	for _, src := range dirs {
		t.Run(filepath.Base(src), func(t *testing.T) {
			opts := testOptions(nil)
			opts.Dir = t.TempDir()
			copyDir(t, src, opts.Dir)
			e, err := Open(opts)
			must(t, err)
			defer e.Close()
			if got := tableRows(t, e, "trades"); !slices.Equal(got, wantRows) {
				t.Fatalf("%d rows read, want %d; first difference at %d", len(got), len(wantRows), firstDiff(got, wantRows))
			}
			if ttl := e.TTLs()["trades"]; ttl != (TTL{N: 1000, Unit: "WEEK"}) {
				t.Fatalf("TTL %v", ttl)
			}
			// A checkpoint in the current format, and the next start.
			_, err = e.Checkpoint()
			must(t, err)
			must(t, e.Close())
			e, err = Open(opts)
			must(t, err)
			if got := tableRows(t, e, "trades"); !slices.Equal(got, wantRows) {
				t.Fatalf("after a checkpoint: %d rows, want %d", len(got), len(wantRows))
			}
		})
	}
}

// tableRows renders every row of a table, sorted.
func tableRows(t *testing.T, e *Engine, name string) []string {
	t.Helper()
	tbl, err := e.Table(name)
	must(t, err)
	var out []string
	for _, start := range tbl.PartitionStarts() {
		series, err := tbl.Export(start, false)
		must(t, err)
		for _, s := range series {
			for r := 0; r < s.Rows.Len(); r++ {
				var row []string
				for _, v := range s.Rows.Vectors {
					row = append(row, renderCell(v, r))
				}
				out = append(out, strings.Join(row, "|"))
			}
		}
	}
	slices.Sort(out)
	return out
}

func renderCell(v *column.Vector, r int) string {
	if v.IsNull(r) {
		return "NULL"
	}
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		return fmt.Sprint(v.Int64[r])
	case model.TypeInt32:
		return fmt.Sprint(v.Int32[r])
	case model.TypeFloat64:
		return fmt.Sprint(v.Float64[r])
	case model.TypeFloat32:
		return fmt.Sprint(v.Float32[r])
	case model.TypeBool:
		return fmt.Sprint(v.Bool[r])
	}
	return fmt.Sprintf("%q", v.String[r])
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	must(t, err)
}
