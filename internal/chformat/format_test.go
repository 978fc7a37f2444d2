package chformat

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// ticks is the reference table of the compatibility notes: two rows of
// ts, sym, px, qty, note (one note NULL).
func ticks() []Column {
	ts := func(s string) int64 {
		t, err := time.Parse("2006-01-02 15:04:05.999999999", s)
		if err != nil {
			panic(err)
		}
		return t.UnixNano()
	}
	note := &column.Vector{Type: model.TypeString, String: []string{"", "tab\there"}}
	note.SetNull(0)
	return []Column{
		{"ts", model.TypeTimestamp, &column.Vector{Type: model.TypeTimestamp, Int64: []int64{ts("2024-01-02 03:04:05"), ts("2024-01-02 03:04:06.123456789")}}},
		{"sym", model.TypeSymbol, &column.Vector{Type: model.TypeString, String: []string{"AAPL", "MSFT"}}},
		{"px", model.TypeFloat64, &column.Vector{Type: model.TypeFloat64, Float64: []float64{1.5, 2.5}}},
		{"qty", model.TypeInt64, &column.Vector{Type: model.TypeInt64, Int64: []int64{10, -3}}},
		{"note", model.TypeString, note},
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		f    Format
		want string
	}{
		{TabSeparated, "2024-01-02 03:04:05.000000000\tAAPL\t1.5\t10\t\\N\n2024-01-02 03:04:06.123456789\tMSFT\t2.5\t-3\ttab\\there\n"},
		{TabSeparatedRaw, "2024-01-02 03:04:05.000000000\tAAPL\t1.5\t10\t\\N\n2024-01-02 03:04:06.123456789\tMSFT\t2.5\t-3\ttab\there\n"},
		{TabSeparatedWithNames, "ts\tsym\tpx\tqty\tnote\n2024-01-02 03:04:05.000000000\tAAPL\t1.5\t10\t\\N\n2024-01-02 03:04:06.123456789\tMSFT\t2.5\t-3\ttab\\there\n"},
		{TabSeparatedWithNamesAndTypes, "ts\tsym\tpx\tqty\tnote\nDateTime64(9, \\'UTC\\')\tLowCardinality(String)\tFloat64\tInt64\tString\n" +
			"2024-01-02 03:04:05.000000000\tAAPL\t1.5\t10\t\\N\n2024-01-02 03:04:06.123456789\tMSFT\t2.5\t-3\ttab\\there\n"},
		{CSV, "\"2024-01-02 03:04:05.000000000\",\"AAPL\",1.5,10,\\N\n\"2024-01-02 03:04:06.123456789\",\"MSFT\",2.5,-3,\"tab\there\"\n"},
		{CSVWithNames, "\"ts\",\"sym\",\"px\",\"qty\",\"note\"\n\"2024-01-02 03:04:05.000000000\",\"AAPL\",1.5,10,\\N\n\"2024-01-02 03:04:06.123456789\",\"MSFT\",2.5,-3,\"tab\there\"\n"},
		{JSONEachRow, `{"ts":"2024-01-02 03:04:05.000000000","sym":"AAPL","px":1.5,"qty":"10","note":null}` + "\n" +
			`{"ts":"2024-01-02 03:04:06.123456789","sym":"MSFT","px":2.5,"qty":"-3","note":"tab\there"}` + "\n"},
		{JSONCompactEachRow, `["2024-01-02 03:04:05.000000000", "AAPL", 1.5, "10", null]` + "\n" + `["2024-01-02 03:04:06.123456789", "MSFT", 2.5, "-3", "tab\there"]` + "\n"},
		{JSONCompactEachRowWithNamesTypes, `["ts", "sym", "px", "qty", "note"]` + "\n" + `["DateTime64(9, 'UTC')", "LowCardinality(String)", "Float64", "Int64", "String"]` + "\n" +
			`["2024-01-02 03:04:05.000000000", "AAPL", 1.5, "10", null]` + "\n" + `["2024-01-02 03:04:06.123456789", "MSFT", 2.5, "-3", "tab\there"]` + "\n"},
	}
	for _, tt := range tests {
		got := string(Append(nil, tt.f, ticks(), 2, Options{QuoteInt64: true}))
		if got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.f, got, tt.want)
		}
	}
}

