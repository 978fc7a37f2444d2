package exec

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/ingest"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// Options configures an Executor.
type Options struct {
	// Workers is the number of goroutines a large scan uses; 0 means
	// GOMAXPROCS.
	Workers int
	// ParallelThreshold is the row count above which a scan runs in
	// parallel; 0 means 100000.
	ParallelThreshold int64
	// CacheSize is how many SELECT results ExecuteText keeps; 0 disables
	// the cache.
	CacheSize int
	// Processes lists the statements running now that the request in ctx
	// may see (system.processes); Kill cancels one by query id and reports
	// whether it was running (KILL QUERY). Nil: none are tracked.
	Processes func(ctx context.Context) []Process
	Kill      func(ctx context.Context, queryID string) bool
	// CopyDir is the directory COPY reads and writes files in, and only
	// in; "" turns COPY off.
	CopyDir string
}

// Process is a running statement.
type Process struct {
	QueryID, User, Query string
	Elapsed              time.Duration
}

// Executor runs statements against an engine. It is safe for concurrent use.
type Executor struct {
	eng   *engine.Engine
	opts  Options
	cache *resultCache

	executed, failed, rowsScanned atomic.Uint64
}

// Stats counts what an executor has done since it was made.
type Stats struct {
	Executed, Failed uint64 // statements that succeeded, and that failed
	// RowsScanned adds up the rows of the chunks that queries' scans
	// covered after partition and zone pruning.
	RowsScanned uint64
}

// Stats returns the executor's counts.
func (x *Executor) Stats() Stats {
	return Stats{Executed: x.executed.Load(), Failed: x.failed.Load(), RowsScanned: x.rowsScanned.Load()}
}

// New returns an executor.
func New(eng *engine.Engine, opts Options) *Executor {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.ParallelThreshold <= 0 {
		opts.ParallelThreshold = 100000
	}
	return &Executor{eng: eng, opts: opts, cache: newResultCache(opts.CacheSize)}
}

// Result is the outcome of a statement. A query has columns; other
// statements have none and may report Written rows.
type Result struct {
	Columns []ResultColumn
	Rows    int
	Written int64
	// RowsRead counts the rows of the chunks the statement's scans
	// covered, after pruning.
	RowsRead int64
	// Format is the statement's FORMAT clause, "" if it has none.
	Format string
}

// ResultColumn is one output column: dense, SYMBOL values as text in
// Data.String.
type ResultColumn struct {
	Name string
	Type model.ColumnType
	Data *column.Vector
}

// Health returns why writes are failing (see engine.Engine.Err), or nil.
func (x *Executor) Health() error { return x.eng.Err() }

// ReadOnly reports whether a statement only reads.
func ReadOnly(stmt parser.Statement) bool {
	switch s := stmt.(type) {
	case *parser.Select, *parser.SetOp, *parser.ShowTables, *parser.ShowDatabases, *parser.Exists, *parser.Describe:
		return true
	case *parser.Explain:
		return ReadOnly(s.Stmt) || !s.Analyze
	}
	return false
}

// ExecuteText parses and runs one statement. With readOnly, statements
// that write are refused with CodeReadOnly. INSERT ... VALUES takes a fast
// path that decodes the values without a syntax tree.
func (x *Executor) ExecuteText(ctx context.Context, text string, readOnly bool) (*Result, error) {
	for attempt := 1; ; attempt++ {
		res, err := x.executeText(context.WithValue(withBudget(ctx), rowsReadKey{}, new(atomic.Int64)), text, readOnly)
		if !errors.Is(err, engine.ErrSchemaChanged) || attempt == maxSchemaRetries || ctx.Err() != nil {
			if err != nil {
				x.failed.Add(1)
			} else {
				x.executed.Add(1)
			}
			return res, err
		}
		time.Sleep(time.Duration(attempt) * 100 * time.Microsecond) // let a burst of ALTERs pass
	}
}

// maxSchemaRetries bounds how often a write that raced an ALTER TABLE is
// built again against the new schema (about 0.5 s of back-off in all).
const maxSchemaRetries = 100

