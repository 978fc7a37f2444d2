package clients

import (
	"context"
	"strings"
	"testing"
	"time"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"
	"github.com/influxdata/influxdb-client-go/v2/api/write"
)

// TestInfluxClientWrites: InfluxDB's own Go client writes points and raw
// lines through /api/v2/write, blocking and batched, and sees a refused
// line as an error.
func TestInfluxClientWrites(t *testing.T) {
	client := influxdb2.NewClientWithOptions(serverURL, "no-token-needed-on-loopback",
		influxdb2.DefaultOptions().SetPrecision(time.Nanosecond).SetUseGZip(true))
	defer client.Close()
	w := client.WriteAPIBlocking("zepto", "default")
	ctx := context.Background()
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.UTC)
	points := []*write.Point{
		influxdb2.NewPoint("ticks", map[string]string{"sym": "AAPL", "venue": "XNAS"},
			map[string]any{"px": 227.5, "qty": int64(100), "odd": false, "note": `quote "x", y=z`, "seq": uint64(7)}, t0),
		influxdb2.NewPoint("ticks", map[string]string{"sym": "MS FT"}, map[string]any{"px": 411.25, "qty": int64(-3)}, t0.Add(time.Millisecond)),
	}
	if err := w.WritePoint(ctx, points...); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRecord(ctx, "ticks,sym=AAPL px=228,qty=1i 1704164646000000000"); err != nil {
		t.Fatal(err)
	}
	if got := query(t, "SELECT timestamp, sym, venue, px, qty, odd, note, seq FROM ticks ORDER BY timestamp"); got !=
		"2024-01-02 03:04:05.123456789\tAAPL\tXNAS\t227.5\t100\tfalse\tquote \"x\", y=z\t7\n"+
			"2024-01-02 03:04:05.124456789\tMS FT\t\\N\t411.25\t-3\t\\N\t\\N\t\\N\n"+
			"2024-01-02 03:04:06.000000000\tAAPL\t\\N\t228\t1\t\\N\t\\N\t\\N\n" {
		t.Fatalf("rows:\n%s", got)
	}

	// A value that does not fit its column: the client reports the error.
	err := w.WriteRecord(ctx, "ticks,sym=AAPL px=\"not a price\" 1704164647000000000")
	if err == nil || !strings.Contains(err.Error(), "partial write") {
		t.Fatalf("refused line: %v", err)
	}

	// The batching (non-blocking) API flushes on Flush.
	async := client.WriteAPI("zepto", "default")
	errs := async.Errors()
	for i := range 1000 {
		async.WritePoint(influxdb2.NewPoint("bulk", map[string]string{"s": "A"}, map[string]any{"v": int64(i)}, t0.Add(time.Duration(i))))
	}
	async.Flush()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	if got := query(t, "SELECT count(*), sum(v) FROM bulk"); got != "1000\t499500\n" {
		t.Fatalf("bulk: %q", got)
	}
}
