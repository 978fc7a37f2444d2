package hdb

import (
	"encoding/binary"
	"fmt"

	"github.com/zeptodb/zeptodb/internal/model"
)

// meta is the decoded metadata file of a partition.
type meta struct {
	version uint32
	comp    Compression
	table   string
	start   int64
	schema  *model.Schema
	series  []seriesMeta
	// colSize is the exact size of each column file: the preamble plus
	// every block, back to back.
	colSize []int64
}

// Series kinds in metadata.
const (
	kindNoSymbol = 0 // the table has no designated symbol
	kindNull     = 1 // the designated symbol is NULL
	kindSymbol   = 2 // the series of one symbol
)

// seriesMeta locates one series' blocks in every column file.
type seriesMeta struct {
	kind   byte
	symbol string
	// blockRows holds the rows of each block; block b of every column
	// holds the same rows.
	blockRows []uint32
	// blocks[c][b] is block b of column c.
	blocks [][]blockRef
}

func (s *seriesMeta) rows() int64 {
	var n int64
	for _, r := range s.blockRows {
		n += int64(r)
	}
	return n
}

// blockRef locates one compressed block in its column file.
type blockRef struct {
	off    uint64 // offset in the column file
	stored uint32 // bytes in the file
	raw    uint32 // bytes of the column.AppendBatch encoding
	crc    uint32 // CRC-32C of the stored bytes
	zone   Zone   // of a numeric or TIMESTAMP column (metadata v2)
}

const blockRefSize = 20

// appendMeta appends the metadata file for m: preamble, body, CRC-32C of
// the body.
func appendMeta(dst []byte, m *meta) []byte {
	dst = appendPreamble(dst, metaMagic, metaVersion)
	start := len(dst)
	dst = append(dst, byte(m.comp))
	dst = appendString(dst, m.table)
	dst = binary.AppendVarint(dst, m.start)
	dst = appendSchema(dst, m.schema)
	dst = binary.AppendUvarint(dst, uint64(len(m.series)))
	for i := range m.series {
		dst = appendSeries(dst, m.schema, &m.series[i])
	}
	return binary.LittleEndian.AppendUint32(dst, checksum(dst[start:]))
}

func appendSchema(dst []byte, s *model.Schema) []byte {
	dst = appendString(dst, s.Name)
	dst = append(dst, byte(s.PartitionBy))
	dst = binary.AppendUvarint(dst, uint64(s.TimestampCol+1))
	dst = binary.AppendUvarint(dst, uint64(s.SymbolCol+1))
	dst = binary.AppendUvarint(dst, uint64(len(s.Columns)))
	for _, c := range s.Columns {
		dst = appendString(dst, c.Name)
		dst = append(dst, byte(c.Type))
		if c.NotNull {
			dst = append(dst, 1)
		} else {
			dst = append(dst, 0)
		}
	}
	return dst
}

func appendSeries(dst []byte, schema *model.Schema, s *seriesMeta) []byte {
	dst = append(dst, s.kind)
	if s.kind == kindSymbol {
		dst = appendString(dst, s.symbol)
	}
	dst = binary.AppendUvarint(dst, uint64(len(s.blockRows)))
	for _, r := range s.blockRows {
		dst = binary.AppendUvarint(dst, uint64(r))
	}
	for c, col := range s.blocks {
		t := schema.Columns[c].Type
		for _, b := range col {
			dst = binary.LittleEndian.AppendUint64(dst, b.off)
			dst = binary.LittleEndian.AppendUint32(dst, b.stored)
			dst = binary.LittleEndian.AppendUint32(dst, b.raw)
			dst = binary.LittleEndian.AppendUint32(dst, b.crc)
			if zoned(t) {
				dst = appendZone(dst, t, b.zone)
			}
		}
	}
	return dst
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// parseMeta decodes and checks a metadata file. Every count is bounded by
// the bytes left before anything is allocated for it, so damaged input
// costs at most a few times its own size in memory.
func parseMeta(file string, buf []byte) (*meta, error) {
	if err := checkPreamble(file, buf, metaMagic, metaVersion); err != nil {
		return nil, err
	}
	version := binary.LittleEndian.Uint32(buf[4:8])
	if len(buf) < preambleSize+4 {
		return nil, corrupt(file, preambleSize, "truncated: no body checksum")
	}
	body := buf[preambleSize : len(buf)-4]
	if checksum(body) != binary.LittleEndian.Uint32(buf[len(buf)-4:]) {
		return nil, corrupt(file, int64(len(buf)-4), "checksum mismatch (file damaged or truncated)")
	}
	d := &metaDecoder{buf: body, version: version}
	m := d.meta()
	if d.err == nil && len(d.buf) != 0 {
		d.fail("%d unexpected bytes after the last series", len(d.buf))
	}
	if d.err != nil {
		return nil, corrupt(file, int64(preambleSize+len(body)-len(d.buf)), "%v", d.err)
	}
	return m, nil
}

// metaDecoder reads a metadata body, remembering the first error.
type metaDecoder struct {
	buf     []byte
	err     error
	version uint32
}

func (d *metaDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *metaDecoder) take(n uint64, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.buf)) {
		d.fail("truncated %s", what)
		return nil
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}

