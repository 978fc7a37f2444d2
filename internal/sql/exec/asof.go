package exec

import (
	"sort"
	"strings"
	"sync"

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
	kind                string // parser.JoinInner, ...
	// using holds the USING columns (lower case): an unqualified name of
	// one is the merged column (left's, right's for a RIGHT join, the
	// first non-NULL of both for FULL).
	using map[string]bool
	// used marks the joined columns some expression reads: only those
	// are materialized per joined batch.
	used []bool
}

func newJoinScope(left, right *rdb.Table, leftName, rightName, kind string) *joinScope {
	return &joinScope{left: left, right: right, leftName: leftName, rightName: rightName, kind: kind,
		used: make([]bool, len(left.Schema.Columns)+len(right.Schema.Columns))}
}

func lowerName(s string) string { return strings.ToLower(s) }

func (j *joinScope) width() int { return len(j.left.Schema.Columns) + len(j.right.Schema.Columns) }

// resolve finds qualifier.name (qualifier may be empty) in the joined row.
func (j *joinScope) resolve(e *parser.ColumnRef) (int, model.ColumnType, error) {
	q := strings.ToLower(e.Table)
	li, ri := j.left.Schema.ColumnIndex(e.Name), j.right.Schema.ColumnIndex(e.Name)
	if q == "" && j.using[lowerName(e.Name)] {
		switch j.kind {
		case parser.JoinFull:
			return 0, 0, errAt(CodeBadArguments, e.Pos(), "column %s merges both sides of the FULL JOIN", e.Name) // bindColumn binds it as coalesce
		case parser.JoinRight:
			li = -1
		default:
			ri = -1
		}
	}
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
	return j.onlySide(e, func(idx int) bool { return idx < len(j.left.Schema.Columns) })
}

// onlyRight reports whether every column of e resolves to the right table.
func (j *joinScope) onlyRight(e parser.Expr) bool {
	return j.onlySide(e, func(idx int) bool { return idx >= len(j.left.Schema.Columns) })
}

func (j *joinScope) onlySide(e parser.Expr, side func(int) bool) bool {
	only := true
	parser.Inspect(e, func(n parser.Expr) bool {
		if c, ok := n.(*parser.ColumnRef); ok {
			idx, _, err := j.resolve(c)
			only = only && err == nil && side(idx)
		}
		return only
	})
	return only
}

// merged reports an unqualified name of a FULL JOIN's USING column,
// which reads as coalesce(left.col, right.col).
func (j *joinScope) merged(e *parser.ColumnRef) bool {
	return e.Table == "" && j.kind == parser.JoinFull && j.using[lowerName(e.Name)]
}

func (j *joinScope) dicts() []*symtab.Dict {
	return append(append([]*symtab.Dict{}, j.left.Dicts...), j.right.Dicts...)
}

