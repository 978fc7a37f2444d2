package server

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/zeptodb/zeptodb/internal/auth"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

// running tracks the statements in flight, for system.processes and KILL
// QUERY (and the operations guide's /admin/queries later).
type running struct {
	mu sync.Mutex
	m  map[string]*runningQuery
}

type runningQuery struct {
	id, user, sql string
	started       time.Time
	cancel        context.CancelCauseFunc
}

// errKilled is the cause a killed statement's context carries.
var errKilled = newAPIError(http.StatusBadRequest, "QUERY_WAS_CANCELLED", "the statement was cancelled by KILL QUERY")

// add registers a statement under the request's query id; done forgets
// it. A query id already running is shared by ClickHouse clients only by
// mistake: the later statement is tracked under "<id>#n".
func (rq *running) add(id, user, sql string, cancel context.CancelCauseFunc) (done func()) {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	if rq.m == nil {
		rq.m = map[string]*runningQuery{}
	}
	key := id
	for n := 2; rq.m[key] != nil; n++ {
		key = id + "#" + strconv.Itoa(n)
	}
	rq.m[key] = &runningQuery{id: key, user: user, sql: sql, started: time.Now(), cancel: cancel}
	return func() {
		rq.mu.Lock()
		delete(rq.m, key)
		rq.mu.Unlock()
	}
}

// list returns what the request may see: every statement for an admin
// (or without authentication), else the key's own.
func (rq *running) list(ctx context.Context) []exec.Process {
	id, authenticated := ctx.Value(identityKey{}).(auth.Identity)
	rq.mu.Lock()
	defer rq.mu.Unlock()
	out := make([]exec.Process, 0, len(rq.m))
	for _, q := range rq.m {
		if authenticated && id.Role != auth.RoleAdmin && q.user != id.Name {
			continue
		}
		out = append(out, exec.Process{QueryID: q.id, User: q.user, Query: q.sql, Elapsed: time.Since(q.started)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Elapsed > out[j].Elapsed })
	return out
}

// kill cancels a statement the request may see.
func (rq *running) kill(ctx context.Context, queryID string) bool {
	for _, p := range rq.list(ctx) {
		if p.QueryID == queryID {
			rq.mu.Lock()
			q := rq.m[queryID]
			rq.mu.Unlock()
			if q != nil {
				q.cancel(errKilled)
				return true
			}
		}
	}
	return false
}

// Processes lists the running statements the request in ctx may see
// (exec.Options.Processes).
func (s *Server) Processes(ctx context.Context) []exec.Process { return s.procs.list(ctx) }

// Kill cancels a running statement the request in ctx may see
// (exec.Options.Kill).
func (s *Server) Kill(ctx context.Context, queryID string) bool { return s.procs.kill(ctx, queryID) }
