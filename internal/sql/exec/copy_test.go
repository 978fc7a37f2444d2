package exec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopy: COPY TO writes a file COPY FROM reads back unchanged, in
// every text format; paths cannot leave copy_dir, files are not
// overwritten, and without copy_dir COPY is off.
func TestCopy(t *testing.T) {
	dir := t.TempDir()
	x, _, mustRun := testExecutor(t, 0, Options{CopyDir: dir})
	mustRun("CREATE TABLE src (ts TIMESTAMP, sym SYMBOL, px DOUBLE, note STRING)")
	mustRun(`INSERT INTO src VALUES (1, 'A', 1.5, 'x'), (2, 'B', -2.25, NULL), (3, 'C', 3, 'multi
line, "quoted"')`)
	want := strings.Join(renderRows(mustRun("SELECT * FROM src ORDER BY ts")), "; ")
	for i, file := range []string{"out.csv", "sub/../out.tsv", "out.jsonl"} {
		res := mustRun("COPY src TO '" + file + "'")
		if res.Written != 3 {
			t.Fatalf("COPY TO %s wrote %d rows", file, res.Written)
		}
		dst := []string{"d0", "d1", "d2"}[i]
		mustRun("CREATE TABLE " + dst + " (ts TIMESTAMP, sym SYMBOL, px DOUBLE, note STRING)")
		if res := mustRun("COPY " + dst + " FROM '" + file + "'"); res.Written != 3 {
			t.Fatalf("COPY FROM %s loaded %d rows", file, res.Written)
		}
		if got := strings.Join(renderRows(mustRun("SELECT * FROM "+dst+" ORDER BY ts")), "; "); got != want {
			t.Errorf("%s round trip:\n got %s\nwant %s", file, got, want)
		}
	}
	outside := filepath.Join(filepath.Dir(dir), "outside.csv")
	os.WriteFile(outside, []byte("ts,sym,px,note\n9,Z,9,z\n"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "link.csv"))
	for _, sql := range []string{
		"COPY src TO '../escape.csv'",
		"COPY src TO '/etc/escape.csv'",
		"COPY d0 FROM '../outside.csv'",
		"COPY d0 FROM 'link.csv'", // a symbolic link out of copy_dir
		"COPY src TO 'out.csv'",   // exists
		"COPY src TO 'out.xlsx'",  // no format
	} {
		if _, err := x.ExecuteText(context.Background(), sql, false); err == nil {
			t.Errorf("%s: accepted", sql)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.csv")); !os.IsNotExist(err) {
		t.Fatal("a file was written outside copy_dir")
	}
	off, _, _ := testExecutor(t, 0, Options{})
	var e *Error
	if _, err := off.ExecuteText(context.Background(), "COPY t TO 'x.csv'", false); !errors.As(err, &e) || e.Code != CodeNotSupported {
		t.Fatalf("without copy_dir: %v", err)
	}
}
