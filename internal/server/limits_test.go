package server

import (
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/auth"
)

func TestBucket(t *testing.T) {
	now := time.Unix(0, 0)
	b := &bucket{tokens: 2, last: now}
	for i := 0; i < 2; i++ {
		if _, ok := b.take(2, now); !ok {
			t.Fatalf("take %d of a full bucket refused", i)
		}
	}
	wait, ok := b.take(2, now)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("empty bucket: ok %v, wait %v", ok, wait)
	}
	if _, ok := b.take(2, now.Add(500*time.Millisecond)); !ok {
		t.Fatal("a refilled token refused")
	}
	if _, ok := b.take(2, now.Add(time.Hour)); !ok || b.tokens > 2 {
		t.Fatalf("after an hour: %v tokens (the burst is one second's worth)", b.tokens)
	}
}

func TestEffectiveLimits(t *testing.T) {
	server := Limits{QueryTimeout: time.Minute, MaxConcurrentPerKey: 16, MaxResultRows: 100, RatePerKey: 10, MaxQueryMemory: 1 << 30}
	if got := server.effective(auth.Identity{Name: "a"}); got != server {
		t.Fatalf("no overrides: %+v", got)
	}
	got := server.effective(auth.Identity{Limits: auth.Limits{MaxConcurrent: 2, Rate: 1, Timeout: time.Second, MaxResultRows: 5, MaxMemory: 1 << 20, MaxResultBytes: 100}})
	want := Limits{QueryTimeout: time.Second, MaxConcurrentPerKey: 2, MaxResultRows: 5, RatePerKey: 1, MaxQueryMemory: 1 << 20, MaxResultBytes: 100}
	if got != want {
		t.Fatalf("overrides: %+v, want %+v", got, want)
	}
}
