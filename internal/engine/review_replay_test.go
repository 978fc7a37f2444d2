package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/vfs"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// rvReplayOne replays one record into a fresh engine and turns a panic
// into a test failure.
func rvReplayOne(t *testing.T, setup []wal.Record, r wal.Record) (err error) {
	t.Helper()
	e := &Engine{tables: map[string]*rdb.Table{}}
	e.opts.ChunkRows = 1024
	for _, s := range setup {
		if err := e.replay(s); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("replaying a CRC-valid record of type %d panics instead of failing recovery: %v", r.Type, p)
		}
	}()
	return e.replay(r)
}

// TestReviewReplayCreateHugeTimestampIndex: decodeSchema converts the
// uvarint timestamp index to int; a value >= 2^63 becomes negative, passes
// the "<= len(cols)" bound and indexes cols out of range.
func TestReviewReplayCreateHugeTimestampIndex(t *testing.T) {
	p := appendString(nil, "t")
	p = append(p, byte(model.PartitionDay))
	p = binary.AppendUvarint(p, 1<<63)
	p = binary.AppendUvarint(p, 1)
	p = appendString(p, "ts")
	p = append(p, byte(model.TypeTimestamp), 0)
	if err := rvReplayOne(t, nil, wal.Record{LSN: 1, Type: recCreateTable, Payload: p}); err == nil {
		t.Fatal("bad schema record accepted")
	}
}

// TestReviewReplayInsertHugeNullBitmap: column.decoder.vector computes the
// bitmap byte count as words*8 in uint64; 2^61 words wraps to 0 bytes, the
// bounds check passes and make([]uint64, 2^61) panics.
func TestReviewReplayInsertHugeNullBitmap(t *testing.T) {
	s, _ := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
		{Name: "price", Type: model.TypeFloat64}, {Name: "volume", Type: model.TypeInt64},
	}, "ts", model.PartitionDay)
	create := wal.Record{LSN: 1, Type: recCreateTable, Payload: encodeSchema(s)}
	p := appendString(nil, "trades")
	p = binary.AppendUvarint(p, 1) // rows
	p = binary.AppendUvarint(p, 4) // columns
	p = append(p, byte(model.TypeTimestamp), 1)
	p = binary.AppendUvarint(p, 1<<61) // NULL bitmap words: 2^61*8 wraps to 0
	p = binary.LittleEndian.AppendUint64(p, 1)
	if err := rvReplayOne(t, []wal.Record{create}, wal.Record{LSN: 2, Type: recInsert, Payload: p}); err == nil {
		t.Fatal("bad insert record accepted")
	}
}

// --- replay reproduces the live state exactly (passing) ---

type rvChunk struct {
	Rows         int
	MinTS, MaxTS int64
	Sorted       bool
	Blocks       [][2]int64
	Cols         []*column.Vector
	Nulls        [][]bool
}

type rvSeries struct {
	Symbol uint32
	Rows   int
	Chunks []rvChunk
}

type rvPart struct {
	Start  int64
	Series []rvSeries
}

type rvTable struct {
	Schema *model.Schema
	Dicts  [][]string
	Rows   int64
	Parts  []rvPart
}

// rvState captures everything recovery must rebuild: catalog, symbol
// dictionaries (ids are stored in chunks), layout and zone maps.
func rvState(t *testing.T, e *Engine) map[string]rvTable {
	t.Helper()
	out := map[string]rvTable{}
	for _, name := range e.TableNames() {
		tbl, err := e.Table(name)
		if err != nil {
			t.Fatal(err)
		}
		st := rvTable{Schema: tbl.Schema}
		for _, d := range tbl.Dicts {
			if d == nil {
				st.Dicts = append(st.Dicts, nil)
			} else {
				st.Dicts = append(st.Dicts, append([]string{}, d.Strings()...))
			}
		}
		snap := tbl.Snapshot()
		st.Rows = snap.Rows
		for _, p := range snap.Partitions {
			rp := rvPart{Start: p.Start}
			for _, s := range p.AllSeries() {
				rs := rvSeries{Symbol: s.Symbol, Rows: s.Rows()}
				for _, c := range s.Chunks {
					rc := rvChunk{Rows: c.Len(), MinTS: c.MinTS, MaxTS: c.MaxTS, Sorted: c.Sorted}
					for b := 0; b < c.Blocks(); b++ {
						lo, hi := c.BlockBounds(b)
						rc.Blocks = append(rc.Blocks, [2]int64{lo, hi})
					}
					for _, v := range c.Cols {
						cv := v.Slice(0, c.Len())
						nulls := make([]bool, c.Len())
						for i := range nulls {
							nulls[i] = v.IsNull(i)
						}
						cv.Nulls = nil
						rc.Cols = append(rc.Cols, cv)
						rc.Nulls = append(rc.Nulls, nulls)
					}
					rs.Chunks = append(rs.Chunks, rc)
				}
				rp.Series = append(rp.Series, rs)
			}
			st.Parts = append(st.Parts, rp)
		}
		snap.Release()
		out[name] = st
	}
	return out
}

func rvSchema(t *testing.T, name string) *model.Schema {
	t.Helper()
	s, err := model.NewSchema(name, []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "sym", Type: model.TypeSymbol},
		{Name: "venue", Type: model.TypeSymbol}, {Name: "px", Type: model.TypeFloat64},
		{Name: "qty", Type: model.TypeInt32}, {Name: "note", Type: model.TypeString},
		{Name: "buy", Type: model.TypeBool},
	}, "ts", model.PartitionHour)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rvBatch makes n rows with new symbols appearing over time, out-of-order
