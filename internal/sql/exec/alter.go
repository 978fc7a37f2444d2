package exec

import (
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/rdb"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// execAlter runs ALTER TABLE t ADD COLUMN | DROP COLUMN | RENAME COLUMN,
// ... : the actions apply in order to a new schema, and the table is
// copied under it in one logged step.
func (x *Executor) execAlter(s *parser.AlterTable) (*Result, error) {
	t, err := x.eng.Table(s.Table)
	if err != nil {
		return nil, errAt(CodeUnknownTable, s.At, "unknown table %s", s.Table)
	}
	var columnActions, ttlActions []parser.AlterAction
	for _, a := range s.Actions {
		switch a.(type) {
		case *parser.SetTTL, *parser.RemoveTTL:
			ttlActions = append(ttlActions, a)
		default:
			columnActions = append(columnActions, a)
		}
	}
	if len(columnActions) > 0 {
		cs := *s
		cs.Actions = columnActions
		if err := x.alterColumns(&cs, t); err != nil {
			return nil, err
		}
	}
	if len(ttlActions) > 0 {
		return x.alterTTL(t.Schema.Name, ttlActions)
	}
	return &Result{}, nil
}

// alterTTL sets or removes the TTL; setting it expires partitions at once
// and the answer says what that freed.
func (x *Executor) alterTTL(table string, actions []parser.AlterAction) (*Result, error) {
	var total rdb.Reclaimed
	for _, a := range actions {
		ttl := engine.TTL{}
		if set, ok := a.(*parser.SetTTL); ok {
			ttl = engine.TTL{N: set.Value, Unit: set.Unit}
		}
		r, err := x.eng.SetTTL(table, ttl, time.Now())
		if err != nil {
			return nil, mapEngineError(err)
		}
		total.Add(r)
	}
	return &Result{Rows: 1, Columns: []ResultColumn{
		int64Column("partitions_dropped", int64(total.Partitions)),
		int64Column("rows_dropped", total.Rows),
		int64Column("bytes_freed", total.Bytes),
	}}, nil
}

func int64Column(name string, v int64) ResultColumn {
	return ResultColumn{Name: name, Type: model.TypeInt64, Data: &column.Vector{Type: model.TypeInt64, Int64: []int64{v}}}
}

// alterColumns applies ADD, DROP and RENAME COLUMN.
func (x *Executor) alterColumns(s *parser.AlterTable, t *rdb.Table) error {
	old := t.Schema
	cols := append([]model.Column(nil), old.Columns...)
	from := make([]int, len(cols))
	for i := range from {
		from[i] = i
	}
	for _, a := range s.Actions {
		var err error
		if cols, from, err = alterAction(old, t.Rows() > 0, cols, from, a); err != nil {
			return err
		}
	}
	tsName := ""
	if old.TimestampCol >= 0 {
		tsName = old.Columns[old.TimestampCol].Name
		for i, f := range from {
			if f == old.TimestampCol {
				tsName = cols[i].Name
			}
		}
	}
	schema, err := model.NewSchema(old.Name, cols, tsName, old.PartitionBy)
	if err != nil {
		return errAt(CodeBadArguments, s.At, "%v", err)
	}
	if schema.SymbolCol >= 0 && old.SymbolCol >= 0 && from[schema.SymbolCol] != old.SymbolCol {
		return errAt(CodeNotSupported, s.At, "the designated symbol %s must stay the table's first SYMBOL column", old.Columns[old.SymbolCol].Name)
	}
	if err := x.eng.AlterTable(old.Name, schema, from); err != nil {
		return mapEngineError(err)
	}
	return nil
}

// alterAction applies one action to the column list under construction.
func alterAction(old *model.Schema, hasRows bool, cols []model.Column, from []int, a parser.AlterAction) ([]model.Column, []int, error) {
	find := func(name string) int {
		for i, c := range cols {
			if strings.EqualFold(c.Name, name) {
				return i
			}
		}
		return -1
	}
	switch a := a.(type) {
	case *parser.AddColumn:
		def := a.Column
		if find(def.Name) >= 0 {
			if a.IfNotExists {
				return cols, from, nil
			}
			return nil, nil, errAt(CodeBadArguments, a.At, "column %s already exists", def.Name)
		}
		typ, err := model.ParseTypeArgs(def.Type, def.TypeArgs)
		if err != nil {
			return nil, nil, errAt(CodeTypeMismatch, def.At, "column %s: %v", def.Name, err)
		}
		if def.NotNull && hasRows {
			return nil, nil, errAt(CodeBadArguments, def.At, "cannot add NOT NULL column %s to a table with rows: existing rows would have no value", def.Name)
		}
		if typ == model.TypeTimestamp && old.TimestampCol < 0 {
			return nil, nil, errAt(CodeNotSupported, def.At, "cannot add a TIMESTAMP column to a table without a designated timestamp")
		}
		return append(cols, model.Column{Name: def.Name, Type: typ, NotNull: def.NotNull}), append(from, -1), nil
	case *parser.DropColumn:
		i := find(a.Name)
		switch {
		case i < 0 && a.IfExists:
			return cols, from, nil
		case i < 0:
			return nil, nil, errAt(CodeUnknownColumn, a.At, "unknown column %s", a.Name)
		case from[i] >= 0 && from[i] == old.TimestampCol:
			return nil, nil, errAt(CodeNotSupported, a.At, "cannot drop the designated timestamp %s", a.Name)
		case from[i] >= 0 && from[i] == old.SymbolCol:
			return nil, nil, errAt(CodeNotSupported, a.At, "cannot drop the designated symbol %s: it keys the table's series", a.Name)
		case len(cols) == 1:
			return nil, nil, errAt(CodeBadArguments, a.At, "cannot drop the only column %s", a.Name)
		}
		return append(cols[:i:i], cols[i+1:]...), append(from[:i:i], from[i+1:]...), nil
	case *parser.RenameColumn:
		i := find(a.Old)
		if i < 0 {
			return nil, nil, errAt(CodeUnknownColumn, a.At, "unknown column %s", a.Old)
		}
		if j := find(a.New); j >= 0 && j != i {
			return nil, nil, errAt(CodeBadArguments, a.At, "column %s already exists", a.New)
		}
		cols[i].Name = a.New
		return cols, from, nil
	}
	return nil, nil, errAt(CodeNotSupported, a.Pos(), "this ALTER TABLE action is not supported")
}