func (x *Executor) executeText(ctx context.Context, text string, readOnly bool) (*Result, error) {
	restricted := authorizerOf(ctx).Table != nil // cached results do not say which tables they read
	if res := x.cache.get(text, x.isCurrent); res != nil && !restricted {
		if err := authorize(ctx, ClassRead); err != nil { // only SELECTs are cached
			return nil, err
		}
		return res, nil
	}
	if !readOnly {
		if table, cols, values, ok := ingest.SplitInsertValues(text); ok && tableAllowed(ctx, table) {
			if err := authorize(ctx, ClassWrite); err != nil {
				return nil, err
			}
			if res, handled, err := x.fastInsert(table, cols, values); handled {
				return res, err
			}
		}
	}
	stmt, err := parser.Parse(text)
	if err != nil {
		return nil, err
	}
	if err := authorize(ctx, ClassOf(stmt)); err != nil {
		return nil, err
	}
	if err := checkTarget(ctx, stmt); err != nil {
		return nil, err
	}
	if readOnly && !ReadOnly(stmt) {
		return nil, errAt(CodeReadOnly, stmt.Pos(), "this statement writes: send it with POST")
	}
	if sel, ok := stmt.(*parser.Select); ok && x.cache != nil && plainSelect(sel) {
		res, table, version, err := x.runSelect(ctx, sel, nil)
		res, err = withFormat(res, err)(sel.Format)
		if err == nil {
			res.RowsRead = rowsRead(ctx) // before the cache shares it
			x.cache.put(text, table, version, res)
		}
		return res, err
	}
	res, err := x.Execute(ctx, stmt)
	if res != nil {
		res.RowsRead = rowsRead(ctx) // a result Execute just made, not yet shared
	}
	return res, err
}

// isCurrent reports whether t is still the table of its name.
func (x *Executor) isCurrent(t *rdb.Table) bool {
	cur, err := x.eng.Table(t.Schema.Name)
	return err == nil && cur == t
}

// Execute runs one statement.
func (x *Executor) Execute(ctx context.Context, stmt parser.Statement) (*Result, error) {
	if budgetOf(ctx) == nil {
		ctx = withBudget(ctx)
	}
	switch s := stmt.(type) {
	case *parser.Select:
		return withFormat(x.execSelect(ctx, s))(s.Format)
	case *parser.SetOp:
		return withFormat(x.runQuery(ctx, s, nil))(s.Format)
	case *parser.CreateTable:
		if s.Query != nil {
			return x.execCreateAs(ctx, s)
		}
		return x.execCreate(s)
	case *parser.DropTable:
		return x.execDrop(s)
	case *parser.Insert:
		if s.Query != nil {
			return x.execInsertSelect(ctx, s)
		}
		return x.execInsert(s)
	case *parser.Explain:
		return x.explain(ctx, s)
	case *parser.Truncate:
		if err := x.eng.TruncateTable(s.Table); err != nil {
			return nil, mapEngineError(err)
		}
		return &Result{}, nil
	case *parser.Update:
		return x.execUpdate(ctx, s)
	case *parser.Delete:
		return x.execDelete(ctx, s)
	case *parser.AlterTable:
		return x.execAlter(s)
	case *parser.ShowTables:
		return withFormat(x.execShowTables(ctx, s))(s.Format)
	case *parser.ShowDatabases:
		names := []string{DefaultDatabase, SystemDatabase}
		return withFormat(&Result{Columns: []ResultColumn{textColumn("name", names)}, Rows: len(names)}, nil)(s.Format)
	case *parser.Exists:
		return withFormat(x.execExists(ctx, s), nil)(s.Format)
	case *parser.Copy:
		return x.execCopy(ctx, s)
	case *parser.KillQuery:
		return withFormat(x.execKill(ctx, s))(s.Format)
	case *parser.Describe:
		return withFormat(x.execDescribe(ctx, s))(s.Format)
	}
	return nil, errAt(CodeNotSupported, stmt.Pos(), "this statement is not supported yet")
}

// rowsReadKey carries a statement's count of rows read.
type rowsReadKey struct{}

// rowsRead is the statement's count of rows read so far.
func rowsRead(ctx context.Context) int64 {
	if c, ok := ctx.Value(rowsReadKey{}).(*atomic.Int64); ok {
		return c.Load()
	}
	return 0
}

// countRead adds n rows read to the statement's count.
func countRead(ctx context.Context, n int64) {
	if c, ok := ctx.Value(rowsReadKey{}).(*atomic.Int64); ok {
		c.Add(n)
	}
}

// withFormat records the statement's FORMAT clause in its result.
func withFormat(res *Result, err error) func(string) (*Result, error) {
	return func(format string) (*Result, error) {
		if res != nil && format != "" && res.Format != format {
			cp := *res // a cached result is shared
			cp.Format = format
			res = &cp
		}
		return res, err
	}
}

// mapEngineError turns engine errors into user errors where they are the
// user's doing.
func mapEngineError(err error) error {
	switch {
	case errors.Is(err, engine.ErrTableNotFound):
		return &Error{Code: CodeUnknownTable, Msg: err.Error()}
	case errors.Is(err, engine.ErrTableExists):
		return &Error{Code: CodeTableExists, Msg: err.Error()}
	case errors.Is(err, engine.ErrNoSpace):
		return &Error{Code: CodeNoSpace, Msg: err.Error()}
	}
	var be *engine.BatchError
	if errors.As(err, &be) {
		return &Error{Code: CodeTypeMismatch, Msg: be.Error()}
	}
	return err
}