// TestJSONDocument: JSON and JSONCompact parse, keys in ClickHouse's
// order, 64-bit integers quoted unless told otherwise.
func TestJSONDocument(t *testing.T) {
	for _, compact := range []bool{false, true} {
		f := JSON
		if compact {
			f = JSONCompact
		}
		for _, quote := range []bool{true, false} {
			out := Append(nil, f, ticks(), 2, Options{QuoteInt64: quote, ElapsedSeconds: 0.0015, RowsRead: 2, BytesRead: 66})
			var doc struct {
				Meta       []struct{ Name, Type string }
				Data       []json.RawMessage
				Rows       int
				Statistics struct {
					Elapsed  float64 `json:"elapsed"`
					RowsRead int     `json:"rows_read"`
				}
			}
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("%s: %v\n%s", f, err, out)
			}
			if len(doc.Meta) != 5 || doc.Meta[0].Type != "DateTime64(9, 'UTC')" || doc.Rows != 2 || doc.Statistics.RowsRead != 2 || doc.Statistics.Elapsed != 0.0015 {
				t.Fatalf("%s: %+v", f, doc)
			}
			want := `{"ts": "2024-01-02 03:04:05.000000000", "sym": "AAPL", "px": 1.5, "qty": "10", "note": null}`
			if compact {
				want = `["2024-01-02 03:04:05.000000000", "AAPL", 1.5, "10", null]`
			}
			if !quote {
				want = strings.Replace(want, `"10"`, `10`, 1)
			}
			if string(doc.Data[0]) != want {
				t.Errorf("%s quote=%v: first row %s, want %s", f, quote, doc.Data[0], want)
			}
			if i := strings.Index(string(out), `"meta"`); i < 0 || i > strings.Index(string(out), `"data"`) || strings.Index(string(out), `"rows"`) > strings.Index(string(out), `"statistics"`) {
				t.Errorf("%s: keys out of order:\n%s", f, out)
			}
		}
	}
}

func TestFloatsAndEmpty(t *testing.T) {
	v := &column.Vector{Type: model.TypeFloat64, Float64: []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e21, 1e-7, 0.1, 100}}
	cols := []Column{{"f", model.TypeFloat64, v}}
	if got := string(Append(nil, TabSeparated, cols, 7, Options{})); got != "nan\ninf\n-inf\n1e21\n1e-7\n0.1\n100\n" {
		t.Errorf("TSV floats: %q", got)
	}
	if got := string(Append(nil, JSONEachRow, cols, 3, Options{})); got != "{\"f\":null}\n{\"f\":null}\n{\"f\":null}\n" {
		t.Errorf("JSON non-finite floats: %q", got)
	}
	for _, f := range []Format{TabSeparated, CSV, JSONEachRow, JSONCompactEachRow} {
		if got := Append(nil, f, cols, 0, Options{}); len(got) != 0 {
			t.Errorf("%s of no rows: %q", f, got)
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(Append(nil, JSON, nil, 0, Options{}), &doc); err != nil || doc["rows"] != 0.0 {
		t.Errorf("JSON without columns: %v %v", doc, err)
	}
}

func TestLookup(t *testing.T) {
	for name, want := range map[string]Format{"TSV": TabSeparated, "tabseparated": TabSeparated, "JSONEachRow": JSONEachRow, "jsoneachrow": JSONEachRow,
		"CSVWithNames": CSVWithNames, "JSONCompactEachRowWithNamesAndTypes": JSONCompactEachRowWithNamesTypes, "NDJSON": JSONEachRow} {
		if got, ok := Lookup(name); !ok || got != want {
			t.Errorf("Lookup(%q) = %q, %v", name, got, ok)
		}
	}
	if _, ok := Lookup("Nope"); ok {
		t.Error("Lookup(Nope) found something")
	}
}

func TestAppendJSONString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          `"plain"`,
		"q\"b\\":         `"q\"b\\"`,
		"line\nbreak\t":  `"line\nbreak\t"`,
		"\x01":           `"\u0001"`,
		"héllo €":        `"héllo €"`,
		"bad\xffutf8":    `"bad\ufffdutf8"`,
		"":               `""`,
		"</script>&amp;": `"</script>&amp;"`,
	} {
		got := string(AppendJSONString(nil, in))
		if got != want {
			t.Errorf("AppendJSONString(%q) = %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%s is not valid JSON: %v", got, err)
		}
	}
}
