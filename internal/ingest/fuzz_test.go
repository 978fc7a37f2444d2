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
