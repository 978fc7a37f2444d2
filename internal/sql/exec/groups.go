package exec

import (
	"encoding/binary"
	"math"

	"github.com/zeptodb/zeptodb/internal/model"
)

// groupTable maps GROUP BY key tuples to dense group ids. Each key value
// is encoded as an int64 slot (integers and timestamps as themselves,
// floats as bits, symbols as dictionary ids, strings as ids of a local
// intern table), so a row's tuple compares with the previous row's in a
// few integer compares; the hash map is consulted only when the tuple
// changes, which for time-ordered data is rare.
type groupTable struct {
	keyTypes []model.ColumnType
	keyVals  []*vec // one dense vector per key: the key of each group
	n        int    // number of groups

	single  map[int64]int32  // one key, not NULL
	multi   map[string]int32 // other cases, by encoded tuple
	strIDs  map[string]int64 // local ids of STRING key values
	buf     []byte
	last    []int64
	lastNul uint64
	lastGID int32
	scratch [][]int64
}

func newGroupTable(keyTypes []model.ColumnType) *groupTable {
	g := &groupTable{keyTypes: keyTypes, single: map[int64]int32{}, multi: map[string]int32{},
		strIDs: map[string]int64{}, last: make([]int64, len(keyTypes)), lastGID: -1}
	for _, t := range keyTypes {
		v := newVec(t, 0)
		g.keyVals = append(g.keyVals, v)
	}
	if len(keyTypes) == 0 {
		g.n = 1 // a global aggregate has exactly one group, even over no rows
	}
	return g
}

// slots encodes key vector v for the batch's logical rows.
func (g *groupTable) slots(v *vec, n, j int) []int64 {
	if len(g.scratch) <= j {
		g.scratch = append(g.scratch, nil)
	}
	out := g.scratch[j][:0]
	switch v.typ {
	case model.TypeInt64, model.TypeTimestamp:
		if v.sel == nil && !v.constant {
			out = append(out, v.i64[:n]...)
			break
		}
		for i := 0; i < n; i++ {
			out = append(out, v.i64[v.phys(i)])
		}
	case model.TypeFloat64:
		for i := 0; i < n; i++ {
			out = append(out, int64(math.Float64bits(v.f64[v.phys(i)])))
		}
	case model.TypeSymbol:
		for i := 0; i < n; i++ {
			out = append(out, int64(v.sym[v.phys(i)]))
		}
	case model.TypeBool:
		for i := 0; i < n; i++ {
			out = append(out, b2i(v.b[v.phys(i)]))
		}
	default:
		for i := 0; i < n; i++ {
			out = append(out, g.strID(v.text(i)))
		}
	}
	g.scratch[j] = out
	return out
}

func (g *groupTable) strID(s string) int64 {
	id, ok := g.strIDs[s]
	if !ok {
		id = int64(len(g.strIDs))
		g.strIDs[s] = id
	}
	return id
}

// assign sets gids[i] to the group of logical row i, creating groups as
// needed. When every key is constant over the batch it returns uniform
// with the one group instead and leaves gids alone.
func (g *groupTable) assign(keys []*vec, n int, gids []int32) (uniform bool, one int32) {
	if len(keys) == 0 {
		return true, 0
	}
	allConst := true
	for _, k := range keys {
		allConst = allConst && k.constant
	}
	if allConst {
		return true, g.lookupRow(keys, 0, g.rowSlots(keys, 0))
	}
	cols := make([][]int64, len(keys))
	var varying []int
	anyNull := false
	cur := make([]int64, len(keys))
	for j, k := range keys {
		cols[j] = g.slots(k, n, j)
		anyNull = anyNull || k.hasNulls()
		if k.constant {
			cur[j] = cols[j][0]
			if g.lastGID >= 0 && cur[j] != g.last[j] {
				g.lastGID = -1 // a new series: the cached tuple is stale
			}
		} else {
			varying = append(varying, j)
		}
	}
	if len(varying) == 1 && !anyNull {
		g.assignOne(keys, cols[varying[0]], varying[0], cur, gids)
		return false, 0
	}
	for i := 0; i < n; i++ {
		same := g.lastGID >= 0
		for _, j := range varying {
			cur[j] = cols[j][i]
			same = same && cur[j] == g.last[j]
		}
		var nul uint64
		if anyNull {
			nul = nullMask(keys, i)
		}
		// Compare the NULL pattern even when this batch has no NULLs: the
		// cached tuple may be a NULL key of the previous batch, whose slot
		// value (0) equals a real zero.
		same = same && nul == g.lastNul
		if !same {
			g.lastGID = g.find(keys, i, cur, nul)
			copy(g.last, cur)
			g.lastNul = nul
		}
		gids[i] = g.lastGID
	}
	return false, 0
}

