package exec

import (
	"unsafe"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// hashJoin is the build side of an INNER, LEFT, RIGHT, FULL or CROSS
// join: the right rows that pass the right side's pushed-down filter,
// grouped by encoded key (joinkey.go), each group's rows contiguous and
// in storage order. It is built once per query, before the scan, and only
// read after, so the parallel probes need no lock. A CROSS join, or an
// INNER join without an equality, has one group holding every right row.
type hashJoin struct {
	keepLeft   bool // LEFT, FULL: a left row without a match gets NULLs
	keepRight  bool // RIGHT, FULL: a right row without a match gets NULLs
	rightWhere predicate
	rightPrune pruning
	pushed     string // the SQL of the pushed-down right terms, for EXPLAIN
	// onRight: a LEFT join's ON terms over the right table alone; a right
	// row failing them matches nothing, so they filter the build side.
	onRight []parser.Expr

	groups   map[string]int32
	start    []int32  // group g holds locs[start[g]:start[g+1]]
	locs     []uint64 // chunk (into chunks) << 32 | row
	chunks   []*rdb.Chunk
	maxGroup int
	matched  []bool // RIGHT, FULL: group g has a left row of its key
}

// joinBatchRows bounds the rows of one joined batch (a left piece times
// its largest key group) so that a many-to-many key or a CROSS join
// streams instead of materializing the product of a whole chunk.
const joinBatchRows = 1 << 16

// bindHashJoin binds the keys of a hash join. ON terms other than
// left.col = right.col equalities are returned to run as a filter after
// matching, which only an INNER join allows: for outer joins they would
// decide which rows count as unmatched.
func bindHashJoin(j *parser.Join, js *joinScope) (*asofPlan, parser.Expr, error) {
	a := &asofPlan{scope: js, kind: j.Kind, hash: true, tolerance: -1, leftTS: -1,
		hj: &hashJoin{rightPrune: newPruning(), keepLeft: j.Kind == parser.JoinLeft || j.Kind == parser.JoinFull,
			keepRight: j.Kind == parser.JoinRight || j.Kind == parser.JoinFull}}
	if len(j.Using) > 0 {
		return a, nil, a.bindUsing(j)
	}
	var extra []parser.Expr
	for _, term := range conjuncts(j.On) {
		li, ri, op, ok, err := a.sides(term)
		if err != nil {
			return nil, nil, err
		}
		if ok && op == opEq {
			if err := a.addKey(term.Pos(), li, ri); err != nil {
				return nil, nil, err
			}
			continue
		}
		extra = append(extra, term)
	}
	if j.Kind == parser.JoinLeft && len(extra) > 0 && allRight(js, extra) {
		a.hj.onRight, extra = extra, nil
	}
	switch {
	case len(extra) > 0 && j.Kind != parser.JoinInner:
		return nil, nil, errAt(CodeNotSupported, extra[0].Pos(),
			"%s JOIN ON supports only left.col = right.col equalities (joined by AND), not %s: filter in WHERE or in a subquery", j.Kind, extra[0].String())
	case len(a.keys) == 0 && j.Kind != parser.JoinInner && j.Kind != parser.JoinCross:
		return nil, nil, errAt(CodeNotSupported, j.At, "%s JOIN needs at least one left.col = right.col equality", j.Kind)
	}
	return a, andAll(extra), nil
}

func allRight(js *joinScope, terms []parser.Expr) bool {
	for _, t := range terms {
		if !js.onlyRight(t) {
			return false
		}
	}
	return true
}

// bindUsing binds USING (cols): each column equal on both sides. The
// scope then lets an unqualified name refer to the merged column.
func (a *asofPlan) bindUsing(j *parser.Join) error {
	js := a.scope
	js.using = map[string]bool{}
	for _, name := range j.Using {
		li, ri := js.left.Schema.ColumnIndex(name), js.right.Schema.ColumnIndex(name)
		if li < 0 || ri < 0 {
			return errAt(CodeUnknownColumn, j.At, "USING column %s must be in both %s and %s", name, js.leftName, js.rightName)
		}
		if err := a.addKey(j.At, li, ri); err != nil {
			return err
		}
		js.using[lowerName(name)] = true
	}
	return nil
}

// prepare builds the hash table before the scan and returns the units to
// scan: the left units, split so that joined batches stay small, then for
// RIGHT and FULL joins the right units whose unmatched rows are emitted.
func (a *asofPlan) prepare(units []unit) ([]unit, error) {
	if !a.hash {
		return units, nil
	}
	h := a.hj
	rightUnits := h.rightPrune.units(a.rightSnap, a.scope.right.Schema)
	if err := h.build(a, rightUnits); err != nil {
		return nil, err
	}
	if h.keepRight {
		if err := h.markMatched(a, units); err != nil {
			return nil, err
		}
	}
	units = splitUnits(units, h.maxGroup)
	if h.keepRight {
		for _, u := range rightUnits {
			u.right = true
			units = append(units, u)
		}
	}
	return units, nil
}

// splitUnits cuts units into pieces of at most joinBatchRows/fanout rows.
func splitUnits(units []unit, fanout int) []unit {
	piece := max(joinBatchRows/max(fanout, 1), 1)
	var out []unit
	for _, u := range units {
		n := u.chunk.Len()
		if n <= piece {
			out = append(out, u)
			continue
		}
		for lo := 0; lo < n; lo += piece {
			p := u
			p.lo, p.hi = int32(lo), int32(min(lo+piece, n))
			out = append(out, p)
		}
	}
	return out
}

// build groups the filtered right rows by key: one pass assigns groups,
// a counting sort lays each group's rows out contiguously.
func (h *hashJoin) build(a *asofPlan, units []unit) error {
	rt := a.scope.right
	h.groups = map[string]int32{}
	var gids []int32
	var locs []uint64
	var buf []byte
	var st scanState
	for _, u := range units {
		rows, err := filterRows(h.rightWhere, rt, u, &st.sels)
		if err != nil {
			return err
		}
		h.chunks = append(h.chunks, u.chunk)
		ci := uint64(len(h.chunks)-1) << 32
		kr := newKeyReader(u.chunk, rt.Dicts, a.keys, false)
		for _, r := range rows {
			var ok bool
			if buf, ok = kr.appendKey(buf[:0], int(r)); !ok {
				continue // a NULL key matches nothing
			}
			g, found := h.groups[string(buf)]
			if !found {
				g = int32(len(h.groups))
				h.groups[string(buf)] = g
			}
			gids, locs = append(gids, g), append(locs, ci|uint64(uint32(r)))
		}
	}
	// The table holds a location and a group per right row, and each
	// group's key.
	keyBytes := int64(0)
	for k := range h.groups {
		keyBytes += int64(len(k)) + 48
	}
	if err := a.budget.charge(int64(len(locs))*12 + keyBytes); err != nil {
		return err
	}
	h.layout(gids, locs)
	return nil
}

// layout orders locs by group, keeping storage order within a group.
func (h *hashJoin) layout(gids []int32, locs []uint64) {
	h.start = make([]int32, len(h.groups)+1)
	for _, g := range gids {
		h.start[g+1]++
	}
	for g := 1; g < len(h.start); g++ {
		h.maxGroup = max(h.maxGroup, int(h.start[g]))
		h.start[g] += h.start[g-1]
	}
	next := append([]int32(nil), h.start[:len(h.groups)]...)
	h.locs = make([]uint64, len(locs))
	for i, g := range gids {
		h.locs[next[g]] = locs[i]
		next[g]++
	}
	h.matched = make([]bool, len(h.groups))
}

func (h *hashJoin) ref(loc uint64) asofRef {
	return asofRef{chunk: h.chunks[loc>>32], row: int32(uint32(loc))}
}

// groupLookup finds the group of each left row of one unit.
type groupLookup struct {
	constant bool
	g        int32 // when constant; -1: none
	reader   keyReader
	buf      []byte
}

func (h *hashJoin) lookup(a *asofPlan, u unit) *groupLookup {
	lt := a.scope.left
	k := &groupLookup{g: -1}
	switch {
	case len(a.keys) == 0:
		k.constant = true
		if len(h.groups) > 0 {
			k.g = 0
		}
	case a.leftSymKey():
		k.constant = true
		if u.sym != rdb.NullSymbol { // a NULL key matches nothing
			if g, ok := h.groups[lt.Dicts[lt.Schema.SymbolCol].String(u.sym)]; ok {
				k.g = g
			}
		}
	default:
		k.reader = newKeyReader(u.chunk, lt.Dicts, a.keys, true)
	}
	return k
}

func (k *groupLookup) group(h *hashJoin, r int) int32 {
	if k.constant {
		return k.g
	}
	var ok bool
	if k.buf, ok = k.reader.appendKey(k.buf[:0], r); !ok {
		return -1
	}
	if g, found := h.groups[string(k.buf)]; found {
		return g
	}
	return -1
}

// probeBatch joins the rows of one left unit with their key's group.
func (h *hashJoin) probeBatch(a *asofPlan, u unit, st *scanState) (*batch, error) {
	rows, err := a.leftRows(u, st)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	look := h.lookup(a, u)
	// Pieces of the left unit are cut to hold about joinBatchRows pairs,
	// but one left row meets a whole key group, however large: the batch
	// is charged, at most, before it is built.
	a.budget.release(st.transient)
	st.transient = int64(len(rows)*max(h.maxGroup, 1)) * int64(4+unsafe.Sizeof(asofRef{})+1+8*uintptr(len(a.scope.right.Schema.Columns)))
	if err := a.budget.charge(st.transient); err != nil {
		return nil, err
	}
	out := make([]int32, 0, len(rows))
	refs, matched := make([]asofRef, 0, len(rows)), make([]bool, 0, len(rows))
	for _, r := range rows {
		g := look.group(h, int(r))
		if g < 0 {
			if h.keepLeft {
				out, refs, matched = append(out, r), append(refs, asofRef{}), append(matched, false)
			}
			continue
		}
		for _, l := range h.locs[h.start[g]:h.start[g+1]] {
			out, refs, matched = append(out, r), append(refs, h.ref(l)), append(matched, true)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return a.joined(u.chunk, out, refs, matched), nil
}

// markMatched records which groups some left row reaches, before the
// scan, so that the unmatched right rows can be emitted by any worker at
// any time instead of after every probe has finished.
func (h *hashJoin) markMatched(a *asofPlan, units []unit) error {
	var st scanState
	for _, u := range units {
		rows, err := a.leftRows(u, &st)
		if err != nil {
			return err
		}
		look := h.lookup(a, u)
		if look.constant {
			if look.g >= 0 && len(rows) > 0 {
				h.matched[look.g] = true
			}
			continue
		}
		for _, r := range rows {
			if g := look.group(h, int(r)); g >= 0 {
				h.matched[g] = true
			}
		}
	}
	return nil
}

// unmatchedBatch returns the rows of one right unit that no left row
// matches (a NULL key never matches), with NULLs for the left columns.
func (h *hashJoin) unmatchedBatch(a *asofPlan, u unit, st *scanState) (*batch, error) {
	rt := a.scope.right
	rows, err := filterRows(h.rightWhere, rt, u, &st.joinSels)
	if err != nil {
		return nil, err
	}
	kr := newKeyReader(u.chunk, rt.Dicts, a.keys, false)
	keep := make([]int32, 0, len(rows))
	var buf []byte
	for _, r := range rows {
		var ok bool
		if buf, ok = kr.appendKey(buf[:0], int(r)); ok {
			if g, found := h.groups[string(buf)]; found && h.matched[g] {
				continue
			}
		}
		keep = append(keep, r)
	}
	if len(keep) == 0 {
		return nil, nil
	}
	cols := make([]*vec, a.scope.width())
	nl := len(a.scope.left.Schema.Columns)
	for i, col := range a.scope.left.Schema.Columns {
		if a.scope.used[i] {
			cols[i] = nullVec(col.Type, a.scope.left.Dicts[i], len(keep))
		}
	}
	for i, col := range u.chunk.Cols {
		if a.scope.used[nl+i] {
			cols[nl+i] = fromColumn(col, rt.Dicts[i], keep, len(keep)).dense()
		}
	}
	return &batch{cols: cols, n: len(keep), symCol: -1}, nil
}

// nullVec returns n NULLs of a storage type.
func nullVec(t model.ColumnType, dict *symtab.Dict, n int) *vec {
	v := newVec(execType(t), n)
	v.dict = dict
	for i := 0; i < n; i++ {
		v.setNull(i)
	}
	return v
}

// filterRows returns the rows of unit u of table t that pass pred (all
// of the unit's rows when pred is nil), as a slice the caller keeps.
func filterRows(pred predicate, t *rdb.Table, u unit, sels *[2][]int32) ([]int32, error) {
	lo, hi := u.bounds()
	b := &batch{chunk: u.chunk, dicts: t.Dicts, n: u.chunk.Len(), symCol: t.Schema.SymbolCol, seriesSym: u.sym, sels: sels}
	if lo > 0 || hi < u.chunk.Len() {
		b.sel = make([]int32, hi-lo)
		for i := range b.sel {
			b.sel[i] = int32(lo + i)
		}
		b.n = len(b.sel)
	}
	if pred != nil {
		sel, err := pred.filter(b)
		if err != nil || !b.narrow(sel) {
			return nil, err
		}
	}
	rows := make([]int32, b.n)
	for i := range rows {
		rows[i] = int32(physRow(b, i))
	}
	return rows, nil
}
