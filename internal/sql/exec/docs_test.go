package exec

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// docsPath is the SQL reference whose function examples are tested.
const docsPath = "../../../docs/sql.md"

// docExample is one row of a function-reference table: a statement and
// the result the documentation promises for it.
type docExample struct {
	line int
	sql  string
	want string // rows joined by "; ", columns by ", "; or "error CODE"
}

// TestDocsFunctionReference runs the "Function reference" section of
// docs/sql.md: its first sql block creates the example tables, then every
// table row's example must give exactly the documented result. Results
// are rendered as the script tests render them, with a row's values
// joined by ", " and rows by "; " (see the comment at the top of the
// section). Like the script tests it runs once with one worker and once
// with parallel scans and the result cache.
func TestDocsFunctionReference(t *testing.T) {
	setup, examples := readFunctionReference(t, docsPath)
	if len(setup) == 0 || len(examples) < 100 {
		t.Fatalf("%s: found %d setup statements and %d examples; has the section moved?", docsPath, len(setup), len(examples))
	}
	for _, opts := range []Options{{Workers: 1}, {Workers: 3, ParallelThreshold: 1, CacheSize: 64}} {
		t.Run("workers="+strconv.Itoa(opts.Workers), func(t *testing.T) {
			x, _, mustRun := testExecutor(t, 4096, opts)
			for _, s := range setup {
				mustRun(s)
			}
			for _, ex := range examples {
				if got := runDocExample(x, ex.sql); got != ex.want {
					t.Errorf("%s:%d: %s\n got: %s\nwant: %s", docsPath, ex.line, ex.sql, got, ex.want)
				}
			}
		})
	}
}

// runDocExample runs one example and renders its result or error code.
func runDocExample(x *Executor, sql string) string {
	res, err := run(x, sql)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return "error " + string(e.Code)
		}
		return "error " + err.Error()
	}
	rows := renderRows(res)
	for i, r := range rows {
		vals := strings.Split(r, "\t")
		for _, v := range vals {
			if strings.Contains(v, ", ") || strings.Contains(v, "; ") {
				return "ambiguous value " + strconv.Quote(v) + ": choose another example"
			}
		}
		rows[i] = strings.Join(vals, ", ")
	}
	return strings.Join(rows, "; ")
}

// readFunctionReference returns the setup statements and the examples of
// the "## Function reference" section.
func readFunctionReference(t *testing.T, path string) (setup []string, examples []docExample) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	const before, inside, done = 0, 1, 2 // where the setup block is
	in, block := false, before
	var stmt strings.Builder
	for i, line := range lines {
		n := i + 1
		switch {
		case line == "## Function reference":
			in = true
			continue
		case !in:
			continue
		case strings.HasPrefix(line, "## "):
			return setup, examples
		case line == "```sql" && block == before:
			block = inside
			continue
		case line == "```" && block == inside:
			block = done
			continue
		case block == inside:
			stmt.WriteString(line + "\n")
			if strings.HasSuffix(strings.TrimSpace(line), ";") {
				setup = append(setup, strings.TrimSuffix(strings.TrimSpace(stmt.String()), ";"))
				stmt.Reset()
			}
			continue
		}
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := tableCells(line)
		if len(cells) != 4 {
			t.Fatalf("%s:%d: a function-reference row needs 4 cells, has %d", path, n, len(cells))
		}
		sql, okSQL := codeSpan(cells[2])
		want, okWant := codeSpan(cells[3])
		switch {
		case okSQL && okWant:
			examples = append(examples, docExample{line: n, sql: sql, want: want})
		case strings.Trim(cells[2], "- :") == "" || !strings.Contains(cells[2]+cells[3], "`"):
			// the separator or the header row
		default:
			t.Fatalf("%s:%d: the example and result cells must each be one `code span`", path, n)
		}
	}
	t.Fatalf("%s: no \"## Function reference\" section ending at a \"## \" heading", path)
	return nil, nil
}

// tableCells splits a markdown table row at the pipes that are not
// escaped, and unescapes \| in the cells.
func tableCells(line string) []string {
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	cells = append(cells, strings.TrimSpace(cur.String()))
	return cells[1 : len(cells)-1] // outside the leading and trailing pipe
}

// codeSpan returns the text of a cell that is exactly one `code span`.
func codeSpan(cell string) (string, bool) {
	if len(cell) < 2 || cell[0] != '`' || cell[len(cell)-1] != '`' || strings.Count(cell, "`") != 2 {
		return "", false
	}
	return cell[1 : len(cell)-1], true
}
