package hdb

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// allTypes is a table with every column type; sym is the designated
// symbol, venue a second SYMBOL column.
func allTypes(t testing.TB, withSymbol bool) *model.Schema {
	t.Helper()
	cols := []model.Column{
		{Name: "ts", Type: model.TypeTimestamp, NotNull: true},
		{Name: "sym", Type: model.TypeSymbol},
		{Name: "i64", Type: model.TypeInt64},
		{Name: "i32", Type: model.TypeInt32},
		{Name: "f64", Type: model.TypeFloat64},
		{Name: "f32", Type: model.TypeFloat32},
		{Name: "s", Type: model.TypeString},
		{Name: "b", Type: model.TypeBool},
		{Name: "venue", Type: model.TypeSymbol},
	}
	if !withSymbol {
		cols = append(cols[:1], cols[2:8]...)
	}
	s, err := model.NewSchema("t", cols, "ts", model.PartitionDay)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// makeSeries builds rows of every column of schema; with nullEvery > 0,
// every nullEvery-th row is NULL in each nullable column, at a different
// phase per column.
func makeSeries(schema *model.Schema, symbol string, null bool, rows, seed, nullEvery int) Series {
	b := &column.Batch{}
	for c, col := range schema.Columns {
		v := &column.Vector{Type: col.Type}
		for r := 0; r < rows; r++ {
			x := seed*1_000_003 + r*(c+1)
			switch col.Type {
			case model.TypeTimestamp:
				v.Int64 = append(v.Int64, int64(1_700_000_000_000_000_000+seed*1000+r*7))
			case model.TypeInt64:
				v.Int64 = append(v.Int64, int64(x)*-3)
			case model.TypeInt32:
				v.Int32 = append(v.Int32, int32(x%100000))
			case model.TypeFloat64:
				v.Float64 = append(v.Float64, float64(x)/7)
			case model.TypeFloat32:
				v.Float32 = append(v.Float32, float32(x)/3)
			case model.TypeBool:
				v.Bool = append(v.Bool, x%3 == 0)
			case model.TypeString:
				v.String = append(v.String, strings.Repeat("x", x%5)+fmt.Sprint(x))
			case model.TypeSymbol:
				if c == schema.SymbolCol {
					v.String = append(v.String, symbol)
				} else {
					v.String = append(v.String, []string{"XNAS", "ARCA", "BATS"}[x%3])
				}
			}
			designated := c == schema.SymbolCol || c == schema.TimestampCol
			if (designated && null && c == schema.SymbolCol) || (!designated && nullEvery > 0 && (r+c)%nullEvery == 0) {
				v.SetNull(r)
				zero(v, r)
			}
		}
		if rows == 0 && col.Type.IsText() {
			v.String = []string{}
		}
		b.Vectors = append(b.Vectors, v)
	}
	return Series{Symbol: symbol, Null: null, Rows: b}
}

// zero clears the value slot of a NULL row, as the column package expects.
func zero(v *column.Vector, r int) {
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		v.Int64[r] = 0
	case model.TypeInt32:
		v.Int32[r] = 0
	case model.TypeFloat64:
		v.Float64[r] = 0
	case model.TypeFloat32:
		v.Float32[r] = 0
	case model.TypeBool:
		v.Bool[r] = false
	default:
		v.String[r] = ""
	}
}

// equalPartitions reports the first difference between two partitions.
func equalPartitions(want, got *Partition) error {
	if want.Table != got.Table || want.Start != got.Start || len(want.Series) != len(got.Series) {
		return fmt.Errorf("header: got %q/%d/%d series, want %q/%d/%d", got.Table, got.Start, len(got.Series), want.Table, want.Start, len(want.Series))
	}
	if fmt.Sprint(*want.Schema) != fmt.Sprint(*got.Schema) {
		return fmt.Errorf("schema: got %+v, want %+v", *got.Schema, *want.Schema)
	}
	for i := range want.Series {
		w, g := want.Series[i], got.Series[i]
		if w.Symbol != g.Symbol || w.Null != g.Null {
			return fmt.Errorf("series %d: got %q/%v, want %q/%v", i, g.Symbol, g.Null, w.Symbol, w.Null)
		}
		if len(w.Rows.Vectors) != len(g.Rows.Vectors) {
			return fmt.Errorf("series %d: %d vectors, want %d", i, len(g.Rows.Vectors), len(w.Rows.Vectors))
		}
		for c := range w.Rows.Vectors {
			if err := equalVectors(w.Rows.Vectors[c], g.Rows.Vectors[c]); err != nil {
				return fmt.Errorf("series %d column %d: %w", i, c, err)
			}
		}
	}
	return nil
}

