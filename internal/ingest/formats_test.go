package ingest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// rowsOf renders a batch as one line per row, NULL for nulls.
func rowsOf(b *column.Batch) string {
	var out []string
	n := len(b.Vectors[0].Int64)
	for r := range n {
		var cells []string
		for _, v := range b.Vectors {
			if v.IsNull(r) {
				cells = append(cells, "NULL")
				continue
			}
			switch v.Type {
			case model.TypeTimestamp, model.TypeInt64:
				cells = append(cells, fmt.Sprint(v.Int64[r]))
			case model.TypeFloat64:
				cells = append(cells, fmt.Sprint(v.Float64[r]))
			default:
				cells = append(cells, v.String[r])
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return strings.Join(out, "\n")
}

func TestDecodeFormat(t *testing.T) {
	s := tradesSchema(t)
	all := []int{0, 1, 2, 3}
	const want = "1704164645000000000|AAPL|1.5|10\n1704164646123456789|MS\tFT|NULL|-3"
	tests := []struct {
		format, data string
		targets      []int
		want, err    string
	}{
		{"JSONEachRow", `{"ts":"2024-01-02 03:04:05","symbol":"AAPL","price":1.5,"volume":"10"}` + "\n" +
			`{"ts":"2024-01-02T03:04:06.123456789Z","symbol":"MS\tFT","price":null,"volume":-3}` + "\n", all, want, ""},
		{"JSONEachRow", `{"symbol":"AAPL","ts":"2024-01-02 03:04:05","volume":10,"price":1.5}` + "\r\n\n" +
			`{"ts":1704164646123456789,"symbol":"MS\tFT","volume":-3}`, all, want, ""}, // any key order, missing key, no final newline
		{"JSONCompactEachRow", `["2024-01-02 03:04:05", "AAPL", 1.5, "10"]` + "\n" + `["2024-01-02 03:04:06.123456789", "MS\tFT", null, -3]` + "\n", all, want, ""},
		{"JSONCompactEachRowWithNamesAndTypes", `["ts","symbol","price","volume"]` + "\n" + `["DateTime64(9)","String","Float64","Int64"]` + "\n" +
			`["2024-01-02 03:04:05", "AAPL", 1.5, "10"]` + "\n" + `["2024-01-02 03:04:06.123456789", "MS\tFT", null, -3]` + "\n", all, want, ""},
		{"CSV", "\"2024-01-02 03:04:05\",AAPL,1.5,10\n\"2024-01-02 03:04:06.123456789\",\"MS\tFT\",\\N,-3\n", all, want, ""},
		{"CSVWithNames", "ts,symbol,price,volume\n2024-01-02 03:04:05,AAPL,1.5,10\n2024-01-02 03:04:06.123456789,\"MS\tFT\",\\N,-3\n", all, want, ""},
		{"TabSeparated", "2024-01-02 03:04:05\tAAPL\t1.5\t10\n2024-01-02 03:04:06.123456789\tMS\\tFT\t\\N\t-3\n", all, want, ""},
		{"TSVWithNames", "ts\tsymbol\tprice\tvolume\n2024-01-02 03:04:05\tAAPL\t1.5\t10\n2024-01-02 03:04:06.123456789\tMS\\tFT\t\\N\t-3\n", all, want, ""},
		{"Values", "('2024-01-02 03:04:05', 'AAPL', 1.5, 10), ('2024-01-02 03:04:06.123456789', 'MS\\tFT', NULL, -3)", all, want, ""},
		{"JSONEachRow", `{"ts":"2024-01-02 03:04:05","symbol":"AAPL"}`, []int{0, 1}, "1704164645000000000|AAPL|NULL|NULL", ""},
		{"CSV", "2024-01-02 03:04:05,AAPL,1.5,ten\n", all, "", "row 1, column volume: cannot read \"ten\" as INT64"},
		{"CSV", "2024-01-02 03:04:05,AAPL,1.5\n", all, "", "row 1: 3 values, expected 4"},
		{"JSONEachRow", `{"ts":"2024-01-02 03:04:05","sym":"AAPL"}`, all, "", `no column "sym" in table trades`},
		{"JSONEachRow", `{"ts":"2024-01-02 03:04:05","price":1}`, []int{0, 1}, "", "column price is not in the INSERT's column list"},
		{"JSONEachRow", `{"ts":"2024-01-02 03:04:05"`, all, "", "not a JSON object"},
		{"JSONEachRow", `{"ts":"yesterday"}`, all, "", "cannot read \"yesterday\" as a timestamp"},
		{"JSONEachRow", `{"ts":1,"symbol":42}`, all, "", "a number (42) for a text column"},
		{"JSONCompactEachRow", `[1, "A", 1.5]`, all, "", "3 values, expected 4"},
		{"TabSeparated", "1\tA\t1.5\t9223372036854775808\n", all, "", "cannot read \"9223372036854775808\" as INT64"},
	}
	for _, tt := range tests {
		b, err := DecodeFormat(tt.format, s, tt.targets, tt.data)
		if tt.err != "" {
			var ve *ValuesError
			if err == nil || !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s %q: got %v, want an error containing %q", tt.format, tt.data, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.format, err)
			continue
		}
		if got := rowsOf(b); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.format, got, tt.want)
		}
	}
	if _, err := DecodeFormat("Parquet2", s, all, ""); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown format: %v", err)
	}
	if b, err := DecodeFormat("JSONEachRow", s, all, "\n\n"); err != nil || len(b.Vectors[0].Int64) != 0 {
		t.Errorf("no rows: %v", err)
	}
}
