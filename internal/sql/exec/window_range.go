package exec

import (
	"math"
	"sort"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// rangeBound is one end of a RANGE frame with value offsets: the frame
// holds the rows whose ORDER BY value lies within off of the current
// row's (off is negative for PRECEDING). current: CURRENT ROW, which
// takes the current row's peers. unbounded: the partition's end.
type rangeBound struct {
	unbounded, current bool
	off                int64   // integer and TIMESTAMP keys
	foff               float64 // FLOAT64 keys
}

// bindRangeFrame binds RANGE BETWEEN ... with value offsets over one
// numeric or TIMESTAMP ORDER BY key. INTERVALs are nanoseconds.
func bindRangeFrame(fr *parser.WindowFrame, order []orderKey) (frameSpec, error) {
	if len(order) != 1 {
		return frameSpec{}, errAt(CodeBadArguments, fr.At, "a RANGE frame with offsets needs exactly one ORDER BY key")
	}
	keyType := order[0].e.typ()
	if !keyType.IsNumeric() && keyType != model.TypeTimestamp {
		return frameSpec{}, errAt(CodeTypeMismatch, fr.At, "a RANGE frame with offsets needs a numeric or TIMESTAMP ORDER BY key, not %s", keyType)
	}
	bound := func(b parser.FrameBound) (rangeBound, error) {
		switch b.Kind {
		case parser.BoundUnboundedPreceding, parser.BoundUnboundedFollowing:
			return rangeBound{unbounded: true}, nil
		case parser.BoundCurrentRow:
			return rangeBound{current: true}, nil
		}
		sign := int64(1)
		if b.Kind == parser.BoundPreceding {
			sign = -1
		}
		var rb rangeBound
		switch o := b.Offset.(type) {
		case *parser.IntLit:
			rb.off, rb.foff = o.Value, float64(o.Value)
		case *parser.IntervalLit:
			if keyType != model.TypeTimestamp {
				return rb, errAt(CodeTypeMismatch, b.At, "an INTERVAL offset needs a TIMESTAMP ORDER BY key")
			}
			rb.off, rb.foff = o.Nanos, float64(o.Nanos)
		case *parser.FloatLit:
			if keyType != model.TypeFloat64 && keyType != model.TypeFloat32 {
				return rb, errAt(CodeTypeMismatch, b.At, "a fractional offset needs a floating-point ORDER BY key")
			}
			rb.foff = o.Value
		default:
			return rb, errAt(CodeBadArguments, b.At, "RANGE offsets must be constants (a number or an INTERVAL)")
		}
		if rb.off < 0 || rb.foff < 0 {
			return rb, errAt(CodeBadArguments, b.At, "RANGE offsets must not be negative")
		}
		rb.off, rb.foff = sign*rb.off, float64(sign)*rb.foff
		return rb, nil
	}
	start, err := bound(fr.Start)
	if err != nil {
		return frameSpec{}, err
	}
	end := rangeBound{current: true}
	if fr.End != nil {
		if end, err = bound(*fr.End); err != nil {
			return frameSpec{}, err
		}
	}
	if fr.Start.Kind == parser.BoundUnboundedFollowing || (fr.End != nil && fr.End.Kind == parser.BoundUnboundedPreceding) {
		return frameSpec{}, errAt(CodeBadArguments, fr.At, "the frame starts after it ends")
	}
	return frameSpec{start: -unbounded, end: unbounded, rangeMode: true, rangeStart: start, rangeEnd: end}, nil
}

// rangeLimits returns each position's frame [lo, hi] for a RANGE frame
// with offsets; hi < lo is an empty frame. key is the single ORDER BY key,
// rows the partition in window order. Rows with a NULL key frame their
// NULL peers only (besides UNBOUNDED ends), as in PostgreSQL and DuckDB.
func (f *frameSpec) rangeLimits(key *vec, desc bool, rows []int) (lo, hi []int) {
	n := len(rows)
	lo, hi = make([]int, n), make([]int, n)
	// The non-NULL positions form one run: NULLs sort first or last.
	nnLo, nnHi := 0, n
	for nnLo < n && key.isNull(rows[nnLo]) {
		nnLo++
	}
	for nnHi > nnLo && key.isNull(rows[nnHi-1]) {
		nnHi--
	}
	// at returns the key of position p made ascending.
	at := func(p int) float64 { return key.float(rows[p]) }
	atInt := func(p int) int64 { return key.i64[key.phys(rows[p])] }
	isFloat := key.typ == model.TypeFloat64
	if desc {
		at = func(p int) float64 { return -key.float(rows[p]) }
		atInt = func(p int) int64 { return satNeg(key.i64[key.phys(rows[p])]) }
	}
	// first returns the first non-NULL position whose key is >= the
	// current key moved by b (PRECEDING/CURRENT/FOLLOWING); last the last
	// one whose key is <= it.
	search := func(k int, b rangeBound, upper bool) int {
		pred := func(p int) bool {
			if isFloat {
				target := at(k) + b.foff
				if upper {
					return at(p) > target
				}
				return at(p) >= target
			}
			target := satAdd(atInt(k), b.off)
			if upper {
				return atInt(p) > target
			}
			return atInt(p) >= target
		}
		return nnLo + sort.Search(nnHi-nnLo, func(i int) bool { return pred(nnLo + i) })
	}
	for k := range rows {
		switch {
		case k < nnLo || k >= nnHi: // a NULL key: its NULL peers
			lo[k], hi[k] = 0, nnLo-1
			if k >= nnHi {
				lo[k], hi[k] = nnHi, n-1
			}
		default:
			lo[k], hi[k] = search(k, f.rangeStart, false), search(k, f.rangeEnd, true)-1
		}
		if f.rangeStart.unbounded {
			lo[k] = 0
		}
		if f.rangeEnd.unbounded {
			hi[k] = n - 1
		}
	}
	return lo, hi
}

// satAdd adds without wrapping around.
func satAdd(a, b int64) int64 {
	s := a + b
	switch {
	case b > 0 && s < a:
		return math.MaxInt64
	case b < 0 && s > a:
		return math.MinInt64
	}
	return s
}

func satNeg(a int64) int64 {
	if a == math.MinInt64 {
		return math.MaxInt64
	}
	return -a
}
