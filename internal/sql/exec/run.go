package exec

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

func (x *Executor) execSelect(ctx context.Context, s *parser.Select) (*Result, error) {
	return x.runQuery(ctx, s, nil)
}

// runSelect runs a SELECT and also returns the table it read and that
// table's version at the time (nil for SELECT without FROM).
func (x *Executor) runSelect(ctx context.Context, s *parser.Select, env *queryEnv) (*Result, *rdb.Table, uint64, error) {
	p, err := x.planSelect(ctx, s, env)
	if err != nil {
		return nil, nil, 0, err
	}
	return x.runPlanned(ctx, p, env)
}

// runPlanned runs a planned SELECT (see runSelect).
func (x *Executor) runPlanned(ctx context.Context, p *selectPlan, env *queryEnv) (*Result, *rdb.Table, uint64, error) {
	if p.table == nil {
		res, err := x.selectNoFrom(p)
		return res, nil, 0, err
	}
	snap := p.table.Snapshot()
	defer snap.Release()
	if p.asof != nil {
		p.asof.rightSnap = snap
		if right := p.asof.scope.right; right != p.table { // one snapshot per table: a second read lock could deadlock
			rs := right.Snapshot()
			defer rs.Release()
			p.asof.rightSnap = rs
		}
		res, err := x.selectSnapshot(ctx, p, snap)
		if err == nil {
			err = snapshotErr(snap, p.asof.rightSnap)
		}
		return res, nil, 0, err // two tables: the cache (keyed by one table's version) keeps nothing
	}
	res, err := x.selectSnapshot(ctx, p, snap)
	if err == nil {
		err = snapshotErr(snap)
	}
	if p.volatile || env.derived(p.table) {
		return res, nil, 0, err // no table: the cache keeps nothing
	}
	return res, p.table, snap.Version, err
}

// snapshotErr fails a query that touched a sealed partition that could
// not be read back: its answer would lack those rows.
func snapshotErr(snaps ...*rdb.Snapshot) error {
	for _, s := range snaps {
		if err := s.Err(); err != nil {
			return &Error{Code: CodeCorrupt, Msg: "a sealed partition could not be read, the query has no answer: " + err.Error()}
		}
	}
	return nil
}

// selectNoFrom evaluates a SELECT without FROM over a single row.
func (x *Executor) selectNoFrom(p *selectPlan) (*Result, error) {
	one := &batch{n: 1, symCol: -1}
	if p.agg == nil {
		return p.finish(one)
	}
	a := newAggregator(p.agg)
	if err := a.consume(one); err != nil {
		return nil, mapRuntimeError(err)
	}
	return p.finish(&batch{cols: a.results(), n: a.groups.n, symCol: -1})
}

// selectSnapshot runs a planned SELECT over a table snapshot.
func (x *Executor) selectSnapshot(ctx context.Context, p *selectPlan, snap *rdb.Snapshot) (*Result, error) {
	units := p.prune.units(snap, p.table.Schema)
	var rows uint64
	for _, u := range units {
		rows += uint64(u.chunk.Len())
	}
	x.rowsScanned.Add(rows)
	countRead(ctx, int64(rows))
	if p.asof != nil {
		var err error
		if units, err = p.asof.prepare(units); err != nil {
			return nil, mapRuntimeError(err)
		}
	}
	start := time.Now()
	if p.agg != nil {
		cols, n, err := x.runAggregation(ctx, p, units)
		if err != nil {
			return nil, err
		}
		p.stats.stage(p.stageName(), n, start)
		if p.sample != nil {
			start = time.Now()
			cols, n = p.sample.fill(cols, n, len(p.agg.keys))
			p.stats.stage("sample by fill", n, start)
		}
		start = time.Now()
		res, err := p.finish(&batch{cols: cols, n: n, symCol: -1})
		if err == nil {
			p.stats.stage("finish (having, sort, limit)", res.Rows, start)
		}
		return res, err
	}
	var res *Result
	var err error
	switch k, topK := p.topKeyed(); {
	case p.latestOn != nil:
		res, err = x.runLatestOn(ctx, p, units)
	case p.windows != nil:
		res, err = x.runWindowed(ctx, p, units)
	case topK:
		res, err = x.runTopK(ctx, p, units, k)
	default:
		res, err = x.runPlain(ctx, p, units)
	}
	if err == nil {
		p.stats.stage(p.stageName(), res.Rows, start)
	}
	return res, err
}

