package exec

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/ingest"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

func (x *Executor) execInsert(s *parser.Insert) (*Result, error) {
	t, err := x.eng.Table(s.Table)
	if err != nil {
		return nil, errAt(CodeUnknownTable, s.At, "unknown table %s", s.Table)
	}
	targets, err := insertTargets(t.Schema, s)
	if err != nil {
		return nil, err
	}
	if s.Format != "" {
		return x.insertFormat(t.Schema, targets, s)
	}
	b := newIngestBatch(t.Schema, len(s.Rows))
	sc := &scope{now: new(int64)} // one clock for every now() of the statement
	for r, row := range s.Rows {
		if len(row) != len(targets) {
			pos := s.At
			if len(row) > 0 {
				pos = row[0].Pos()
			}
			return nil, errAt(CodeWrongValues, pos, "row %d has %d values, expected %d", r+1, len(row), len(targets))
		}
		for i, e := range row {
			if err := appendLiteral(sc, b.Vectors[targets[i]], t.Schema.Columns[targets[i]], e); err != nil {
				return nil, err
			}
		}
		padNulls(b, r+1)
	}
	n, err := x.eng.InsertAs(t.Schema, b)
	if err != nil {
		return nil, mapEngineError(err)
	}
	return &Result{Written: int64(n)}, nil
}

// insertTargets maps each VALUES position to a column index.
func insertTargets(s *model.Schema, ins *parser.Insert) ([]int, error) {
	out, err := columnTargets(s, ins.Columns)
	if err != nil {
		err.Line, err.Col = ins.At.Line, ins.At.Col
		return nil, err
	}
	return out, nil
}

// columnTargets resolves an INSERT column list; nil means every column.
func columnTargets(s *model.Schema, names []string) ([]int, *Error) {
	if names == nil {
		all := make([]int, len(s.Columns))
		for i := range all {
			all[i] = i
		}
		return all, nil
	}
	seen := map[int]bool{}
	var out []int
	for _, name := range names {
		i := s.ColumnIndex(name)
		if i < 0 {
			return nil, errorf(CodeUnknownColumn, "unknown column %s in table %s", name, s.Name)
		}
		if seen[i] {
			return nil, errorf(CodeBadArguments, "column %s listed twice", name)
		}
		seen[i] = true
		out = append(out, i)
	}
	return out, nil
}

// fastInsert runs INSERT ... VALUES by decoding the values text straight
// into column vectors, without building a syntax tree. It reports handled
// false for anything it does not accept, so that the full parser runs and
// produces the canonical error.
func (x *Executor) fastInsert(table string, columns []string, values string) (res *Result, handled bool, err error) {
	t, err := x.eng.Table(table)
	if err != nil {
		return nil, false, nil
	}
	targets, terr := columnTargets(t.Schema, columns)
	if terr != nil {
		return nil, false, nil
	}
	b, err := ingest.DecodeValues(t.Schema, targets, values)
	if err != nil {
		return nil, false, nil
	}
	n, err := x.eng.InsertAs(t.Schema, b)
	if err != nil {
		return nil, true, mapEngineError(err)
	}
	return &Result{Written: int64(n)}, true, nil
}

// newIngestBatch returns empty vectors in ingest form for a schema.
func newIngestBatch(s *model.Schema, capacity int) *column.Batch {
	b := &column.Batch{Vectors: make([]*column.Vector, len(s.Columns))}
	for i, c := range s.Columns {
		t := c.Type
		if t == model.TypeSymbol {
			b.Vectors[i] = &column.Vector{Type: t, String: make([]string, 0, capacity)}
			continue
		}
		b.Vectors[i] = column.NewVector(t, capacity)
	}
	return b
}

// padNulls appends NULL to every vector shorter than n rows: the columns
// an INSERT did not name.
func padNulls(b *column.Batch, n int) {
	for _, v := range b.Vectors {
		for v.Len() < n {
			v.AppendNull()
		}
	}
}

