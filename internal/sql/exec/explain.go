package exec

import (
	"context"
	"fmt"
	"time"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// explain describes how a SELECT will run: what the scan prunes, which
// execution path it takes, and whether it runs in parallel. EXPLAIN
// ANALYZE also runs it and reports rows and time.
func (x *Executor) explain(ctx context.Context, e *parser.Explain) (*Result, error) {
	s, ok := e.Stmt.(*parser.Select)
	if ok && !plainSelect(s) && len(s.With) == 0 {
		_, ok = s.Source.(*parser.Join) // a join of two tables: planSelect checks the rest
	} else if ok {
		ok = plainSelect(s)
	}
	if !ok {
		return nil, errAt(CodeNotSupported, e.At, "EXPLAIN supports a single SELECT over one table or a join of two tables")
	}
	start := time.Now()
	p, err := x.planSelect(ctx, s, nil)
	if err != nil {
		return nil, err
	}
	planned := time.Since(start)
	lines := x.describePlan(p)
	if e.Analyze {
		p.stats = &analyzeStats{}
		res, _, _, err := x.runPlanned(ctx, p, nil)
		if err != nil {
			return nil, err
		}
		lines = append(lines, p.stats.lines(planned, time.Since(start), res.Rows)...)
	}
	return &Result{Columns: []ResultColumn{textColumn("plan", lines)}, Rows: len(lines)}, nil
}

func (x *Executor) describePlan(p *selectPlan) []string {
	if p.table == nil {
		return []string{"constant: one row, no table"}
	}
	snap := p.table.Snapshot()
	units := p.prune.units(snap, p.table.Schema)
	var totalChunks, rows int64
	for _, part := range snap.Partitions {
		for _, s := range part.AllSeries() {
			totalChunks += int64(len(s.Chunks))
		}
	}
	parts := map[int64]bool{}
	for _, u := range units {
		rows += int64(u.chunk.Len())
		parts[u.part] = true
	}
	nparts := len(snap.Partitions)
	snap.Release()

	var out []string
	out = append(out, fmt.Sprintf("scan %s: %d of %d partitions, %d of %d chunks, %d rows", p.table.Schema.Name, len(parts), nparts, len(units), totalChunks, rows))
	if p.prune.syms != nil {
		out = append(out, fmt.Sprintf("  symbol index: %d symbol(s) of %s", len(p.prune.syms), symbolColName(p.table.Schema)))
	}
	if p.prune.tsLo > minInt64 || p.prune.tsHi < maxInt64 {
		out = append(out, fmt.Sprintf("  time range: [%s, %s] on %s (partitions and zone maps)", tsText(p.prune.tsLo), tsText(p.prune.tsHi), p.table.Schema.Columns[p.table.Schema.TimestampCol].Name))
	}
	if p.where != nil {
		out = append(out, "  filter: vectorized predicates over each chunk")
	}
	if rows > x.opts.ParallelThreshold && x.opts.Workers > 1 && len(units) > 1 {
		out = append(out, fmt.Sprintf("  parallel: %d workers (more than %d rows)", min(x.opts.Workers, len(units)), x.opts.ParallelThreshold))
	} else {
		out = append(out, "  serial")
	}
	return append(out, p.pathLines()...)
}

// pathLines names the execution path the plan takes.
func (p *selectPlan) pathLines() []string {
	var out []string
	switch {
	case p.asof != nil:
		out = append(out, p.asof.explainLines()...)
	case p.latestOn != nil:
		mode := "newest row per key"
		if p.latestOn.bySymbol {
			mode += ", newest chunks and blocks first per symbol"
		}
		out = append(out, "latest on: "+mode)
	case p.windows != nil:
		out = append(out, fmt.Sprintf("window: %d function(s) over all filtered rows, sorted by partition and order keys", len(p.windows)))
	}
	if p.agg != nil {
		switch {
		case p.latestPerSymbol():
			out = append(out, "aggregate: last() per symbol, newest data first")
		case p.onlyCountStar():
			out = append(out, "aggregate: count(*) from chunk sizes")
		default:
			out = append(out, fmt.Sprintf("aggregate: %d key(s), %d aggregate(s), hash groups with run detection", len(p.agg.keys), len(p.agg.specs)))
		}
		if p.sample != nil {
			out = append(out, fmt.Sprintf("sample by: %s buckets, fill %v", time.Duration(p.sample.every), p.sample.fills))
		}
	}
	if _, ok := p.topKeyed(); ok && p.agg == nil && p.latestOn == nil && p.windows == nil {
		out = append(out, fmt.Sprintf("top-k: %d rows by the designated timestamp, chunks and blocks visited best first", p.offset+p.limit))
	} else if len(p.order) > 0 {
		out = append(out, fmt.Sprintf("sort: %d key(s)", len(p.order)))
	}
	if p.limit >= 0 {
		out = append(out, fmt.Sprintf("limit: %d offset %d", p.limit, p.offset))
	}
	return out
}

var cmpOpText = map[cmpOp]string{opEq: "=", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">="}

func toleranceText(t int64) string {
	if t < 0 {
		return "none"
	}
	return time.Duration(t).String()
}

func symbolColName(s *model.Schema) string {
	if s.SymbolCol < 0 {
		return "-"
	}
	return s.Columns[s.SymbolCol].Name
}

func tsText(ts int64) string {
	if ts == minInt64 || ts == maxInt64 {
		return "unbounded"
	}
	return time.Unix(0, ts).UTC().Format("2006-01-02 15:04:05.999999999")
}

const (
	minInt64 = -1 << 63
	maxInt64 = 1<<63 - 1
)