// newBatch reads one unit.
func (p *selectPlan) newBatch(u unit) *batch {
	return &batch{chunk: u.chunk, dicts: p.table.Dicts, n: u.chunk.Len(), symCol: p.table.Schema.SymbolCol, seriesSym: u.sym, part: u.part, base: u.base}
}

// scanState is what one scanning goroutine reuses from unit to unit.
type scanState struct {
	sels     [2][]int32
	joinSels [2][]int32 // a join's left-side filter, before the join
	reversed []int32    // runLatest's block rows, newest first
	// transient is what the last batch built charged to the memory
	// budget; it is given back when the next one is built, the last
	// having been consumed by then.
	transient int64
}

// filtered applies WHERE to a unit's batch; it returns nil when no row
// passes. The batch's selection lives in st until the next call.
func (p *selectPlan) filtered(u unit, st *scanState) (*batch, error) {
	if p.stats == nil {
		return p.filterUnit(u, st)
	}
	start := time.Now()
	b, err := p.filterUnit(u, st)
	p.stats.scanned(u.chunk.Len(), b, time.Since(start))
	return b, err
}

func (p *selectPlan) filterUnit(u unit, st *scanState) (*batch, error) {
	b := p.newBatch(u)
	if p.asof != nil {
		var err error
		if b, err = p.asof.joinBatch(u, st); b == nil || err != nil {
			return nil, err
		}
	}
	b.sels = &st.sels
	if p.where == nil {
		return b, nil
	}
	sel, err := p.where.filter(b)
	if err != nil || !b.narrow(sel) {
		return nil, err
	}
	return b, nil
}

// parallel splits units into contiguous ranges of about equal rows and
// runs fn on each range in its own goroutine once the scan is large
// enough; contiguous ranges keep results in scan order when merged in
// range order.
func (x *Executor) parallel(ctx context.Context, units []unit, fn func(ctx context.Context, part []unit, w int) error) (int, error) {
	var total int64
	for _, u := range units {
		total += int64(u.chunk.Len())
	}
	workers := x.opts.Workers
	if total <= x.opts.ParallelThreshold || workers < 2 || len(units) < 2 {
		return 1, fn(ctx, units, 0)
	}
	workers = min(workers, len(units))
	ranges := make([][]unit, 0, workers)
	per, start, acc := total/int64(workers)+1, 0, int64(0)
	for i, u := range units {
		acc += int64(u.chunk.Len())
		if acc >= per && len(ranges) < workers-1 {
			ranges = append(ranges, units[start:i+1])
			start, acc = i+1, 0
		}
	}
	ranges = append(ranges, units[start:])
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(ranges))
	var wg sync.WaitGroup
	for w, r := range ranges {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// A bug in a scan goroutine must fail the query, not the server.
				if v := recover(); v != nil {
					errs[w] = fmt.Errorf("internal error in a parallel scan: %v\n%s", v, debug.Stack())
					cancel()
				}
			}()
			if errs[w] = fn(ctx, r, w); errs[w] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	// The goroutine that failed cancelled the others: its error, not
	// their cancellation, is the statement's.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return 0, err
		}
		if first == nil {
			first = err
		}
	}
	if first != nil {
		return 0, first
	}
	return len(ranges), nil
}

// aggregator accumulates one worker's groups.
type aggregator struct {
	plan    *aggPlan
	groups  *groupTable
	states  []aggState
	gids    []int32
	keys    []*vec
	in      aggInput
	runBuf  []groupRun
	needTS  bool // some aggregate is first or last
	charged int  // groups charged to the memory budget
}

func newAggregator(a *aggPlan) *aggregator {
	types := make([]model.ColumnType, len(a.keys))
	for i, k := range a.keys {
		types[i] = k.typ()
	}
	g := &aggregator{plan: a, groups: newGroupTable(types), keys: make([]*vec, len(a.keys))}
	for _, s := range a.specs {
		g.states = append(g.states, newAggState(s))
		g.needTS = g.needTS || s.name == "first" || s.name == "last"
	}
	_ = g.grow() // one group at most: nothing worth charging fails here
	return g
}

