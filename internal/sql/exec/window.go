package exec

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// windowCall is one f(...) OVER (PARTITION BY ... ORDER BY ... frame).
// Window functions are computed after WHERE over every remaining row:
// the rows are gathered with all table columns, sorted by partition and
// order keys, and each call writes one value per row. The select list,
// QUALIFY and ORDER BY then read the values as extra columns.
type windowCall struct {
	name      string
	args      []expr
	partition []expr
	order     []orderKey
	frame     frameSpec
	t         model.ColumnType
	alpha     float64 // ema
	offset    int     // lag, lead
	// runningEnd is how far a running min/max has looked in the current
	// partition.
	runningEnd int
}

// frameSpec is a ROWS frame as offsets from the current row; unbounded
// ends are ±MaxInt. peers: a RANGE frame ending at CURRENT ROW, which
// takes the current row's ORDER BY peers too (SQL's default frame).
type frameSpec struct {
	start, end int
	peers      bool
	// rangeMode: a RANGE frame with value offsets (see rangeLimits).
	rangeMode            bool
	rangeStart, rangeEnd rangeBound
}

const unbounded = math.MaxInt32

var windowOnly = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "lag": true, "lead": true,
	"first_value": true, "last_value": true, "ema": true, "delta": true, "ratio": true,
}

var windowAggregates = map[string]bool{"sum": true, "avg": true, "min": true, "max": true, "count": true}

