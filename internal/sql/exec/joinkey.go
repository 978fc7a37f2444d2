package exec

import (
	"encoding/binary"
	"math"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// keyKind is how one equality of a join key compares. The two sides may
// store it differently (INT32 and INT64, SYMBOLs of two dictionaries, a
// SYMBOL and a STRING), so both render their values in one form and the
// hash table compares those bytes.
type keyKind uint8

const (
	keyInt   keyKind = iota // INT32, INT64, TIMESTAMP: 8 bytes
	keyFloat                // a float on either side: the float64 bits
	keyText                 // SYMBOL, STRING: the text, never the symbol id
	keyBool                 // 1 byte
)

// joinKey is one equality of an equi-join: left column = right column
// (indexes into each table's schema).
type joinKey struct {
	left, right int
	kind        keyKind
}

// keyKindOf decides how a left and a right column type compare.
func keyKindOf(l, r model.ColumnType) (keyKind, bool) {
	switch {
	case l.IsText() && r.IsText():
		return keyText, true
	case l == model.TypeBool && r == model.TypeBool:
		return keyBool, true
	case l.IsInteger() && r.IsInteger():
		return keyInt, true
	case l.IsNumeric() && r.IsNumeric():
		return keyFloat, true
	}
	return 0, false
}

// keyReader renders the join key of the rows of one chunk of one side.
type keyReader struct {
	cols  []*column.Vector
	kinds []keyKind
	strs  [][]string     // per key column, its dictionary's texts (SYMBOL)
	dicts []*symtab.Dict // for ids newer than strs
}

// newKeyReader reads the key columns of chunk c; left picks which side
// of each joinKey.
func newKeyReader(c *rdb.Chunk, dicts []*symtab.Dict, keys []joinKey, left bool) keyReader {
	k := keyReader{}
	for _, jk := range keys {
		i := jk.right
		if left {
			i = jk.left
		}
		k.cols = append(k.cols, c.Cols[i])
		k.kinds = append(k.kinds, jk.kind)
		var strs []string
		if c.Cols[i].Type == model.TypeSymbol {
			strs = dicts[i].Strings() // one lock per chunk, not per row
		}
		k.strs, k.dicts = append(k.strs, strs), append(k.dicts, dicts[i])
	}
	return k
}

// appendKey appends row r's key to dst. It reports false when a part of
// the key is NULL: a NULL key equals nothing, not even another NULL. A
// single text key is its bare text, so that a designated-symbol key can
// be looked up by the symbol's text; several parts are length-prefixed
// so that ("ab","c") and ("a","bc") differ.
func (k *keyReader) appendKey(dst []byte, r int) ([]byte, bool) {
	multi := len(k.cols) > 1
	for i, c := range k.cols {
		if c.IsNull(r) {
			return dst, false
		}
		switch k.kinds[i] {
		case keyText:
			s := k.text(i, r)
			if multi {
				dst = binary.AppendUvarint(dst, uint64(len(s)))
			}
			dst = append(dst, s...)
		case keyInt:
			dst = binary.LittleEndian.AppendUint64(dst, uint64(intAt(c, r)))
		case keyFloat:
			f := floatAt(c, r)
			if f == 0 {
				f = 0 // -0 equals 0
			}
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(f))
		case keyBool:
			dst = append(dst, boolByte(c.Bool[r]))
		}
	}
	return dst, true
}

func (k *keyReader) text(i, r int) string {
	c := k.cols[i]
	if c.Type != model.TypeSymbol {
		return c.String[r]
	}
	if id := c.Symbol[r]; int(id) < len(k.strs[i]) {
		return k.strs[i][id]
	}
	return k.dicts[i].String(c.Symbol[r])
}

func intAt(c *column.Vector, r int) int64 {
	if c.Type == model.TypeInt32 {
		return int64(c.Int32[r])
	}
	return c.Int64[r]
}

func floatAt(c *column.Vector, r int) float64 {
	switch c.Type {
	case model.TypeFloat64:
		return c.Float64[r]
	case model.TypeFloat32:
		return float64(c.Float32[r])
	}
	return float64(intAt(c, r))
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
