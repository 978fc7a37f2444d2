package exec

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// joinScope resolves names over a left and a right table: the joined row
// is the left table's columns followed by the right table's.
type joinScope struct {
	left, right         *rdb.Table
	leftName, rightName string // alias, else table name (lower case)
	// used marks the joined columns some expression reads: only those
	// are materialized per joined batch.
	used []bool
}

func (j *joinScope) width() int { return len(j.left.Schema.Columns) + len(j.right.Schema.Columns) }

// resolve finds qualifier.name (qualifier may be empty) in the joined row.
func (j *joinScope) resolve(e *parser.ColumnRef) (int, model.ColumnType, error) {
	q := strings.ToLower(e.Table)
	li, ri := j.left.Schema.ColumnIndex(e.Name), j.right.Schema.ColumnIndex(e.Name)
	switch {
	case q == j.leftName && li >= 0, q == "" && li >= 0 && ri < 0:
		return li, execType(j.left.Schema.Columns[li].Type), nil
	case q == j.rightName && ri >= 0, q == "" && ri >= 0 && li < 0:
		n := len(j.left.Schema.Columns)
		return n + ri, execType(j.right.Schema.Columns[ri].Type), nil
	case q == "" && li >= 0 && ri >= 0:
		return 0, 0, errAt(CodeBadArguments, e.Pos(), "column %s is in both %s and %s: qualify it", e.Name, j.leftName, j.rightName)
	}
	return 0, 0, errAt(CodeUnknownColumn, e.Pos(), "unknown column %s", e.String())
}

// onlyLeft reports whether every column of e resolves to the left table,
// so that e may prune the left table's partitions and chunks.
func (j *joinScope) onlyLeft(e parser.Expr) bool {
	only := true
	parser.Inspect(e, func(n parser.Expr) bool {
		if c, ok := n.(*parser.ColumnRef); ok {
			idx, _, err := j.resolve(c)
			only = only && err == nil && idx < len(j.left.Schema.Columns)
		}
		return only
	})
	return only
}

func (j *joinScope) dicts() []*symtab.Dict {
	return append(append([]*symtab.Dict{}, j.left.Dicts...), j.right.Dicts...)
}

// asofPlan joins every left row with the right row of the same key whose
// designated timestamp is the nearest on the side the ON inequality
// names (t.ts >= q.ts: the latest quote at or before the trade), within
// an optional tolerance. Among right rows with equal timestamps the
// later-stored one is taken, as kdb+'s aj does. An ASOF JOIN drops left
// rows without a match (as DuckDB's); ASOF LEFT JOIN keeps them with
// NULLs.
type asofPlan struct {
	scope      *joinScope
	keepAll    bool
	op         cmpOp // left.ts op right.ts: opGe, opGt, opLe, opLt
	nearest    bool
	tolerance  int64 // -1: none
	leftKey    int   // left column of the equality key, -1 for none
	rightKey   int
	leftTS     int
	indexes    map[string]*asofIndex // by key text
	wholeIndex *asofIndex            // when there is no key
	built      bool                  // indexes holds every key
	rightSnap  *rdb.Snapshot
	mu         sync.Mutex
	// hash: an equi-join (INNER, or LEFT with keepAll): every right row
	// of the key matches, not only the nearest in time.
	hash bool
}

// bindHashJoin binds INNER and LEFT joins on one column equality.
func bindHashJoin(j *parser.Join, js *joinScope) (*asofPlan, *joinScope, error) {
	a := &asofPlan{scope: js, keepAll: j.Kind == parser.JoinLeft, hash: true, tolerance: -1,
		leftKey: -1, rightKey: -1, leftTS: js.left.Schema.TimestampCol, indexes: map[string]*asofIndex{}}
	if j.On == nil || len(j.Using) > 0 {
		return nil, nil, errAt(CodeNotSupported, j.At, "%s JOIN needs ON left.col = right.col (USING is not supported yet)", j.Kind)
	}
	for _, term := range conjuncts(j.On) {
		b, ok := term.(*parser.BinaryExpr)
		if !ok || b.Op != "=" {
			return nil, nil, errAt(CodeNotSupported, term.Pos(), "%s JOIN ON supports one column equality, got %s", j.Kind, term.String())
		}
		if err := a.bindTerm(term); err != nil {
			return nil, nil, err
		}
	}
	if a.leftKey < 0 {
		return nil, nil, errAt(CodeNotSupported, j.At, "%s JOIN needs a column equality", j.Kind)
	}
	return a, js, nil
}

