package ingest

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// fuzzSeeds are VALUES lists of every shape. They are added with f.Add and
// also stored in testdata/fuzz/FuzzDecodeValues/seed-*; after editing this
// list, rewrite those files with
//
//	go test ./internal/ingest -run TestFuzzCorpus -args -update-corpus
var fuzzSeeds = []string{
	"(1762075800000000000, 'S042', 100.25, 300), (1762075800000000001, 'S043', 99.5, 1)",
	"(1)",
	"('a', 1.5), (NULL, -2)",
	"(true, 0, 1, FALSE), (null, NULL, Null, nULL)",
	"('2024-01-02 09:30:00', 'x', 1e9, -9223372036854775808)",
	"(-1.5e3, .5, 1., +7, - 3, 007, 1.5E-3, 1e-400)",
	`('it''s', 'a\'b', 'c\\d', '\n\t\0\q', '''', 'héllo')`,
	"(1 /* c */, -- line\n 2)\r\n, (3,4) ;",
	"(1, 'x'),\n(2, 'y'),\n(3, 'z');  -- end",
	"(9223372036854775808)",
	"(1e400)",
	"(12abc)",
	"(1, 'unterminated",
	"(1 2)",
	"(1) (2)",
	"(1),",
	"()",
	"(1); (2)",
	"(1+2, now(), abc)",
	"(-, -'a', - -1)",
	"(2147483648, 'yesterday', 2)",
	"('a\xffb')",
	"(1) /* open",
	"",
}

// fuzzTargets are the column lists each input is decoded with.
var fuzzTargets = []string{"vol", "note, price", "ts, sym, ok", "n32, f32, note, vol"}

// FuzzDecodeValues checks that DecodeValues never panics, that a batch has
// every vector as long as the row count, that errors are positioned
// *ValuesErrors, and, against the SQL parser, that what the parser rejects
// is rejected no later than the parser stops, and that what is decoded is
// what the parser's literals say.
func FuzzDecodeValues(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	s := allTypes(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, cols := range fuzzTargets {
			names := strings.Split(cols, ", ")
			targets := targetsOf(t, s, names...)
			b, err := DecodeValues(s, targets, text)
			var ve *ValuesError
			if err != nil {
				if b != nil {
					t.Fatalf("DecodeValues(%q) returned a batch and %v", text, err)
				}
				if !errors.As(err, &ve) || ve.Line < 1 || ve.Col < 1 {
					t.Fatalf("DecodeValues(%q): %v is not a positioned *ValuesError", text, err)
				}
			} else {
				checkBatch(t, s, targets, b)
			}
			stmt, perr := parser.Parse("INSERT INTO t (" + cols + ") VALUES\n" + text)
			if perr != nil {
				var se *parser.SyntaxError
				if errors.As(perr, &se) && (err == nil || ve.Column != "" || !notPast(ve, se)) {
					t.Fatalf("columns %s, text %q: parser says %v; DecodeValues says %v", cols, text, perr, err)
				}
				continue
			}
			if err != nil {
				continue // a value did not convert, or an expression was refused
			}
			ins, ok := stmt.(*parser.Insert)
			if !ok || len(ins.Rows) != b.Len() {
				t.Fatalf("columns %s, text %q: decoded %d rows, parser got %#v", cols, text, b.Len(), stmt)
			}
			for r, row := range ins.Rows {
				if len(row) != len(targets) {
					t.Fatalf("columns %s, text %q: row %d has %d values yet decoded", cols, text, r+1, len(row))
				}
				for k, e := range row {
					lit, ok := literalOf(e)
					if !ok || !matches(b.Vectors[targets[k]], r, lit) {
						t.Fatalf("columns %s, text %q: row %d column %s decoded %#v, parser has %s",
							cols, text, r+1, names[k], cell(b.Vectors[targets[k]], r), e)
					}
				}
			}
		}
	})
}

// notPast reports whether DecodeValues stopped no later than the parser.
// The places differ when the parser looks ahead and trips over a bad token
// beyond the first wrong one, or goes on reading an expression (a name,
// an operator) that DecodeValues refuses at its start.
func notPast(ve *ValuesError, se *parser.SyntaxError) bool {
	line := ve.Line + 1
	return line < se.Pos.Line || line == se.Pos.Line && ve.Col <= se.Pos.Col
}

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/fuzz/FuzzDecodeValues/seed-* from fuzzSeeds")

// TestFuzzCorpus keeps the checked-in seed corpus in step with fuzzSeeds,
// so `go test -fuzz` starts from the same inputs f.Add provides.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecodeValues")
	for i, s := range fuzzSeeds {
		path := filepath.Join(dir, fmt.Sprintf("seed-%02d", i+1))
		want := "go test fuzz v1\nstring(" + strconv.Quote(s) + ")\n"
		if *updateCorpus {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is missing or stale; run go test ./internal/ingest -run TestFuzzCorpus -args -update-corpus", path)
		}
	}
}

// FuzzDecodeFormat feeds every input format arbitrary data: no panic, an
// error is a *ValuesError (or an unknown format) and leaves no batch, and
// a batch is whole — every vector as long as the rows decoded.
func FuzzDecodeFormat(f *testing.F) {
	for _, seed := range []struct {
		format uint8
		data   string
	}{
		{0, `{"ts":"2024-01-02 03:04:05","sym":"A","px":1.5,"qty":"10","ok":true,"note":null}` + "\n"},
		{1, `["2024-01-02 03:04:05", "A", 1.5, 10, 1, 2.5, true, "x"]` + "\n"},
		{2, `["a"]` + "\n" + `["b"]` + "\n" + `[1, "A", 1.5, 10, 1, 2.5, false, null]`},
		{3, "\"2024-01-02 03:04:05\",A,1.5,10,1,2.5,true,\\N\n"},
		{4, "ts,sym\n1,\"A \"\"q\"\"\",1.5,10,1,2.5,0,x\n"},
		{5, "2024-01-02 03:04:05\tA\\tB\t1.5\t10\t1\t2.5\ttrue\t\\N\n"},
		{6, "names\nTypes\n1\tA\t1.5\t10\t1\t2.5\t1\tx\r\n"},
		{7, "(1, 'A', 1.5, 10, 1, 2.5, true, NULL)"},
	} {
		f.Add(seed.format, seed.data)
	}
	formats := []string{"JSONEachRow", "JSONCompactEachRow", "JSONCompactEachRowWithNames", "CSV", "CSVWithNames", "TabSeparated", "TSVWithNamesAndTypes", "Values"}
	s := allTypes(f)
	targets := make([]int, len(s.Columns))
	for i := range targets {
		targets[i] = i
	}
	f.Fuzz(func(t *testing.T, format uint8, data string) {
		name := formats[int(format)%len(formats)]
		b, err := DecodeFormat(name, s, targets, data)
		if err != nil {
			var ve *ValuesError
			if b != nil || !errors.As(err, &ve) {
				t.Fatalf("%s %q: %v (batch %v)", name, data, err, b != nil)
			}
			return
		}
		if b.Len() == 0 { // no rows is a valid body
			for i, v := range b.Vectors {
				if v == nil || v.Len() != 0 {
					t.Fatalf("%s %q: no rows, but column %d holds %v", name, data, i, v)
				}
			}
			return
		}
		checkBatch(t, s, targets, b)
	})
}
