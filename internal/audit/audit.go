package audit

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// Event is one audited action.
type Event struct {
	Time      time.Time `json:"time"`
	Kind      string    `json:"event"`          // auth_failure, ddl, write, admin, key_change
	Who       string    `json:"who"`            // the key's or token's name; "-" without authentication
	Role      string    `json:"role,omitempty"` // its role
	Remote    string    `json:"remote,omitempty"`
	RequestID string    `json:"request_id,omitempty"`
	Action    string    `json:"action"`           // the statement (cut at 4 KiB) or the admin request
	Status    int       `json:"status"`           // the HTTP status answered
	Detail    string    `json:"detail,omitempty"` // an error code, a reason, what a key change was
}

// The kinds of event.
const (
	AuthFailure = "auth_failure"
	DDL         = "ddl"
	Write       = "write"
	Admin       = "admin"
	KeyChange   = "key_change"
)

// maxAction bounds the statement text kept per event.
const maxAction = 4 << 10

// Log appends events to a file and keeps the newest in memory.
type Log struct {
	mu     sync.Mutex
	f      *os.File
	recent []Event // ring of the newest, oldest at next
	next   int
	full   bool
	failed bool // a write to the file failed: reported once
	onErr  func(error)
}

// Open appends to the audit file at path (created with mode 0600),
// keeping the newest keep events in memory. onErr hears about write
// failures, which never fail the audited request.
func Open(path string, keep int, onErr func(error)) (*Log, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return &Log{f: f, recent: make([]Event, max(keep, 1)), onErr: onErr}, nil
}

// Record appends e (its Time set now if zero) as one line: one write(2)
// with O_APPEND, so lines never interleave.
func (l *Log) Record(e Event) {
	if l == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	if len(e.Action) > maxAction {
		e.Action = e.Action[:maxAction] + "…"
	}
	line, err := json.Marshal(e)
	if err != nil { // only strings, ints and a time: cannot happen
		panic(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recent[l.next] = e
	l.next = (l.next + 1) % len(l.recent)
	l.full = l.full || l.next == 0
	if _, err := l.f.Write(append(line, '\n')); err != nil && !l.failed {
		l.failed = true
		if l.onErr != nil {
			l.onErr(err)
		}
	}
}

// Recent returns up to n of the newest events, oldest first.
func (l *Log) Recent(n int) []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	size := l.next
	if l.full {
		size = len(l.recent)
	}
	n = min(max(n, 0), size)
	out := make([]Event, n)
	for i := range out {
		out[i] = l.recent[(l.next-n+i+len(l.recent))%len(l.recent)]
	}
	return out
}

// Close syncs and closes the file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.f.Sync(); err != nil {
		l.f.Close()
		return err
	}
	return l.f.Close()
}