// asofIndex holds the right rows of one key ordered by timestamp, ties in
// storage order.
type asofIndex struct {
	ts []int64
	// locs[i] is row i's place: chunk number (into chunks) << 32 | row.
	// Pointer-free, so the garbage collector never scans these arrays,
	// which hold a row per right-side row.
	locs   []uint64
	chunks []*rdb.Chunk
}

// ref returns the chunk and row of position i.
func (x *asofIndex) ref(i int) asofRef {
	l := x.locs[i]
	return asofRef{chunk: x.chunks[l>>32], row: int32(uint32(l))}
}

// add appends a row of chunk c (the index's newest chunk, or a new one).
func (x *asofIndex) add(ts int64, hasTS bool, c *rdb.Chunk, row int) {
	if n := len(x.chunks); n == 0 || x.chunks[n-1] != c {
		x.chunks = append(x.chunks, c)
	}
	if hasTS {
		x.ts = append(x.ts, ts)
	}
	x.locs = append(x.locs, uint64(len(x.chunks)-1)<<32|uint64(uint32(row)))
}

type asofRef struct {
	chunk *rdb.Chunk
	row   int32
}

// bindAsof checks an ASOF join and finds its key and inequality.
func bindAsof(j *parser.Join, left, right *rdb.Table, leftName, rightName string) (*asofPlan, *joinScope, error) {
	js := &joinScope{left: left, right: right, leftName: leftName, rightName: rightName,
		used: make([]bool, len(left.Schema.Columns)+len(right.Schema.Columns))}
	if j.Kind == parser.JoinInner || j.Kind == parser.JoinLeft {
		return bindHashJoin(j, js)
	}
	if left.Schema.TimestampCol < 0 || right.Schema.TimestampCol < 0 {
		return nil, nil, errAt(CodeBadArguments, j.At, "ASOF JOIN needs designated timestamps on both sides")
	}
	a := &asofPlan{scope: js, keepAll: j.Kind == parser.JoinAsofLeft, op: opGe, nearest: j.Nearest, tolerance: -1,
		leftKey: -1, rightKey: -1, leftTS: left.Schema.TimestampCol, indexes: map[string]*asofIndex{}}
	if j.Tolerance != nil {
		c, err := (&scope{}).bind(j.Tolerance)
		if err != nil {
			return nil, nil, err
		}
		k, ok := c.(*constExpr)
		if !ok || k.v.typ != model.TypeInt64 || k.v.i64[0] < 0 {
			return nil, nil, errAt(CodeBadArguments, j.Tolerance.Pos(), "TOLERANCE must be a non-negative interval")
		}
		a.tolerance = k.v.i64[0]
	}
	for _, term := range conjuncts(j.On) {
		if err := a.bindTerm(term); err != nil {
			return nil, nil, err
		}
	}
	return a, js, nil
}