func equalVectors(w, g *column.Vector) error {
	if w.Type != g.Type || w.Len() != g.Len() {
		return fmt.Errorf("got %v×%d, want %v×%d", g.Type, g.Len(), w.Type, w.Len())
	}
	if w.Type == model.TypeSymbol && g.Symbol != nil {
		return fmt.Errorf("SYMBOL read back as ids")
	}
	for r := 0; r < w.Len(); r++ {
		if w.IsNull(r) != g.IsNull(r) {
			return fmt.Errorf("row %d: NULL %v, want %v", r, g.IsNull(r), w.IsNull(r))
		}
		if a, b := value(w, r), value(g, r); a != b {
			return fmt.Errorf("row %d: %s, want %s", r, b, a)
		}
	}
	return nil
}

func value(v *column.Vector, r int) string {
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		return fmt.Sprint(v.Int64[r])
	case model.TypeInt32:
		return fmt.Sprint(v.Int32[r])
	case model.TypeFloat64:
		return fmt.Sprint(math.Float64bits(v.Float64[r]))
	case model.TypeFloat32:
		return fmt.Sprint(math.Float32bits(v.Float32[r]))
	case model.TypeBool:
		return fmt.Sprint(v.Bool[r])
	}
	return fmt.Sprintf("%q", v.String[r])
}

// setBlockRows lowers the rows per block for one test.
func setBlockRows(t testing.TB, n int) {
	old := blockRows
	blockRows = n
	t.Cleanup(func() { blockRows = old })
}

var compressions = []Compression{CompressLZ4, CompressZstd}

func TestRoundTrip(t *testing.T) {
	sym := allTypes(t, true)
	plain := allTypes(t, false)
	tests := []struct {
		name      string
		schema    *model.Schema
		blockRows int
		series    []Series
	}{
		{"one series", sym, 64, []Series{makeSeries(sym, "AAPL", false, 10, 1, 3)}},
		{"several series with NULLs", sym, 64, []Series{
			makeSeries(sym, "AAPL", false, 200, 1, 5),
			makeSeries(sym, "", true, 70, 2, 2),
			makeSeries(sym, "", false, 3, 3, 1), // the empty symbol is not NULL
			makeSeries(sym, "MSFT", false, 129, 4, 0),
		}},
		{"exact block multiples", sym, 50, []Series{makeSeries(sym, "A", false, 150, 1, 7), makeSeries(sym, "B", false, 50, 2, 7)}},
		{"empty series kept", sym, 64, []Series{makeSeries(sym, "A", false, 0, 1, 0), makeSeries(sym, "B", false, 5, 2, 2), makeSeries(sym, "C", false, 0, 3, 0)}},
		{"no series", sym, 64, nil},
		{"all NULL", sym, 64, []Series{makeSeries(sym, "A", false, 300, 1, 1)}},
		{"no designated symbol", plain, 64, []Series{makeSeries(plain, "", false, 1000, 9, 4)}},
		{"all NULL, real block size", sym, BlockRows, []Series{makeSeries(sym, "A", false, BlockRows, 1, 1)}},
		{"real block size", sym, BlockRows, []Series{makeSeries(sym, "A", false, BlockRows+1000, 1, 11), makeSeries(sym, "B", false, 10, 2, 0)}},
	}
	for _, tt := range tests {
		for _, c := range compressions {
			t.Run(tt.name+"/"+c.String(), func(t *testing.T) {
				setBlockRows(t, tt.blockRows)
				p := &Partition{Table: "trades", Schema: tt.schema, Start: 1_699_920_000_000_000_000, Series: tt.series}
				fsys := vfs.NewMemFS()
				n, err := Write(fsys, "/hdb/trades/p1", p, c)
				if err != nil {
					t.Fatal(err)
				}
				got, err := Read(fsys, "/hdb/trades/p1")
				if err != nil {
					t.Fatal(err)
				}
				if err := equalPartitions(p, got); err != nil {
					t.Fatal(err)
				}
				checkReader(t, fsys, "/hdb/trades/p1", p)
				st, err := Verify(fsys, "/hdb/trades/p1")
				if err != nil {
					t.Fatal(err)
				}
				checkStats(t, p, st, n)
			})
		}
	}
}

