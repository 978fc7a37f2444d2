package engine

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/hdb"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
)

// recSymbols is a manifest record: every value a table's SYMBOL columns
// held at the checkpoint. Queries resolve SYMBOL constants against the
// table's dictionaries before they read anything, so the values of
// partitions still on disk must be known at start-up: without them
// `WHERE venue = 'XLON'` would match nothing until some query happened to
// load a partition holding XLON. Its value is part of the on-disk format.
//
// Payload: table | uvarint columns | per column: uvarint column index |
// uvarint values | value×values.
const recSymbols byte = 11

// symbolsRecord returns the recSymbols record of t, or false when t has
// no SYMBOL column.
func symbolsRecord(t *rdb.Table) (hdb.Record, bool) {
	var cols []int
	for i, c := range t.Schema.Columns {
		if c.Type == model.TypeSymbol {
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		return hdb.Record{}, false
	}
	dst := appendString(nil, t.Schema.Name)
	dst = binary.AppendUvarint(dst, uint64(len(cols)))
	for _, c := range cols {
		values := t.Dicts[c].Strings()
		dst = binary.AppendUvarint(dst, uint64(c))
		dst = binary.AppendUvarint(dst, uint64(len(values)))
		for _, v := range values {
			dst = appendString(dst, v)
		}
	}
	return hdb.Record{Type: recSymbols, Payload: dst}, true
}

// replaySymbols interns the values of a recSymbols record.
func (e *Engine) replaySymbols(payload []byte) error {
	r := &recordReader{src: payload}
	name := r.string()
	t := e.tables[strings.ToLower(name)]
	if t == nil && !r.bad {
		return fmt.Errorf("symbols of unknown table %q", name)
	}
	cols := r.uvarint(uint64(len(payload)))
	for i := uint64(0); i < cols && !r.bad; i++ {
		c := r.uvarint(uint64(len(t.Schema.Columns) - 1))
		if r.bad || t.Schema.Columns[c].Type != model.TypeSymbol {
			return fmt.Errorf("%w: symbols record names column %d of %s, not a SYMBOL", column.ErrCorrupt, c, name)
		}
		n := r.uvarint(uint64(len(r.src)))
		for j := uint64(0); j < n && !r.bad; j++ {
			t.Dicts[c].Intern(r.string())
		}
	}
	if r.bad || len(r.src) != 0 {
		return fmt.Errorf("%w: bad symbols record", column.ErrCorrupt)
	}
	return nil
}

// loadUnlisted reads back the sealed partitions of tables a manifest
// lists without a recSymbols record (manifests written before it
// existed), so their SYMBOL values are known. A partition that cannot be
// read is left to fail the queries that need it.
func (e *Engine) loadUnlisted(records []hdb.Record) {
	listed := map[string]bool{}
	for _, r := range records {
		if r.Type == recSymbols {
			if name, _, err := readString(r.Payload); err == nil {
				listed[strings.ToLower(name)] = true
			}
		}
	}
	for _, r := range records {
		if r.Type != recLoadPartition {
			continue
		}
		rr := &recordReader{src: r.Payload}
		name, _ := rr.string(), rr.string()
		start := rr.varint()
		t := e.tables[strings.ToLower(name)]
		if rr.bad || listed[strings.ToLower(name)] || t == nil {
			continue
		}
		if err := t.Load(start); err != nil {
			e.opts.Logger.Error("sealed partition unreadable at start-up", "table", name, "partition", start, "err", err)
		}
	}
}
