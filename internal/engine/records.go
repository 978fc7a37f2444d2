package engine

import (
	"encoding/binary"
	"fmt"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// WAL record types. Their values are part of the on-disk format.
const (
	recCreateTable byte = 1
	recDropTable   byte = 2
	recInsert      byte = 3
	recTruncate    byte = 4
	recDelete      byte = 5
	recUpdate      byte = 6
	recAlter       byte = 7
	recSetTTL      byte = 8
	recExpire      byte = 9
)

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func readString(src []byte) (string, []byte, error) {
	n, k := binary.Uvarint(src)
	if k <= 0 || n > uint64(len(src)-k) {
		return "", nil, fmt.Errorf("%w: bad string", column.ErrCorrupt)
	}
	return string(src[k : k+int(n)]), src[k+int(n):], nil
}

// encodeSchema: name | u8 partitionBy | uvarint timestampCol+1 |
// uvarint columns | per column: name | u8 type | u8 notNull.
func encodeSchema(s *model.Schema) []byte {
	dst := appendString(nil, s.Name)
	dst = append(dst, byte(s.PartitionBy))
	dst = binary.AppendUvarint(dst, uint64(s.TimestampCol+1))
	dst = binary.AppendUvarint(dst, uint64(len(s.Columns)))
	for _, c := range s.Columns {
		dst = appendString(dst, c.Name)
		nn := byte(0)
		if c.NotNull {
			nn = 1
		}
		dst = append(dst, byte(c.Type), nn)
	}
	return dst
}

func decodeSchema(src []byte) (*model.Schema, error) {
	bad := fmt.Errorf("%w: bad schema record", column.ErrCorrupt)
	name, src, err := readString(src)
	if err != nil || len(src) < 1 {
		return nil, bad
	}
	part := model.PartitionBy(src[0])
	if part > model.PartitionNone {
		return nil, bad
	}
	tsCol, k := binary.Uvarint(src[1:])
	if k <= 0 {
		return nil, bad
	}
	src = src[1+k:]
	n, k := binary.Uvarint(src)
	if k <= 0 || n > model.MaxColumns {
		return nil, bad
	}
	src = src[k:]
	cols := make([]model.Column, n)
	for i := range cols {
		if cols[i].Name, src, err = readString(src); err != nil || len(src) < 2 {
			return nil, bad
		}
		cols[i].Type, cols[i].NotNull = model.ColumnType(src[0]), src[1] == 1
		src = src[2:]
	}
	tsName := ""
	if tsCol > uint64(len(cols)) {
		return nil, bad
	}
	if tsCol > 0 {
		tsName = cols[tsCol-1].Name
	}
	return model.NewSchema(name, cols, tsName, part)
}

func encodeInsert(dst []byte, table string, b *column.Batch) []byte {
	dst = appendString(dst, table)
	return column.AppendBatch(dst, b)
}

func decodeInsert(src []byte) (string, *column.Batch, error) {
	name, src, err := readString(src)
	if err != nil {
		return "", nil, err
	}
	b, _, err := column.DecodeBatch(src)
	return name, b, err
}
