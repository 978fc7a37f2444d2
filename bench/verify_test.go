package main

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"
)

func TestSame(t *testing.T) {
	cases := []struct {
		a, b val
		want bool
	}{
		{vInt(5), vInt(5), true},
		{vInt(1793611800000000000), vInt(1793611800000000001), false}, // ints are exact
		{vFloat(100), vFloat(100 * (1 + 5e-10)), true},
		{vFloat(100), vFloat(100 * (1 + 5e-9)), false},
		{vInt(3), vFloat(3), true},
		{vFloat(0), vFloat(0), true},
		{vStr("S042"), vStr("S042"), true},
		{vStr("S042"), vStr("S043"), false},
		{vStr("1"), vInt(1), false},
		{val{}, val{}, true},
		{val{}, vInt(0), false},
	}
	for _, c := range cases {
		if got := same(c.a, c.b); got != c.want {
			t.Errorf("same(%v, %v) = %v", c.a, c.b, got)
		}
	}
}

func TestDiffResultsIgnoresOrder(t *testing.T) {
	a := [][]val{{vStr("S001"), vFloat(1.5)}, {vStr("S000"), vFloat(2)}}
	b := [][]val{{vStr("S000"), vFloat(2)}, {vStr("S001"), vFloat(1.5)}}
	if d := diffResults("a", a, "b", b); d != "" {
		t.Fatal(d)
	}
	b[0][1] = vFloat(2.0001)
	if d := diffResults("a", a, "b", b); d == "" {
		t.Fatal("difference not found")
	}
	if d := diffResults("a", a, "b", b[:1]); d == "" {
		t.Fatal("row count difference not found")
	}
}

func TestNorm(t *testing.T) {
	v, _ := normDuck(big.NewInt(1234))
	if v != vInt(1234) {
		t.Fatal(v)
	}
	v, _ = normDuck(time.Unix(0, 42).UTC())
	if v != vInt(42) {
		t.Fatal(v)
	}
	for _, s := range []string{"2026-11-02T09:30:00Z", "2026-11-02 09:30:00", "2026-11-02T09:30:00.000000000", "2026.11.02D09:30:00.000000000"} {
		v, _ = normJSON(s)
		if v != vInt(StartTS) {
			t.Errorf("%q -> %v", s, v)
		}
	}
	if v, _ = normJSON("S042"); v != vStr("S042") {
		t.Fatal(v)
	}
}

// wrongEngine answers every query with one row holding 0.
type wrongEngine struct{}

func (wrongEngine) name() string { return "wrong" }
func (wrongEngine) run(context.Context, *Query) (time.Duration, [][]val, float64, error) {
	return time.Microsecond, [][]val{{vInt(0)}}, 0, nil
}

func TestMeasureRejectsWrongAnswer(t *testing.T) {
	q := &queries[0]
	_, _, err := measure(context.Background(), wrongEngine{}, q, q.Ref(GenTrades(10, 1)), 0, 3, time.Second)
	var mm *mismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("got %v, want a mismatch", err)
	}
}
