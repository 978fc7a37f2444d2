package exec

import (
	"math"
	"strconv"
	"strings"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// pruning is what the WHERE clause tells the scan before any row is read:
// which series (designated symbol values) and which time range
// (designated timestamp, inclusive bounds) can match. The predicates stay
// in the filter; pruning only skips data that cannot match.
type pruning struct {
	syms       map[uint32]bool // nil: every series
	tsLo, tsHi int64
}

func newPruning() pruning { return pruning{tsLo: math.MinInt64, tsHi: math.MaxInt64} }

// prune inspects the top-level AND terms of where.
func prune(t *rdb.Table, where parser.Expr) pruning {
	p := newPruning()
	for _, term := range conjuncts(where) {
		p.applyTerm(t, term)
	}
	return p
}

func conjuncts(e parser.Expr) []parser.Expr {
	if b, ok := e.(*parser.BinaryExpr); ok && b.Op == "AND" {
		return append(conjuncts(b.L), conjuncts(b.R)...)
	}
	if e == nil {
		return nil
	}
	return []parser.Expr{e}
}

func (p *pruning) applyTerm(t *rdb.Table, term parser.Expr) {
	s := t.Schema
	switch e := term.(type) {
	case *parser.BinaryExpr:
		col, lit, op := columnVsLiteral(e)
		if col == nil {
			return
		}
		idx := s.ColumnIndex(col.Name)
		switch {
		case idx >= 0 && idx == s.SymbolCol && op == "=":
			if text, ok := literalText(lit); ok {
				p.restrictSymbols(t, []string{text})
			}
		case idx >= 0 && idx == s.TimestampCol:
			if ts, ok := literalTimestamp(lit); ok {
				p.restrictTime(op, ts)
			}
		}
	case *parser.InExpr:
		col, ok := e.X.(*parser.ColumnRef)
		if !ok || e.Not || s.ColumnIndex(col.Name) != s.SymbolCol || s.SymbolCol < 0 {
			return
		}
		var texts []string
		for _, item := range e.List {
			text, ok := literalText(item)
			if !ok {
				return
			}
			texts = append(texts, text)
		}
		p.restrictSymbols(t, texts)
	case *parser.BetweenExpr:
		col, ok := e.X.(*parser.ColumnRef)
		if !ok || e.Not || s.TimestampCol < 0 || s.ColumnIndex(col.Name) != s.TimestampCol {
			return
		}
		lo, ok1 := literalTimestamp(e.Lo)
		hi, ok2 := literalTimestamp(e.Hi)
		if ok1 && ok2 {
			p.restrictTime(">=", lo)
			p.restrictTime("<=", hi)
		}
	}
}

// columnVsLiteral matches "col op literal" or "literal op col", returning
// the operator as seen from the column's side.
func columnVsLiteral(e *parser.BinaryExpr) (*parser.ColumnRef, parser.Expr, string) {
	flip := map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
	if _, ok := flip[e.Op]; !ok {
		return nil, nil, ""
	}
	if c, ok := e.L.(*parser.ColumnRef); ok {
		return c, e.R, e.Op
	}
	if c, ok := e.R.(*parser.ColumnRef); ok {
		return c, e.L, flip[e.Op]
	}
	return nil, nil, ""
}

func literalText(e parser.Expr) (string, bool) {
	switch l := e.(type) {
	case *parser.StringLit:
		return l.Value, true
	case *parser.IntLit:
		return strconv.FormatInt(l.Value, 10), true
	}
	return "", false
}

func literalTimestamp(e parser.Expr) (int64, bool) {
	switch l := e.(type) {
	case *parser.IntLit:
		return l.Value, true
	case *parser.StringLit:
		ts, err := parseTimestamp(strings.TrimSpace(l.Value))
		return ts, err == nil
	case *parser.BinaryExpr:
		return constantNanos(l)
	}
	return 0, false
}

// constantNanos folds + and - of integer and INTERVAL constants
// (ts < 4102444800000000000 + INTERVAL 1 DAY), the same integer
// arithmetic the binder does; an overflow (an error for the query) gives
// no bound.
func constantNanos(e parser.Expr) (int64, bool) {
	switch l := e.(type) {
	case *parser.IntLit:
		return l.Value, true
	case *parser.IntervalLit:
		return l.Nanos, true
	case *parser.BinaryExpr:
		if l.Op != "+" && l.Op != "-" {
			return 0, false
		}
		a, ok1 := constantNanos(l.L)
		b, ok2 := constantNanos(l.R)
		if !ok1 || !ok2 {
			return 0, false
		}
		if l.Op == "-" {
			if b == math.MinInt64 {
				return 0, false
			}
			b = -b
		}
		sum := a + b
		if (b > 0 && sum < a) || (b < 0 && sum > a) {
			return 0, false
		}
		return sum, true
	}
	return 0, false
}

func (p *pruning) restrictSymbols(t *rdb.Table, texts []string) {
	ids := map[uint32]bool{}
	for _, text := range texts {
		if id, ok := t.Dicts[t.Schema.SymbolCol].Lookup(text); ok && (p.syms == nil || p.syms[id]) {
			ids[id] = true
		}
	}
	p.syms = ids
}

func (p *pruning) restrictTime(op string, ts int64) {
	switch op {
	case "=":
		p.tsLo, p.tsHi = max(p.tsLo, ts), min(p.tsHi, ts)
	case ">":
		if ts == math.MaxInt64 {
			p.tsLo = ts
			p.tsHi = math.MinInt64
			return
		}
		p.tsLo = max(p.tsLo, ts+1)
	case ">=":
		p.tsLo = max(p.tsLo, ts)
	case "<":
		if ts == math.MinInt64 {
			p.tsHi, p.tsLo = math.MinInt64, math.MaxInt64
			return
		}
		p.tsHi = min(p.tsHi, ts-1)
	case "<=":
		p.tsHi = min(p.tsHi, ts)
	}
}

// unit is one chunk to scan, with the symbol of its series.
type unit struct {
	chunk *rdb.Chunk
	sym   uint32
	part  int64 // start of the chunk's partition
	base  int   // series position of the chunk's first row
	// lo, hi bound the rows of a join's unit when a chunk is split so
	// that one joined batch stays small; hi 0 means the whole chunk.
	lo, hi int32
	// right: a right chunk of a RIGHT or FULL join, whose rows without
	// a left match are emitted with NULLs on the left.
	right bool
}

// bounds returns the unit's row range.
func (u unit) bounds() (lo, hi int) {
	if u.hi == 0 {
		return 0, u.chunk.Len()
	}
	return int(u.lo), int(u.hi)
}

// units lists the chunks that can hold matching rows, in scan order:
// partitions by time, series by symbol id, chunks by append order.
func (p *pruning) units(snap *rdb.Snapshot, s *model.Schema) []unit {
	var out []unit
	if p.tsLo > p.tsHi {
		return nil
	}
	for _, part := range snap.Partitions {
		if s.TimestampCol >= 0 && (snap.End(part) <= p.tsLo || part.Start > p.tsHi) && s.PartitionBy != model.PartitionNone {
			continue
		}
		for _, series := range p.seriesOf(part) {
			base := 0
			for _, c := range series.Chunks {
				base += c.Len()
				if c.Len() == 0 || (s.TimestampCol >= 0 && (c.MaxTS < p.tsLo || c.MinTS > p.tsHi)) {
					continue
				}
				out = append(out, unit{chunk: c, sym: series.Symbol, part: part.Start, base: base - c.Len()})
			}
		}
	}
	return out
}

func (p *pruning) seriesOf(part *rdb.Partition) []*rdb.Series {
	if p.syms == nil {
		return part.AllSeries()
	}
	var out []*rdb.Series
	for id := range p.syms {
		if s := part.SeriesIn(id, p.tsLo, p.tsHi); s != nil {
			out = append(out, s)
		}
	}
	if len(out) > 1 {
		sortSeries(out)
	}
	return out
}

func sortSeries(s []*rdb.Series) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Symbol < s[j-1].Symbol; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