// assignOne is assign for tuples where only key j varies and nothing is
// NULL: one compare per row.
func (g *groupTable) assignOne(keys []*vec, col []int64, j int, cur []int64, gids []int32) {
	if g.lastNul != 0 {
		g.lastGID = -1
	}
	lastGID, lastV := g.lastGID, g.last[j]
	for i, x := range col[:len(gids)] {
		if x != lastV || lastGID < 0 {
			cur[j] = x
			lastGID, lastV = g.find(keys, i, cur, 0), x
		}
		gids[i] = lastGID
	}
	copy(g.last, cur)
	g.last[j] = lastV
	g.lastGID, g.lastNul = lastGID, 0
}

func nullMask(keys []*vec, i int) uint64 {
	var m uint64
	for j, k := range keys {
		if k.isNull(i) {
			m |= 1 << (uint(j) & 63)
		}
	}
	return m
}

func (g *groupTable) rowSlots(keys []*vec, i int) []int64 {
	cur := make([]int64, len(keys))
	for j, k := range keys {
		cur[j] = g.slots(k, 1, j)[0]
		_ = i
	}
	return cur
}

func (g *groupTable) lookupRow(keys []*vec, i int, cur []int64) int32 {
	return g.find(keys, i, cur, nullMask(keys, i))
}

// find returns the group of a tuple, adding it (with the key values of
// logical row i of keys) if new.
func (g *groupTable) find(keys []*vec, i int, cur []int64, nul uint64) int32 {
	if len(cur) == 1 && nul == 0 {
		if id, ok := g.single[cur[0]]; ok {
			return id
		}
		id := g.add(keys, i)
		g.single[cur[0]] = id
		return id
	}
	g.buf = g.buf[:0]
	for j, s := range cur {
		if nul&(1<<(uint(j)&63)) != 0 {
			s = 0
		}
		g.buf = binary.LittleEndian.AppendUint64(g.buf, uint64(s))
	}
	g.buf = binary.LittleEndian.AppendUint64(g.buf, nul)
	if id, ok := g.multi[string(g.buf)]; ok {
		return id
	}
	id := g.add(keys, i)
	g.multi[string(g.buf)] = id
	return id
}

// add appends a group whose key is logical row i of keys.
func (g *groupTable) add(keys []*vec, i int) int32 {
	for j, k := range keys {
		appendValue(g.keyVals[j], k, i)
	}
	g.n++
	return int32(g.n - 1)
}

// appendValue appends logical row i of src to the dense vector dst.
func appendValue(dst, src *vec, i int) {
	row := dst.n
	dst.n++
	if src.isNull(i) {
		dst.setNull(row)
	}
	p := src.phys(i)
	switch dst.typ {
	case model.TypeInt64, model.TypeTimestamp:
		dst.i64 = append(dst.i64, src.i64[p])
	case model.TypeFloat64:
		dst.f64 = append(dst.f64, src.f64[p])
	case model.TypeBool:
		dst.b = append(dst.b, src.b[p])
	case model.TypeSymbol:
		dst.sym = append(dst.sym, src.sym[p])
		dst.dict = src.dict
	default:
		dst.s = append(dst.s, src.text(i))
	}
}

// mergeInto maps every group of o to a group of g (adding missing ones)
// and returns the mapping o-group → g-group.
func (g *groupTable) mergeInto(o *groupTable) []int32 {
	mapping := make([]int32, o.n)
	if len(g.keyTypes) == 0 {
		return mapping // both have the single group 0
	}
	for i := 0; i < o.n; i++ {
		cur := make([]int64, len(o.keyVals))
		for j, k := range o.keyVals {
			row := &vec{typ: k.typ, i64: k.i64, f64: k.f64, b: k.b, s: k.s, sym: k.sym, dict: k.dict, nulls: k.nulls, n: o.n}
			cur[j] = g.slotOf(row, i)
		}
		mapping[i] = g.find(o.keyVals, i, cur, nullMask(o.keyVals, i))
	}
	return mapping
}

func (g *groupTable) slotOf(v *vec, i int) int64 {
	switch v.typ {
	case model.TypeInt64, model.TypeTimestamp:
		return v.i64[i]
	case model.TypeFloat64:
		return int64(math.Float64bits(v.f64[i]))
	case model.TypeSymbol:
		return int64(v.sym[i])
	case model.TypeBool:
		return b2i(v.b[i])
	}
	return g.strID(v.s[i])
}
