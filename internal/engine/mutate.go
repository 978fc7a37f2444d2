package engine

import (
	"fmt"
	"strings"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
)

// Mutation is an UPDATE or DELETE planned against a table: the rows it
// touches by position and, for an UPDATE, their new values. The log keeps
// the mutation itself, not the statement, so recovery never re-evaluates a
// predicate (no now(), no float rounding, no later function change can
// make it touch other rows).
type Mutation struct {
	Rows []rdb.SeriesRows
	// Cols are the columns an UPDATE sets; nil for a DELETE.
	Cols []int
	// Values holds the new values in ingest form, one vector per entry of
	// Cols and one row per named row, in the order Rows names them.
	Values *column.Batch
}

// Partitions returns the starts of the partitions the mutation touches.
func (m *Mutation) Partitions() []int64 {
	var out []int64
	for i := range m.Rows {
		if i == 0 || m.Rows[i].Part != m.Rows[i-1].Part {
			out = append(out, m.Rows[i].Part)
		}
	}
	return out
}

// Count returns the number of rows the mutation touches.
func (m *Mutation) Count() int {
	n := 0
	for i := range m.Rows {
		n += m.Rows[i].Count()
	}
	return n
}

// Mutate plans a mutation against the table as of its place in the log
// (every earlier write applied, no later one started), then logs it and
// applies it once durable. It returns the number of rows touched. Writes
// to every table wait while plan runs.
func (e *Engine) Mutate(table string, plan func(*rdb.Table) (*Mutation, error)) (int, error) {
	if err := e.checkSpace(); err != nil {
		return 0, fmt.Errorf("%s: %w", table, err)
	}
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	t, err := e.Table(table)
	if err != nil {
		return 0, err
	}
	e.drain()
	m, err := plan(t)
	if err != nil || m == nil || m.Count() == 0 {
		return 0, err
	}
	typ, payload := recDelete, encodeMutation(t, m)
	if m.Cols != nil {
		typ = recUpdate
	}
	release, err := t.Pin(m.Partitions())
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", mutationVerb(typ), table, err)
	}
	defer release()
	if err := t.CheckMutation(m.Rows, m.Cols, m.Values); err != nil {
		return 0, fmt.Errorf("%s %s: %w", mutationVerb(typ), table, err)
	}
	lsn, err := e.log.Append(typ, payload)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", mutationVerb(typ), table, err)
	}
	var n int
	var applyErr error
	if err := e.commit(lsn, func() { n, applyErr = applyMutation(t, typ, m) }); err != nil {
		return 0, fmt.Errorf("%s %s: %w", mutationVerb(typ), table, err)
	}
	return n, applyErr
}

// drain waits until every appended record has been applied. The caller
// holds seqMu, so no record is appended meanwhile.
func (e *Engine) drain() {
	last := e.log.Stats().LastLSN
	e.applyMu.Lock()
	for e.applied < last {
		e.applyCond.Wait()
	}
	e.applyMu.Unlock()
}

func mutationVerb(typ byte) string {
	if typ == recUpdate {
		return "update"
	}
	return "delete from"
}

func applyMutation(t *rdb.Table, typ byte, m *Mutation) (int, error) {
	if typ == recUpdate {
		return t.UpdateRows(m.Rows, m.Cols, m.Values)
	}
	return t.DeleteRows(m.Rows)
}

// AlterTable replaces a table's schema: column i of s takes the old
// column from[i], or starts all NULL when from[i] is -1. The table is
// copied under the new schema and swapped in, so queries already running
// finish on the old one.
func (e *Engine) AlterTable(name string, s *model.Schema, from []int) error {
	if err := e.checkSpace(); err != nil {
		return fmt.Errorf("alter table %s: %w", name, err)
	}
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	t, err := e.Table(name)
	if err != nil {
		return err
	}
	payload := encodeAlter(t.Schema.Name, s, from)
	if _, back, _, err := decodeAlter(payload); err != nil || back.TimestampCol != s.TimestampCol || back.SymbolCol != s.SymbolCol {
		return fmt.Errorf("alter table %s: the new schema does not survive a restart unchanged (%v)", name, err)
	}
	e.drain()
	altered, err := t.Altered(s, from)
	if err != nil {
		return fmt.Errorf("alter table %s: %w", name, err)
	}
	lsn, err := e.log.Append(recAlter, payload)
	if err != nil {
		return fmt.Errorf("alter table %s: %w", name, err)
	}
	return e.commit(lsn, func() {
		e.catMu.Lock()
		delete(e.tables, strings.ToLower(t.Schema.Name))
		e.tables[strings.ToLower(s.Name)] = altered
		e.catMu.Unlock()
	})
}

// replayMutation applies a logged DELETE or UPDATE during recovery.
func (e *Engine) replayMutation(typ byte, payload []byte) error {
	name, rest, err := readString(payload)
	if err != nil {
		return err
	}
	t := e.tables[strings.ToLower(name)]
	if t == nil {
		return fmt.Errorf("%s unknown table %q", mutationVerb(typ), name)
	}
	m, err := decodeMutation(rest, t, typ == recUpdate)
	if err != nil {
		return err
	}
	release, err := t.Pin(m.Partitions())
	if err != nil {
		return fmt.Errorf("%s %s: %w", mutationVerb(typ), name, err)
	}
	defer release()
	_, err = applyMutation(t, typ, m)
	return err
}

// replayAlter applies a logged ALTER TABLE during recovery.
func (e *Engine) replayAlter(payload []byte) error {
	name, s, from, err := decodeAlter(payload)
	if err != nil {
		return err
	}
	t := e.tables[strings.ToLower(name)]
	if t == nil {
		return fmt.Errorf("alter of unknown table %q", name)
	}
	altered, err := t.Altered(s, from)
	if err != nil {
		return err
	}
	delete(e.tables, strings.ToLower(name))
	e.tables[strings.ToLower(s.Name)] = altered
	return nil
}