func newAggState(s *aggSpec) aggState {
	if s.distinct {
		plain := *s
		plain.distinct = false
		return newDistinctFeed(s.args[0].typ(), newAggState(&plain))
	}
	switch s.name {
	case "count":
		return &countAgg{star: s.star}
	case "sum":
		if s.t == model.TypeInt64 {
			return &sumIntAgg{}
		}
		return &sumFloatAgg{}
	case "avg":
		return &avgAgg{}
	case "vwap", "wavg":
		return &vwapAgg{}
	case "var_samp", "var_pop", "stddev_samp", "stddev_pop":
		return &varianceAgg{kind: s.name}
	case "quantile", "quantile_exact":
		return &quantileAgg{p: s.p, exact: s.name == "quantile_exact"}
	case "count_distinct":
		return &distinctAgg{strIDs: map[string]int64{}, t: s.args[0].typ()}
	case "arg_min", "arg_max":
		return &argAgg{max: s.name == "arg_max", arg: values{t: s.t}, best: values{t: outType(s.args[1].typ())}}
	case "min", "max":
		return &minMaxAgg{max: s.name == "max", v: values{t: s.t}}
	}
	return &firstLastAgg{last: s.name == "last", v: values{t: s.t}}
}

// grow makes room in every state for the groups there are now, and
// charges the new groups to the statement's memory budget.
func (a *aggregator) grow() error {
	for _, s := range a.states {
		s.grow(a.groups.n)
	}
	if added := a.groups.n - a.charged; added > 0 {
		a.charged = a.groups.n
		return a.plan.budget.charge(int64(added) * int64(16*(len(a.keys)+len(a.states))+48))
	}
	return nil
}

func (a *aggregator) consume(b *batch) error {
	keys, constant := a.keys, true
	for i, k := range a.plan.keys {
		v, err := k.eval(b)
		if err != nil {
			return err
		}
		keys[i] = v
		constant = constant && v.constant
	}
	in := &a.in
	*in = aggInput{n: b.n, args: in.args[:0]}
	if !constant {
		if cap(a.gids) < b.n {
			a.gids = make([]int32, b.n)
		}
		in.gids = a.gids[:b.n]
	}
	uniform, one := a.groups.assign(keys, b.n, in.gids)
	if uniform {
		in.gids, in.one = nil, one
	}
	if err := a.grow(); err != nil {
		return err
	}
	if a.needTS && a.plan.tsCol >= 0 {
		ts, err := (&colRef{idx: a.plan.tsCol, t: model.TypeTimestamp}).eval(b)
		if err != nil {
			return err
		}
		in.ts = ts
	}
	if b.chunk != nil && a.plan.tsCol >= 0 {
		in.sorted = b.chunk.Sorted && !b.reversed
	}
	args := make([][]*vec, len(a.plan.specs))
	for i, s := range a.plan.specs {
		for _, arg := range s.args {
			v, err := arg.eval(b)
			if err != nil {
				return err
			}
			args[i] = append(args[i], v)
		}
	}
	if in.gids != nil {
		if runs := a.runs(in.gids); runs != nil {
			return a.updateRuns(in, args, runs)
		}
	}
	for i := range a.states {
		in.args = args[i]
		if err := a.states[i].update(in); err != nil {
			return err
		}
	}
	return nil
}

// groupRun is a stretch of rows of one group.
type groupRun struct {
	g      int32
	lo, hi int
}

// runs splits group ids into runs when they are long on average (time-
// ordered data grouped by time buckets), else returns nil.
func (a *aggregator) runs(gids []int32) []groupRun {
	out := a.runBuf[:0]
	start := 0
	for i := 1; i < len(gids); i++ {
		if gids[i] != gids[i-1] {
			out = append(out, groupRun{g: gids[start], lo: start, hi: i})
			start = i
			if len(out)*16 > len(gids) {
				return nil
			}
		}
	}
	out = append(out, groupRun{g: gids[start], lo: start, hi: len(gids)})
	a.runBuf = out
	return out
}

// updateRuns feeds each run to the aggregates as a batch of one group,
// so their single-group kernels (plain sums, first/last from the ends of
// sorted data) apply.
func (a *aggregator) updateRuns(in *aggInput, args [][]*vec, runs []groupRun) error {
	sub := aggInput{sorted: in.sorted}
	subArgs := make([]*vec, 0, 2)
	for _, r := range runs {
		sub.one, sub.n = r.g, r.hi-r.lo
		if in.ts != nil {
			sub.ts = sliceVec(in.ts, r.lo, r.hi)
		}
		for i, st := range a.states {
			subArgs = subArgs[:0]
			for _, v := range args[i] {
				subArgs = append(subArgs, sliceVec(v, r.lo, r.hi))
			}
			sub.args = subArgs
			if err := st.update(&sub); err != nil {
				return err
			}
		}
	}
	return nil
}