// checkReader reads p back through a Reader: whole, and series by series
// in reverse order (each read on its own).
func checkReader(t *testing.T, fsys vfs.FS, dir string, p *Partition) {
	t.Helper()
	r, err := Open(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if err := equalPartitions(p, all); err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	info := r.Series()
	if len(info) != len(p.Series) {
		t.Fatalf("%d series, want %d", len(info), len(p.Series))
	}
	one := &Partition{Table: p.Table, Schema: p.Schema, Start: p.Start, Series: make([]Series, len(info))}
	var rows int64
	for i := len(info) - 1; i >= 0; i-- {
		want := p.Series[i]
		if got := info[i]; got.Symbol != want.Symbol || got.Null != want.Null || got.Rows != int64(want.Rows.Len()) {
			t.Fatalf("series %d: %+v", i, info[i])
		}
		if one.Series[i], err = r.ReadSeries(i); err != nil {
			t.Fatalf("ReadSeries(%d): %v", i, err)
		}
		rows += info[i].Rows
	}
	if err := equalPartitions(p, one); err != nil {
		t.Fatalf("ReadSeries: %v", err)
	}
	if r.Rows() != rows {
		t.Fatalf("Rows() = %d, want %d", r.Rows(), rows)
	}
	checkZones(t, r, p)
	if _, err := r.ReadSeries(len(info)); err == nil {
		t.Fatal("ReadSeries past the end succeeded")
	}
}

// checkZones recomputes every block's zone from the rows written.
func checkZones(t *testing.T, r *Reader, p *Partition) {
	t.Helper()
	for i, s := range p.Series {
		for c, col := range p.Schema.Columns {
			zones := r.BlockZones(i, c)
			if !zoned(col.Type) {
				if zones != nil {
					t.Fatalf("series %d column %s: zones of a %s column", i, col.Name, col.Type)
				}
				continue
			}
			lo := 0
			for b, n := range r.m.series[i].blockRows {
				want := zoneOf(s.Rows.Vectors[c].Slice(lo, lo+int(n)))
				if zones[b] != want {
					t.Fatalf("series %d column %s block %d: zone %+v, want %+v", i, col.Name, b, zones[b], want)
				}
				lo += int(n)
			}
		}
		if tc := p.Schema.TimestampCol; tc >= 0 {
			if got, want := r.Series()[i].TS, zoneOf(s.Rows.Vectors[tc]); got != want {
				t.Fatalf("series %d: timestamp range %+v, want %+v", i, got, want)
			}
		}
	}
}

func TestZoneOf(t *testing.T) {
	nan := math.NaN()
	f64 := &column.Vector{Type: model.TypeFloat64, Float64: []float64{nan, 3, -1, nan, 7}}
	f64.SetNull(4)
	i32 := &column.Vector{Type: model.TypeInt32, Int32: []int32{5, -9, 2}}
	allNull := &column.Vector{Type: model.TypeInt64, Int64: []int64{0, 0}}
	allNull.SetNull(0)
	allNull.SetNull(1)
	tests := []struct {
		v    *column.Vector
		want Zone
	}{
		{f64, Zone{Has: true, FMin: -1, FMax: 3}},
		{i32, Zone{Has: true, Min: -9, Max: 5}},
		{allNull, Zone{}},
		{&column.Vector{Type: model.TypeFloat32, Float32: []float32{float32(nan)}}, Zone{}},
		{&column.Vector{Type: model.TypeTimestamp, Int64: []int64{math.MaxInt64, math.MinInt64}}, Zone{Has: true, Min: math.MinInt64, Max: math.MaxInt64}},
	}
	for _, tt := range tests {
		if got := zoneOf(tt.v); got != tt.want {
			t.Errorf("zoneOf(%v) = %+v, want %+v", tt.v.Type, got, tt.want)
		}
	}
}

func checkStats(t *testing.T, p *Partition, st Stats, written int64) {
	t.Helper()
	var rows int64
	blocks := 0
	for _, s := range p.Series {
		rows += int64(s.Rows.Len())
		blocks += (s.Rows.Len() + blockRows - 1) / blockRows * len(p.Schema.Columns)
	}
	if st.Rows != rows || st.Series != len(p.Series) || st.Blocks != blocks || st.StoredBytes != written || (rows > 0 && st.RawBytes == 0) {
		t.Fatalf("stats %+v; want %d rows, %d series, %d blocks, %d bytes", st, rows, len(p.Series), blocks, written)
	}
}

// TestTextBlocksCutBySize: a block ends early when a text column's
// values would pass the budget, and reads back the same.
func TestTextBlocksCutBySize(t *testing.T) {
	old := textBudget
	textBudget = 1000
	t.Cleanup(func() { textBudget = old })
	s := allTypes(t, true)
	p := &Partition{Table: "t", Schema: s, Series: []Series{makeSeries(s, "A", false, 500, 1, 0)}}
	for i := range p.Series[0].Rows.Vectors[6].String {
		p.Series[0].Rows.Vectors[6].String[i] = strings.Repeat("y", 90)
	}
	fsys := vfs.NewMemFS()
	if _, err := Write(fsys, "/p", p, CompressLZ4); err != nil {
		t.Fatal(err)
	}
	got, err := Read(fsys, "/p")
	if err != nil {
		t.Fatal(err)
	}
	if err := equalPartitions(p, got); err != nil {
		t.Fatal(err)
	}
	st, _ := Verify(fsys, "/p")
	if st.Blocks != 50*len(s.Columns) { // 91 bytes a value: 10 rows a block
		t.Fatalf("%d blocks, want %d", st.Blocks, 50*len(s.Columns))
	}
	p.Series[0].Rows.Vectors[6].String[7] = strings.Repeat("z", 2000)
	if _, err := Write(vfs.NewMemFS(), "/q", p, CompressLZ4); err == nil || !strings.Contains(err.Error(), "row 7") {
		t.Fatalf("a value over the block limit: %v", err)
	}
}

func TestWriteRejects(t *testing.T) {
	s := allTypes(t, true)
	plain := allTypes(t, false)
	good := func() *Partition {
		return &Partition{Table: "t", Schema: s, Series: []Series{makeSeries(s, "A", false, 5, 1, 0)}}
	}
	tests := map[string]func(p *Partition){
		"no schema":      func(p *Partition) { p.Schema = nil },
		"missing vector": func(p *Partition) { p.Series[0].Rows.Vectors = p.Series[0].Rows.Vectors[1:] },
		"wrong type": func(p *Partition) {
			p.Series[0].Rows.Vectors[2] = &column.Vector{Type: model.TypeFloat64, Float64: make([]float64, 5)}
		},
		"ragged": func(p *Partition) { p.Series[0].Rows.Vectors[3].Int32 = p.Series[0].Rows.Vectors[3].Int32[:2] },
		"symbol ids": func(p *Partition) {
			p.Series[0].Rows.Vectors[8] = &column.Vector{Type: model.TypeSymbol, Symbol: make([]uint32, 5)}
		},
		"null with symbol":      func(p *Partition) { p.Series[0].Null = true },
		"symbol without column": func(p *Partition) { p.Schema = plain; p.Series[0] = makeSeries(plain, "A", false, 5, 1, 0) },
		"nil batch":             func(p *Partition) { p.Series[0].Rows = nil },
	}
	for name, damage := range tests {
		t.Run(name, func(t *testing.T) {
			p := good()
			damage(p)
			fsys := vfs.NewMemFS()
			if _, err := Write(fsys, "/p", p, CompressLZ4); err == nil {
				t.Fatal("accepted")
			}
			if _, err := fsys.List("/p"); err == nil {
				t.Fatal("rejected Write left a directory")
			}
		})
	}
	fsys := vfs.NewMemFS()
	if _, err := Write(fsys, "/p", good(), Compression(9)); err == nil {
		t.Fatal("unknown compression accepted")
	}
	if _, err := Write(fsys, "/p", good(), CompressZstd); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(fsys, "/p", good(), CompressZstd); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("Write over an existing directory: %v", err)
	}
}

