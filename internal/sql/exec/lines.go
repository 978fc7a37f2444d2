package exec

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/ingest"
	"github.com/zeptodb/zeptodb/internal/model"
)

// LineOptions tune WriteLines.
type LineOptions struct {
	// AutoCreate makes a table for a measurement seen for the first time,
	// and adds columns for new tags and fields; otherwise those lines are
	// refused.
	AutoCreate bool
}

// LineError is one refused line, numbered from 1 in the request.
type LineError struct {
	Line int
	Msg  string
}

// Line is a parsed line with its number in the request.
type Line struct {
	N     int
	Point ingest.LinePoint
}

// WriteLines stores InfluxDB line-protocol points: a measurement is a
// table (the designated timestamp "timestamp", tags as SYMBOL columns,
// fields typed by their first value), a new tag or field adds a column.
// A line that does not fit its table — a value of another type, a name
// that cannot be a column — is refused alone; the rest are written, each
// table's lines as one batch. Names are made valid by replacing what a
// column name may not hold with '_'.
func (x *Executor) WriteLines(ctx context.Context, lines []Line, opts LineOptions) (int, []LineError) {
	if err := authorize(ctx, ClassWrite); err != nil {
		return 0, refuseAll(lines, err)
	}
	byTable := map[string][]Line{}
	var order []string
	for _, l := range lines {
		name := columnName(l.Point.Measurement)
		if _, ok := byTable[name]; !ok {
			order = append(order, name)
		}
		byTable[name] = append(byTable[name], l)
	}
	written := 0
	var errs []LineError
	now := time.Now().UnixNano()
	for _, name := range order {
		n, e := x.writeTableLines(ctx, name, byTable[name], opts, now)
		written += n
		errs = append(errs, e...)
	}
	if len(errs) > 0 {
		x.eng.CountRejected(len(errs))
	}
	return written, errs
}

// CountRejected counts lines refused before they reached WriteLines
// (unparseable ones) with the other refused rows.
func (x *Executor) CountRejected(n int) { x.eng.CountRejected(n) }

func refuseAll(lines []Line, err error) []LineError {
	out := make([]LineError, len(lines))
	for i, l := range lines {
		out[i] = LineError{l.N, err.Error()}
	}
	return out
}

// writeTableLines writes one measurement's lines, retrying when an ALTER
// TABLE (another writer's new column) replaced the schema meanwhile.
func (x *Executor) writeTableLines(ctx context.Context, name string, lines []Line, opts LineOptions, now int64) (int, []LineError) {
	if !tableAllowed(ctx, name) {
		return 0, refuseAll(lines, fmt.Errorf("unknown table %s", name))
	}
	for attempt := 0; ; attempt++ {
		schema, err := x.lineSchema(name, lines, opts)
		if err != nil {
			return 0, refuseAll(lines, err)
		}
		b, errs, ok := lineBatch(schema, lines, now)
		if len(ok) == 0 {
			return 0, errs
		}
		n, err := x.eng.InsertAs(schema, b)
		if errors.Is(err, engine.ErrSchemaChanged) && attempt < maxSchemaRetries {
			continue
		}
		if err != nil {
			return 0, append(errs, refuseAll(ok, mapEngineError(err))...)
		}
		return n, errs
	}
}

// lineSchema returns the table's schema with a column for every tag and
// field of lines, creating or altering the table if it may.
func (x *Executor) lineSchema(name string, lines []Line, opts LineOptions) (*model.Schema, error) {
	t, err := x.eng.Table(name)
	var cols []model.Column
	if err == nil {
		cols = append(cols, t.Schema.Columns...)
	} else if !errors.Is(err, engine.ErrTableNotFound) {
		return nil, err
	}
	var added []model.Column
	has := func(n string) bool {
		for _, c := range cols {
			if strings.EqualFold(c.Name, n) {
				return true
			}
		}
		for _, c := range added {
			if strings.EqualFold(c.Name, n) {
				return true
			}
		}
		return false
	}
	if t == nil {
		added = append(added, model.Column{Name: "timestamp", Type: model.TypeTimestamp})
	}
	for _, l := range lines {
		for _, kv := range l.Point.Tags {
			if n := columnName(kv[0]); !has(n) {
				added = append(added, model.Column{Name: n, Type: model.TypeSymbol})
			}
		}
		for _, f := range l.Point.Fields {
			if n := columnName(f.Key); !has(n) {
				added = append(added, model.Column{Name: n, Type: fieldType(f.Kind)})
			}
		}
	}
	if len(added) == 0 {
		return t.Schema, nil
	}
	if !opts.AutoCreate {
		if t == nil {
			return nil, fmt.Errorf("unknown table %s (ilp_auto_create is off)", name)
		}
		return nil, fmt.Errorf("table %s has no column %s (ilp_auto_create is off)", name, added[0].Name)
	}
	if t == nil {
		s, err := model.NewSchema(name, added, "timestamp", model.PartitionDay)
		if err != nil {
			return nil, err
		}
		if err := x.eng.CreateTable(s, true); err != nil {
			return nil, err
		}
	} else {
		old := t.Schema
		from := make([]int, 0, len(cols)+len(added))
		for i := range cols {
			from = append(from, i)
		}
		for range added {
			from = append(from, -1)
		}
		ts := ""
		if old.TimestampCol >= 0 {
			ts = old.Columns[old.TimestampCol].Name
		}
		s, err := model.NewSchema(name, append(cols, added...), ts, old.PartitionBy)
		if err != nil {
			return nil, err
		}
		if err := x.eng.AlterTable(name, s, from); err != nil && !errors.Is(err, engine.ErrSchemaChanged) {
			return nil, err
		}
	}
	t, err = x.eng.Table(name) // another writer may have altered it too: take what is there
	if err != nil {
		return nil, err
	}
	return t.Schema, nil
}

