package engine

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/hdb"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/vfs"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// A checkpoint at LSN C makes the WAL up to C redundant. It writes every
// partition older than the hot window into the HDB as a sealed partition
// (sorted by symbol and time, compressed, checksummed; one already written
// and unchanged is kept), then publishes a manifest: the records that
// rebuild the state at C, namely each table's definition and TTL, one
// record per sealed partition naming its directory, and the rows of the
// hot partitions. Recovery replays the newest manifest, then the WAL
// after C. Only then are WAL segments up to C, older manifests and
// partition directories no manifest names removed, so a crash anywhere
// leaves either the old manifest with the WAL it needs, or the new one.

// recLoadPartition is a manifest record: a sealed partition to read from
// its directory. Its value is part of the on-disk format.
const recLoadPartition byte = 10

// CheckpointStats describes one checkpoint.
type CheckpointStats struct {
	LSN             uint64
	Sealed          int   // partitions written to the HDB by this checkpoint
	SealedBytes     int64 // bytes those took on disk
	HotRows         int64 // rows carried in the manifest
	SegmentsRemoved int
	OverBudget      bool // HotMemoryBytes was exceeded: all but the newest partitions sealed
}

func (e *Engine) hdbDir() string { return filepath.Join(e.opts.Dir, "hdb") }

// Checkpoint seals the partitions older than the hot window and makes the
// WAL before now redundant. Writes wait while it runs.
func (e *Engine) Checkpoint() (CheckpointStats, error) {
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	e.drain()
	lsn := e.log.Stats().LastLSN
	st := CheckpointStats{LSN: lsn}
	if lsn == e.checkpointLSN {
		return st, nil // nothing happened since the last one
	}
	hot := e.opts.HotPartitions
	if e.opts.HotMemoryBytes > 0 && e.HotBytes() > e.opts.HotMemoryBytes {
		hot = 1 // over budget: seal earlier instead of growing
		st.OverBudget = true
	}
	var records []hdb.Record
	sealed := map[*rdb.Table]map[int64]sealedPartition{}
	for _, name := range e.TableNames() {
		t, _ := e.Table(name)
		recs, parts, err := e.checkpointTable(t, lsn, hot, &st)
		if err != nil {
			return st, err
		}
		records = append(records, recs...)
		sealed[t] = parts
	}
	if err := hdb.WriteManifest(e.opts.FS, e.hdbDir(), lsn, records); err != nil {
		return st, fmt.Errorf("checkpoint %d: %w", lsn, err)
	}
	// The manifest is durable: memory now takes the sorted order the
	// sealed files have, before any later record can name positions.
	for t, parts := range sealed {
		for start, sp := range parts {
			if sp.fresh != nil {
				t.LoadPartition(start, sp.fresh, sp.dir, e.freshSource(t, sp.dir, sp.fresh))
			}
		}
	}
	prev := e.checkpointLSN
	e.checkpointLSN = lsn
	if !e.removeMu.TryLock() {
		return st, nil // a backup is copying files: the next checkpoint removes them
	}
	defer e.removeMu.Unlock()
	// Keep what the previous manifest needs until the next checkpoint: a
	// plain copy of the data directory (tar, rsync) that takes less than
	// one checkpoint interval then always holds one manifest with every
	// partition and WAL segment it needs, whichever manifest it caught.
	removed, err := e.log.RemoveBefore(prev)
	st.SegmentsRemoved = removed
	if err != nil {
		return st, err
	}
	return st, e.removeUnreferenced(prev, records)
}

// sealedPartition is a partition the checkpoint keeps in the HDB: its
// directory (relative to the HDB directory) and, when this checkpoint
// wrote it, the rows in their sealed order.
type sealedPartition struct {
	dir   string
	fresh []rdb.ExportedSeries
}