// sliceVec returns logical rows [lo, hi) of v without copying values.
func sliceVec(v *vec, lo, hi int) *vec {
	s := *v
	s.n = hi - lo
	switch {
	case v.constant:
	case v.sel != nil:
		s.sel = v.sel[lo:hi]
	case v.nulls != nil:
		sel := make([]int32, hi-lo)
		for i := range sel {
			sel[i] = int32(lo + i)
		}
		s.sel = sel
	default:
		switch v.typ {
		case model.TypeInt64, model.TypeTimestamp:
			s.i64 = v.i64[lo:hi]
		case model.TypeFloat64:
			s.f64 = v.f64[lo:hi]
		case model.TypeBool:
			s.b = v.b[lo:hi]
		case model.TypeString:
			s.s = v.s[lo:hi]
		case model.TypeSymbol:
			s.sym = v.sym[lo:hi]
		}
	}
	return &s
}

// merge folds o (a later range of the scan) into a.
func (a *aggregator) merge(o *aggregator) error {
	mapping := a.groups.mergeInto(o.groups)
	// o's groups were charged as o found them.
	a.charged = a.groups.n
	if err := a.grow(); err != nil {
		return err
	}
	for i, s := range a.states {
		if err := s.merge(o.states[i], mapping); err != nil {
			return err
		}
	}
	return nil
}

