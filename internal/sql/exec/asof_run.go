package exec

import (
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// joinBatch joins the rows of one unit (a left chunk, or a right chunk
// of a RIGHT or FULL join's unmatched rows) and returns them as a batch
// of dense columns, left columns first; nil when no row is left.
func (a *asofPlan) joinBatch(u unit, st *scanState) (*batch, error) {
	switch {
	case u.right:
		return a.hj.unmatchedBatch(a, u, st)
	case a.hash:
		return a.hj.probeBatch(a, u, st)
	case a.window != nil:
		return a.window.batch(a, u, st)
	}
	rows, err := a.leftRows(u, st)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	refs, matched := make([]asofRef, 0, len(rows)), make([]bool, 0, len(rows))
	kept := rows[:0]
	keys := a.keyLookup(u)
	ts := u.chunk.Cols[a.leftTS].Int64
	hint, prev := 0, (*asofIndex)(nil)
	for _, r := range rows {
		idx := keys.index(a, int(r))
		if idx != prev {
			hint, prev = 0, idx // another key's index: no useful hint
		}
		m := -1
		if idx != nil {
			m = a.match(idx, ts[r], &hint)
		}
		if m < 0 && !a.keepAll {
			continue
		}
		kept = append(kept, r)
		if m >= 0 {
			refs, matched = append(refs, idx.ref(m)), append(matched, true)
		} else {
			refs, matched = append(refs, asofRef{}), append(matched, false)
		}
	}
	if len(kept) == 0 {
		return nil, nil
	}
	return a.joined(u.chunk, kept, refs, matched), nil
}

// leftRows returns the rows of a left unit that take part in the join:
// the unit's rows, less those a pushed-down WHERE term drops. The slice
// is the caller's to keep.
func (a *asofPlan) leftRows(u unit, st *scanState) ([]int32, error) {
	return filterRows(a.leftWhere, a.scope.left, u, &st.joinSels)
}

// keyLookup finds the right index of each left row of one unit.
type keyLookup struct {
	constant bool
	idx      *asofIndex // when constant
	reader   keyReader
	buf      []byte
}

func (a *asofPlan) keyLookup(u unit) *keyLookup {
	lt := a.scope.left
	k := &keyLookup{}
	switch {
	case len(a.keys) == 0:
		k.constant, k.idx = true, a.index(a.rightSnap, "")
	case a.leftSymKey():
		k.constant = true
		if u.sym != rdb.NullSymbol { // a NULL key matches nothing
			k.idx = a.index(a.rightSnap, lt.Dicts[lt.Schema.SymbolCol].String(u.sym))
		}
	default:
		k.reader = newKeyReader(u.chunk, lt.Dicts, a.keys, true)
	}
	return k
}

func (k *keyLookup) index(a *asofPlan, r int) *asofIndex {
	if k.constant {
		return k.idx
	}
	var ok bool
	if k.buf, ok = k.reader.appendKey(k.buf[:0], r); !ok {
		return nil
	}
	return a.index(a.rightSnap, string(k.buf))
}

// joined builds the joined batch: the left rows of chunk c and, beside
// each, its right row (NULLs where matched is false).
func (a *asofPlan) joined(c *rdb.Chunk, rows []int32, refs []asofRef, matched []bool) *batch {
	lt := a.scope.left
	cols := make([]*vec, a.scope.width()) // columns no expression reads stay nil
	nl := len(c.Cols)
	for i, col := range c.Cols {
		if a.scope.used[i] {
			cols[i] = fromColumn(col, lt.Dicts[i], rows, len(rows)).dense()
		}
	}
	for i, col := range a.scope.right.Schema.Columns {
		if a.scope.used[nl+i] {
			cols[nl+i] = gatherRight(col.Type, i, a.scope.right.Dicts[i], refs, matched)
		}
	}
	return &batch{cols: cols, n: len(rows), symCol: -1}
}

// gatherRight copies column i of the matched right rows into a dense
// vector, NULL where a left row found no match.
func gatherRight(t model.ColumnType, i int, dict *symtab.Dict, refs []asofRef, matched []bool) *vec {
	out := newVec(execType(t), len(refs))
	out.dict = dict
	for k, ref := range refs {
		if !matched[k] || ref.chunk.Cols[i].IsNull(int(ref.row)) {
			out.setNull(k)
			continue
		}
		src, r := ref.chunk.Cols[i], ref.row
		switch t {
		case model.TypeInt64, model.TypeTimestamp:
			out.i64[k] = src.Int64[r]
		case model.TypeInt32:
			out.i64[k] = int64(src.Int32[r])
		case model.TypeFloat64:
			out.f64[k] = src.Float64[r]
		case model.TypeFloat32:
			out.f64[k] = float64(src.Float32[r])
		case model.TypeSymbol:
			out.sym[k] = src.Symbol[r]
		case model.TypeString:
			out.s[k] = src.String[r]
		case model.TypeBool:
			out.b[k] = src.Bool[r]
		}
	}
	return out
}
