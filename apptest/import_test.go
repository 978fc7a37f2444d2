package apptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImport: zeptodb import loads a CSV file in batches, creating the
// table from its header; a refused batch stops it with the state saved,
// and --resume after fixing the file loads the rest without duplicates.
func TestImport(t *testing.T) {
	s := start(t, filepath.Join(t.TempDir(), "data"))
	port := strings.TrimPrefix(s.url, "http://127.0.0.1:")
	dir := t.TempDir()
	file := filepath.Join(dir, "trades.csv")
	var b strings.Builder
	b.WriteString("ts,sym,px,qty,note\n")
	for i := range 5000 {
		note := ""
		if i%10 == 0 {
			note = "\"multi\nline, \"\"quoted\"\"\""
		}
		qty := fmt.Sprint(i)
		if i == 3500 {
			qty = "BAD!" // the row that stops the first run
		}
		fmt.Fprintf(&b, "2024-01-02 03:%02d:%02d.%06d,S%d,%d.25,%s,%s\n", i/3600%60, i/60%60, i, i%7, i, qty, note)
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(table string, extra ...string) (string, error) {
		args := append([]string{"import", file, "--table", table, "--port", port, "--batch-rows", "1000"}, extra...)
		out, err := exec.Command(binary, args...).CombinedOutput()
		return string(out), err
	}
	fixed := strings.Replace(b.String(), ",BAD!,", ",3500,", 1)

	// --create on a clean file: types from the header and a sample.
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run("trades", "--create"); err != nil {
		t.Fatalf("import --create: %v\n%s", err, out)
	}
	if r := s.post("SELECT count(*), sum(qty), count(DISTINCT ts) FROM trades"); fmt.Sprint(r.Data) != "[[5000 12497500 5000]]" {
		t.Fatalf("imported: %v", r.Data)
	}
	if got := s.scalar("SELECT note FROM trades WHERE qty = 10"); got != "multi\nline, \"quoted\"" {
		t.Fatalf("quoted multi-line field: %q", got)
	}
	if _, err := os.Stat(file + ".zeptodb-import"); !os.IsNotExist(err) {
		t.Fatalf("the state file is left after a complete import: %v", err)
	}

	// A refused batch stops the import; --resume after the fix loads the
	// rest, nothing twice.
	s.mustPost("CREATE TABLE trades2 (ts TIMESTAMP, sym SYMBOL, px DOUBLE, qty BIGINT, note STRING)")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run("trades2")
	if err == nil || !strings.Contains(out, "batch of 1000 records") || !strings.Contains(out, "--resume") {
		t.Fatalf("run with a bad row: %v\n%s", err, out)
	}
	if got := s.scalar("SELECT count(*) FROM trades2"); got != "3000" {
		t.Fatalf("after the refused batch: %s rows, want the 3 batches before it", got)
	}
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run("trades2", "--resume"); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	if r := s.post("SELECT count(*), sum(qty), count(DISTINCT ts) FROM trades2"); fmt.Sprint(r.Data) != "[[5000 12497500 5000]]" {
		t.Fatalf("after resume: %v", r.Data)
	}
	r := s.post("DESCRIBE trades")
	if fmt.Sprint(r.Data[0][:2]) != "[ts DateTime64(9, 'UTC')]" || fmt.Sprint(r.Data[2][:2]) != "[px Float64]" || fmt.Sprint(r.Data[3][:2]) != "[qty Int64]" {
		t.Fatalf("created schema: %v", r.Data)
	}
}
