package exec

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// SystemDatabase holds ClickHouse's catalog views, which its clients and
// Grafana query to list databases, tables, columns and functions.
const SystemDatabase = "system"

// systemTables builds each view of the system database when a statement
// reads it, from the catalog as the request may see it.
var systemTables = map[string]func(x *Executor, ctx context.Context) *Result{
	"databases": func(*Executor, context.Context) *Result {
		return textResult([]string{"name", "engine", "comment"},
			[]string{DefaultDatabase, "Atomic", ""}, []string{SystemDatabase, "Memory", "ClickHouse's catalog views"})
	},
	"tables": func(x *Executor, ctx context.Context) *Result {
		var rows [][]string
		for _, name := range x.tableNames(ctx) {
			rows = append(rows, []string{DefaultDatabase, name, "MergeTree", ""})
		}
		for _, name := range systemTableNames() {
			rows = append(rows, []string{SystemDatabase, name, "SystemTable", ""})
		}
		return textResult([]string{"database", "name", "engine", "comment"}, rows...)
	},
	"columns": func(x *Executor, ctx context.Context) *Result {
		var rows [][]string
		for _, name := range x.tableNames(ctx) {
			t, err := x.eng.Table(name)
			if err != nil {
				continue // dropped since it was listed
			}
			for i, c := range t.Schema.Columns {
				sorting := "0"
				if i == t.Schema.TimestampCol || i == t.Schema.SymbolCol {
					sorting = "1"
				}
				rows = append(rows, []string{DefaultDatabase, name, c.Name, c.Type.ClickHouseName(), fmt.Sprint(i + 1), "", "", "",
					boolText(i == t.Schema.TimestampCol && t.Schema.PartitionBy != model.PartitionNone), sorting, sorting, "0"})
			}
		}
		res := textResult([]string{"database", "table", "name", "type", "position", "default_kind", "default_expression", "comment",
			"is_in_partition_key", "is_in_sorting_key", "is_in_primary_key", "is_in_sampling_key"}, rows...)
		for _, i := range []int{4, 8, 9, 10, 11} {
			res.Columns[i] = intColumn(res.Columns[i])
		}
		return res
	},
	"functions": func(*Executor, context.Context) *Result {
		var rows [][]string
		for _, name := range functionNames() {
			_, agg := aggregateNames[name]
			rows = append(rows, []string{name, boolText(agg), "1", "", "System", "", "", "", "", "", ""})
		}
		res := textResult([]string{"name", "is_aggregate", "case_insensitive", "alias_to", "origin", "description", "syntax",
			"arguments", "returned_value", "examples", "categories"}, rows...)
		res.Columns[1], res.Columns[2] = intColumn(res.Columns[1]), intColumn(res.Columns[2])
		return res
	},
	"processes": func(x *Executor, ctx context.Context) *Result {
		var rows [][]string
		var elapsed []float64
		if x.opts.Processes != nil {
			for _, p := range x.opts.Processes(ctx) {
				rows = append(rows, []string{p.QueryID, p.User, p.Query})
				elapsed = append(elapsed, p.Elapsed.Seconds())
			}
		}
		res := textResult([]string{"query_id", "user", "query"}, rows...)
		res.Columns = append(res.Columns, ResultColumn{Name: "elapsed", Type: model.TypeFloat64,
			Data: &column.Vector{Type: model.TypeFloat64, Float64: append([]float64{}, elapsed...)}})
		return res
	},
	"one": func(*Executor, context.Context) *Result {
		return &Result{Columns: []ResultColumn{int64Column("dummy", 0)}, Rows: 1}
	},
}

// systemTableNames lists the views (a literal: the builders use it, so
// it cannot be derived from systemTables without an initialization cycle).
func systemTableNames() []string {
	return []string{"columns", "databases", "functions", "one", "processes", "tables"}
}

// systemTable materializes system.<name> for one statement.
func (x *Executor) systemTable(ctx context.Context, qualified string) (*rdb.Table, error) {
	build, ok := systemTables[strings.ToLower(strings.TrimPrefix(strings.ToLower(qualified), SystemDatabase+"."))]
	if !ok {
		return nil, fmt.Errorf("%w: %s", engine.ErrTableNotFound, qualified)
	}
	return materialize(qualified, build(x, ctx), nil), nil
}

func textResult(names []string, rows ...[]string) *Result {
	res := &Result{Rows: len(rows)}
	for i, n := range names {
		vals := make([]string, len(rows))
		for r, row := range rows {
			vals[r] = row[i]
		}
		res.Columns = append(res.Columns, textColumn(n, vals))
	}
	return res
}

// intColumn turns a text column of digits into an integer one (results
// hold integers as INT64).
func intColumn(c ResultColumn) ResultColumn {
	v := &column.Vector{Type: model.TypeInt64, Int64: make([]int64, len(c.Data.String))}
	for i, s := range c.Data.String {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			panic(fmt.Sprintf("system table column %s: %q is not a number", c.Name, s)) // built here: a bug
		}
		v.Int64[i] = n
	}
	return ResultColumn{Name: c.Name, Type: model.TypeInt64, Data: v}
}

func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// functionNames lists the functions and aggregates the binder knows, for
// system.functions (editor autocompletion).
func functionNames() []string {
	seen := map[string]bool{}
	for n := range aggregateNames {
		seen[n] = true
	}
	for _, n := range knownScalarFunctions {
		seen[n] = true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// mapTableError reports a table that cannot be read as unknown.
func mapTableError(err error, at parser.Pos, name string) error {
	return errAt(CodeUnknownTable, at, "unknown table %s", name)
}

// knownScalarFunctions are the scalar and window functions the binder
// takes (TestFunctionsListed keeps it in step with docs/sql.md).
var knownScalarFunctions = []string{
	"abs", "cast", "ceil", "ceiling", "coalesce", "concat", "current_timestamp", "currentdatabase", "date_part", "date_trunc",
	"datepart", "datetrunc", "delta", "dense_rank", "displayname", "ema", "epoch", "epoch_ms", "epoch_ns", "epoch_s", "epoch_us",
	"exp", "extract", "fill", "first_value", "floor", "hostname", "if", "ifnull", "lag", "last_value", "lead", "length", "ln", "log",
	"log10", "log2", "lower", "now", "nullif", "pow", "power", "rank", "ratio", "revision", "round", "row_number", "sign", "sqrt",
	"substr", "substring", "timezone", "to_timestamp", "todatetime", "todatetime64", "tomonday", "tostartofday",
	"tostartoffifteenminutes", "tostartoffiveminute", "tostartoffiveminutes", "tostartofhour", "tostartofinterval",
	"tostartofminute", "tostartofmonth", "tostartofquarter", "tostartofsecond", "tostartoftenminutes", "tostartofyear",
	"tounixtimestamp", "upper", "version", "wj_avg", "wj_count", "wj_first", "wj_last", "wj_max", "wj_min", "wj_sum", "xbar",
}
