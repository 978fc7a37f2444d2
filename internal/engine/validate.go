package engine

import (
	"fmt"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// BatchError names the row and column of a rejected batch.
type BatchError struct {
	Table  string
	Column string
	Row    int // -1 when the whole column is wrong
	Msg    string
}

func (e *BatchError) Error() string {
	if e.Row < 0 {
		return fmt.Sprintf("table %s, column %s: %s", e.Table, e.Column, e.Msg)
	}
	return fmt.Sprintf("table %s, row %d, column %s: %s", e.Table, e.Row+1, e.Column, e.Msg)
}

// validate checks a batch in ingest form against s: one vector per column,
// matching types, equal lengths, no NULL where the schema forbids it.
func validate(s *model.Schema, b *column.Batch) error {
	if len(b.Vectors) != len(s.Columns) {
		return fmt.Errorf("table %s has %d columns, batch has %d", s.Name, len(s.Columns), len(b.Vectors))
	}
	n := b.Len()
	for i, c := range s.Columns {
		v := b.Vectors[i]
		if v.Type != c.Type {
			return &BatchError{Table: s.Name, Column: c.Name, Row: -1, Msg: fmt.Sprintf("got %s values, column is %s", v.Type, c.Type)}
		}
		if c.Type == model.TypeSymbol && v.Symbol != nil {
			return &BatchError{Table: s.Name, Column: c.Name, Row: -1, Msg: "symbol ids in an ingest batch"}
		}
		if v.Len() != n {
			return &BatchError{Table: s.Name, Column: c.Name, Row: -1, Msg: fmt.Sprintf("has %d values, want %d", v.Len(), n)}
		}
		if (c.NotNull || i == s.TimestampCol) && v.Nulls.Any() {
			for r := 0; r < n; r++ {
				if v.IsNull(r) {
					return &BatchError{Table: s.Name, Column: c.Name, Row: r, Msg: "NULL in a NOT NULL column"}
				}
			}
		}
	}
	return nil
}