func fieldType(k ingest.FieldKind) model.ColumnType {
	switch k {
	case ingest.FieldInt, ingest.FieldUint:
		return model.TypeInt64
	case ingest.FieldString:
		return model.TypeString
	case ingest.FieldBool:
		return model.TypeBool
	}
	return model.TypeFloat64
}

// lineBatch builds one batch of the lines that fit schema and reports the
// others. Values go straight into the column vectors; a line refused half
// way is cut back off them.
func lineBatch(s *model.Schema, lines []Line, now int64) (*column.Batch, []LineError, []Line) {
	b := newIngestBatch(s, len(lines))
	var errs []LineError
	ok := lines[:0:0]
	index := map[string]int{} // line-protocol name → column
	col := func(name string) int {
		i, found := index[name]
		if !found {
			i = s.ColumnIndex(columnName(name))
			index[name] = i
		}
		return i
	}
	set := make([]bool, len(s.Columns))
	row := 0
	for _, l := range lines {
		clear(set)
		err := func() error {
			for _, kv := range l.Point.Tags {
				i := col(kv[0])
				if i < 0 || s.Columns[i].Type != model.TypeSymbol && s.Columns[i].Type != model.TypeString {
					return fmt.Errorf("tag %s: column is not text", kv[0])
				}
				if set[i] {
					return fmt.Errorf("tag %s given twice", kv[0])
				}
				b.Vectors[i].String, set[i] = append(b.Vectors[i].String, kv[1]), true
			}
			for _, f := range l.Point.Fields {
				i := col(f.Key)
				if i < 0 {
					return fmt.Errorf("field %s: no such column", f.Key)
				}
				if set[i] {
					return fmt.Errorf("field %s given twice", f.Key)
				}
				if err := appendField(b.Vectors[i], f); err != nil {
					return fmt.Errorf("field %s: %v", f.Key, err)
				}
				set[i] = true
			}
			return nil
		}()
		if err != nil {
			truncateRow(b, row)
			errs = append(errs, LineError{l.N, err.Error()})
			continue
		}
		if t := s.TimestampCol; t >= 0 {
			ts := now
			if l.Point.HasTime {
				ts = l.Point.Time
			}
			b.Vectors[t].Int64, set[t] = append(b.Vectors[t].Int64, ts), true
		}
		for i, v := range b.Vectors {
			if !set[i] {
				v.AppendNull()
			}
		}
		row++
		ok = append(ok, l)
	}
	return b, errs, ok
}

// truncateRow cuts every vector back to n rows (a refused line's values).
func truncateRow(b *column.Batch, n int) {
	for _, v := range b.Vectors {
		switch {
		case len(v.Int64) > n:
			v.Int64 = v.Int64[:n]
		case len(v.Int32) > n:
			v.Int32 = v.Int32[:n]
		case len(v.Float64) > n:
			v.Float64 = v.Float64[:n]
		case len(v.Float32) > n:
			v.Float32 = v.Float32[:n]
		case len(v.Bool) > n:
			v.Bool = v.Bool[:n]
		case len(v.String) > n:
			v.String = v.String[:n]
		}
	}
}

// appendField appends f to a column of another type where no value is
// lost, and refuses it otherwise.
func appendField(v *column.Vector, f ingest.LineField) error {
	switch t := v.Type; {
	case f.Kind == ingest.FieldFloat && t == model.TypeFloat64:
		v.Float64 = append(v.Float64, f.F)
	case f.Kind == ingest.FieldFloat && t == model.TypeFloat32:
		v.Float32 = append(v.Float32, float32(f.F))
	case f.Kind == ingest.FieldInt && t == model.TypeInt64:
		v.Int64 = append(v.Int64, f.I)
	case f.Kind == ingest.FieldInt && t == model.TypeInt32 && f.I == int64(int32(f.I)):
		v.Int32 = append(v.Int32, int32(f.I))
	case f.Kind == ingest.FieldInt && t == model.TypeFloat64 && f.I == int64(float64(f.I)):
		v.Float64 = append(v.Float64, float64(f.I))
	case f.Kind == ingest.FieldUint && t == model.TypeInt64 && f.U <= 1<<63-1:
		v.Int64 = append(v.Int64, int64(f.U))
	case f.Kind == ingest.FieldString && (t == model.TypeString || t == model.TypeSymbol):
		v.String = append(v.String, f.S)
	case f.Kind == ingest.FieldBool && t == model.TypeBool:
		v.Bool = append(v.Bool, f.B)
	default:
		return fmt.Errorf("a %s value does not fit the column's type %v", kindName(f.Kind), t)
	}
	return nil
}

func kindName(k ingest.FieldKind) string {
	return [...]string{"float", "integer", "unsigned integer", "string", "boolean"}[k]
}

// columnName makes a line-protocol name a valid table or column name:
// every character a name may not hold becomes '_', and a leading digit
// gets one in front.
func columnName(s string) string {
	if model.ValidateName(s) == nil {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	out := string(b)
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	if len(out) > 255 {
		out = out[:255]
	}
	return out
}