// checkpointTable writes the due partitions of one table and returns its
// manifest records.
func (e *Engine) checkpointTable(t *rdb.Table, lsn uint64, hot int, st *CheckpointStats) ([]hdb.Record, map[int64]sealedPartition, error) {
	s := t.Schema
	records := []hdb.Record{{Type: recCreateTable, Payload: encodeSchema(s)}}
	if ttl, ok := e.TTLs()[strings.ToLower(s.Name)]; ok {
		records = append(records, hdb.Record{Type: recSetTTL, Payload: encodeTTL(s.Name, ttl)})
	}
	starts := t.PartitionStarts()
	due := len(starts) - hot
	if s.TimestampCol < 0 || s.PartitionBy == model.PartitionNone {
		due = 0
	}
	parts := map[int64]sealedPartition{}
	for i, start := range starts {
		if i >= due {
			t.Unseal(start) // in the hot window again (a larger hot_partitions): its files go
			rows, err := t.Export(start, false)
			if err != nil {
				return nil, nil, err
			}
			for _, ex := range rows {
				records = append(records, hotRecords(s, ex)...)
				st.HotRows += int64(ex.Rows.Len())
			}
			continue
		}
		sp, err := e.sealPartition(t, start, lsn, st)
		if err != nil {
			return nil, nil, err
		}
		parts[start] = sp
		payload := binary.AppendVarint(appendString(appendString(nil, s.Name), sp.dir), start)
		records = append(records, hdb.Record{Type: recLoadPartition, Payload: payload})
	}
	if r, ok := symbolsRecord(t); ok {
		records = append(records, r)
	}
	return records, parts, nil
}

// sealPartition returns the HDB directory of a due partition, writing it
// unless an unchanged one exists.
func (e *Engine) sealPartition(t *rdb.Table, start int64, lsn uint64, st *CheckpointStats) (sealedPartition, error) {
	if dir, clean := t.Partition(start).SealedDir(); clean {
		return sealedPartition{dir: dir}, nil
	}
	rows, err := t.Export(start, true)
	if err != nil {
		return sealedPartition{}, err
	}
	p := &hdb.Partition{Table: t.Schema.Name, Schema: t.Schema, Start: start}
	for _, ex := range rows {
		p.Series = append(p.Series, hdb.Series{Symbol: ex.Symbol, Null: ex.Null, Rows: ex.Rows})
	}
	dir := filepath.Join(strings.ToLower(t.Schema.Name), fmt.Sprintf("p%d-%016x", start, lsn))
	full := filepath.Join(e.hdbDir(), dir)
	// A checkpoint that failed at this LSN may have left the directory.
	// The same LSN means the same rows, so a complete one is kept (a
	// manifest that was published yet reported failed may name it); an
	// incomplete one was never published and goes.
	if _, err := e.opts.FS.List(full); err == nil {
		if vs, err := hdb.Verify(e.opts.FS, full); err == nil && vs.Rows == int64(exportedRows(rows)) {
			return sealedPartition{dir: dir, fresh: rows}, nil
		}
		if err := hdb.RemoveDir(e.opts.FS, full); err != nil {
			return sealedPartition{}, fmt.Errorf("seal %s partition %d: %w", t.Schema.Name, start, err)
		}
	}
	n, err := hdb.Write(e.opts.FS, full, p, e.opts.Compression)
	if err != nil {
		return sealedPartition{}, fmt.Errorf("seal %s partition %d: %w", t.Schema.Name, start, err)
	}
	st.Sealed++
	st.SealedBytes += n
	return sealedPartition{dir: dir, fresh: rows}, nil
}

func exportedRows(rows []rdb.ExportedSeries) int {
	n := 0
	for _, ex := range rows {
		n += ex.Rows.Len()
	}
	return n
}

// hotRecords carries one hot series in the manifest as insert records of
// at most hotBatchRows rows, in position order.
func hotRecords(s *model.Schema, ex rdb.ExportedSeries) []hdb.Record {
	const hotBatchRows = 65536
	var out []hdb.Record
	n := ex.Rows.Len()
	for lo := 0; lo < n; lo += hotBatchRows {
		hi := min(lo+hotBatchRows, n)
		b := &column.Batch{Vectors: make([]*column.Vector, len(ex.Rows.Vectors))}
		for i, v := range ex.Rows.Vectors {
			b.Vectors[i] = v.Slice(lo, hi)
		}
		out = append(out, hdb.Record{Type: recInsert, Payload: encodeInsert(nil, s.Name, b)})
	}
	return out
}

