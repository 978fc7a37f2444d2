package exec

import (
	"context"

	"github.com/zeptodb/zeptodb/internal/rdb"
)

// latestPerSymbol reports a query of the form
//
//	SELECT symbol, last(a), last(b) ... FROM t [WHERE ...] GROUP BY symbol
//
// which runLatest answers from the newest data of each series instead of
// scanning all history.
func (p *selectPlan) latestPerSymbol() bool {
	a := p.agg
	if p.asof != nil || a.tsCol < 0 || len(a.keys) != 1 || len(a.specs) == 0 {
		return false
	}
	k, ok := a.keys[0].(*colRef)
	if !ok || k.idx != p.table.Schema.SymbolCol {
		return false
	}
	for _, s := range a.specs {
		if s.name != "last" {
			return false
		}
	}
	return true
}

// runLatest visits chunks newest-stored first and, inside a chunk, its
// zone-map blocks newest first, skipping every block whose newest
// timestamp cannot beat what each last() already holds for that symbol.
// Rows are fed in reverse storage order with ties kept by the row already
// held, so the answer is exactly the full scan's.
func (x *Executor) runLatest(ctx context.Context, p *selectPlan, units []unit) ([]*vec, int, error) {
	a := newAggregator(p.agg)
	for _, s := range a.states {
		s.(*firstLastAgg).reverse = true
	}
	var st scanState
	for i := len(units) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		u := units[i]
		if a.settled(u.sym, u.chunk.MaxTS) {
			continue
		}
		b, err := p.filtered(u, &st)
		if err != nil {
			return nil, 0, mapRuntimeError(err)
		}
		if b == nil {
			continue
		}
		if u.chunk.Sorted {
			// In time order already: the single-group kernel takes the
			// last row, and ties with a later-stored chunk keep that one.
			err = a.consume(b)
		} else {
			err = a.consumeNewestFirst(b, u, &st)
		}
		if err != nil {
			return nil, 0, mapRuntimeError(err)
		}
	}
	return a.results(), a.groups.n, nil
}

// consumeNewestFirst feeds a filtered chunk block by block, newest block
// first and rows reversed, skipping blocks that cannot change the result.
func (a *aggregator) consumeNewestFirst(b *batch, u unit, st *scanState) error {
	return newestBlocks(b, u, st, func(maxTS int64) bool { return a.settled(u.sym, maxTS) }, a.consume)
}

// newestBlocks feeds fn the chunk's zone-map blocks newest first, each as
// a sub-batch of b with its rows reversed (newest stored first), skipping
// blocks whose newest timestamp skip says cannot matter.
func newestBlocks(b *batch, u unit, st *scanState, skip func(maxTS int64) bool, fn func(*batch) error) error {
	for blk := u.chunk.Blocks() - 1; blk >= 0; blk-- {
		if _, blockMax := u.chunk.BlockBounds(blk); skip(blockMax) {
			continue
		}
		lo, hi := blockRange(b, blk)
		if lo == hi {
			continue
		}
		rows := st.reversed[:0]
		for i := hi - 1; i >= lo; i-- {
			rows = append(rows, int32(physRow(b, i)))
		}
		st.reversed = rows
		sub := *b
		sub.sel, sub.n, sub.reversed = rows, len(rows), true
		if err := fn(&sub); err != nil {
			return err
		}
	}
	return nil
}

// settled reports whether every last() of symbol sym already holds a
// value at least as new as maxTS, so rows up to maxTS cannot change it.
func (a *aggregator) settled(sym uint32, maxTS int64) bool {
	if sym == rdb.NullSymbol {
		return false
	}
	g, ok := a.groups.single[int64(sym)]
	if !ok {
		return false
	}
	for _, s := range a.states {
		fl := s.(*firstLastAgg)
		if int(g) >= len(fl.ts) || !fl.v.has[g] || fl.ts[g] < maxTS {
			return false
		}
	}
	return true
}
