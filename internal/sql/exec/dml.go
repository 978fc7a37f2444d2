package exec

import (
	"context"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// execDelete runs DELETE FROM t [WHERE cond]: the matching rows are found
// with every earlier write applied, logged by position and removed.
func (x *Executor) execDelete(ctx context.Context, s *parser.Delete) (*Result, error) {
	n, err := x.mutate(ctx, s.At, s.Table, s.Where, nil)
	if err != nil {
		return nil, err
	}
	return &Result{Written: int64(n)}, nil
}

// execUpdate runs UPDATE t SET col = expr, ... [WHERE cond]. The new values
// are computed from the rows as they were before the statement.
func (x *Executor) execUpdate(ctx context.Context, s *parser.Update) (*Result, error) {
	n, err := x.mutate(ctx, s.At, s.Table, s.Where, s.Set)
	if err != nil {
		return nil, err
	}
	return &Result{Written: int64(n)}, nil
}

// mutate plans and runs a DELETE (set nil) or an UPDATE through the
// engine, which calls back with the table as of the statement's place in
// the log.
func (x *Executor) mutate(ctx context.Context, at parser.Pos, table string, where parser.Expr, set []parser.Assignment) (int, error) {
	if _, err := x.eng.Table(table); err != nil {
		return 0, errAt(CodeUnknownTable, at, "unknown table %s", table)
	}
	n, err := x.eng.Mutate(table, func(t *rdb.Table) (*engine.Mutation, error) {
		return x.planMutation(ctx, t, at, where, set)
	})
	if err != nil {
		if _, ok := err.(*Error); ok {
			return 0, err
		}
		return 0, mapEngineError(err)
	}
	return n, nil
}

// planMutation finds the rows WHERE selects and, for an UPDATE, evaluates
// the SET expressions over them.
func (x *Executor) planMutation(ctx context.Context, t *rdb.Table, at parser.Pos, where parser.Expr, set []parser.Assignment) (*engine.Mutation, error) {
	targets, err := updateTargets(t.Schema, set)
	if err != nil {
		return nil, err
	}
	sel := &parser.Select{At: at, From: &parser.TableRef{At: at, Name: t.Schema.Name}, Where: where}
	sel.Source = sel.From
	for _, a := range set {
		sel.Items = append(sel.Items, parser.SelectItem{At: a.At, Expr: a.Value, Alias: a.Column})
	}
	if len(set) == 0 {
		sel.Items = []parser.SelectItem{{At: at, Expr: &parser.IntLit{At: at, Value: 1, Text: "1"}}}
	}
	p, err := x.planSelect(ctx, sel, nil)
	if err != nil {
		return nil, err
	}
	if p.table != t {
		return nil, errAt(CodeUnknownTable, at, "table %s changed while planning", t.Schema.Name)
	}
	if p.agg != nil || p.windows != nil {
		return nil, errAt(CodeBadArguments, at, "aggregate and window functions are not allowed in UPDATE and DELETE")
	}
	m, c, err := x.scanMutation(ctx, p, t)
	if err != nil || set == nil || len(m.Rows) == 0 {
		return m, err
	}
	return m, mutationValues(m, p, c, t.Schema, targets)
}

// updateTargets resolves the SET columns; placement columns cannot change.
func updateTargets(s *model.Schema, set []parser.Assignment) ([]int, error) {
	targets := make([]int, len(set))
	seen := map[int]bool{}
	for i, a := range set {
		c := s.ColumnIndex(a.Column)
		switch {
		case c < 0:
			return nil, errAt(CodeUnknownColumn, a.At, "unknown column %s", a.Column)
		case seen[c]:
			return nil, errAt(CodeBadArguments, a.At, "column %s is set twice", a.Column)
		case c == s.TimestampCol:
			return nil, errAt(CodeNotSupported, a.At, "cannot UPDATE the designated timestamp %s: it places rows in partitions (DELETE and INSERT instead)", a.Column)
		case c == s.SymbolCol:
			return nil, errAt(CodeNotSupported, a.At, "cannot UPDATE the designated symbol %s: it places rows in series (DELETE and INSERT instead)", a.Column)
		}
		targets[i], seen[c] = c, true
	}
	return targets, nil
}

// scanMutation walks every chunk the WHERE clause can match and names the
// selected rows by series position; for an UPDATE it also collects the
// projected SET values in the same order.
func (x *Executor) scanMutation(ctx context.Context, p *selectPlan, t *rdb.Table) (*engine.Mutation, *collector, error) {
	snap := t.Snapshot()
	defer snap.Release()
	candidates := map[*rdb.Chunk]bool{}
	for _, u := range p.prune.units(snap, t.Schema) {
		candidates[u.chunk] = true
	}
	m, c := &engine.Mutation{}, newCollector(p)
	var st scanState
	for _, part := range snap.Partitions {
		for _, series := range part.AllSeries() {
			rows := rdb.SeriesRows{Part: part.Start, Symbol: series.Symbol}
			base := 0
			for _, ch := range series.Chunks {
				if err := ctx.Err(); err != nil {
					return nil, nil, err
				}
				if candidates[ch] {
					b, err := p.filtered(unit{chunk: ch, sym: series.Symbol, part: part.Start, base: base}, &st)
					if err != nil {
						return nil, nil, mapRuntimeError(err)
					}
					if b != nil {
						rows.Ranges = appendSelected(rows.Ranges, base, b)
						if err := c.add(b); err != nil {
							return nil, nil, mapRuntimeError(err)
						}
					}
				}
				base += ch.Len()
			}
			if len(rows.Ranges) > 0 {
				m.Rows = append(m.Rows, rows)
			}
		}
	}
	return m, c, snapshotErr(snap)
}

// appendSelected adds the batch's selected rows, offset by base, to
// ranges, merging adjacent positions.
func appendSelected(ranges []rdb.RowRange, base int, b *batch) []rdb.RowRange {
	add := func(pos int) {
		if k := len(ranges); k > 0 && ranges[k-1].End == pos {
			ranges[k-1].End++
			return
		}
		ranges = append(ranges, rdb.RowRange{Start: pos, End: pos + 1})
	}
	if b.sel == nil {
		if k := len(ranges); k > 0 && ranges[k-1].End == base {
			ranges[k-1].End = base + b.n
			return ranges
		}
		return append(ranges, rdb.RowRange{Start: base, End: base + b.n})
	}
	for _, r := range b.sel[:b.n] {
		add(base + int(r))
	}
	return ranges
}

// mutationValues converts the collected SET values to the target columns,
// as INSERT converts values.
func mutationValues(m *engine.Mutation, p *selectPlan, c *collector, s *model.Schema, targets []int) error {
	res, err := p.finishCollected(c)
	if err != nil {
		return err
	}
	m.Cols, m.Values = targets, &column.Batch{}
	for i, target := range targets {
		col := s.Columns[target]
		v, cerr := convertColumn(res.Columns[i].Data, res.Rows, col)
		if cerr != nil {
			return cerr
		}
		if col.NotNull && v.Nulls.Count(res.Rows) > 0 {
			return errorf(CodeTypeMismatch, "column %s is NOT NULL: UPDATE cannot set it to NULL", col.Name)
		}
		m.Values.Vectors = append(m.Values.Vectors, v)
	}
	return nil
}