// replayLoadPartition adds a sealed partition named by the manifest; its
// rows stay on disk until a query or a write needs them.
func (e *Engine) replayLoadPartition(payload []byte) error {
	r := &recordReader{src: payload}
	name, dir := r.string(), r.string()
	start := r.varint()
	if r.bad || len(r.src) != 0 || strings.Contains(dir, "..") {
		return fmt.Errorf("%w: bad partition record", column.ErrCorrupt)
	}
	t := e.tables[strings.ToLower(name)]
	if t == nil {
		return fmt.Errorf("partition of unknown table %q", name)
	}
	part, err := hdb.Open(e.readFS(), filepath.Join(e.hdbDir(), dir))
	if err != nil {
		return err
	}
	info := part.Series()
	series := make([]rdb.ColdSeries, len(info))
	for i, s := range info {
		series[i] = rdb.ColdSeries{Symbol: s.Symbol, Null: s.Null, Zoned: s.TS.Has, MinTS: s.TS.Min, MaxTS: s.TS.Max}
	}
	t.AddColdPartition(start, dir, e.coldSource(t, dir, part, part.Rows(), series))
	return nil
}

// coldSource reads the sealed partition in dir of t back, whole or one
// series at a time, verifying every checksum and the rows against the
// table's schema. r is the partition already opened, or nil to open it
// on first use.
func (e *Engine) coldSource(t *rdb.Table, dir string, r *hdb.Reader, rows int64, series []rdb.ColdSeries) *rdb.ColdSource {
	path := filepath.Join(e.hdbDir(), dir)
	var mu sync.Mutex
	open := func() (*hdb.Reader, error) {
		mu.Lock()
		defer mu.Unlock()
		if r == nil {
			opened, err := hdb.Open(e.readFS(), path)
			if err != nil {
				return nil, err
			}
			r = opened
		}
		return r, nil
	}
	check := func(s hdb.Series) (rdb.ExportedSeries, error) {
		if err := validate(t.Schema, s.Rows); err != nil {
			return rdb.ExportedSeries{}, fmt.Errorf("%w: partition %s does not match table %s: %w", hdb.ErrCorrupt, path, t.Schema.Name, err)
		}
		return rdb.ExportedSeries{Symbol: s.Symbol, Null: s.Null, Rows: s.Rows}, nil
	}
	fail := func(err error) error {
		e.opts.Logger.Error("sealed partition unreadable", "dir", path, "err", err)
		return err
	}
	return &rdb.ColdSource{Rows: rows, Series: series,
		ReadAll: func() ([]rdb.ExportedSeries, error) {
			r, err := open()
			if err != nil {
				return nil, fail(err)
			}
			p, err := r.ReadAll()
			if err != nil {
				return nil, fail(err)
			}
			out := make([]rdb.ExportedSeries, len(p.Series))
			for i, s := range p.Series {
				if out[i], err = check(s); err != nil {
					return nil, fail(err)
				}
			}
			return out, nil
		},
		ReadSeries: func(i int) (rdb.ExportedSeries, error) {
			r, err := open()
			if err != nil {
				return rdb.ExportedSeries{}, fail(err)
			}
			s, err := r.ReadSeries(i)
			if err != nil {
				return rdb.ExportedSeries{}, fail(err)
			}
			ex, err := check(s)
			if err != nil {
				return rdb.ExportedSeries{}, fail(err)
			}
			return ex, nil
		},
	}
}

// readFS is the file system sealed partitions are read through: without
// its Mapper when mapping is off.
func (e *Engine) readFS() vfs.FS {
	if e.opts.NoMmap {
		return unmapped{e.opts.FS}
	}
	return e.opts.FS
}