// literalValue folds a VALUES item to a constant.
func literalValue(sc *scope, e parser.Expr) (*vec, error) {
	b, err := sc.bind(e)
	if err != nil {
		return nil, err
	}
	c, ok := b.(*constExpr)
	if !ok {
		return nil, errAt(CodeBadArguments, e.Pos(), "VALUES must be constants")
	}
	return c.v, nil
}

// appendLiteral converts one VALUES item to the column's type and appends it.
func appendLiteral(sc *scope, v *column.Vector, col model.Column, e parser.Expr) error {
	c, err := literalValue(sc, e)
	if err != nil {
		return err
	}
	if c.isNull(0) {
		v.AppendNull()
		return nil
	}
	mismatch := func() error {
		return errAt(CodeTypeMismatch, e.Pos(), "cannot insert %s value %s into %s column %s", c.typ, e.String(), col.Type, col.Name)
	}
	switch col.Type {
	case model.TypeInt64:
		if c.typ != model.TypeInt64 {
			return mismatch()
		}
		v.Int64 = append(v.Int64, c.i64[0])
	case model.TypeInt32:
		if c.typ != model.TypeInt64 {
			return mismatch()
		}
		if c.i64[0] < math.MinInt32 || c.i64[0] > math.MaxInt32 {
			return errAt(CodeOverflow, e.Pos(), "value %d out of range for INT32 column %s", c.i64[0], col.Name)
		}
		v.Int32 = append(v.Int32, int32(c.i64[0]))
	case model.TypeFloat64, model.TypeFloat32:
		if !c.typ.IsNumeric() {
			return mismatch()
		}
		f := c.float(0)
		if col.Type == model.TypeFloat64 {
			v.Float64 = append(v.Float64, f)
			break
		}
		if math.Abs(f) > math.MaxFloat32 && !math.IsInf(f, 0) {
			return errAt(CodeOverflow, e.Pos(), "value %s out of range for FLOAT32 column %s", e.String(), col.Name)
		}
		v.Float32 = append(v.Float32, float32(f))
	case model.TypeTimestamp:
		switch c.typ {
		case model.TypeInt64, model.TypeTimestamp:
			v.Int64 = append(v.Int64, c.i64[0])
		case model.TypeString:
			ts, err := parseTimestamp(c.s[0])
			if err != nil {
				return errAt(CodeTypeMismatch, e.Pos(), "column %s: %v", col.Name, err)
			}
			v.Int64 = append(v.Int64, ts)
		default:
			return mismatch()
		}
	case model.TypeSymbol:
		switch c.typ {
		case model.TypeString:
			v.String = append(v.String, c.s[0])
		case model.TypeInt64:
			v.String = append(v.String, strconv.FormatInt(c.i64[0], 10))
		default:
			return mismatch()
		}
	case model.TypeString:
		if c.typ != model.TypeString {
			return mismatch()
		}
		v.String = append(v.String, c.s[0])
	case model.TypeBool:
		switch {
		case c.typ == model.TypeBool:
			v.Bool = append(v.Bool, c.b[0])
		case c.typ == model.TypeInt64 && (c.i64[0] == 0 || c.i64[0] == 1):
			v.Bool = append(v.Bool, c.i64[0] == 1)
		default:
			return mismatch()
		}
	}
	return nil
}

// insertFormat runs INSERT ... FORMAT name <data>: the data decoded by the
// format's reader, then inserted whole like any batch.
func (x *Executor) insertFormat(schema *model.Schema, targets []int, s *parser.Insert) (*Result, error) {
	b, err := ingest.DecodeFormat(s.Format, schema, targets, s.Data)
	var ve *ingest.ValuesError
	switch {
	case errors.Is(err, ingest.ErrUnknownFormat):
		return nil, errAt(CodeUnknownFormat, s.At, "%v", err)
	case errors.As(err, &ve):
		return nil, &Error{Code: CodeCannotParse, Msg: fmt.Sprintf("INSERT ... FORMAT %s: %v; nothing was inserted", s.Format, ve)}
	case err != nil:
		return nil, err
	}
	n, err := x.eng.InsertAs(schema, b)
	if err != nil {
		return nil, mapEngineError(err)
	}
	return &Result{Written: int64(n)}, nil
}