func TestRemoveDir(t *testing.T) {
	s := allTypes(t, true)
	fsys := vfs.NewMemFS()
	p := &Partition{Table: "t", Schema: s, Series: []Series{makeSeries(s, "A", false, 5, 1, 0)}}
	if _, err := Write(fsys, "/hdb/p", p, CompressLZ4); err != nil {
		t.Fatal(err)
	}
	if err := RemoveDir(fsys, "/hdb/p"); err != nil {
		t.Fatal(err)
	}
	if names, _ := fsys.List("/hdb"); len(names) != 0 {
		t.Fatalf("left %v", names)
	}
	if names, _ := fsys.Crash(nil).List("/hdb"); len(names) != 0 {
		t.Fatalf("after a crash: %v", names)
	}
	if err := RemoveDir(fsys, "/hdb/p"); err != nil {
		t.Fatalf("RemoveDir of a missing directory: %v", err)
	}
	if _, err := Write(fsys, "/hdb/p", p, CompressLZ4); err != nil {
		t.Fatalf("Write after RemoveDir: %v", err)
	}
}

func TestParseCompression(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Compression
	}{{"lz4", CompressLZ4}, {"ZSTD", CompressZstd}} {
		got, err := ParseCompression(tt.in)
		if err != nil || got != tt.want || !strings.EqualFold(got.String(), tt.in) {
			t.Errorf("ParseCompression(%q) = %v, %v", tt.in, got, err)
		}
	}
	if _, err := ParseCompression("gzip"); err == nil || !strings.Contains(err.Error(), `"gzip"`) {
		t.Errorf("ParseCompression(gzip) = %v", err)
	}
}

