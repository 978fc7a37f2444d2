package ingest

import (
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// allTypes has one column of every type.
func allTypes(tb testing.TB) *model.Schema {
	tb.Helper()
	s, err := model.NewSchema("t", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp},
		{Name: "sym", Type: model.TypeSymbol},
		{Name: "price", Type: model.TypeFloat64},
		{Name: "vol", Type: model.TypeInt64},
		{Name: "n32", Type: model.TypeInt32},
		{Name: "f32", Type: model.TypeFloat32},
		{Name: "note", Type: model.TypeString},
		{Name: "ok", Type: model.TypeBool},
	}, "ts", model.PartitionDay)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// targetsOf resolves column names as the SQL INSERT path does.
func targetsOf(tb testing.TB, s *model.Schema, names ...string) []int {
	tb.Helper()
	out := make([]int, len(names))
	for i, n := range names {
		if out[i] = s.ColumnIndex(n); out[i] < 0 {
			tb.Fatalf("no column %s", n)
		}
	}
	return out
}

// cell returns row r of v as a typed Go value, nil for NULL.
func cell(v *column.Vector, r int) any {
	if v.IsNull(r) {
		return nil
	}
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		return v.Int64[r]
	case model.TypeInt32:
		return v.Int32[r]
	case model.TypeFloat64:
		return v.Float64[r]
	case model.TypeFloat32:
		return v.Float32[r]
	case model.TypeSymbol, model.TypeString:
		return v.String[r]
	case model.TypeBool:
		return v.Bool[r]
	}
	return "?"
}

// cells returns the targeted columns of b, row by row.
func cells(b *column.Batch, targets []int) [][]any {
	out := make([][]any, b.Len())
	for r := range out {
		for _, t := range targets {
			out[r] = append(out[r], cell(b.Vectors[t], r))
		}
	}
	return out
}

// checkBatch verifies the shape of an ingest batch: a vector per column of
// the schema with its type, all of one length, SYMBOL as text, NULL bits
// only below that length, and columns not targeted entirely NULL.
func checkBatch(tb testing.TB, s *model.Schema, targets []int, b *column.Batch) {
	tb.Helper()
	if len(b.Vectors) != len(s.Columns) {
		tb.Fatalf("batch has %d vectors for %d columns", len(b.Vectors), len(s.Columns))
	}
	n := b.Len()
	if n < 1 {
		tb.Fatalf("batch has %d rows", n)
	}
	named := make([]bool, len(s.Columns))
	for _, t := range targets {
		named[t] = true
	}
	for i, v := range b.Vectors {
		c := s.Columns[i]
		if v == nil || v.Type != c.Type {
			tb.Fatalf("column %s: vector %+v, want type %v", c.Name, v, c.Type)
		}
		if v.Len() != n {
			tb.Fatalf("column %s has %d rows, column %s %d", c.Name, v.Len(), s.Columns[0].Name, n)
		}
		if v.Symbol != nil {
			tb.Fatalf("column %s holds symbol ids in an ingest batch", c.Name)
		}
		if v.Nulls.Count(1<<30) != v.Nulls.Count(n) {
			tb.Fatalf("column %s has NULL bits past row %d", c.Name, n)
		}
		if !named[i] && v.Nulls.Count(n) != n {
			tb.Fatalf("column %s is not named but has %d NULLs in %d rows", c.Name, v.Nulls.Count(n), n)
		}
	}
}
