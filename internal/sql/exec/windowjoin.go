package exec

import (
	"strings"
	"sync"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// windowJoin is kdb+'s window join: every left row, once, with wj_*
// aggregates over the right rows of its key whose designated timestamp
// lies in [left.ts + lo, left.ts + hi] (both ends inclusive). EXCLUDE
// PREVAILING (the default) is kdb+'s wj1: only rows inside the window.
// INCLUDE PREVAILING is wj: also the row prevailing at the window's
// start, the last one before it, unless a row lies exactly at the start
// (then that row already prevails). An empty window gives 0 for
// wj_count and NULL for the others.
//
// The right rows of a key come from the ASOF per-key index (sorted by
// time, ties in storage order); each window's ends are found by galloping
// from the previous row's, and each aggregate answers a range in O(1)
// (counts, first, last) or O(log m) (sum, avg, min, max: segment trees),
// so a query costs O((n + m) log m) however wide the windows.
type windowJoin struct {
	lo, hi     int64 // window offsets from the left timestamp
	prevailing bool
	specs      []*wjSpec
	mu         sync.Mutex
	chunkVals  map[*rdb.Chunk][]*vec // each spec's argument over a right chunk
	data       map[*asofIndex][]*wjColumn
}

// wjSpec is one wj_ aggregate call.
type wjSpec struct {
	fn   string // count, sum, avg, min, max, first, last
	star bool   // wj_count(*)
	arg  expr   // over the right table
	t    model.ColumnType
}

// wjFuncs lists the window-join aggregates.
var wjFuncs = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true, "first": true, "last": true}

// bindWindowJoin binds ON key equalities AND right.ts BETWEEN left.ts - a
// AND left.ts + b.
func bindWindowJoin(j *parser.Join, js *joinScope) (*asofPlan, error) {
	if js.left.Schema.TimestampCol < 0 || js.right.Schema.TimestampCol < 0 {
		return nil, errAt(CodeBadArguments, j.At, "WINDOW JOIN needs designated timestamps on both sides")
	}
	a := &asofPlan{scope: js, kind: j.Kind, tolerance: -1, leftTS: js.left.Schema.TimestampCol, indexes: map[string]*asofIndex{},
		window: &windowJoin{prevailing: j.IncludePrevailing, chunkVals: map[*rdb.Chunk][]*vec{}, data: map[*asofIndex][]*wjColumn{}}}
	bounds := false
	for _, term := range conjuncts(j.On) {
		if b, ok := term.(*parser.BetweenExpr); ok && !bounds {
			if err := a.window.bindBounds(a, b); err != nil {
				return nil, err
			}
			bounds = true
			continue
		}
		li, ri, op, ok, err := a.sides(term)
		if err != nil {
			return nil, err
		}
		if !ok || op != opEq {
			return nil, errAt(CodeNotSupported, term.Pos(), "WINDOW JOIN ON takes left.col = right.col equalities and one right.ts BETWEEN left.ts - a AND left.ts + b, got %s", term.String())
		}
		if err := a.addKey(term.Pos(), li, ri); err != nil {
			return nil, err
		}
	}
	if !bounds {
		return nil, errAt(CodeNotSupported, j.At, "WINDOW JOIN needs ON ... AND right.ts BETWEEN left.ts - a AND left.ts + b")
	}
	return a, nil
}

// bindBounds reads right.ts BETWEEN left.ts [+-] a AND left.ts [+-] b.
func (w *windowJoin) bindBounds(a *asofPlan, b *parser.BetweenExpr) error {
	x, ok := b.X.(*parser.ColumnRef)
	nl := len(a.scope.left.Schema.Columns)
	if !ok || b.Not {
		return errAt(CodeNotSupported, b.Pos(), "the WINDOW JOIN window must be right.ts BETWEEN left.ts - a AND left.ts + b")
	}
	if idx, _, err := a.scope.resolve(x); err != nil || idx != nl+a.scope.right.Schema.TimestampCol {
		return errAt(CodeNotSupported, b.Pos(), "the WINDOW JOIN window must bound the right table's designated timestamp")
	}
	var err error
	if w.lo, err = a.tsOffset(b.Lo); err != nil {
		return err
	}
	if w.hi, err = a.tsOffset(b.Hi); err != nil {
		return err
	}
	if w.lo > w.hi {
		return errAt(CodeBadArguments, b.Pos(), "the WINDOW JOIN window ends before it starts")
	}
	return nil
}

// tsOffset reads left.ts, left.ts + k or left.ts - k (k a constant
// duration in nanoseconds) and returns the offset.
func (a *asofPlan) tsOffset(e parser.Expr) (int64, error) {
	var off int64
	if b, ok := e.(*parser.BinaryExpr); ok && (b.Op == "+" || b.Op == "-") {
		c, err := (&scope{}).bind(b.R)
		if err != nil {
			return 0, err
		}
		k, ok := c.(*constExpr)
		if !ok || k.v.typ != model.TypeInt64 || k.v.isNull(0) {
			return 0, errAt(CodeNotSupported, b.R.Pos(), "a WINDOW JOIN bound must be left.ts plus or minus a constant interval")
		}
		off, e = k.v.i64[0], b.L
		if b.Op == "-" {
			off = -off
		}
	}
	c, ok := e.(*parser.ColumnRef)
	if ok {
		idx, _, err := a.scope.resolve(c)
		ok = err == nil && idx == a.scope.left.Schema.TimestampCol
	}
	if !ok {
		return 0, errAt(CodeNotSupported, e.Pos(), "a WINDOW JOIN bound must be the left table's designated timestamp plus or minus a constant interval")
	}
	return off, nil
}