// TestOSFileSystem writes and reads a partition on the real file system.
func TestOSFileSystem(t *testing.T) {
	s := allTypes(t, true)
	dir := t.TempDir() + "/hdb/p"
	p := &Partition{Table: "t", Schema: s, Series: []Series{makeSeries(s, "A", false, 100, 1, 3)}}
	if _, err := Write(vfs.Default, dir, p, CompressZstd); err != nil {
		t.Fatal(err)
	}
	got, err := Read(vfs.Default, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := equalPartitions(p, got); err != nil {
		t.Fatal(err)
	}
	if err := RemoveDir(vfs.Default, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(vfs.Default, dir); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Read of a removed partition: %v", err)
	}
}

// TestColumnFileShrinksWhileMapped: column files are read through a
// mapping on the OS file system; one truncated while mapped fails the read
// with an error naming it, instead of a SIGBUS ending the process.
func TestColumnFileShrinksWhileMapped(t *testing.T) {
	if _, ok := vfs.Default.(vfs.Mapper); !ok {
		t.Fatal("the OS file system does not map files")
	}
	s := allTypes(t, true)
	dir := t.TempDir() + "/hdb/p"
	p := &Partition{Table: "t", Schema: s, Series: []Series{makeSeries(s, "A", false, BlockRows, 1, 0)}}
	if _, err := Write(vfs.Default, dir, p, CompressLZ4); err != nil {
		t.Fatal(err)
	}
	r, err := Open(vfs.Default, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadSeries(0); err != nil { // mapped, whole
		t.Fatal(err)
	}
	shrunk := ""
	afterMap = func(path string) {
		if shrunk == "" {
			if st, _ := os.Stat(path); st.Size() > 64<<10 { // a column of 64K rows of 8 bytes
				shrunk = path
				os.Truncate(path, preambleSize)
			}
		}
	}
	defer func() { afterMap = nil }()
	_, err = r.ReadSeries(0)
	if shrunk == "" {
		t.Fatal("no column file large enough to shrink")
	}
	if !errors.Is(err, vfs.ErrFault) || !strings.Contains(err.Error(), shrunk) {
		t.Fatalf("read of %s truncated while mapped: %v", shrunk, err)
	}
	t.Logf("%v", err)
}
