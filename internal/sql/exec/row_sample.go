package exec

import (
	"math"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// rowSample is ClickHouse's SAMPLE k [OFFSET m]: a row is kept when a hash
// of its place in storage (partition, series, position) falls in
// [m, m+k) of the hash range. The same query over the same data keeps the
// same rows, and SAMPLE 1/2 OFFSET 1/2 keeps exactly the rows SAMPLE 1/2
// drops.
type rowSample struct {
	lo, hi uint64 // the kept hash range [lo, hi), or [lo, max] with all
	all    bool   // hi is the end of the hash range
}

// hashPoint maps a fraction of the hash range to a hash value.
func hashPoint(f float64) uint64 {
	if f >= 1 {
		return math.MaxUint64
	}
	return uint64(f * (1 << 64))
}

// bindRowSample reads SAMPLE k [OFFSET m]; k above 1 asks for about k
// rows of a table holding rows.
func bindRowSample(s *parser.Select, rows int64) (*rowSample, error) {
	if s.Sample == nil {
		return nil, nil
	}
	k, err := sampleRatio(s.Sample)
	if err != nil {
		return nil, err
	}
	if k > 1 {
		k = k / float64(max(rows, 1))
	}
	m := 0.0
	if s.SampleOffset != nil {
		if m, err = sampleRatio(s.SampleOffset); err != nil {
			return nil, err
		}
		if m > 1 {
			return nil, errAt(CodeBadArguments, s.SampleOffset.Pos(), "SAMPLE ... OFFSET takes a fraction between 0 and 1")
		}
	}
	return &rowSample{lo: hashPoint(m), hi: hashPoint(m + k), all: m+k >= 1}, nil
}

func sampleRatio(e parser.Expr) (float64, error) {
	num := func(e parser.Expr) (float64, bool) {
		switch n := e.(type) {
		case *parser.IntLit:
			return float64(n.Value), true
		case *parser.FloatLit:
			return n.Value, true
		}
		return 0, false
	}
	v, ok := num(e)
	if b, isRatio := e.(*parser.BinaryExpr); isRatio {
		n, ok1 := num(b.L)
		d, ok2 := num(b.R)
		v, ok = n/d, ok1 && ok2 && d > 0
	}
	if !ok || !(v > 0) || math.IsInf(v, 0) {
		return 0, errAt(CodeBadArguments, e.Pos(), "SAMPLE takes a positive fraction (0.1, 1/10) or a row count")
	}
	return v, nil
}

// filter keeps the sampled rows of a table chunk's batch.
func (s *rowSample) filter(b *batch) ([]int32, error) {
	out := b.selBuffer()
	seed := mix64(uint64(b.part)) ^ mix64(uint64(b.seriesSym)+0x9e3779b97f4a7c15)
	for i := 0; i < b.n; i++ {
		r := i
		if b.sel != nil {
			r = int(b.sel[i])
		}
		h := mix64(seed + uint64(b.base+r))
		if h >= s.lo && (h < s.hi || s.all) {
			out = append(out, int32(r))
		}
	}
	return out, nil
}

// mix64 is SplitMix64's finalizer: a fast, well-spread 64-bit hash.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// andPredicates applies a, then b; either may be nil.
func andPredicates(a, b predicate) predicate {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &andPred{terms: []predicate{a, b}}
}
