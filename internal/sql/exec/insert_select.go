package exec

import (
	"context"
	"math"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// execInsertSelect runs INSERT INTO t [(cols)] query: the query's rows
// are converted to the target columns and inserted as one batch, whole or
// not at all.
func (x *Executor) execInsertSelect(ctx context.Context, s *parser.Insert) (*Result, error) {
	t, err := x.eng.Table(s.Table)
	if err != nil {
		return nil, errAt(CodeUnknownTable, s.At, "unknown table %s", s.Table)
	}
	targets, err := insertTargets(t.Schema, s)
	if err != nil {
		return nil, err
	}
	res, err := x.runQuery(ctx, s.Query, nil)
	if err != nil {
		return nil, err
	}
	if len(res.Columns) != len(targets) {
		return nil, errAt(CodeWrongValues, s.At, "the query returns %d columns, the INSERT names %d", len(res.Columns), len(targets))
	}
	b := newIngestBatch(t.Schema, res.Rows)
	for i, target := range targets {
		col := t.Schema.Columns[target]
		v, err := convertColumn(res.Columns[i].Data, res.Rows, col)
		if err != nil {
			return nil, err
		}
		b.Vectors[target] = v
	}
	padNulls(b, res.Rows)
	n, err := x.eng.InsertAs(t.Schema, b)
	if err != nil {
		return nil, mapEngineError(err)
	}
	return &Result{Written: int64(n)}, nil
}

// convertColumn converts a result column to a column type, as INSERT
// converts literals: integers into any number column (INT32 and FLOAT32
// range-checked), floats into float columns, text into SYMBOL and STRING,
// timestamps and integers into TIMESTAMP.
func convertColumn(src *column.Vector, n int, col model.Column) (*column.Vector, *Error) {
	out := newIngestBatch(&model.Schema{Columns: []model.Column{col}}, n).Vectors[0]
	mismatch := func() *Error {
		return errorf(CodeTypeMismatch, "cannot insert %s values into %s column %s", src.Type, col.Type, col.Name)
	}
	for r := 0; r < n; r++ {
		if src.IsNull(r) {
			out.AppendNull()
			continue
		}
		switch {
		case col.Type == model.TypeInt64 && src.Type == model.TypeInt64,
			col.Type == model.TypeTimestamp && src.Type.IsInteger():
			out.Int64 = append(out.Int64, src.Int64[r])
		case col.Type == model.TypeInt32 && src.Type == model.TypeInt64:
			v := src.Int64[r]
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, errorf(CodeOverflow, "value %d out of range for INT32 column %s", v, col.Name)
			}
			out.Int32 = append(out.Int32, int32(v))
		case col.Type.IsFloat() && (src.Type == model.TypeFloat64 || src.Type == model.TypeInt64):
			f := src.Float64
			v := 0.0
			if f != nil {
				v = f[r]
			} else {
				v = float64(src.Int64[r])
			}
			if col.Type == model.TypeFloat64 {
				out.Float64 = append(out.Float64, v)
				break
			}
			if math.Abs(v) > math.MaxFloat32 && !math.IsInf(v, 0) {
				return nil, errorf(CodeOverflow, "value %g out of range for FLOAT32 column %s", v, col.Name)
			}
			out.Float32 = append(out.Float32, float32(v))
		case col.Type.IsText() && src.Type.IsText():
			out.String = append(out.String, src.String[r])
		case col.Type == model.TypeBool && src.Type == model.TypeBool:
			out.Bool = append(out.Bool, src.Bool[r])
		default:
			return nil, mismatch()
		}
	}
	return out, nil
}

// execCreateAs runs CREATE TABLE t [TIMESTAMP(col)] [PARTITION BY ...] AS
// query: the table takes the query's column names and types.
func (x *Executor) execCreateAs(ctx context.Context, s *parser.CreateTable) (*Result, error) {
	res, err := x.runQuery(ctx, s.Query, nil)
	if err != nil {
		return nil, err
	}
	cols := make([]model.Column, len(res.Columns))
	for i, c := range res.Columns {
		cols[i] = model.Column{Name: c.Name, Type: c.Type}
	}
	part, err := model.ParsePartitionBy(s.PartitionBy)
	if err != nil {
		return nil, errAt(CodeBadArguments, s.At, "%v", err)
	}
	schema, err := model.NewSchema(s.Name, cols, s.TimestampColumn, part)
	if err != nil {
		return nil, errAt(CodeBadArguments, s.At, "%v (name computed columns with AS)", err)
	}
	if err := x.eng.CreateTable(schema, s.IfNotExists); err != nil {
		return nil, mapEngineError(err)
	}
	b := &column.Batch{}
	for _, c := range res.Columns {
		b.Vectors = append(b.Vectors, c.Data)
	}
	n, err := x.eng.InsertAs(schema, b)
	if err != nil {
		return nil, mapEngineError(err)
	}
	return &Result{Written: int64(n)}, nil
}
