package exec

import "github.com/zeptodb/zeptodb/internal/model"

// scratch hands out float and integer vectors for the intermediate
// results of one batch and takes them all back at reset. The fused ASOF
// aggregation (asof_fused.go) sets it on its batches: their expressions
// are consumed by aggregates, which copy what they keep, so the vectors
// are free again at the next batch. That saves allocating and zeroing
// every intermediate vector of every batch.
type scratch struct {
	f64  [][]float64
	i64  [][]int64
	nf   int
	ni   int
	size int
}

func (s *scratch) reset() { s.nf, s.ni = 0, 0 }

// vec returns a dense vector of n rows whose values the caller must all
// write; ok is false for types other than FLOAT64, INT64 and TIMESTAMP.
func (s *scratch) vec(t model.ColumnType, n int) (*vec, bool) {
	if n > s.size {
		return nil, false
	}
	switch t {
	case model.TypeFloat64:
		if s.nf == len(s.f64) {
			s.f64 = append(s.f64, make([]float64, s.size))
		}
		s.nf++
		return &vec{typ: t, n: n, f64: s.f64[s.nf-1][:n]}, true
	case model.TypeInt64, model.TypeTimestamp:
		if s.ni == len(s.i64) {
			s.i64 = append(s.i64, make([]int64, s.size))
		}
		s.ni++
		return &vec{typ: t, n: n, i64: s.i64[s.ni-1][:n]}, true
	}
	return nil, false
}

// newVec returns a vector for an expression's result over b: from b's
// scratch when it has one, else freshly allocated (and zeroed).
func (b *batch) newVec(t model.ColumnType) *vec {
	if b.scratch != nil {
		if v, ok := b.scratch.vec(t, b.n); ok {
			return v
		}
	}
	return newVec(t, b.n)
}
