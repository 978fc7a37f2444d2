package exec

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/zeptodb/zeptodb/internal/model"
)

// memBudget bounds the memory a statement holds in what it builds as it
// runs: collected rows (ORDER BY, window functions, plain results), group
// tables and hash-join tables. Estimates, not an allocator's count: a
// statement past its budget fails with CodeMemoryLimit instead of growing
// until the process is killed, and others go on.
type memBudget struct {
	limit int64
	used  atomic.Int64
}

type (
	limitKey  struct{}
	budgetKey struct{}
)

// WithMemoryLimit returns a context under which each statement may hold
// at most limit bytes of intermediate results (0: no limit).
func WithMemoryLimit(ctx context.Context, limit int64) context.Context {
	if limit <= 0 {
		return ctx
	}
	return context.WithValue(ctx, limitKey{}, limit)
}

// withBudget gives the statement about to run a budget of its own, if
// ctx carries a limit: a retried statement starts from nothing again.
func withBudget(ctx context.Context) context.Context {
	limit, _ := ctx.Value(limitKey{}).(int64)
	if limit <= 0 {
		return ctx
	}
	return context.WithValue(ctx, budgetKey{}, &memBudget{limit: limit})
}

func budgetOf(ctx context.Context) *memBudget {
	b, _ := ctx.Value(budgetKey{}).(*memBudget)
	return b
}

// charge records n more bytes held.
func (m *memBudget) charge(n int64) error {
	if m == nil || n <= 0 {
		return nil
	}
	if used := m.used.Add(n); used > m.limit {
		return &Error{Code: CodeMemoryLimit, Msg: fmt.Sprintf(
			"the statement needs more than its memory limit of %d bytes (max_query_memory_bytes) for intermediate results: filter, aggregate or LIMIT more", m.limit)}
	}
	return nil
}

// release gives back n bytes charged for something dropped since.
func (m *memBudget) release(n int64) {
	if m != nil && n > 0 {
		m.used.Add(-n)
	}
}

// appendAll appends src to the dense vector dst and charges what dst
// grew by.
func (m *memBudget) appendAll(dst, src *vec) error {
	from, allocated := dst.n, capBytes(dst)
	appendAll(dst, src)
	return m.charge(capBytes(dst) - allocated + textBytes(dst, from, dst.n))
}

// capBytes is what v's slices hold allocated: appends that double a
// slice are charged for the whole new array, as the heap sees them.
func capBytes(v *vec) int64 {
	return int64(cap(v.i64))*8 + int64(cap(v.f64))*8 + int64(cap(v.b)) + int64(cap(v.s))*16 + int64(cap(v.sym))*4
}

// textBytes is the text of strings [from, to) of v, which capBytes does
// not see.
func textBytes(v *vec, from, to int) int64 {
	var b int64
	if v.typ == model.TypeString {
		for _, s := range v.s[from:min(to, len(v.s))] {
			b += int64(len(s))
		}
	}
	return b
}
