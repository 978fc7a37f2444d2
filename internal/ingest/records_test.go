package ingest

import (
	"strings"
	"testing"
)

func TestRecordsEnd(t *testing.T) {
	tests := []struct {
		format, buf string
		max         int
		atEOF       bool
		end, n      int
	}{
		{"CSV", "a,b\n1,2\n3,4\n", 10, false, 12, 3},
		{"CSV", "a,b\n1,2\n3,4\n", 2, false, 8, 2},
		{"CSV", "a,\"x\ny\"\n1,2\n", 10, false, 12, 2}, // a quoted newline is inside the record
		{"CSV", "a,\"x\n", 10, false, 0, 0},            // the quote is still open
		{"CSV", "a,\"q\"\"\"\n1", 10, false, 8, 1},     // doubled quotes
		{"CSV", "1,2\n3,4", 10, true, 7, 2},            // a last record without newline
		{"CSV", "1,2\n3,4", 10, false, 4, 1},
		{"TabSeparated", "a\t\"b\n1\t2\n", 10, false, 9, 2}, // quotes mean nothing in TSV
		{"JSONEachRow", "{\"a\":1}\n{\"a\":2}\n\n", 10, true, 17, 3},
	}
	for _, tt := range tests {
		end, n := RecordsEnd([]byte(tt.buf), tt.format, tt.max, tt.atEOF)
		if end != tt.end || n != tt.n {
			t.Errorf("%s %q max %d eof %v: %d, %d; want %d, %d", tt.format, tt.buf, tt.max, tt.atEOF, end, n, tt.end, tt.n)
		}
	}
}

func TestInferColumns(t *testing.T) {
	tests := []struct {
		format, sample, want string
	}{
		{"CSVWithNames", "ts,sym,px,qty,ok,note\n2024-01-02 03:04:05,AAPL,1.5,10,true,\n2024-01-02T03:04:06Z,MSFT,2,-3,false,x\n",
			"ts DateTime64(9, 'UTC'), sym String, px Float64, qty Int64, ok Bool, note String"},
		{"TSVWithNames", "a\tb\n1\tx\n2.5\t\\N\n", "a Float64, b String"},
		{"JSONEachRow", `{"ts":"2024-01-02 03:04:05","q":1,"p":1.5,"s":"AAPL","z":null}` + "\n" + `{"q":2,"n":"10","b":true}` + "\n",
			"ts DateTime64(9, 'UTC'), q Int64, p Float64, s String, z String, n String, b Bool"},
	}
	for _, tt := range tests {
		names, types, err := InferColumns(tt.format, []byte(tt.sample))
		if err != nil {
			t.Fatalf("%s: %v", tt.format, err)
		}
		var got []string
		for i := range names {
			got = append(got, names[i]+" "+types[i])
		}
		if g := strings.Join(got, ", "); g != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.format, g, tt.want)
		}
	}
}
