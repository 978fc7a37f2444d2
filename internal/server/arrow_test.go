package server

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestArrowFormats: SELECT ... FORMAT ArrowStream / Arrow is Arrow IPC
// that arrow-go reads with the right types and values; INSERT ... FORMAT
// input is refused until arrow-go's reader can be given untrusted data.
func TestArrowFormats(t *testing.T) {
	ts := newLineServer(t, false)
	post := func(path, body string) (int, []byte) {
		t.Helper()
		resp, err := http.Post(ts.URL+path, "application/octet-stream", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	post("/", "CREATE TABLE src (ts TIMESTAMP, sym SYMBOL, px DOUBLE, qty BIGINT, ok BOOL, note STRING)")
	post("/", "INSERT INTO src VALUES ('2024-01-02 03:04:05.123456789', 'AAPL', 1.5, 10, true, NULL), ('2024-01-02 03:04:06', 'MSFT', -2.5, -3, false, 'x')")
	_, want := post("/", "SELECT * FROM src ORDER BY ts FORMAT TSV")

	code, data := post("/", "SELECT * FROM src ORDER BY ts FORMAT ArrowStream")
	if code != 200 {
		t.Fatalf("ArrowStream: %d %s", code, data)
	}
	rd, err := ipc.NewReader(bytes.NewReader(data), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		t.Fatal(err)
	}
	if !rd.Next() {
		t.Fatalf("no record batch: %v", rd.Err())
	}
	rec := rd.RecordBatch()
	if rec.NumRows() != 2 || rec.Schema().Field(0).Type.(*arrow.TimestampType).Unit != arrow.Nanosecond ||
		rec.Column(0).(*array.Timestamp).Value(0) != 1704164645123456789 || rec.Column(1).(*array.String).Value(1) != "MSFT" ||
		rec.Column(3).(*array.Int64).Value(1) != -3 || !rec.Column(5).IsNull(0) {
		t.Fatalf("record: %v", rec)
	}
	rd.Release()

	// Input is refused for now, clearly (see ingest.DecodeFormat).
	if code, body := post("/?query="+url.QueryEscape("INSERT INTO src FORMAT ArrowStream"), string(data)); code != 404 || !bytes.Contains(body, []byte("output format only")) {
		t.Fatalf("INSERT FORMAT ArrowStream: %d %s", code, body)
	}
	_, file := post("/", "SELECT * FROM src ORDER BY ts FORMAT Arrow")
	fr, err := ipc.NewFileReader(bytes.NewReader(file))
	if err != nil || fr.NumRecords() != 1 {
		t.Fatalf("Arrow file: %v", err)
	}
	fr.Close()
	_ = want
}
