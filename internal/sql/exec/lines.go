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
// others.
func lineBatch(s *model.Schema, lines []Line, now int64) (*column.Batch, []LineError, []Line) {
	b := newIngestBatch(s, len(lines))
	var errs []LineError
	var ok []Line
	idx := func(name string) int { return s.ColumnIndex(columnName(name)) }
	row := 0
	for _, l := range lines {
		vals := make([]any, len(s.Columns)) // nil: NULL
		err := func() error {
			for _, kv := range l.Point.Tags {
				i := idx(kv[0])
				if i < 0 || s.Columns[i].Type != model.TypeSymbol && s.Columns[i].Type != model.TypeString {
					return fmt.Errorf("tag %s: column is not text", kv[0])
				}
				vals[i] = kv[1]
			}
			for _, f := range l.Point.Fields {
				i := idx(f.Key)
				if i < 0 {
					return fmt.Errorf("field %s: no such column", f.Key)
				}
				v, err := fieldValue(f, s.Columns[i].Type)
				if err != nil {
					return fmt.Errorf("field %s: %v", f.Key, err)
				}
				vals[i] = v
			}
			ts := now
			if l.Point.HasTime {
				ts = l.Point.Time
			}
			if s.TimestampCol >= 0 {
				vals[s.TimestampCol] = ts
			}
			return nil
		}()
		if err != nil {
			errs = append(errs, LineError{l.N, err.Error()})
			continue
		}
		for i, v := range vals {
			appendLineValue(b.Vectors[i], row, v)
		}
		row++
		ok = append(ok, l)
	}
	return b, errs, ok
}

// fieldValue converts a field to a column's type where no value is lost.
func fieldValue(f ingest.LineField, t model.ColumnType) (any, error) {
	switch {
	case f.Kind == ingest.FieldFloat && (t == model.TypeFloat64 || t == model.TypeFloat32):
		return f.F, nil
	case f.Kind == ingest.FieldInt && (t == model.TypeInt64 || t == model.TypeInt32 && f.I == int64(int32(f.I))):
		return f.I, nil
	case f.Kind == ingest.FieldInt && (t == model.TypeFloat64 || t == model.TypeFloat32) && f.I == int64(float64(f.I)):
		return float64(f.I), nil
	case f.Kind == ingest.FieldUint && t == model.TypeInt64 && f.U <= 1<<63-1:
		return int64(f.U), nil
	case f.Kind == ingest.FieldString && (t == model.TypeString || t == model.TypeSymbol):
		return f.S, nil
	case f.Kind == ingest.FieldBool && t == model.TypeBool:
		return f.B, nil
	}
	return nil, fmt.Errorf("a %s value does not fit the column's type %v", kindName(f.Kind), t)
}

func kindName(k ingest.FieldKind) string {
	return [...]string{"float", "integer", "unsigned integer", "string", "boolean"}[k]
}

func appendLineValue(v *column.Vector, row int, x any) {
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		n, _ := x.(int64)
		v.Int64 = append(v.Int64, n)
	case model.TypeInt32:
		n, _ := x.(int64)
		v.Int32 = append(v.Int32, int32(n))
	case model.TypeFloat64:
		f, _ := x.(float64)
		v.Float64 = append(v.Float64, f)
	case model.TypeFloat32:
		f, _ := x.(float64)
		v.Float32 = append(v.Float32, float32(f))
	case model.TypeBool:
		b, _ := x.(bool)
		v.Bool = append(v.Bool, b)
	default:
		s, _ := x.(string)
		v.String = append(v.String, s)
	}
	if x == nil {
		v.SetNull(row)
	}
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
