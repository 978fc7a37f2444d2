package engine

import (
	"encoding/binary"
	"fmt"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
)

// Series keys in mutation records: the symbol's text, not its dictionary
// id, so a record names the same series whatever ids a rebuilt dictionary
// hands out.
const (
	seriesNoSymbol byte = 0 // the table has no designated symbol
	seriesNull     byte = 1
	seriesText     byte = 2
)

// encodeMutation: table | uvarint sets | per set: varint partition |
// series key | uvarint ranges | per range: uvarint gap from the previous
// end, uvarint length. An UPDATE adds uvarint columns | uvarint column
// index each | the values batch.
func encodeMutation(t *rdb.Table, m *Mutation) []byte {
	dst := appendString(nil, t.Schema.Name)
	dst = binary.AppendUvarint(dst, uint64(len(m.Rows)))
	for _, set := range m.Rows {
		dst = binary.AppendVarint(dst, set.Part)
		switch {
		case t.Schema.SymbolCol < 0:
			dst = append(dst, seriesNoSymbol)
		case set.Symbol == rdb.NullSymbol:
			dst = append(dst, seriesNull)
		default:
			dst = appendString(append(dst, seriesText), t.Dicts[t.Schema.SymbolCol].String(set.Symbol))
		}
		dst = binary.AppendUvarint(dst, uint64(len(set.Ranges)))
		prev := 0
		for _, r := range set.Ranges {
			dst = binary.AppendUvarint(dst, uint64(r.Start-prev))
			dst = binary.AppendUvarint(dst, uint64(r.End-r.Start))
			prev = r.End
		}
	}
	if m.Cols == nil {
		return dst
	}
	dst = binary.AppendUvarint(dst, uint64(len(m.Cols)))
	for _, c := range m.Cols {
		dst = binary.AppendUvarint(dst, uint64(c))
	}
	return column.AppendBatch(dst, m.Values)
}

// recordReader reads the varints of a record, remembering the first
// failure so decoders check once.
type recordReader struct {
	src []byte
	bad bool
}

func (r *recordReader) uvarint(limit uint64) uint64 {
	v, k := binary.Uvarint(r.src)
	if k <= 0 || v > limit {
		r.bad = true
		return 0
	}
	r.src = r.src[k:]
	return v
}

func (r *recordReader) varint() int64 {
	v, k := binary.Varint(r.src)
	if k <= 0 {
		r.bad = true
		return 0
	}
	r.src = r.src[k:]
	return v
}

func (r *recordReader) byte() byte {
	if len(r.src) == 0 {
		r.bad = true
		return 0
	}
	b := r.src[0]
	r.src = r.src[1:]
	return b
}

func (r *recordReader) string() string {
	s, rest, err := readString(r.src)
	if err != nil {
		r.bad = true
		return ""
	}
	r.src = rest
	return s
}

// maxRows bounds decoded row positions and counts: no series can hold more.
const maxRows = 1 << 40

// decodeMutation reads what encodeMutation wrote after the table name,
// resolving series keys against t.
func decodeMutation(src []byte, t *rdb.Table, update bool) (*Mutation, error) {
	r := &recordReader{src: src}
	bad := func(what string) error { return fmt.Errorf("%w: bad mutation record (%s)", column.ErrCorrupt, what) }
	m := &Mutation{Rows: make([]rdb.SeriesRows, r.uvarint(uint64(len(src))))}
	for i := range m.Rows {
		set := &m.Rows[i]
		set.Part = r.varint()
		if err := t.Load(set.Part); err != nil { // its symbols come with its rows
			return nil, err
		}
		sym, err := seriesKey(r, t)
		if err != nil {
			return nil, err
		}
		set.Symbol = sym
		set.Ranges = make([]rdb.RowRange, r.uvarint(uint64(len(r.src))))
		prev := 0
		for k := range set.Ranges {
			start := prev + int(r.uvarint(maxRows))
			end := start + int(r.uvarint(maxRows))
			set.Ranges[k], prev = rdb.RowRange{Start: start, End: end}, end
		}
		if r.bad {
			return nil, bad("row ranges")
		}
	}
	if !update {
		if r.bad || len(r.src) != 0 {
			return nil, bad("trailing bytes")
		}
		return m, nil
	}
	m.Cols = make([]int, r.uvarint(model.MaxColumns))
	for i := range m.Cols {
		m.Cols[i] = int(r.uvarint(model.MaxColumns))
	}
	if r.bad {
		return nil, bad("columns")
	}
	b, rest, err := column.DecodeBatch(r.src)
	if err != nil || len(rest) != 0 {
		return nil, bad("values")
	}
	m.Values = b
	return m, nil
}

func seriesKey(r *recordReader, t *rdb.Table) (uint32, error) {
	switch kind := r.byte(); {
	case r.bad:
	case kind == seriesNoSymbol && t.Schema.SymbolCol < 0:
		return 0, nil
	case kind == seriesNull && t.Schema.SymbolCol >= 0:
		return rdb.NullSymbol, nil
	case kind == seriesText && t.Schema.SymbolCol >= 0:
		text := r.string()
		if id, ok := t.Dicts[t.Schema.SymbolCol].Lookup(text); ok && !r.bad {
			return id, nil
		}
		return 0, fmt.Errorf("%w: mutation of unknown series %q", column.ErrCorrupt, text)
	}
	return 0, fmt.Errorf("%w: bad series key in mutation record", column.ErrCorrupt)
}

// encodeAlter: table | new schema | uvarint columns | per column uvarint
// source+1 (0: a new, all-NULL column).
func encodeAlter(table string, s *model.Schema, from []int) []byte {
	dst := appendString(nil, table)
	schema := encodeSchema(s)
	dst = binary.AppendUvarint(dst, uint64(len(schema)))
	dst = append(dst, schema...)
	dst = binary.AppendUvarint(dst, uint64(len(from)))
	for _, f := range from {
		dst = binary.AppendUvarint(dst, uint64(f+1))
	}
	return dst
}

func decodeAlter(src []byte) (string, *model.Schema, []int, error) {
	bad := fmt.Errorf("%w: bad alter record", column.ErrCorrupt)
	r := &recordReader{src: src}
	name := r.string()
	n := r.uvarint(uint64(len(r.src)))
	if r.bad || n > uint64(len(r.src)) {
		return "", nil, nil, bad
	}
	s, err := decodeSchema(r.src[:n])
	if err != nil {
		return "", nil, nil, err
	}
	r.src = r.src[n:]
	from := make([]int, r.uvarint(model.MaxColumns))
	for i := range from {
		from[i] = int(r.uvarint(model.MaxColumns+1)) - 1
	}
	if r.bad || len(r.src) != 0 || len(from) != len(s.Columns) {
		return "", nil, nil, bad
	}
	return name, s, from, nil
}