func (a *asofPlan) bindTerm(term parser.Expr) error {
	b, ok := term.(*parser.BinaryExpr)
	l, lok := b.L.(*parser.ColumnRef)
	r, rok := b.R.(*parser.ColumnRef)
	if !ok || !lok || !rok {
		return errAt(CodeNotSupported, term.Pos(), "ASOF JOIN ON takes column = column and one timestamp inequality, got %s", term.String())
	}
	li, _, err := a.scope.resolve(l)
	if err != nil {
		return err
	}
	ri, _, err := a.scope.resolve(r)
	if err != nil {
		return err
	}
	n := len(a.scope.left.Schema.Columns)
	op, known := cmpOps[b.Op]
	if li >= n && ri < n { // written right-to-left
		li, ri, op = ri, li, op.flip()
	}
	if !known || li >= n || ri < n {
		return errAt(CodeNotSupported, term.Pos(), "ASOF JOIN ON must compare a left column with a right column: %s", term.String())
	}
	ri -= n
	if op == opEq {
		if a.leftKey >= 0 {
			return errAt(CodeNotSupported, term.Pos(), "ASOF JOIN with more than one key column is not supported yet")
		}
		lt, rt := a.scope.left.Schema.Columns[li].Type, a.scope.right.Schema.Columns[ri].Type
		if lt.IsText() != rt.IsText() || lt.IsFloat() || rt.IsFloat() {
			return errAt(CodeTypeMismatch, term.Pos(), "ASOF JOIN key types %s and %s do not match", lt, rt)
		}
		a.leftKey, a.rightKey = li, ri
		return nil
	}
	if li != a.scope.left.Schema.TimestampCol || ri != a.scope.right.Schema.TimestampCol || op == opNe {
		return errAt(CodeNotSupported, term.Pos(), "the ASOF JOIN inequality must compare the designated timestamps")
	}
	a.op = op
	return nil
}

// keyText renders a key value so that left and right keys of different
// dictionaries and widths compare as equal text.
func keyText(c *column.Vector, dict *symtab.Dict, row int) (string, bool) {
	if c.IsNull(row) {
		return "", false
	}
	switch c.Type {
	case model.TypeSymbol:
		return dict.String(c.Symbol[row]), true
	case model.TypeString:
		return c.String[row], true
	case model.TypeInt32:
		return strconv.FormatInt(int64(c.Int32[row]), 10), true
	case model.TypeBool:
		if c.Bool[row] {
			return "true", true
		}
		return "false", true
	}
	return strconv.FormatInt(c.Int64[row], 10), true
}

// index returns the right rows of one key (key ignored without a key
// column), built on first use. Keyed by the designated symbol, only that
// symbol's series are read.
func (a *asofPlan) index(snap *rdb.Snapshot, key string) *asofIndex {
	a.mu.Lock() // scans run in parallel; indexes are built once, then only read
	defer a.mu.Unlock()
	rt := a.scope.right
	switch {
	case a.rightKey < 0:
		if a.wholeIndex == nil {
			a.wholeIndex = &asofIndex{}
			a.scan(snap, func(*rdb.Series) bool { return true }, func(*column.Vector, int) *asofIndex { return a.wholeIndex })
			a.wholeIndex.sort()
		}
		return a.wholeIndex
	case a.rightKey == rt.Schema.SymbolCol:
		if idx, ok := a.indexes[key]; ok {
			return idx
		}
		id, ok := rt.Dicts[a.rightKey].Lookup(key)
		if !ok {
			a.indexes[key] = nil
			return nil
		}
		rows := 0
		for _, part := range snap.Partitions {
			if s := part.Series(id); s != nil {
				rows += s.Rows()
			}
		}
		idx := &asofIndex{ts: make([]int64, 0, rows), locs: make([]uint64, 0, rows)}
		a.scan(snap, func(s *rdb.Series) bool { return s.Symbol == id }, func(*column.Vector, int) *asofIndex { return idx })
		idx.sort()
		a.indexes[key] = idx
		return idx
	}
	if !a.built {
		a.built = true
		dict := rt.Dicts[a.rightKey]
		a.scan(snap, func(*rdb.Series) bool { return true }, func(c *column.Vector, r int) *asofIndex {
			k, ok := keyText(c, dict, r)
			if !ok {
				return nil // a NULL key matches nothing
			}
			idx := a.indexes[k]
			if idx == nil {
				idx = &asofIndex{}
				a.indexes[k] = idx
			}
			return idx
		})
		for _, idx := range a.indexes {
			idx.sort()
		}
	}
	return a.indexes[key]
}

