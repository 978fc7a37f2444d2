package exec

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// The script files in testdata hold SQL semantics tests:
//
//	exec                     run a statement; it must succeed
//	exec N                   ... and report N rows written (INSERT,
//	                         UPDATE, DELETE)
//	restart                  close the engine and recover it from its
//	                         log (no statement follows)
//	error CODE               run a statement; it must fail with CODE
//	query                    run a query; rows follow "----", one per
//	                         line, values tab-separated, NULL as NULL
//
// Each block is the directive line, the statement (one or more lines),
// and for queries the expected rows, ending at a blank line. Every file
// runs on a fresh engine, once with one worker and once with parallel
// scans forced on and the result cache enabled, so both paths give the
// same answers and no cached result outlives a write.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.test")
	if err != nil || len(files) == 0 {
		t.Fatalf("no script files: %v", err)
	}
	for _, f := range files {
		for _, opts := range []Options{{Workers: 1}, {Workers: 3, ParallelThreshold: 1, CacheSize: 64}} {
			name := filepath.Base(f) + "/workers=" + strconv.Itoa(opts.Workers)
			t.Run(name, func(t *testing.T) { runScript(t, f, opts) })
		}
	}
}

type scriptBlock struct {
	line      int
	directive string
	sql       string
	want      []string
}

func readScript(t *testing.T, path string) []scriptBlock {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []scriptBlock
	var cur *scriptBlock
	inRows := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			cur, inRows = nil, false
		case cur == nil && strings.HasPrefix(line, "#"):
		case cur == nil:
			blocks = append(blocks, scriptBlock{line: n, directive: line})
			cur = &blocks[len(blocks)-1]
		case line == "----":
			inRows = true
		case inRows:
			cur.want = append(cur.want, line)
		default:
			cur.sql += line + "\n"
		}
	}
	return blocks
}

func runScript(t *testing.T, path string, opts Options) {
	engOpts := engine.Options{Dir: t.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler), ChunkRows: 4096}
	eng, err := engine.Open(engOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { eng.Close() }()
	x := New(eng, opts)
	for _, b := range readScript(t, path) {
		where := path + ":" + strconv.Itoa(b.line)
		if b.directive == "restart" {
			if err := eng.Close(); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if eng, err = engine.Open(engOpts); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			x = New(eng, opts)
			continue
		}
		res, err := run(x, b.sql)
		switch {
		case strings.HasPrefix(b.directive, "exec"):
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if want := strings.TrimSpace(strings.TrimPrefix(b.directive, "exec")); want != "" && strconv.FormatInt(res.Written, 10) != want {
				t.Fatalf("%s: wrote %d rows, want %s", where, res.Written, want)
			}
		case strings.HasPrefix(b.directive, "error"):
			code := strings.TrimSpace(strings.TrimPrefix(b.directive, "error"))
			var e *Error
			var se *parser.SyntaxError
			switch {
			case err == nil:
				t.Fatalf("%s: succeeded, want error %s", where, code)
			case code == "SYNTAX" && errors.As(err, &se):
			case errors.As(err, &e) && string(e.Code) == code:
			default:
				t.Fatalf("%s: error %v, want %s", where, err, code)
			}
		case b.directive == "query":
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			got := renderRows(res)
			if strings.Join(got, "\n") != strings.Join(b.want, "\n") {
				t.Fatalf("%s: %s\ngot:\n%s\nwant:\n%s", where, b.sql, strings.Join(got, "\n"), strings.Join(b.want, "\n"))
			}
		default:
			t.Fatalf("%s: unknown directive %q", where, b.directive)
		}
	}
}

// run executes a statement as the server does, so INSERTs take the fast
// VALUES path and fall back to the parser for anything it refuses.
func run(x *Executor, sql string) (*Result, error) {
	return x.ExecuteText(context.Background(), sql, false)
}

func renderRows(r *Result) []string {
	rows := make([]string, r.Rows)
	for i := range rows {
		vals := make([]string, len(r.Columns))
		for j, c := range r.Columns {
			vals[j] = renderValue(c.Data, i)
		}
		rows[i] = strings.Join(vals, "\t")
	}
	return rows
}

func renderValue(v interface {
	IsNull(int) bool
}, i int) string {
	c := v.(*columnVector)
	if c.IsNull(i) {
		return "NULL"
	}
	switch c.Type {
	case model.TypeInt64, model.TypeTimestamp:
		return strconv.FormatInt(c.Int64[i], 10)
	case model.TypeFloat64:
		return strconv.FormatFloat(c.Float64[i], 'g', -1, 64)
	case model.TypeBool:
		return strconv.FormatBool(c.Bool[i])
	}
	return c.String[i]
}
