package exec

import (
	"context"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
)

// latestOnPlan is LATEST ON ts PARTITION BY keys: of the rows passing
// WHERE, only the newest of each key survives (ties: the later-stored
// row), before the select list, ORDER BY and LIMIT apply.
type latestOnPlan struct {
	keys []expr // the PARTITION BY columns
	// bySymbol: the key is exactly the designated symbol, so every chunk
	// has one key and whole chunks and blocks can be skipped.
	bySymbol bool
}

// latestBest is the newest row seen for one key.
type latestBest struct {
	e   topEntry
	has bool
}

// runLatestOn scans newest-stored first, rows reversed, keeping the first
// row met for each key at the highest timestamp.
func (x *Executor) runLatestOn(ctx context.Context, p *selectPlan, units []unit) (*Result, error) {
	lo := p.latestOn
	groups := newGroupTable(exprTypes(lo.keys))
	var best []latestBest
	tsCol := p.table.Schema.TimestampCol
	var st scanState
	keys := make([]*vec, len(lo.keys))
	var gids []int32
	for ui := len(units) - 1; ui >= 0; ui-- {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		u := units[ui]
		if lo.bySymbol && settledRow(groups, best, u.sym, u.chunk.MaxTS) {
			continue
		}
		b, err := p.filtered(u, &st)
		if err != nil {
			return nil, mapRuntimeError(err)
		}
		if b == nil {
			continue
		}
		ts := u.chunk.Cols[tsCol].Int64
		skip := func(maxTS int64) bool { return lo.bySymbol && settledRow(groups, best, u.sym, maxTS) }
		err = newestBlocks(b, u, &st, skip, func(sub *batch) error {
			for k, e := range lo.keys {
				v, err := e.eval(sub)
				if err != nil {
					return err
				}
				keys[k] = v
			}
			if cap(gids) < sub.n {
				gids = make([]int32, sub.n)
			}
			g := gids[:sub.n]
			if uniform, one := groups.assign(keys, sub.n, g); uniform {
				for i := range g {
					g[i] = one
				}
			}
			for len(best) < groups.n {
				best = append(best, latestBest{})
			}
			for i, r := range sub.sel {
				if t := ts[r]; !best[g[i]].has || t > best[g[i]].e.ts {
					best[g[i]] = latestBest{e: topEntry{ts: t, unit: ui, row: r}, has: true}
				}
			}
			return nil
		})
		if err != nil {
			return nil, mapRuntimeError(err)
		}
	}
	entries := make([]topEntry, 0, len(best))
	for _, b := range best {
		if b.has {
			entries = append(entries, b.e)
		}
	}
	exprs := append(append([]expr{}, p.proj...), orderExprs(p.order)...)
	cols, err := p.gatherRows(units, entries, exprs)
	if err != nil {
		return nil, mapRuntimeError(err)
	}
	return p.finishCollected(&collector{p: p, cols: cols, n: len(entries)})
}

// settledRow reports whether the newest row held for symbol sym is at
// least as new as maxTS.
func settledRow(groups *groupTable, best []latestBest, sym uint32, maxTS int64) bool {
	if sym == rdb.NullSymbol {
		return false
	}
	g, ok := groups.single[int64(sym)]
	return ok && int(g) < len(best) && best[g].has && best[g].e.ts >= maxTS
}

func exprTypes(es []expr) []model.ColumnType {
	out := make([]model.ColumnType, len(es))
	for i, e := range es {
		out[i] = e.typ()
	}
	return out
}

func orderExprs(order []orderKey) []expr {
	out := make([]expr, len(order))
	for i, o := range order {
		out[i] = o.e
	}
	return out
}
