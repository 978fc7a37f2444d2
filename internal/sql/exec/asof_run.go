package exec

import (
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// joinBatch joins the rows of one left chunk (all of them: WHERE runs on
// the joined rows) and returns them as a batch of dense columns, left
// columns first; nil when no row is left.
func (a *asofPlan) joinBatch(u unit) *batch {
	lt := a.scope.left
	c := u.chunk
	var ts []int64
	if a.leftTS >= 0 {
		ts = c.Cols[a.leftTS].Int64
	}
	n := c.Len()
	rows := make([]int32, 0, n) // left rows kept
	refs := make([]asofRef, 0, n)
	matched := make([]bool, 0, n)
	var constKey *asofIndex
	keyConst := a.leftKey < 0 || a.leftKey == lt.Schema.SymbolCol
	if keyConst {
		switch {
		case a.leftKey < 0:
			constKey = a.index(a.rightSnap, "")
		case u.sym != rdb.NullSymbol: // a NULL key matches nothing
			constKey = a.index(a.rightSnap, lt.Dicts[a.leftKey].String(u.sym))
		}
	}
	hint := 0
	for r := 0; r < n; r++ {
		idx := constKey
		if !keyConst {
			k, ok := keyText(c.Cols[a.leftKey], lt.Dicts[a.leftKey], r)
			idx = nil
			if ok {
				idx = a.index(a.rightSnap, k)
			}
			hint = 0 // another key's index: no useful hint
		}
		if a.hash {
			rows, refs, matched = a.hashMatches(idx, int32(r), rows, refs, matched)
			continue
		}
		m := -1
		if idx != nil {
			m = a.match(idx, ts[r], &hint)
		}
		if m < 0 && !a.keepAll {
			continue
		}
		rows = append(rows, int32(r))
		if m >= 0 {
			refs, matched = append(refs, idx.ref(m)), append(matched, true)
		} else {
			refs, matched = append(refs, asofRef{}), append(matched, false)
		}
	}
	if len(rows) == 0 {
		return nil
	}
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

// hashMatches appends a left row once per right row of its key (or once
// with no match for a LEFT join).
func (a *asofPlan) hashMatches(idx *asofIndex, r int32, rows []int32, refs []asofRef, matched []bool) ([]int32, []asofRef, []bool) {
	if idx == nil || len(idx.locs) == 0 {
		if a.keepAll {
			rows, refs, matched = append(rows, r), append(refs, asofRef{}), append(matched, false)
		}
		return rows, refs, matched
	}
	for i := range idx.locs {
		rows, refs, matched = append(rows, r), append(refs, idx.ref(i)), append(matched, true)
	}
	return rows, refs, matched
}
