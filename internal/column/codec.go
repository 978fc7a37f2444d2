package column

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/zeptodb/zeptodb/internal/model"
)

// Batch encoding (all integers little-endian, uvarint where noted):
//
//	uvarint rows | uvarint columns | column...
//	column: u8 type | u8 flags (bit 0: has NULL bitmap)
//	        [uvarint words | words × u64]            NULL bitmap, when flagged
//	        values:
//	          INT64, TIMESTAMP, FLOAT64  rows × 8 bytes (floats as IEEE bits)
//	          INT32, FLOAT32             rows × 4 bytes
//	          BOOL                       rows × 1 byte (0 or 1)
//	          SYMBOL, STRING             rows × (uvarint length | bytes)
//
// SYMBOL values are encoded as their text, never as dictionary ids, so a
// record can be replayed into any dictionary state.

// ErrCorrupt reports an encoded batch that cannot be decoded.
var ErrCorrupt = errors.New("corrupt batch encoding")

// maxDecodeRows bounds allocations driven by a decoded header.
const maxDecodeRows = 1 << 30

// AppendBatch appends the encoding of b to dst. SYMBOL vectors must be in
// ingest form (String set).
func AppendBatch(dst []byte, b *Batch) []byte {
	n := b.Len()
	dst = binary.AppendUvarint(dst, uint64(n))
	dst = binary.AppendUvarint(dst, uint64(len(b.Vectors)))
	for _, v := range b.Vectors {
		dst = appendVector(dst, v, n)
	}
	return dst
}

func appendVector(dst []byte, v *Vector, n int) []byte {
	dst = append(dst, byte(v.Type))
	if v.Nulls.Count(n) > 0 {
		// Only the words of the n rows, with bits past the last row
		// cleared: the decoder rejects longer bitmaps.
		dst = append(dst, 1)
		words := v.Nulls.Words()[:min(len(v.Nulls.Words()), (n+63)/64)]
		dst = binary.AppendUvarint(dst, uint64(len(words)))
		for i, w := range words {
			if rest := n - i*64; rest < 64 {
				w &= 1<<uint(rest) - 1
			}
			dst = binary.LittleEndian.AppendUint64(dst, w)
		}
	} else {
		dst = append(dst, 0)
	}
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		for _, x := range v.Int64[:n] {
			dst = binary.LittleEndian.AppendUint64(dst, uint64(x))
		}
	case model.TypeFloat64:
		for _, x := range v.Float64[:n] {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(x))
		}
	case model.TypeInt32:
		for _, x := range v.Int32[:n] {
			dst = binary.LittleEndian.AppendUint32(dst, uint32(x))
		}
	case model.TypeFloat32:
		for _, x := range v.Float32[:n] {
			dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(x))
		}
	case model.TypeBool:
		for _, x := range v.Bool[:n] {
			if x {
				dst = append(dst, 1)
			} else {
				dst = append(dst, 0)
			}
		}
	case model.TypeSymbol, model.TypeString:
		for _, s := range v.String[:n] {
			dst = binary.AppendUvarint(dst, uint64(len(s)))
			dst = append(dst, s...)
		}
	}
	return dst
}

// DecodeBatch decodes one batch from src and returns it with the remaining
// bytes. SYMBOL vectors come back in ingest form (String set).
func DecodeBatch(src []byte) (*Batch, []byte, error) {
	d := decoder{buf: src}
	rows := d.uvarint()
	cols := d.uvarint()
	if d.err != nil || rows > maxDecodeRows || cols > model.MaxColumns {
		return nil, nil, fmt.Errorf("%w: header", ErrCorrupt)
	}
	b := &Batch{Vectors: make([]*Vector, 0, cols)}
	for c := 0; c < int(cols); c++ {
		v := d.vector(int(rows))
		if d.err != nil {
			return nil, nil, fmt.Errorf("column %d: %w", c, d.err)
		}
		b.Vectors = append(b.Vectors, v)
	}
	return b, d.buf, nil
}

type decoder struct {
	buf []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrCorrupt, what)
	}
}

func (d *decoder) uvarint() uint64 {
	x, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.buf = d.buf[n:]
	return x
}

// take returns the next n bytes, or nil after recording an error.
func (d *decoder) take(n uint64) []byte {
	if d.err != nil || n > uint64(len(d.buf)) {
		d.fail("truncated")
		return nil
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}

func (d *decoder) vector(rows int) *Vector {
	hdr := d.take(2)
	if hdr == nil {
		return nil
	}
	t := model.ColumnType(hdr[0])
	if !t.Valid() || hdr[1] > 1 {
		d.fail("bad column header")
		return nil
	}
	v := &Vector{Type: t}
	if hdr[1] == 1 {
		nw := d.uvarint()
		if nw > uint64(rows)/64+1 { // more words than rows need: also keeps nw*8 from overflowing
			d.fail("NULL bitmap longer than its column")
			return nil
		}
		raw := d.take(nw * 8)
		if raw == nil {
			return nil
		}
		words := make([]uint64, nw)
		for i := range words {
			words[i] = binary.LittleEndian.Uint64(raw[i*8:])
		}
		v.Nulls = BitmapFromWords(words)
	}
	d.values(v, rows)
	return v
}

func (d *decoder) values(v *Vector, rows int) {
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		raw := d.take(uint64(rows) * 8)
		if raw != nil {
			v.Int64 = make([]int64, rows)
			for i := range v.Int64 {
				v.Int64[i] = int64(binary.LittleEndian.Uint64(raw[i*8:]))
			}
		}
	case model.TypeFloat64:
		raw := d.take(uint64(rows) * 8)
		if raw != nil {
			v.Float64 = make([]float64, rows)
			for i := range v.Float64 {
				v.Float64[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[i*8:]))
			}
		}
	case model.TypeInt32:
		raw := d.take(uint64(rows) * 4)
		if raw != nil {
			v.Int32 = make([]int32, rows)
			for i := range v.Int32 {
				v.Int32[i] = int32(binary.LittleEndian.Uint32(raw[i*4:]))
			}
		}
	case model.TypeFloat32:
		raw := d.take(uint64(rows) * 4)
		if raw != nil {
			v.Float32 = make([]float32, rows)
			for i := range v.Float32 {
				v.Float32[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[i*4:]))
			}
		}
	case model.TypeBool:
		raw := d.take(uint64(rows))
		if raw != nil {
			v.Bool = make([]bool, rows)
			for i, x := range raw {
				v.Bool[i] = x != 0
			}
		}
	case model.TypeSymbol, model.TypeString:
		d.strings(v, rows)
	}
}

func (d *decoder) strings(v *Vector, rows int) {
	if uint64(rows) > uint64(len(d.buf)) { // every string takes at least one byte
		d.fail("truncated strings")
		return
	}
	v.String = make([]string, rows)
	for i := range v.String {
		n := d.uvarint()
		s := d.take(n)
		if d.err != nil {
			return
		}
		v.String[i] = string(s)
	}
}