// timestamps spanning several hours, and NULLs (also in the designated
// symbol column).
func rvBatch(rng *rand.Rand, n int) *column.Batch {
	b := &column.Batch{Vectors: []*column.Vector{
		{Type: model.TypeTimestamp}, {Type: model.TypeSymbol}, {Type: model.TypeSymbol},
		{Type: model.TypeFloat64}, {Type: model.TypeInt32}, {Type: model.TypeString}, {Type: model.TypeBool},
	}}
	base := int64(rng.Intn(5)) * int64(time.Hour)
	for i := 0; i < n; i++ {
		b.Vectors[0].Int64 = append(b.Vectors[0].Int64, base+int64(rng.Intn(int(2*time.Hour))))
		b.Vectors[1].String = append(b.Vectors[1].String, fmt.Sprintf("S%d", rng.Intn(40)))
		b.Vectors[2].String = append(b.Vectors[2].String, fmt.Sprintf("V%d", rng.Intn(6)))
		b.Vectors[3].Float64 = append(b.Vectors[3].Float64, rng.Float64())
		b.Vectors[4].Int32 = append(b.Vectors[4].Int32, int32(rng.Intn(1000)))
		b.Vectors[5].String = append(b.Vectors[5].String, fmt.Sprint(rng.Int63()))
		b.Vectors[6].Bool = append(b.Vectors[6].Bool, rng.Intn(2) == 0)
		if rng.Intn(20) == 0 {
			b.Vectors[1].SetNull(i)
		}
		if rng.Intn(7) == 0 {
			b.Vectors[3].SetNull(i)
		}
	}
	return b
}

// TestReviewReplayRebuildsIdenticalState (passing): concurrent inserts
// into several tables while another goroutine creates, fills and drops a
// table of a recurring name. After Close, and after a power loss, replay
// must rebuild exactly the live state: same catalog, same dictionary ids,
// same partitions, series, chunk boundaries, zone maps and values.
func TestReviewReplayRebuildsIdenticalState(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := testOptions(mem)
	opts.ChunkRows = 2048
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c"} {
		must(t, e.CreateTable(rvSchema(t, n), false))
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(w)))
			for i := 0; i < 40; i++ {
				table := []string{"a", "b", "c", "tmp"}[rng.Intn(4)]
				if _, err := e.Insert(table, rvBatch(rng, 1+rng.Intn(700))); err != nil && !errors.Is(err, ErrTableNotFound) {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 15; i++ {
			if err := e.CreateTable(rvSchema(t, "tmp"), true); err != nil {
				t.Error(err)
			}
			time.Sleep(200 * time.Microsecond)
			if err := e.DropTable("TMP", true); err != nil {
				t.Error(err)
			}
		}
		if err := e.CreateTable(rvSchema(t, "tmp"), true); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()
	live := rvState(t, e)
	must(t, e.Close())

	for _, fs := range map[string]vfs.FS{"reopen": mem, "power loss": mem.Crash(nil)} {
		e2, err := Open(Options{Dir: opts.Dir, FS: fs, Logger: opts.Logger, WALSegmentSize: opts.WALSegmentSize, ChunkRows: opts.ChunkRows})
		if err != nil {
			t.Fatal(err)
		}
		got := rvState(t, e2)
		e2.Close()
		if len(got) != len(live) {
			t.Fatalf("tables %d, live had %d", len(got), len(live))
		}
		for name, want := range live {
			if !reflect.DeepEqual(got[name], want) {
				g := got[name]
				t.Fatalf("table %s differs after replay: rows %d vs %d, dicts equal %v",
					name, g.Rows, want.Rows, reflect.DeepEqual(g.Dicts, want.Dicts))
			}
		}
	}
}

// TestReviewFsyncFailureUnderConcurrency (passing): an fsync failure in the
// middle of concurrent inserts and DDL. Every call returns (the ordered
// apply in commit must not wait for an LSN that failed), exactly the
// acknowledged rows are visible, and after a power loss and restart all
// of them are back.
func TestReviewFsyncFailureUnderConcurrency(t *testing.T) {
	mem := vfs.NewMemFS()
	var syncs atomic.Int64
	fs := &vfs.Faulty{FS: mem, Hook: func(op vfs.Op, path string) error {
		if op == vfs.OpSync && syncs.Add(1) == 40 {
			return syscall.EIO
		}
		return nil
	}}
	e, err := Open(testOptions(fs))
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	var mu sync.Mutex
	var acked []int
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				first := (w*1000 + i) * 10
				if _, err := e.Insert("trades", tradeBatch(first, 10)); err == nil {
					mu.Lock()
					acked = append(acked, first)
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			e.CreateTable(tradesSchema(t, fmt.Sprintf("ddl%d", i)), false)
			e.DropTable(fmt.Sprintf("ddl%d", i-1), true)
		}
	}()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("writers blocked after an fsync failure")
	}
	if e.Err() == nil {
		t.Fatal("fsync failure not reported")
	}
	seen := volumes(t, e, "trades")
	if len(seen) != len(acked)*10 {
		t.Fatalf("%d rows visible, %d acknowledged", len(seen), len(acked)*10)
	}
	e.Close()
	e2, err := Open(testOptions(mem.Crash(nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	seen = volumes(t, e2, "trades")
	for _, first := range acked {
		for v := first; v < first+10; v++ {
			if seen[int64(v)] != 1 {
				t.Fatalf("acknowledged row %d: %d copies after restart", v, seen[int64(v)])
			}
		}
	}
}