func (d *metaDecoder) u8(what string) byte {
	if b := d.take(1, what); b != nil {
		return b[0]
	}
	return 0
}

func (d *metaDecoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.fail("bad varint in %s", what)
		return 0
	}
	d.buf = d.buf[n:]
	return x
}

func (d *metaDecoder) varint(what string) int64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Varint(d.buf)
	if n <= 0 {
		d.fail("bad varint in %s", what)
		return 0
	}
	d.buf = d.buf[n:]
	return x
}

// count reads a count of items that take at least minSize bytes each and
// fails when the rest of the body cannot hold that many.
func (d *metaDecoder) count(minSize int, what string) int {
	n := d.uvarint(what)
	if d.err == nil && n > uint64(len(d.buf)/minSize) {
		d.fail("%s count %d exceeds the file", what, n)
		return 0
	}
	return int(n)
}

func (d *metaDecoder) str(what string) string {
	n := d.uvarint(what)
	return string(d.take(n, what))
}

func (d *metaDecoder) meta() *meta {
	m := &meta{version: d.version}
	m.comp = Compression(d.u8("compression"))
	if d.err == nil && !m.comp.valid() {
		d.fail("unknown compression %d", m.comp)
	}
	m.table = d.str("table name")
	m.start = d.varint("partition start")
	m.schema = d.schema()
	if d.err != nil {
		return nil
	}
	ncols := len(m.schema.Columns)
	m.colSize = make([]int64, ncols)
	for c := range m.colSize {
		m.colSize[c] = preambleSize
	}
	nseries := d.count(2, "series") // kind and block count
	m.series = make([]seriesMeta, 0, nseries)
	for i := 0; i < nseries && d.err == nil; i++ {
		s := d.series(m, ncols)
		if d.err != nil {
			d.err = fmt.Errorf("series %d: %w", i, d.err)
			return nil
		}
		m.series = append(m.series, s)
	}
	return m
}

func (d *metaDecoder) schema() *model.Schema {
	s := &model.Schema{Name: d.str("schema name")}
	s.PartitionBy = model.PartitionBy(d.u8("partition unit"))
	s.TimestampCol = int(d.uvarint("timestamp column")) - 1
	s.SymbolCol = int(d.uvarint("symbol column")) - 1
	n := d.count(3, "column") // name length, type, not-null
	s.Columns = make([]model.Column, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		c := model.Column{Name: d.str("column name"), Type: model.ColumnType(d.u8("column type"))}
		switch d.u8("not-null flag") {
		case 0:
		case 1:
			c.NotNull = true
		default:
			d.fail("column %d: bad not-null flag", i)
		}
		s.Columns = append(s.Columns, c)
	}
	if d.err != nil {
		return nil
	}
	if err := checkSchema(s); err != nil {
		d.fail("%v", err)
		return nil
	}
	return s
}

