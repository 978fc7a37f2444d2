package engine

import (
	"reflect"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// dailyBatch holds one row per day d of 0..days-1 (volume = d), at noon.
func dailyBatch(days int) *column.Batch {
	b := tradeBatch(0, days)
	for d := range days {
		b.Vectors[0].Int64[d] = int64(d)*int64(24*time.Hour) + int64(12*time.Hour)
	}
	return b
}

func TestTTLDropsExpiredPartitionsDurably(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := testOptions(mem)
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", dailyBatch(10)); err != nil {
		t.Fatal(err)
	}
	now := time.Unix(0, 0).UTC().AddDate(0, 0, 10) // day 10, 00:00
	// Days 0..6 end at or before day 7 = now - 3 days: seven partitions go.
	r, err := e.SetTTL("trades", TTL{N: 3, Unit: "DAY"}, now)
	if err != nil || r.Partitions != 7 || r.Rows != 7 || r.Bytes <= 0 {
		t.Fatalf("reclaimed %+v, %v", r, err)
	}
	if got := volumes(t, e, "trades"); !reflect.DeepEqual(got, map[int64]int{7: 1, 8: 1, 9: 1}) {
		t.Fatalf("left %v", got)
	}
	// Nothing more expires until time moves on; then the maintenance call drops day 7.
	if out, err := e.ExpireTTL(now); err != nil || len(out) != 0 {
		t.Fatalf("second run %v %v", out, err)
	}
	if out, err := e.ExpireTTL(now.Add(24 * time.Hour)); err != nil || out["trades"].Rows != 1 {
		t.Fatalf("a day later %v %v", out, err)
	}
	if s := e.Stats().TTLReclaimed; s.Rows != 8 || s.Partitions != 8 {
		t.Fatalf("stats %+v", s)
	}
	live := rvState(t, e)
	must(t, e.Close())

	for name, fs := range map[string]vfs.FS{"reopen": mem, "power loss": mem.Crash(nil)} {
		opts.FS = fs
		e2, err := Open(opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := rvState(t, e2); !reflect.DeepEqual(got, live) {
			t.Fatalf("%s: state differs after replay", name)
		}
		if ttl := e2.TTLs()["trades"]; ttl != (TTL{N: 3, Unit: "DAY"}) {
			t.Fatalf("%s: TTL %+v after restart", name, ttl)
		}
		e2.Close()
	}
}

func TestTTLRemoveAndDrop(t *testing.T) {
	e, err := Open(testOptions(vfs.NewMemFS()))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	if _, err := e.SetTTL("trades", TTL{N: 1, Unit: "MONTH"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := e.SetTTL("trades", TTL{}, now); err != nil || len(e.TTLs()) != 0 {
		t.Fatalf("remove: %v %v", e.TTLs(), err)
	}
	if _, err := e.SetTTL("trades", TTL{N: 2, Unit: "WEEK"}, now); err != nil {
		t.Fatal(err)
	}
	must(t, e.DropTable("trades", false))
	if len(e.TTLs()) != 0 {
		t.Fatalf("TTL outlived its table: %v", e.TTLs())
	}
	if _, err := e.SetTTL("nope", TTL{N: 1, Unit: "DAY"}, now); err == nil {
		t.Fatal("TTL on an unknown table accepted")
	}
	// A table without time partitions keeps its rows whatever the TTL.
	s, _ := model.NewSchema("flat", []model.Column{{Name: "ts", Type: model.TypeTimestamp}, {Name: "v", Type: model.TypeInt64}}, "", model.PartitionNone)
	must(t, e.CreateTable(s, false))
	if r, err := e.SetTTL("flat", TTL{N: 1, Unit: "HOUR"}, now); err != nil || r.Partitions != 0 {
		t.Fatalf("%+v %v", r, err)
	}
}

func TestTTLMonthsAreCalendarMonths(t *testing.T) {
	now := time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC)
	c, err := TTL{N: 1, Unit: "MONTH"}.cutoff(now)
	if err != nil || time.Unix(0, c).UTC() != time.Date(2026, 2, 28, 10, 0, 0, 0, time.UTC) { // not Feb 31 = Mar 3
		t.Fatalf("cutoff %v %v", time.Unix(0, c).UTC(), err)
	}
}