// bindWindow binds one OVER call in the table scope sc.
func bindWindow(sc *scope, f *parser.FuncCall) (*windowCall, error) {
	name := strings.ToLower(f.Name)
	if !windowOnly[name] && !windowAggregates[name] {
		return nil, errAt(CodeNotSupported, f.Pos(), "%s is not supported as a window function", f.Name)
	}
	w := &windowCall{name: name, offset: 1}
	args := f.Args
	if f.Star {
		args = nil // count(*)
	}
	for _, a := range args {
		b, err := sc.bind(a)
		if err != nil {
			return nil, err
		}
		w.args = append(w.args, b)
	}
	for _, pe := range f.Over.PartitionBy {
		b, err := sc.bind(pe)
		if err != nil {
			return nil, err
		}
		w.partition = append(w.partition, b)
	}
	for _, o := range f.Over.OrderBy {
		b, err := sc.bind(o.Expr)
		if err != nil {
			return nil, err
		}
		k := orderKey{e: b, desc: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		w.order = append(w.order, k)
	}
	frame, err := bindFrame(f, w.order)
	if err != nil {
		return nil, err
	}
	w.frame = frame
	return w, w.typeCheck(f)
}

func bindFrame(f *parser.FuncCall, order []orderKey) (frameSpec, error) {
	fr := f.Over.Frame
	if fr == nil {
		if len(order) > 0 {
			return frameSpec{start: -unbounded, end: 0, peers: true}, nil
		}
		return frameSpec{start: -unbounded, end: unbounded}, nil
	}
	bound := func(b parser.FrameBound) (int, error) {
		switch b.Kind {
		case parser.BoundUnboundedPreceding:
			return -unbounded, nil
		case parser.BoundUnboundedFollowing:
			return unbounded, nil
		case parser.BoundCurrentRow:
			return 0, nil
		}
		n, ok := b.Offset.(*parser.IntLit)
		if !ok || n.Value < 0 || n.Value > unbounded/2 {
			return 0, errAt(CodeNotSupported, b.At, "frame offsets must be non-negative row counts")
		}
		if b.Kind == parser.BoundPreceding {
			return -int(n.Value), nil
		}
		return int(n.Value), nil
	}
	if fr.Unit != "ROWS" {
		if fr.End == nil && fr.Start.Kind == parser.BoundUnboundedPreceding {
			return frameSpec{start: -unbounded, end: 0, peers: true}, nil
		}
		return bindRangeFrame(fr, order)
	}
	start, err := bound(fr.Start)
	if err != nil {
		return frameSpec{}, err
	}
	end := 0
	if fr.End != nil {
		if end, err = bound(*fr.End); err != nil {
			return frameSpec{}, err
		}
	}
	if start > end {
		return frameSpec{}, errAt(CodeBadArguments, fr.At, "the frame starts after it ends")
	}
	return frameSpec{start: start, end: end}, nil
}

func (w *windowCall) typeCheck(f *parser.FuncCall) error {
	want := func(n ...int) error {
		for _, k := range n {
			if len(w.args) == k {
				return nil
			}
		}
		return errAt(CodeBadArguments, f.Pos(), "%s: wrong number of arguments (%d)", f.Name, len(w.args))
	}
	switch w.name {
	case "row_number", "rank", "dense_rank":
		w.t = model.TypeInt64
		return want(0)
	case "lag", "lead":
		if err := want(1, 2, 3); err != nil {
			return err
		}
		if len(w.args) >= 2 {
			c, ok := w.args[1].(*constExpr)
			if !ok || c.v.typ != model.TypeInt64 || c.v.i64[0] < 0 {
				return errAt(CodeBadArguments, f.Pos(), "%s offset must be a non-negative integer constant", f.Name)
			}
			w.offset = int(c.v.i64[0])
		}
		w.t = outType(w.args[0].typ())
	case "first_value", "last_value":
		w.t = outType(w.args[0].typ())
		return want(1)
	case "delta", "ratio":
		if err := want(1); err != nil {
			return err
		}
		w.t = model.TypeFloat64
		if w.name == "delta" && w.args[0].typ() == model.TypeInt64 {
			w.t = model.TypeInt64
		}
		if !w.args[0].typ().IsNumeric() {
			return errAt(CodeTypeMismatch, f.Pos(), "%s needs a number", f.Name)
		}
	case "ema":
		if err := want(2); err != nil {
			return err
		}
		c, ok := w.args[1].(*constExpr)
		if !ok || !c.v.typ.IsNumeric() || !w.args[0].typ().IsNumeric() {
			return errAt(CodeBadArguments, f.Pos(), "ema takes a number and a constant period or smoothing factor")
		}
		switch p := c.v.float(0); {
		case p > 0 && p < 1:
			w.alpha = p
		case p >= 1:
			w.alpha = 2 / (p + 1)
		default:
			return errAt(CodeBadArguments, f.Pos(), "ema period must be >= 1, or a factor between 0 and 1")
		}
		w.t = model.TypeFloat64
	case "count":
		w.t = model.TypeInt64
		if f.Star {
			w.args = nil
			return nil
		}
		return want(1)
	case "sum":
		w.t = model.TypeFloat64
		if w.args[0].typ().IsInteger() {
			w.t = model.TypeInt64
		}
		return want(1)
	case "avg":
		w.t = model.TypeFloat64
		return want(1)
	case "min", "max":
		w.t = outType(w.args[0].typ())
		return want(1)
	}
	return nil
}

// runWindowed gathers the filtered rows with the table columns the query
// reads, computes
// the window columns, and finishes the query over both.
func (x *Executor) runWindowed(ctx context.Context, p *selectPlan, units []unit) (*Result, error) {
	schema := p.table.Schema
	rows := 0 // without WHERE every row is gathered: make room once
	for _, u := range units {
		if p.where == nil {
			rows += u.chunk.Len()
		}
	}
	base := make([]*vec, len(schema.Columns)) // columns nothing reads stay nil
	for i, c := range schema.Columns {
		if p.windowCols[i] {
			base[i] = newVec(execType(c.Type), rows)
			base[i].truncate()
			base[i].dict = p.table.Dicts[i]
		}
	}
	var st scanState
	n := 0
	for _, u := range units {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := p.filtered(u, &st)
		if err != nil {
			return nil, mapRuntimeError(err)
		}
		if b == nil {
			continue
		}
		for i := range base {
			if base[i] == nil {
				continue
			}
			v, err := (&colRef{idx: i, t: base[i].typ}).eval(b)
			if err != nil {
				return nil, err
			}
			if err := p.budget.appendAll(base[i], v); err != nil {
				return nil, err
			}
		}
		n += b.n
	}
	all := &batch{cols: base, n: n, symCol: -1}
	cols := append([]*vec{}, base...)
	for _, w := range p.windows {
		v, err := w.compute(all)
		if err != nil {
			return nil, mapRuntimeError(err)
		}
		cols = append(cols, v)
	}
	return p.finish(&batch{cols: cols, n: n, symCol: -1})
}

// compute evaluates the call for every row of b.
func (w *windowCall) compute(b *batch) (*vec, error) {
	args := make([]*vec, len(w.args))
	for i, a := range w.args {
		v, err := a.eval(b)
		if err != nil {
			return nil, err
		}
		args[i] = v.dense()
	}
	if out, ok, err := w.computeFast(b, args); ok || err != nil {
		return out, err
	}
	keys := make([]*vec, 0, len(w.partition)+len(w.order))
	sortKeys := &selectPlan{}
	for _, e := range w.partition {
		v, err := e.eval(b)
		if err != nil {
			return nil, err
		}
		keys = append(keys, v.dense()) // symbols group by id: any grouping order will do
		sortKeys.order = append(sortKeys.order, orderKey{})
	}
	for _, o := range w.order {
		v, err := o.e.eval(b)
		if err != nil {
			return nil, err
		}
		keys = append(keys, textKeys(v.dense()))
		sortKeys.order = append(sortKeys.order, o)
	}
	perm := make([]int, b.n)
	for i := range perm {
		perm[i] = i
	}
	// Rows arrive grouped by series in time order, so PARTITION BY symbol
	// ORDER BY ts is often already satisfied: check before sorting.
	sorted := true
	for i := 1; i < len(perm) && sorted; i++ {
		sorted = !sortKeys.less(keys, perm[i], perm[i-1])
	}
	if !sorted {
		sort.SliceStable(perm, func(x, y int) bool { return sortKeys.less(keys, perm[x], perm[y]) })
	}
	out := newVec(w.t, b.n)
	np := len(w.partition)
	for lo := 0; lo < len(perm); {
		hi := lo + 1
		for hi < len(perm) && sameKeys(keys[:np], perm[lo], perm[hi]) {
			hi++
		}
		w.runningEnd = -1
		w.fillPartition(out, args, keys[np:], perm[lo:hi])
		lo = hi
	}
	return out, nil
}

// textKeys makes symbols comparable across rows as text.
func textKeys(v *vec) *vec {
	if v.typ != model.TypeSymbol {
		return v
	}
	out := newVec(model.TypeString, v.n)
	out.nulls = v.nulls
	for i := range out.s {
		out.s[i] = v.text(i)
	}
	return out
}

func sameKeys(keys []*vec, a, b int) bool {
	for _, k := range keys {
		if k.isNull(a) != k.isNull(b) || (!k.isNull(a) && cmpRows(k, a, b) != 0) {
			return false
		}
	}
	return true
}

// computeFast is compute when orderFast applies; ok is false otherwise.
func (w *windowCall) computeFast(b *batch, args []*vec) (*vec, bool, error) {
	if len(w.order) != 1 || len(w.partition) > 1 {
		return nil, false, nil
	}
	ord, err := w.order[0].e.eval(b)
	if err != nil {
		return nil, false, err
	}
	var part *vec
	if len(w.partition) == 1 {
		if part, err = w.partition[0].eval(b); err != nil {
			return nil, false, err
		}
	}
	ord = ord.dense()
	if part != nil && !part.constant {
		part = part.dense()
	}
	perm, bounds, ok := w.orderFast(part, ord, b.n)
	if !ok {
		return nil, false, nil
	}
	out := newVec(w.t, b.n)
	order := []*vec{ord}
	for i := 1; i < len(bounds); i++ {
		w.runningEnd = -1
		w.fillPartition(out, args, order, perm[bounds[i-1]:bounds[i]])
	}
	return out, true, nil
}
