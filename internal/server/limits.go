package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

// Limits bound what one request and one key may take. Zero values mean
// no limit.
type Limits struct {
	// QueryTimeout ends a statement that runs longer (504 QUERY_TIMEOUT).
	QueryTimeout time.Duration
	// MaxConcurrent statements in total, and per key; past either a
	// request gets 429 TOO_MANY_REQUESTS at once instead of waiting.
	MaxConcurrent, MaxConcurrentPerKey int
	// MaxResultRows refuses a result of more rows (400 RESULT_TOO_LARGE).
	MaxResultRows int
	// MaxResultBytes refuses a larger encoded result, the same way.
	MaxResultBytes int64
	// MaxQueryMemory bounds the intermediate results one statement holds
	// (rows it sorts, groups, join tables): past it the statement fails
	// with 400 MEMORY_LIMIT and the server goes on.
	MaxQueryMemory int64
	// SlowQuery logs statements that take longer, at warning level.
	SlowQuery time.Duration
	// RatePerKey bounds the statements per second of one key (a burst of
	// one second's worth); past it, 429 RATE_LIMITED.
	RatePerKey float64
}

// effective returns the limits for id: its own where it has them.
func (l Limits) effective(id auth.Identity) Limits {
	if id.Limits.MaxConcurrent > 0 {
		l.MaxConcurrentPerKey = id.Limits.MaxConcurrent
	}
	if id.Limits.Rate > 0 {
		l.RatePerKey = id.Limits.Rate
	}
	if id.Limits.Timeout > 0 {
		l.QueryTimeout = id.Limits.Timeout
	}
	if id.Limits.MaxResultBytes > 0 {
		l.MaxResultBytes = id.Limits.MaxResultBytes
	}
	if id.Limits.MaxMemory > 0 {
		l.MaxQueryMemory = id.Limits.MaxMemory
	}
	if id.Limits.MaxResultRows > 0 {
		l.MaxResultRows = id.Limits.MaxResultRows
	}
	return l
}

// admission counts running statements, in total and per key, and each
// key's rate.
type admission struct {
	mu      sync.Mutex
	total   int
	perKey  map[string]int
	buckets map[string]*bucket
}

// bucket is a token bucket: tokens refill at the key's rate up to one
// second's worth.
type bucket struct {
	tokens float64
	last   time.Time
}

// take spends a token at rate, or reports how long until one is there.
func (b *bucket) take(rate float64, now time.Time) (time.Duration, bool) {
	b.tokens = min(max(rate, 1), b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second)), false
}

// admit takes a slot for key ("" without authentication) under limits l,
// or answers why not; release gives it back.
func (s *Server) admit(key string, l Limits) (release func(), err error) {
	a := &s.admission
	a.mu.Lock()
	defer a.mu.Unlock()
	if key != "" && l.RatePerKey > 0 {
		if a.buckets == nil {
			a.buckets = map[string]*bucket{}
		}
		b := a.buckets[key]
		if b == nil {
			b = &bucket{tokens: max(l.RatePerKey, 1), last: time.Now()}
			a.buckets[key] = b
		}
		if wait, ok := b.take(l.RatePerKey, time.Now()); !ok {
			return nil, newAPIError(http.StatusTooManyRequests, "RATE_LIMITED",
				fmt.Sprintf("key %q is over its rate of %g statements per second; retry in %v", key, l.RatePerKey, wait.Round(time.Millisecond)))
		}
	}
	if l.MaxConcurrent > 0 && a.total >= l.MaxConcurrent {
		return nil, tooMany(fmt.Sprintf("%d statements are running, the most the server takes (max_concurrent_queries)", a.total))
	}
	if key != "" && l.MaxConcurrentPerKey > 0 && a.perKey[key] >= l.MaxConcurrentPerKey {
		return nil, tooMany(fmt.Sprintf("key %q has %d statements running, the most a key may (max_concurrent_queries_per_key)", key, a.perKey[key]))
	}
	if a.perKey == nil {
		a.perKey = map[string]int{}
	}
	a.total++
	a.perKey[key]++
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.total--
		if a.perKey[key]--; a.perKey[key] == 0 {
			delete(a.perKey, key)
		}
	}, nil
}

func tooMany(msg string) error {
	return newAPIError(http.StatusTooManyRequests, "TOO_MANY_REQUESTS", msg+"; retry shortly")
}

// withTimeout applies a query timeout to a request's context.
func withTimeout(r *http.Request, timeout time.Duration) (*http.Request, context.CancelFunc) {
	if timeout <= 0 {
		return r, func() {}
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	return r.WithContext(ctx), cancel
}

// timeoutError turns a deadline the query timeout set into a clear error.
func timeoutError(r *http.Request, err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) || (err != nil && errors.Is(r.Context().Err(), context.DeadlineExceeded)) {
		return newAPIError(http.StatusGatewayTimeout, "QUERY_TIMEOUT", "the statement ran longer than "+timeout.String()+" (query_timeout_seconds, or the key's timeout) and was stopped")
	}
	return err
}

func resultTooLarge(rows, limit int) error {
	return newAPIError(http.StatusBadRequest, "RESULT_TOO_LARGE", "the result has "+strconv.Itoa(rows)+" rows, over max_result_rows ("+strconv.Itoa(limit)+"): add a LIMIT or aggregate")
}

func rowsOf(res *exec.Result) int {
	if res == nil {
		return 0
	}
	return res.Rows
}

// cut shortens a statement for a log line.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
