package internal_test

import (
	"os/exec"
	"strings"
	"testing"
)

// allowed lists, for every internal package, the internal packages it may
// import directly. Dependencies point one way: storage never sees SQL,
// SQL never sees HTTP, and nothing below cmd/ sees config.
var allowed = map[string][]string{
	"model":      {},
	"column":     {"model"},
	"vfs":        {},
	"symtab":     {},
	"wal":        {"vfs"},
	"hdb":        {"model", "column", "vfs"},
	"rdb":        {"model", "column", "symtab"},
	"engine":     {"model", "column", "vfs", "wal", "rdb", "symtab", "hdb"},
	"sql/parser": {},
	"sql/exec":   {"sql/parser", "engine", "rdb", "column", "model", "symtab", "ingest", "chformat"},
	"ingest":     {"model", "column"},
	"config":     {},
	"auth":       {},
	"audit":      {},
	"certs":      {},
	"secrets":    {},
	"chformat":   {"model", "column"},
	"server":     {"sql/exec", "sql/parser", "engine", "ingest", "model", "column", "auth", "audit", "chformat"},
}

func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const prefix = "github.com/zeptodb/zeptodb/internal/"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if !strings.HasPrefix(fields[0], prefix) {
			continue // this test's own package
		}
		pkg := strings.TrimPrefix(fields[0], prefix)
		ok, known := allowed[pkg]
		if !known {
			t.Errorf("package %s is not in the layering table: add it with its allowed imports", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, prefix) {
				continue
			}
			dep := strings.TrimPrefix(imp, prefix)
			if !contains(ok, dep) {
				t.Errorf("%s imports %s, which the layering does not allow", pkg, dep)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