// bindCalls binds the wj_ calls of a statement's expressions: their
// arguments over the right table alone, their results as columns after
// the joined row's, which sc then resolves by SQL text.
func (w *windowJoin) bindCalls(a *asofPlan, sc *scope, exprs []parser.Expr) error {
	js := a.scope
	rs := &scope{table: js.right, alias: js.rightName, now: sc.now}
	sc.wj, sc.wjBase = map[string]int{}, js.width()
	var err error
	for _, e := range exprs {
		parser.Inspect(e, func(n parser.Expr) bool {
			f, ok := n.(*parser.FuncCall)
			if !ok || err != nil || !isWJ(f) {
				return err == nil
			}
			if _, seen := sc.wj[f.String()]; !seen {
				for _, a := range f.Args {
					if js.onlyLeft(a) && !js.onlyRight(a) { // constants are both
						err = errAt(CodeBadArguments, a.Pos(), "%s aggregates the right table %s of the WINDOW JOIN: %s reads the left table", f.Name, js.rightName, a.String())
						return false
					}
				}
				var spec *wjSpec
				if spec, err = bindWJ(rs, f); err == nil {
					sc.wj[f.String()] = sc.wjBase + len(w.specs)
					sc.wjTypes = append(sc.wjTypes, spec.t)
					sc.dicts = append(sc.dicts, (*symtab.Dict)(nil))
					w.specs = append(w.specs, spec)
				}
			}
			return false
		})
	}
	return err
}

func isWJ(f *parser.FuncCall) bool { return strings.HasPrefix(strings.ToLower(f.Name), "wj_") }

// bindWJ binds one wj_ call and types its result.
func bindWJ(rs *scope, f *parser.FuncCall) (*wjSpec, error) {
	fn := strings.TrimPrefix(strings.ToLower(f.Name), "wj_")
	switch {
	case !wjFuncs[fn]:
		return nil, errAt(CodeUnknownFunc, f.Pos(), "unknown window-join aggregate %s (wj_count, wj_sum, wj_avg, wj_min, wj_max, wj_first, wj_last)", f.Name)
	case f.Over != nil || f.Distinct || f.Filter != nil || f.Params != nil:
		return nil, errAt(CodeNotSupported, f.Pos(), "%s takes one plain argument", f.Name)
	case f.Star && fn == "count":
		return &wjSpec{fn: fn, star: true, t: model.TypeInt64}, nil
	case f.Star || len(f.Args) != 1:
		return nil, errAt(CodeBadArguments, f.Pos(), "%s takes one argument", f.Name)
	}
	if inner := firstAggregate(f.Args[0]); inner != nil {
		return nil, errAt(CodeGroupBy, inner.Pos(), "aggregate functions cannot be nested")
	}
	arg, err := rs.bind(f.Args[0])
	if err != nil {
		return nil, err
	}
	s := &wjSpec{fn: fn, arg: arg, t: outType(arg.typ())}
	numeric := arg.typ().IsNumeric()
	switch fn {
	case "count":
		s.t = model.TypeInt64
	case "avg":
		s.t = model.TypeFloat64
	case "sum":
		if !arg.typ().IsInteger() {
			s.t = model.TypeFloat64
		}
	}
	if !numeric && fn != "count" && fn != "first" && fn != "last" {
		return nil, errAt(CodeTypeMismatch, f.Pos(), "%s needs numbers, got %s", f.Name, arg.typ())
	}
	return s, nil
}

// batch joins one left unit: its rows (after pushed-down WHERE terms),
// each with one value per wj_ aggregate.
func (w *windowJoin) batch(a *asofPlan, u unit, st *scanState) (*batch, error) {
	rows, err := a.leftRows(u, st)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	b := a.joined(u.chunk, rows, nil, nil)
	outs := make([]*vec, len(w.specs))
	for s, spec := range w.specs {
		outs[s] = newVec(spec.t, len(rows))
	}
	keys := a.keyLookup(u)
	ts := u.chunk.Cols[a.leftTS].Int64
	var hLo, hHi int
	var prev *asofIndex
	for k, r := range rows {
		idx := keys.index(a, int(r))
		if idx != prev {
			hLo, hHi, prev = 0, 0, idx
		}
		lo, hi := 0, 0
		if idx != nil {
			lo, hi = w.bounds(idx, ts[r], &hLo, &hHi)
		}
		var cols []*wjColumn
		if hi > lo {
			if cols, err = w.columns(a, idx); err != nil {
				return nil, err
			}
		}
		for s, spec := range w.specs {
			spec.fill(outs[s], k, cols, s, lo, hi)
		}
	}
	b.cols = append(b.cols, outs...)
	return b, nil
}

// bounds returns the index positions [lo, hi) of the window of a left
// row at t; hints carry the previous row's positions.
func (w *windowJoin) bounds(idx *asofIndex, t int64, hLo, hHi *int) (int, int) {
	start, end := t+w.lo, t+w.hi
	lo := gallop(idx.ts, *hLo, func(v int64) bool { return v >= start })
	hi := gallop(idx.ts, *hHi, func(v int64) bool { return v > end })
	*hLo, *hHi = lo, hi
	if w.prevailing && lo > 0 && (lo == len(idx.ts) || idx.ts[lo] > start) {
		lo-- // no row at the start: the one before it prevails there
	}
	return lo, max(hi, lo)
}