// asofPlan is the join of a SELECT over two tables. For ASOF joins it
// matches every left row with the right row of the same key whose
// designated timestamp is the nearest on the side the ON inequality
// names (t.ts >= q.ts: the latest quote at or before the trade), within
// an optional tolerance. Among right rows with equal timestamps the
// later-stored one is taken, as kdb+'s aj does. An ASOF JOIN drops left
// rows without a match (as DuckDB's); ASOF LEFT JOIN keeps them with
// NULLs. Hash joins (hashjoin.go) and window joins (windowjoin.go) share
// the scope, the keys and the right snapshot.
type asofPlan struct {
	budget     *memBudget
	scope      *joinScope
	kind       string // parser.JoinAsof, parser.JoinInner, ...
	keepAll    bool
	op         cmpOp // left.ts op right.ts: opGe, opGt, opLe, opLt
	nearest    bool
	tolerance  int64     // -1: none
	keys       []joinKey // the equalities of ON or USING; none: every right row is a candidate
	leftTS     int
	indexes    map[string]*asofIndex // by encoded key (joinkey.go)
	wholeIndex *asofIndex            // when there is no key
	built      bool                  // indexes holds every key
	rightSnap  *rdb.Snapshot
	mu         sync.Mutex
	// hash: an equi-join (INNER, LEFT, RIGHT, FULL, CROSS): every right
	// row of the key matches, not only the nearest in time.
	hash bool
	hj   *hashJoin
	// leftWhere holds the WHERE terms over left columns alone where they
	// may run before the join (the left side is kept or inner): they drop
	// left rows before any key is looked up. nil: none.
	leftWhere  predicate
	leftPushed string      // its SQL, for EXPLAIN
	window     *windowJoin // WINDOW JOIN, or nil
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

// bindAsof checks an ASOF join and finds its keys and inequality.
func bindAsof(j *parser.Join, js *joinScope) (*asofPlan, error) {
	left, right := js.left, js.right
	if left.Schema.TimestampCol < 0 || right.Schema.TimestampCol < 0 {
		return nil, errAt(CodeBadArguments, j.At, "%s JOIN needs designated timestamps on both sides", j.Kind)
	}
	if len(j.Using) > 0 {
		return nil, errAt(CodeNotSupported, j.At, "ASOF JOIN ... USING is not supported: write ON l.key = r.key AND l.ts >= r.ts")
	}
	a := &asofPlan{scope: js, kind: j.Kind, keepAll: j.Kind == parser.JoinAsofLeft, op: opGe, nearest: j.Nearest, tolerance: -1,
		leftTS: left.Schema.TimestampCol, indexes: map[string]*asofIndex{}}
	if j.Tolerance != nil {
		c, err := (&scope{}).bind(j.Tolerance)
		if err != nil {
			return nil, err
		}
		k, ok := c.(*constExpr)
		if !ok || k.v.typ != model.TypeInt64 || k.v.i64[0] < 0 {
			return nil, errAt(CodeBadArguments, j.Tolerance.Pos(), "TOLERANCE must be a non-negative interval")
		}
		a.tolerance = k.v.i64[0]
	}
	for _, term := range conjuncts(j.On) {
		if err := a.bindTerm(term); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// sides resolves a comparison of a left column with a right column,
// flipping it when written right to left. ok is false when the term is
// not such a comparison; err is set when a column does not resolve.
func (a *asofPlan) sides(term parser.Expr) (li, ri int, op cmpOp, ok bool, err error) {
	b, isBin := term.(*parser.BinaryExpr)
	if !isBin {
		return 0, 0, 0, false, nil
	}
	l, lok := b.L.(*parser.ColumnRef)
	r, rok := b.R.(*parser.ColumnRef)
	op, known := cmpOps[b.Op]
	if !lok || !rok || !known {
		return 0, 0, 0, false, nil
	}
	if li, _, err = a.scope.resolve(l); err != nil {
		return 0, 0, 0, false, err
	}
	if ri, _, err = a.scope.resolve(r); err != nil {
		return 0, 0, 0, false, err
	}
	n := len(a.scope.left.Schema.Columns)
	if li >= n && ri < n {
		li, ri, op = ri, li, op.flip()
	}
	if li >= n || ri < n {
		return 0, 0, 0, false, nil
	}
	return li, ri - n, op, true, nil
}

func (a *asofPlan) bindTerm(term parser.Expr) error {
	li, ri, op, ok, err := a.sides(term)
	if err != nil {
		return err
	}
	if !ok {
		return errAt(CodeNotSupported, term.Pos(), "%s JOIN ON takes left.col = right.col and one timestamp inequality, got %s", a.kind, term.String())
	}
	if op == opEq {
		return a.addKey(term.Pos(), li, ri)
	}
	if li != a.scope.left.Schema.TimestampCol || ri != a.scope.right.Schema.TimestampCol || op == opNe {
		return errAt(CodeNotSupported, term.Pos(), "the %s JOIN inequality must compare the designated timestamps", a.kind)
	}
	a.op = op
	return nil
}

// addKey adds the equality left column li = right column ri.
func (a *asofPlan) addKey(pos parser.Pos, li, ri int) error {
	lt, rt := a.scope.left.Schema.Columns[li].Type, a.scope.right.Schema.Columns[ri].Type
	kind, ok := keyKindOf(lt, rt)
	if !ok {
		return errAt(CodeTypeMismatch, pos, "%s JOIN key types %s and %s do not match", a.kind, lt, rt)
	}
	a.keys = append(a.keys, joinKey{left: li, right: ri, kind: kind})
	return nil
}

// leftSymKey reports a single text key on the left's designated symbol:
// every row of a left series then has the same key, the series' symbol.
func (a *asofPlan) leftSymKey() bool {
	return len(a.keys) == 1 && a.keys[0].kind == keyText && a.keys[0].left == a.scope.left.Schema.SymbolCol
}

// rightSymKey reports a single text key on the right's designated
// symbol: a key's rows are then the series of that symbol.
func (a *asofPlan) rightSymKey() bool {
	return len(a.keys) == 1 && a.keys[0].kind == keyText && a.keys[0].right == a.scope.right.Schema.SymbolCol
}

// index returns the right rows of one encoded key (key ignored without
// keys), built on first use. Keyed by the designated symbol, only that
// symbol's series are read.
func (a *asofPlan) index(snap *rdb.Snapshot, key string) *asofIndex {
	a.mu.Lock() // scans run in parallel; indexes are built once, then only read
	defer a.mu.Unlock()
	switch {
	case len(a.keys) == 0:
		if a.wholeIndex == nil {
			a.wholeIndex = &asofIndex{}
			a.scan(snap, func(*rdb.Series) bool { return true }, func(*keyReader, int) *asofIndex { return a.wholeIndex })
			a.wholeIndex.sort()
		}
		return a.wholeIndex
	case a.rightSymKey():
		return a.symbolIndex(snap, key)
	}
	if !a.built {
		a.built = true
		var buf []byte
		a.scan(snap, func(*rdb.Series) bool { return true }, func(k *keyReader, r int) *asofIndex {
			var ok bool
			if buf, ok = k.appendKey(buf[:0], r); !ok {
				return nil // a NULL key matches nothing
			}
			idx := a.indexes[string(buf)]
			if idx == nil {
				idx = &asofIndex{}
				a.indexes[string(buf)] = idx
			}
			return idx
		})
		for _, idx := range a.indexes {
			idx.sort()
		}
	}
	return a.indexes[key]
}

// symbolIndex returns the index of the right series of one symbol text.
func (a *asofPlan) symbolIndex(snap *rdb.Snapshot, key string) *asofIndex {
	if idx, ok := a.indexes[key]; ok {
		return idx
	}
	rt := a.scope.right
	id, ok := rt.Dicts[rt.Schema.SymbolCol].Lookup(key)
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
	a.scan(snap, func(s *rdb.Series) bool { return s.Symbol == id }, func(*keyReader, int) *asofIndex { return idx })
	idx.sort()
	a.indexes[key] = idx
	return idx
}

// scan adds every right row of the chosen series, in storage order, to
// the index into picks for it.
func (a *asofPlan) scan(snap *rdb.Snapshot, want func(*rdb.Series) bool, into func(*keyReader, int) *asofIndex) {
	rt := a.scope.right
	tsCol := rt.Schema.TimestampCol
	for _, part := range snap.Partitions {
		for _, s := range part.AllSeries() {
			if !want(s) {
				continue
			}
			for _, c := range s.Chunks {
				kr := newKeyReader(c, rt.Dicts, a.keys, false)
				ts := c.Cols[tsCol].Int64
				for r := 0; r < c.Len(); r++ {
					if idx := into(&kr, r); idx != nil {
						idx.add(ts[r], true, c, r)
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
