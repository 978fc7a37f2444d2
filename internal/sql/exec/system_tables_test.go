package exec

import (
	"context"
	"errors"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestFunctionsListed: system.functions names every function the SQL
// reference documents, and the view list matches the views.
func TestFunctionsListed(t *testing.T) {
	doc, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	section := string(doc)[strings.Index(string(doc), "## Function reference"):]
	known := functionNames()
	for _, m := range regexp.MustCompile("(?m)^\\|[^|]*`([a-zA-Z_][a-zA-Z0-9_]*)\\(").FindAllStringSubmatch(section, -1) {
		if name := strings.ToLower(m[1]); !slices.Contains(known, name) && name != "agg" {
			t.Errorf("%s is documented but not in system.functions", name)
		}
	}
	var views []string
	for name := range systemTables {
		views = append(views, name)
	}
	sort.Strings(views)
	if !slices.Equal(views, systemTableNames()) {
		t.Errorf("systemTableNames() = %v, the views are %v", systemTableNames(), views)
	}
}

// TestSystemTablesRespectTableLists: a key limited to some tables sees
// only those in the catalog views and in EXISTS.
func TestSystemTablesRespectTableLists(t *testing.T) {
	x, _, mustRun := testExecutor(t, 0, Options{CacheSize: 10})
	mustRun("CREATE TABLE trades (ts TIMESTAMP, px DOUBLE)")
	mustRun("CREATE TABLE secret (ts TIMESTAMP, pnl DOUBLE)")
	ctx := WithAuthorizer(context.Background(), Authorizer{Table: func(name string) error {
		if strings.EqualFold(name, "trades") {
			return nil
		}
		return errors.New("no")
	}})
	for sql, want := range map[string]string{
		"SELECT name FROM system.tables WHERE database = 'default'": "trades",
		"SELECT DISTINCT table FROM system.columns":                 "trades",
		"SHOW TABLES":         "trades",
		"EXISTS TABLE secret": "0",
		"EXISTS TABLE trades": "1",
	} {
		res, err := x.ExecuteText(ctx, sql, true)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if got := strings.Join(renderRows(res), "; "); got != want {
			t.Errorf("%s: %q, want %q", sql, got, want)
		}
	}
}