// unmapped hides a file system's Mapper, so hdb reads with pread.
type unmapped struct{ vfs.FS }

// freshSource is the cold source of a partition just sealed from rows.
func (e *Engine) freshSource(t *rdb.Table, dir string, rows []rdb.ExportedSeries) *rdb.ColdSource {
	series := make([]rdb.ColdSeries, len(rows))
	n := 0
	tc := t.Schema.TimestampCol
	for i, ex := range rows {
		series[i] = rdb.ColdSeries{Symbol: ex.Symbol, Null: ex.Null}
		n += ex.Rows.Len()
		if tc >= 0 && ex.Rows.Len() > 0 && !ex.Rows.Vectors[tc].Nulls.Any() {
			ts := ex.Rows.Vectors[tc].Int64
			series[i].Zoned, series[i].MinTS, series[i].MaxTS = true, slices.Min(ts), slices.Max(ts)
		}
	}
	return e.coldSource(t, dir, nil, int64(n), series)
}

// recoverCheckpoint replays the newest manifest and returns its LSN (0
// without one).
func (e *Engine) recoverCheckpoint() (uint64, error) {
	lsn, records, ok, err := hdb.LatestManifest(e.opts.FS, e.hdbDir())
	if err != nil {
		return 0, err
	}
	if !ok { // partitions written by a checkpoint that never published
		return 0, e.removeUnreferenced(0, nil)
	}
	for i, r := range records {
		if err := e.replay(walRecord(r)); err != nil {
			return 0, fmt.Errorf("manifest %d record %d: %w", lsn, i, err)
		}
	}
	e.loadUnlisted(records)
	lsns, err := hdb.ListManifests(e.opts.FS, e.hdbDir())
	if err != nil {
		return 0, err
	}
	prev := uint64(0) // the one before the newest is kept, as Checkpoint keeps it
	if len(lsns) > 1 {
		prev = lsns[len(lsns)-2]
	}
	return lsn, e.removeUnreferenced(prev, records)
}

// removeUnreferenced deletes manifests older than keepFrom and partition
// directories that neither the newest manifest (records) nor the one of
// keepFrom names: leftovers of replaced partitions, dropped tables, TTL,
// or a checkpoint a crash interrupted.
func (e *Engine) removeUnreferenced(keepFrom uint64, records []hdb.Record) error {
	keep := map[string]bool{}
	named := func(records []hdb.Record) {
		for _, r := range records {
			if r.Type == recLoadPartition {
				rr := &recordReader{src: r.Payload}
				rr.string()
				keep[rr.string()] = true
			}
		}
	}
	named(records)
	if keepFrom > 0 {
		prev, err := hdb.ReadManifest(e.opts.FS, e.hdbDir(), keepFrom)
		if err != nil {
			return err
		}
		named(prev)
	}
	olds, err := hdb.ListManifests(e.opts.FS, e.hdbDir())
	if err != nil {
		return err
	}
	for _, old := range olds {
		if old < keepFrom {
			if err := hdb.RemoveManifest(e.opts.FS, e.hdbDir(), old); err != nil {
				return err
			}
		}
	}
	tables, err := e.opts.FS.List(e.hdbDir())
	if err != nil {
		return nil // no HDB directory yet
	}
	for _, tdir := range tables {
		if strings.HasPrefix(tdir, "manifest-") {
			continue
		}
		parts, err := e.opts.FS.List(filepath.Join(e.hdbDir(), tdir))
		if err != nil {
			continue
		}
		sort.Strings(parts)
		for _, p := range parts {
			rel := filepath.Join(tdir, p)
			if !keep[rel] && strings.HasPrefix(p, "p") {
				if err := hdb.RemoveDir(e.opts.FS, filepath.Join(e.hdbDir(), rel)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func walRecord(r hdb.Record) wal.Record { return wal.Record{Type: r.Type, Payload: r.Payload} }