// scan adds every right row of the chosen series, in storage order, to
// the index into picks for it.
func (a *asofPlan) scan(snap *rdb.Snapshot, want func(*rdb.Series) bool, into func(*column.Vector, int) *asofIndex) {
	tsCol := a.scope.right.Schema.TimestampCol
	keyCol := max(a.rightKey, 0)
	for _, part := range snap.Partitions {
		for _, s := range part.AllSeries() {
			if !want(s) {
				continue
			}
			for _, c := range s.Chunks {
				var ts []int64
				if tsCol >= 0 { // a hash join's right table may have no designated timestamp
					ts = c.Cols[tsCol].Int64
				}
				for r := 0; r < c.Len(); r++ {
					if idx := into(c.Cols[keyCol], r); idx != nil {
						var t int64
						if ts != nil {
							t = ts[r]
						}
						idx.add(t, ts != nil, c, r)
					}
				}
			}
		}
	}
}

func (x *asofIndex) sort() {
	if len(x.ts) != len(x.locs) {
		return // no timestamps: storage order
	}
	if sort.SliceIsSorted(x.ts, func(i, j int) bool { return x.ts[i] < x.ts[j] }) {
		return
	}
	perm := make([]int, len(x.ts))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(i, j int) bool { return x.ts[perm[i]] < x.ts[perm[j]] })
	ts, locs := make([]int64, len(perm)), make([]uint64, len(perm))
	for i, p := range perm {
		ts[i], locs[i] = x.ts[p], x.locs[p]
	}
	x.ts, x.locs = ts, locs
}

// match returns the position in idx of the right row for a left row at
// t, or -1. hint is the position of the previous row's upper bound: when
// left rows come in time order the bounds only move forward, so they are
// found by galloping from there instead of a full binary search.
func (a *asofPlan) match(idx *asofIndex, t int64, hint *int) int {
	if idx == nil || len(idx.ts) == 0 {
		return -1
	}
	upper := gallop(idx.ts, *hint, func(v int64) bool { return v > t }) // first after t
	*hint = upper
	lower := upper // first at or after t
	for lower > 0 && idx.ts[lower-1] == t {
		lower--
	}
	back, fwd := -1, -1
	switch {
	case a.nearest:
		back, fwd = upper-1, lower
	case a.op == opGe:
		back = upper - 1
	case a.op == opGt:
		back = lower - 1
	case a.op == opLe:
		fwd = lower
	case a.op == opLt:
		fwd = upper
	}
	if fwd >= len(idx.ts) {
		fwd = -1
	}
	best := back
	if fwd >= 0 && (best < 0 || idx.ts[fwd]-t < t-idx.ts[best]) {
		best = fwd
	}
	if best >= 0 && a.tolerance >= 0 && absDiff(idx.ts[best], t) > a.tolerance {
		return -1
	}
	return best
}

// gallop returns the first i with after(ts[i]) (ts sorted, after
// monotone: false then true), searching outward from hint.
func gallop(ts []int64, hint int, after func(int64) bool) int {
	n := len(ts)
	hint = min(max(hint, 0), n)
	if hint > 0 && after(ts[hint-1]) {
		// The answer is before hint: gallop backwards from hi, known after.
		hi, step := hint-1, 1
		for {
			lo := hi - step
			if lo < 0 {
				return sort.Search(hi+1, func(i int) bool { return after(ts[i]) })
			}
			if !after(ts[lo]) {
				return lo + 1 + sort.Search(hi-lo, func(i int) bool { return after(ts[lo+1+i]) })
			}
			hi, step = lo, step*2
		}
	}
	// Everything before hint is not after: gallop forwards.
	lo, step := hint, 1
	for lo < n {
		hi := lo + step
		if hi >= n {
			return lo + sort.Search(n-lo, func(i int) bool { return after(ts[lo+i]) })
		}
		if after(ts[hi]) {
			return lo + sort.Search(hi-lo, func(i int) bool { return after(ts[lo+i]) })
		}
		lo, step = hi+1, step*2
	}
	return n
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}