// runAggregation scans and aggregates; it returns the key columns then
// the aggregate columns, one row per group.
func (x *Executor) runAggregation(ctx context.Context, p *selectPlan, units []unit) ([]*vec, int, error) {
	if p.latestPerSymbol() {
		return x.runLatest(ctx, p, units)
	}
	if p.onlyCountStar() {
		// count(*) with no filter and no groups: the chunks know their sizes.
		var rows int64
		for _, u := range units {
			rows += int64(u.chunk.Len())
		}
		a := newAggregator(p.agg)
		for _, s := range a.states {
			s.(*countAgg).counts[0] = rows
		}
		return a.results(), 1, nil
	}
	aggs := make([]*aggregator, max(x.opts.Workers, 1))
	fused := p.asofFusable()
	n, err := x.parallel(ctx, units, func(ctx context.Context, part []unit, w int) error {
		a := newAggregator(p.agg)
		aggs[w] = a
		var st scanState
		var fuser *asofFuser
		if fused {
			fuser = newAsofFuser(p.asof)
		}
		for _, u := range part {
			if err := ctx.Err(); err != nil {
				return err
			}
			if fused {
				if err := fuser.consume(a, u, &st); err != nil {
					return err
				}
				continue
			}
			b, err := p.filtered(u, &st)
			if err != nil {
				return err
			}
			if b != nil {
				if err := a.consume(b); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, mapRuntimeError(err)
	}
	a := aggs[0]
	for _, o := range aggs[1:n] {
		if err := a.merge(o); err != nil {
			return nil, 0, mapRuntimeError(err)
		}
	}
	return a.results(), a.groups.n, nil
}

// onlyCountStar reports a global count(*) without WHERE.
func (p *selectPlan) onlyCountStar() bool {
	if p.where != nil || p.asof != nil || len(p.agg.keys) > 0 || len(p.agg.specs) == 0 {
		return false
	}
	for _, s := range p.agg.specs {
		if s.name != "count" || !s.star {
			return false
		}
	}
	return true
}

// results returns the key columns then the aggregate columns.
func (a *aggregator) results() []*vec {
	cols := append([]*vec(nil), a.groups.keyVals...)
	for _, s := range a.states {
		cols = append(cols, s.result(a.groups.n))
	}
	for _, c := range cols {
		c.n = a.groups.n
	}
	return cols
}

func mapRuntimeError(err error) error {
	if err == ErrOverflow {
		return &Error{Code: CodeOverflow, Msg: "integer overflow"}
	}
	return err
}

// runPlain scans without aggregation: filter, project, then order and
// limit the collected rows.
func (x *Executor) runPlain(ctx context.Context, p *selectPlan, units []unit) (*Result, error) {
	want := int64(-1)
	if p.limit >= 0 && len(p.order) == 0 && p.limitBy == nil {
		want = p.offset + p.limit
	}
	outs := make([]*collector, max(x.opts.Workers, 1))
	scan := func(ctx context.Context, part []unit, w int) error {
		c := newCollector(p)
		outs[w] = c
		var st scanState
		for _, u := range part {
			if err := ctx.Err(); err != nil {
				return err
			}
			if want >= 0 && int64(c.n) >= want {
				return nil
			}
			b, err := p.filtered(u, &st)
			if err != nil {
				return err
			}
			if b != nil {
				if err := c.add(b); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var n int
	var err error
	if want >= 0 {
		n, err = 1, scan(ctx, units, 0) // a LIMIT without ORDER BY stops early
	} else {
		n, err = x.parallel(ctx, units, scan)
	}
	if err != nil {
		return nil, mapRuntimeError(err)
	}
	all := outs[0]
	for _, o := range outs[1:n] {
		if err := all.append(o); err != nil {
			return nil, err
		}
	}
	return p.finishCollected(all)
}

// collector accumulates projected columns and order keys.
type collector struct {
	p    *selectPlan
	cols []*vec // projections, then order keys
	n    int
}

func newCollector(p *selectPlan) *collector {
	c := &collector{p: p}
	for _, e := range p.proj {
		c.cols = append(c.cols, newVec(outType(e.typ()), 0))
	}
	for _, o := range p.order {
		c.cols = append(c.cols, newVec(outType(o.e.typ()), 0))
	}
	return c
}

// outType is the type a collected value is kept as: symbols become text
// so that values of different chunks and dictionaries can be mixed.
func outType(t model.ColumnType) model.ColumnType {
	if t == model.TypeSymbol {
		return model.TypeString
	}
	return t
}

func (c *collector) add(b *batch) error {
	exprs := make([]expr, 0, len(c.cols))
	exprs = append(exprs, c.p.proj...)
	for _, o := range c.p.order {
		exprs = append(exprs, o.e)
	}
	for i, e := range exprs {
		v, err := e.eval(b)
		if err != nil {
			return err
		}
		if err := c.p.budget.appendAll(c.cols[i], v); err != nil {
			return err
		}
	}
	c.n += b.n
	return nil
}

func (c *collector) append(o *collector) error {
	for i, v := range o.cols {
		if err := c.p.budget.appendAll(c.cols[i], v); err != nil {
			return err
		}
	}
	c.n += o.n
	return nil
}

// appendAll appends every logical row of src to the dense vector dst:
// by type, whole slices or selected rows, not value by value.
func appendAll(dst, src *vec) {
	base := dst.n
	switch {
	case src.typ == dst.typ:
		switch dst.typ {
		case model.TypeInt64, model.TypeTimestamp:
			dst.i64 = appendRows(dst.i64, src.i64, src)
		case model.TypeFloat64:
			dst.f64 = appendRows(dst.f64, src.f64, src)
		case model.TypeBool:
			dst.b = appendRows(dst.b, src.b, src)
		case model.TypeString:
			dst.s = appendRows(dst.s, src.s, src)
		case model.TypeSymbol:
			dst.sym, dst.dict = appendRows(dst.sym, src.sym, src), src.dict
		}
	case dst.typ == model.TypeString && src.typ == model.TypeSymbol:
		dst.s = appendSymbolText(dst.s, src)
	default:
		for i := 0; i < src.n; i++ {
			appendValue(dst, src, i)
		}
		return
	}
	dst.n += src.n
	if src.hasNulls() {
		for i := 0; i < src.n; i++ {
			if src.isNull(i) {
				dst.setNull(base + i)
			}
		}
	}
}

// appendRows appends the logical rows of src, whose values are data.
func appendRows[T any](dst, data []T, src *vec) []T {
	switch {
	case src.constant:
		dst = slices.Grow(dst, src.n)
		v := data[0]
		for range src.n {
			dst = append(dst, v)
		}
		return dst
	case src.sel != nil:
		dst = slices.Grow(dst, src.n)
		for _, p := range src.sel[:src.n] {
			dst = append(dst, data[p])
		}
		return dst
	}
	return append(dst, data[:src.n]...)
}

// appendSymbolText appends the text of each logical row of a SYMBOL
// vector, looking a run of one id up once.
func appendSymbolText(dst []string, src *vec) []string {
	dst = slices.Grow(dst, src.n)
	last, text := uint32(0), ""
	for i := 0; i < src.n; i++ {
		id := src.sym[src.phys(i)]
		if i == 0 || id != last {
			last, text = id, src.dict.String(id)
		}
		dst = append(dst, text)
	}
	return dst
}
