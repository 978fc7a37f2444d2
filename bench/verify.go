package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Result checking. Every engine's answer is normalised to rows of val and
// compared, as sorted rows, with the answer computed in Go from the generated
// columns (Query.Ref in queries.go) and with the other engines' answers: integers must be equal, floats equal within relTol
// relative error, strings equal.

// relTol is the relative error allowed between two floats.
const relTol = 1e-9

type kind uint8

const (
	kNull kind = iota
	kInt
	kFloat
	kStr
)

// val is one normalised result cell.
type val struct {
	k kind
	i int64
	f float64
	s string
}

func vInt(i int64) val     { return val{k: kInt, i: i} }
func vFloat(f float64) val { return val{k: kFloat, f: f} }
func vStr(s string) val    { return val{k: kStr, s: s} }

func (v val) String() string {
	switch v.k {
	case kInt:
		return strconv.FormatInt(v.i, 10)
	case kFloat:
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	case kStr:
		return strconv.Quote(v.s)
	}
	return "NULL"
}

func (v val) num() float64 {
	if v.k == kInt {
		return float64(v.i)
	}
	return v.f
}

func (v val) isNum() bool { return v.k == kInt || v.k == kFloat }

// order is a total order used only to sort rows before comparing them.
func order(a, b val) int {
	switch {
	case a.isNum() && b.isNum():
		if a.k == kInt && b.k == kInt {
			return cmp.Compare(a.i, b.i)
		}
		return cmp.Compare(a.num(), b.num())
	case a.k != b.k:
		return cmp.Compare(a.k, b.k)
	case a.k == kStr:
		return strings.Compare(a.s, b.s)
	}
	return 0
}

// same reports whether two cells agree: ints exactly, anything involving a
// float within relTol.
func same(a, b val) bool {
	switch {
	case a.k == kInt && b.k == kInt:
		return a.i == b.i
	case a.isNum() && b.isNum():
		x, y := a.num(), b.num()
		if x == y {
			return true
		}
		return math.Abs(x-y) <= relTol*math.Max(math.Abs(x), math.Abs(y))
	case a.k != b.k:
		return false
	case a.k == kStr:
		return a.s == b.s
	}
	return true // both NULL
}

// sortedRows returns a sorted copy of rows.
func sortedRows(rows [][]val) [][]val {
	s := slices.Clone(rows)
	slices.SortStableFunc(s, func(a, b []val) int {
		for i := 0; i < len(a) && i < len(b); i++ {
			if c := order(a[i], b[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a), len(b))
	})
	return s
}

// diffResults returns "" if a and b hold the same rows (in any order), else a
// description of the first difference.
func diffResults(aName string, a [][]val, bName string, b [][]val) string {
	if len(a) != len(b) {
		return fmt.Sprintf("row count: %s %d, %s %d", aName, len(a), bName, len(b))
	}
	sa, sb := sortedRows(a), sortedRows(b)
	for r := range sa {
		if len(sa[r]) != len(sb[r]) {
			return fmt.Sprintf("sorted row %d: %s has %d columns, %s has %d",
				r, aName, len(sa[r]), bName, len(sb[r]))
		}
		for c := range sa[r] {
			if !same(sa[r][c], sb[r][c]) {
				return fmt.Sprintf("sorted row %d column %d: %s %s, %s %s\n    %s row: %s\n    %s row: %s",
					r, c, aName, sa[r][c], bName, sb[r][c], aName, fmtRow(sa[r]), bName, fmtRow(sb[r]))
			}
		}
	}
	return ""
}

func fmtRow(r []val) string {
	parts := make([]string, len(r))
	for i, v := range r {
		parts[i] = v.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// timestampLayouts are the textual timestamp forms accepted from a server;
// a timestamp cell becomes integer ns so it compares with DuckDB's BIGINT.
var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006.01.02D15:04:05.999999999", // kdb+-style
}

func parseTimestamp(s string) (int64, bool) {
	if len(s) < 19 || s[4] != '-' && s[4] != '.' {
		return 0, false
	}
	for _, l := range timestampLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

// normJSON normalises a cell decoded with json.Decoder.UseNumber.
func normJSON(x any) (val, error) {
	switch v := x.(type) {
	case nil:
		return val{}, nil
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return vInt(i), nil
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return val{}, fmt.Errorf("bad number %q", v)
		}
		return vFloat(f), nil
	case string:
		if ns, ok := parseTimestamp(v); ok {
			return vInt(ns), nil
		}
		return vStr(v), nil
	case bool:
		if v {
			return vInt(1), nil
		}
		return vInt(0), nil
	}
	return val{}, fmt.Errorf("unexpected JSON cell %T %v", x, x)
}

// normDuck normalises a cell scanned from database/sql.
func normDuck(x any) (val, error) {
	switch v := x.(type) {
	case nil:
		return val{}, nil
	case int64:
		return vInt(v), nil
	case int32:
		return vInt(int64(v)), nil
	case int16:
		return vInt(int64(v)), nil
	case int8:
		return vInt(int64(v)), nil
	case uint64:
		if v > math.MaxInt64 {
			return vFloat(float64(v)), nil
		}
		return vInt(int64(v)), nil
	case uint32:
		return vInt(int64(v)), nil
	case float64:
		return vFloat(v), nil
	case float32:
		return vFloat(float64(v)), nil
	case *big.Int: // HUGEINT, e.g. sum(BIGINT)
		if v.IsInt64() {
			return vInt(v.Int64()), nil
		}
		f, _ := new(big.Float).SetInt(v).Float64()
		return vFloat(f), nil
	case string:
		return vStr(v), nil
	case []byte:
		return vStr(string(v)), nil
	case time.Time:
		return vInt(v.UnixNano()), nil
	case bool:
		if v {
			return vInt(1), nil
		}
		return vInt(0), nil
	}
	return val{}, fmt.Errorf("unexpected DuckDB cell %T %v", x, x)
}

// normRows applies norm to every cell.
func normRows(raw [][]any, norm func(any) (val, error)) ([][]val, error) {
	out := make([][]val, len(raw))
	for r, row := range raw {
		out[r] = make([]val, len(row))
		for c, x := range row {
			v, err := norm(x)
			if err != nil {
				return nil, fmt.Errorf("row %d column %d: %w", r, c, err)
			}
			out[r][c] = v
		}
	}
	return out, nil
}
