package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests check the HTTP client's encoding and decoding against canned
// responses shaped like the server contract; they do not stand in for the
// server in the benchmark.

func TestZeptoDecode(t *testing.T) {
	var gotBody, gotMethod, gotPath string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotMethod, gotPath = string(b), r.Method, r.URL.Path
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"meta":[{"name":"ts","type":"DateTime64(9, 'UTC')"},{"name":"symbol","type":"LowCardinality(String)"},`+
			`{"name":"price","type":"Float64"},{"name":"volume","type":"Int64"}],"data":[`+
			`["2026-11-02 09:30:00.000000000","S042",100.25,300],`+
			`["2026-11-02T09:30:00.000000001Z","S001",99,null]],"rows":2,"statistics":{"elapsed":0.0000125,"rows_read":2,"bytes_read":0}}`)
	}))
	defer srv.Close()
	z := &zeptoEngine{c: newZeptoClient(srv.URL, 1)}
	defer z.c.close()

	q := &Query{Name: "t", Zepto: "SELECT * FROM trades"}
	d, rows, us, err := z.run(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if gotMethod != http.MethodPost || gotPath != "/" || gotBody != q.Zepto {
		t.Fatalf("request %s %s %q", gotMethod, gotPath, gotBody)
	}
	if d <= 0 || us != 12.5 {
		t.Fatalf("elapsed %v, server µs %v", d, us)
	}
	want := [][]val{
		{vInt(1793611800000000000), vStr("S042"), vFloat(100.25), vInt(300)},
		{vInt(1793611800000000001), vStr("S001"), vInt(99), {}},
	}
	if diff := diffResults("got", rows, "want", want); diff != "" {
		t.Fatal(diff)
	}
	if rows[1][2].k != kInt || rows[0][2].k != kFloat {
		t.Fatal("number kinds not kept")
	}
}

func TestZeptoError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "Code: 60. DB::Exception: no such table: trades. (UNKNOWN_TABLE) (version dev)\n")
	}))
	defer srv.Close()
	c := newZeptoClient(srv.URL, 1)
	defer c.close()
	_, err := c.query(context.Background(), "SELECT 1 FROM trades")
	var ze *zeptoError
	if !errors.As(err, &ze) || ze.Status != 400 || !strings.Contains(ze.Body, "no such table") {
		t.Fatalf("got %v", err)
	}
}

func TestAppendInsert(t *testing.T) {
	tr := &Trades{
		TS:     []int64{1793611800000000000, 1793611800000000007, 5},
		Sym:    []uint8{1, 42, 99},
		Price:  []float64{100.25, 100, 0.07},
		Volume: []int64{300, 1, 1000},
	}
	got := string(appendInsert([]byte("junk"), tr, 0, 2)[4:])
	want := "INSERT INTO trades VALUES (1793611800000000000,'S001',100.25,300),(1793611800000000007,'S042',100.00,1)"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := string(appendInsert(nil, tr, 2, 3)); got != "INSERT INTO trades VALUES (5,'S099',0.07,1000)" {
		t.Fatal(got)
	}
}

// TestZeptoLoad checks that the loader sends every row exactly once, in
// batches of the requested size, with buffers reused safely across batches.
func TestZeptoLoad(t *testing.T) {
	var mu sync.Mutex
	bodies := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies[string(b)]++
		mu.Unlock()
		// an INSERT answers 200 with an empty body
	}))
	defer srv.Close()
	c := newZeptoClient(srv.URL, 3)
	defer c.close()
	tr := GenTrades(10_007, 1)
	if _, err := c.load(context.Background(), tr, 1000, 3); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 11 {
		t.Fatalf("%d distinct statements, want 11", len(bodies))
	}
	for lo := 0; lo < tr.Len(); lo += 1000 {
		b := string(appendInsert(nil, tr, lo, min(lo+1000, tr.Len())))
		if bodies[b] != 1 {
			t.Fatalf("batch at %d sent %d times", lo, bodies[b])
		}
	}
}

func TestZeptoLoadStopsOnError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		http.Error(w, `{"error":"disk full"}`, http.StatusInternalServerError)
	}))
	defer srv.Close()
	c := newZeptoClient(srv.URL, 2)
	defer c.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.load(ctx, GenTrades(5000, 1), 100, 2)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v", err)
	}
}