// checkSchema reports a schema that Read could not rebuild: Write and
// Read apply the same rules, so whatever Write accepts reads back.
func checkSchema(s *model.Schema) error {
	if _, err := model.NewSchema(s.Name, s.Columns, "", s.PartitionBy); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	n := len(s.Columns)
	if s.TimestampCol < -1 || s.TimestampCol >= n || (s.TimestampCol >= 0 && s.Columns[s.TimestampCol].Type != model.TypeTimestamp) {
		return fmt.Errorf("schema: bad designated timestamp column %d", s.TimestampCol)
	}
	if s.SymbolCol < -1 || s.SymbolCol >= n || (s.SymbolCol >= 0 && s.Columns[s.SymbolCol].Type != model.TypeSymbol) {
		return fmt.Errorf("schema: bad designated symbol column %d", s.SymbolCol)
	}
	return nil
}

func (d *metaDecoder) series(m *meta, ncols int) seriesMeta {
	s := seriesMeta{kind: d.u8("series kind")}
	switch {
	case d.err != nil:
	case s.kind == kindSymbol && m.schema.SymbolCol >= 0:
		s.symbol = d.str("symbol")
	case s.kind == kindNull && m.schema.SymbolCol >= 0:
	case s.kind == kindNoSymbol && m.schema.SymbolCol < 0:
	default:
		d.fail("series kind %d does not fit the schema", s.kind)
	}
	// Each block takes a row count and a reference per column.
	nblocks := d.count(1+blockRefSize*ncols, "block")
	s.blockRows = make([]uint32, 0, nblocks)
	for b := 0; b < nblocks && d.err == nil; b++ {
		r := d.uvarint("block rows")
		if r == 0 || r > BlockRows {
			d.fail("block %d: %d rows (want 1 to %d)", b, r, BlockRows)
		}
		s.blockRows = append(s.blockRows, uint32(r))
	}
	if d.err != nil {
		return s
	}
	s.blocks = make([][]blockRef, ncols)
	for c := range s.blocks {
		s.blocks[c] = make([]blockRef, nblocks)
		for b := range s.blocks[c] {
			s.blocks[c][b] = d.blockRef(m, c, s.blockRows[b])
		}
	}
	return s
}

func (d *metaDecoder) blockRef(m *meta, c int, rows uint32) blockRef {
	raw := d.take(blockRefSize, "block reference")
	if raw == nil {
		return blockRef{}
	}
	b := blockRef{
		off:    binary.LittleEndian.Uint64(raw[0:]),
		stored: binary.LittleEndian.Uint32(raw[8:]),
		raw:    binary.LittleEndian.Uint32(raw[12:]),
		crc:    binary.LittleEndian.Uint32(raw[16:]),
	}
	switch {
	case b.off != uint64(m.colSize[c]):
		d.fail("column %d: block at offset %d, want %d (blocks are back to back)", c, b.off, m.colSize[c])
	case b.stored == 0 || b.stored > b.raw:
		d.fail("column %d: stored length %d with raw length %d", c, b.stored, b.raw)
	case uint64(b.raw) > maxRawLen(m.schema.Columns[c].Type, rows):
		d.fail("column %d: raw length %d too large for %d rows", c, b.raw, rows)
	case m.comp == CompressLZ4 && b.stored < b.raw && uint64(b.raw) > 255*uint64(b.stored)+64:
		// An LZ4 byte expands to at most 255 bytes.
		d.fail("column %d: raw length %d beyond what %d LZ4 bytes can hold", c, b.raw, b.stored)
	}
	m.colSize[c] += int64(b.stored)
	if t := m.schema.Columns[c].Type; d.version >= 2 && zoned(t) {
		b.zone = d.zone(t)
	}
	return b
}

// maxRawLen bounds the column.AppendBatch encoding of a one-vector batch
// of rows values of type t: varint header, type and flags, the NULL bitmap,
// the values. Text values have no bound but maxBlockRaw.
func maxRawLen(t model.ColumnType, rows uint32) uint64 {
	var width uint64
	switch t {
	case model.TypeInt64, model.TypeTimestamp, model.TypeFloat64:
		width = 8
	case model.TypeInt32, model.TypeFloat32:
		width = 4
	case model.TypeBool:
		width = 1
	default:
		return maxBlockRaw
	}
	n := uint64(rows)
	return binary.MaxVarintLen64*3 + 2 + 8*((n+63)/64) + width*n
}
