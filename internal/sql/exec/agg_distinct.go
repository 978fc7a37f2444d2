package exec

import (
	"math"

	"github.com/zeptodb/zeptodb/internal/model"
)

// distinctFeed is agg(DISTINCT x) for aggregates of one numeric argument
// (sum, avg, variance, quantiles): a set of the values seen per group, and
// the plain aggregate fed each value the first time its group sees it.
// Merging parallel workers feeds only the values the other set adds.
type distinctFeed struct {
	seen  distinctAgg
	inner aggState
}

func newDistinctFeed(t model.ColumnType, inner aggState) *distinctFeed {
	return &distinctFeed{seen: distinctAgg{strIDs: map[string]int64{}, t: t}, inner: inner}
}

func (a *distinctFeed) grow(n int) {
	a.seen.grow(n)
	a.inner.grow(n)
}

func (a *distinctFeed) update(in *aggInput) error {
	x := in.args[0]
	var rows []int32
	for i := 0; i < in.n; i++ {
		if x.isNull(i) {
			continue
		}
		set, k := a.seen.sets[in.group(i)], a.seen.key(x, i)
		if _, dup := set[k]; !dup {
			set[k] = struct{}{}
			rows = append(rows, int32(i))
		}
	}
	if len(rows) == 0 {
		return nil
	}
	sub := &aggInput{one: in.one, n: len(rows), args: []*vec{pickRows(x, rows)}}
	if in.gids != nil {
		sub.gids = make([]int32, len(rows))
		for k, r := range rows {
			sub.gids[k] = in.gids[r]
		}
	}
	return a.inner.update(sub)
}

// pickRows returns the logical rows of x, as a view.
func pickRows(x *vec, rows []int32) *vec {
	v := *x
	v.constant = false
	v.sel = make([]int32, len(rows))
	for k, r := range rows {
		v.sel[k] = int32(x.phys(int(r)))
	}
	v.n = len(rows)
	return &v
}

func (a *distinctFeed) merge(o aggState, m []int32) error {
	b := o.(*distinctFeed)
	vals := newVec(a.seen.t, 0)
	var gids []int32
	for h, g := range m {
		for k := range b.seen.sets[h] {
			if _, dup := a.seen.sets[g][k]; dup {
				continue
			}
			a.seen.sets[g][k] = struct{}{}
			appendKeyValue(vals, k)
			gids = append(gids, g)
		}
	}
	if len(gids) == 0 {
		return nil
	}
	return a.inner.update(&aggInput{gids: gids, n: len(gids), args: []*vec{vals}})
}

// appendKeyValue appends the number a distinctAgg key encodes.
func appendKeyValue(v *vec, k int64) {
	if v.typ == model.TypeFloat64 {
		v.f64 = append(v.f64, math.Float64frombits(uint64(k)))
	} else {
		v.i64 = append(v.i64, k)
	}
	v.n++
}

func (a *distinctFeed) result(n int) *vec { return a.inner.result(n) }
