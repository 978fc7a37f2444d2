package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

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
	// SlowQuery logs statements that take longer, at warning level.
	SlowQuery time.Duration
}

// admission counts running statements, in total and per key.
type admission struct {
	mu     sync.Mutex
	total  int
	perKey map[string]int
}

// admit takes a slot for key ("" without authentication) or answers why
// not; release gives it back.
func (s *Server) admit(key string) (release func(), err error) {
	a, l := &s.admission, s.opts.Limits
	a.mu.Lock()
	defer a.mu.Unlock()
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

// withTimeout applies the query timeout to a request's context.
func (s *Server) withTimeout(r *http.Request) (*http.Request, context.CancelFunc) {
	if s.opts.Limits.QueryTimeout <= 0 {
		return r, func() {}
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.Limits.QueryTimeout)
	return r.WithContext(ctx), cancel
}

// timeoutError turns a deadline the query timeout set into a clear error.
func (s *Server) timeoutError(r *http.Request, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || (err != nil && errors.Is(r.Context().Err(), context.DeadlineExceeded)) {
		return newAPIError(http.StatusGatewayTimeout, "QUERY_TIMEOUT", "the statement ran longer than "+s.opts.Limits.QueryTimeout.String()+" (query_timeout_seconds) and was stopped")
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
