package chformat

import (
	"bytes"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/zeptodb/zeptodb/internal/model"
)

// The Arrow formats: ArrowStream is the IPC stream format, Arrow the IPC
// file format (with a footer), as ClickHouse names them.
const (
	Arrow       Format = "Arrow"
	ArrowStream Format = "ArrowStream"
)

func init() {
	formats["arrow"], formats["arrowstream"] = Arrow, ArrowStream
}

// ArrowType is the Arrow type a column of type t is written as.
func ArrowType(t model.ColumnType) arrow.DataType {
	switch t {
	case model.TypeInt64:
		return arrow.PrimitiveTypes.Int64
	case model.TypeInt32:
		return arrow.PrimitiveTypes.Int32
	case model.TypeFloat64:
		return arrow.PrimitiveTypes.Float64
	case model.TypeFloat32:
		return arrow.PrimitiveTypes.Float32
	case model.TypeTimestamp:
		return &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}
	case model.TypeBool:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.String
}

// appendArrow writes rows [0, rows) of cols as one Arrow record batch in
// the IPC stream (or file) format.
func appendArrow(dst []byte, file bool, cols []Column, rows int) []byte {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: ArrowType(c.Type), Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i, c := range cols {
		fillArrow(b.Field(i), c, rows)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	buf := bytes.NewBuffer(dst)
	var err error
	if file {
		var w *ipc.FileWriter
		if w, err = ipc.NewFileWriter(buf, ipc.WithSchema(schema)); err == nil {
			if err = w.Write(rec); err == nil {
				err = w.Close()
			}
		}
	} else {
		w := ipc.NewWriter(buf, ipc.WithSchema(schema))
		if err = w.Write(rec); err == nil {
			err = w.Close()
		}
	}
	if err != nil { // only a bytes.Buffer underneath: a bug
		panic(fmt.Sprintf("chformat: writing Arrow: %v", err))
	}
	return buf.Bytes()
}

func fillArrow(fb array.Builder, c Column, rows int) {
	v := c.Data
	for r := 0; r < rows; r++ {
		if v.IsNull(r) {
			fb.AppendNull()
			continue
		}
		switch b := fb.(type) {
		case *array.Int64Builder:
			b.Append(v.Int64[r])
		case *array.Int32Builder:
			if v.Int32 != nil {
				b.Append(v.Int32[r])
			} else {
				b.Append(int32(v.Int64[r]))
			}
		case *array.Float64Builder:
			b.Append(v.Float64[r])
		case *array.Float32Builder:
			if v.Float32 != nil {
				b.Append(v.Float32[r])
			} else {
				b.Append(float32(v.Float64[r]))
			}
		case *array.TimestampBuilder:
			b.Append(arrow.Timestamp(v.Int64[r]))
		case *array.BooleanBuilder:
			b.Append(v.Bool[r])
		case *array.StringBuilder:
			b.Append(v.String[r])
		}
	}
}
