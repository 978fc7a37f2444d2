package engine

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/hdb"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/vfs"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// Errors callers tell apart.
var (
	ErrTableExists   = errors.New("table already exists")
	ErrTableNotFound = errors.New("table not found")
	// ErrSchemaChanged: an ALTER TABLE committed between reading a
	// table's schema and writing to it; build the write again.
	ErrSchemaChanged = errors.New("table schema changed during the statement; run it again")
)

// Options configures an Engine.
type Options struct {
	// Dir is the data directory. Required.
	Dir string
	// FS performs all I/O; nil means vfs.Default.
	FS vfs.FS
	// WALSync is the durability mode; the zero value acknowledges after fsync.
	WALSync wal.SyncMode
	// WALSegmentSize is the WAL segment size; 0 means the WAL default.
	WALSegmentSize int64
	// WALRepair cuts the log at mid-log corruption instead of refusing to start.
	WALRepair bool
	// ChunkRows is the largest column chunk; 0 means the rdb default.
	ChunkRows int
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// TTLCheckInterval is how often tables' TTLs are applied; 0 means
	// only when set (ALTER TABLE ... SET TTL) and on ExpireTTL.
	TTLCheckInterval time.Duration
	// HotPartitions is how many of each table's newest partitions stay
	// in memory only; older ones are sealed into the HDB at checkpoints.
	// 0 means 2.
	HotPartitions int
	// Compression compresses sealed partitions; 0 means LZ4.
	Compression hdb.Compression
	// CheckpointInterval is how often a checkpoint runs; 0 means only on
	// Checkpoint calls.
	CheckpointInterval time.Duration
	// MinFreeBytes is the free space below which writes are refused with
	// ErrNoSpace; 0 turns the check off.
	MinFreeBytes int64
	// ColdCacheBytes bounds the memory of sealed partitions read back
	// from the HDB, kept between queries; 0 means no bound.
	ColdCacheBytes int64
	// HotMemoryBytes is the memory budget of rows that live only in
	// memory: past it, a checkpoint seals every partition but each
	// table's newest, whatever HotPartitions says. 0 means no budget.
	HotMemoryBytes int64
	// NoMmap reads sealed partitions with pread instead of mapping their
	// column files (for file systems where mmap misbehaves, e.g. some
	// network volumes).
	NoMmap bool
}

// Engine is one node's storage.
type Engine struct {
	opts Options
	log  *wal.Log

	catMu  sync.RWMutex
	tables map[string]*rdb.Table // by lower-case name
	ttls   map[string]TTL        // by lower-case table name

	// seqMu orders WAL appends with the catalog state they were checked
	// against; applyMu/applied make applies follow LSN order.
	seqMu     sync.Mutex
	applyMu   sync.Mutex
	applyCond *sync.Cond
	applied   uint64

	reclaimedMu sync.Mutex // guards stats.TTLReclaimed
	stats       Stats

	maintStop, maintDone chan struct{} // nil without a maintenance loop
	checkpointLSN        uint64        // of the newest manifest; guarded by seqMu
	// removeMu: a backup holds it for reading while it copies files; a
	// checkpoint removes redundant files only when it can take it.
	removeMu sync.RWMutex
	lock     io.Closer // the data directory's LOCK, held until Close
	cold     *rdb.ColdCache

	// Rows inserted since start, and rows of inserts refused for good
	// (a bad batch, no space, a failed WAL); a batch retried after an
	// ALTER TABLE is not refused.
	rowsIngested, rowsRejected atomic.Uint64
}

// Stats describes the engine for /stats and metrics.
type Stats struct {
	RecoveredRecords uint64
	RecoveryTime     time.Duration
	// TTLReclaimed adds up what TTL expiry has dropped since start.
	TTLReclaimed rdb.Reclaimed
	// RowsIngested and RowsRejected count inserted and refused rows since
	// start.
	RowsIngested, RowsRejected uint64
}

// Open recovers the data directory and returns a running engine.
func Open(opts Options) (*Engine, error) {
	if opts.Dir == "" {
		return nil, fmt.Errorf("engine: Dir is required")
	}
	if opts.FS == nil {
		opts.FS = vfs.Default
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.HotPartitions <= 0 {
		opts.HotPartitions = 2
	}
	if opts.Compression == 0 {
		opts.Compression = hdb.CompressLZ4
	}
	e := &Engine{opts: opts, tables: map[string]*rdb.Table{}, ttls: map[string]TTL{}, cold: rdb.NewColdCache(opts.ColdCacheBytes)}
	e.applyCond = sync.NewCond(&e.applyMu)
	start := time.Now()
	if err := opts.FS.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", opts.Dir, err)
	}
	lock, err := vfs.Lock(opts.FS, filepath.Join(opts.Dir, "LOCK"))
	if err != nil {
		if errors.Is(err, vfs.ErrLocked) {
			return nil, fmt.Errorf("data directory %s is in use by another zeptodb process (%w): stop it, or give this one another --data-dir", opts.Dir, err)
		}
		return nil, fmt.Errorf("lock %s: %w", opts.Dir, err)
	}
	e.lock = lock
	defer func() {
		if e.log == nil { // recovery failed: let a later attempt take the lock
			lock.Close()
		}
	}()
	checkpoint, err := e.recoverCheckpoint()
	if err != nil {
		return nil, fmt.Errorf("recover %s: %w", opts.Dir, err)
	}
	e.checkpointLSN = checkpoint
	log, err := wal.Open(wal.Options{
		Dir: filepath.Join(opts.Dir, "wal"), FS: opts.FS, Sync: opts.WALSync, StartAfter: checkpoint,
		SegmentSize: opts.WALSegmentSize, RepairCorruption: opts.WALRepair, Logger: opts.Logger,
	}, e.replay)
	if err != nil {
		return nil, fmt.Errorf("recover %s: %w", opts.Dir, err)
	}
	e.log = log
	e.applied = log.Stats().LastLSN
	e.stats.RecoveryTime = time.Since(start)
	opts.Logger.Info("recovered", "records", e.stats.RecoveredRecords, "tables", len(e.tables), "took", e.stats.RecoveryTime)
	if opts.TTLCheckInterval > 0 || opts.CheckpointInterval > 0 || opts.HotMemoryBytes > 0 {
		e.maintStop, e.maintDone = make(chan struct{}), make(chan struct{})
		go e.maintain()
	}
	return e, nil
}

// replay applies one WAL record during recovery.
func (e *Engine) replay(r wal.Record) error {
	e.stats.RecoveredRecords++
	switch r.Type {
	case recCreateTable:
		s, err := decodeSchema(r.Payload)
		if err != nil {
			return err
		}
		e.tables[strings.ToLower(s.Name)] = rdb.NewTable(s, e.tableOptions())
	case recDropTable:
		name, _, err := readString(r.Payload)
		if err != nil {
			return err
		}
		delete(e.tables, strings.ToLower(name))
		delete(e.ttls, strings.ToLower(name))
	case recTruncate:
		name, _, err := readString(r.Payload)
		if err != nil {
			return err
		}
		t := e.tables[strings.ToLower(name)]
		if t == nil {
			return fmt.Errorf("truncate of unknown table %q", name)
		}
		e.tables[strings.ToLower(name)] = t.Emptied()
	case recInsert:
		name, b, err := decodeInsert(r.Payload)
		if err != nil {
			return err
		}
		t := e.tables[strings.ToLower(name)]
		if t == nil {
			return fmt.Errorf("insert into unknown table %q", name)
		}
		if err := validate(t.Schema, b); err != nil {
			return err
		}
		t.Append(b)
	case recDelete, recUpdate:
		return e.replayMutation(r.Type, r.Payload)
	case recAlter:
		return e.replayAlter(r.Payload)
	case recSetTTL:
		return e.replayTTL(r.Payload)
	case recExpire:
		return e.replayExpire(r.Payload)
	case recSymbols:
		return e.replaySymbols(r.Payload)
	case recLoadPartition:
		return e.replayLoadPartition(r.Payload)
	default:
		return fmt.Errorf("unknown record type %d", r.Type)
	}
	return nil
}

func (e *Engine) tableOptions() rdb.Options {
	return rdb.Options{ChunkRows: e.opts.ChunkRows, Cold: e.cold}
}

// ColdStats describes the sealed partitions held in memory.
func (e *Engine) ColdStats() rdb.ColdStats { return e.cold.Stats() }

// HotBytes returns the memory of rows that live only in memory (hot
// partitions, and sealed ones changed since), over every table.
func (e *Engine) HotBytes() int64 {
	var n int64
	for _, name := range e.TableNames() {
		if t, err := e.Table(name); err == nil {
			n += t.HotBytes()
		}
	}
	return n
}

// Close stops periodic work, makes everything durable and closes the WAL.
func (e *Engine) Close() error {
	if e.maintStop != nil {
		close(e.maintStop)
		<-e.maintDone
		e.maintStop = nil
	}
	err := e.log.Close()
	if e.lock != nil {
		e.lock.Close()
		e.lock = nil
	}
	return err
}

// Err returns why the engine can no longer accept writes (a failed WAL
// write or fsync), or nil. Reads keep working; a restart recovers.
func (e *Engine) Err() error { return e.log.Err() }

// WALStats returns the WAL's counters.
func (e *Engine) WALStats() wal.Stats { return e.log.Stats() }

// Stats returns engine counters.
func (e *Engine) Stats() Stats {
	e.reclaimedMu.Lock()
	st := e.stats
	e.reclaimedMu.Unlock()
	st.RowsIngested, st.RowsRejected = e.rowsIngested.Load(), e.rowsRejected.Load()
	return st
}

// CountRejected adds n rows refused before they reached the storage (a
// line-protocol line that does not fit its table) to RowsRejected.
func (e *Engine) CountRejected(n int) { e.rowsRejected.Add(uint64(n)) }

// Table returns the named table (case-insensitive).
func (e *Engine) Table(name string) (*rdb.Table, error) {
	e.catMu.RLock()
	defer e.catMu.RUnlock()
	t := e.tables[strings.ToLower(name)]
	if t == nil {
		return nil, fmt.Errorf("%w: %s", ErrTableNotFound, name)
	}
	return t, nil
}

// TableNames returns the table names, sorted.
func (e *Engine) TableNames() []string {
	e.catMu.RLock()
	defer e.catMu.RUnlock()
	names := make([]string, 0, len(e.tables))
	for _, t := range e.tables {
		names = append(names, t.Schema.Name)
	}
	sort.Strings(names)
	return names
}

// commit waits for record lsn to be durable, then runs apply in LSN order.
// Every LSN handed out must pass through commit exactly once, failed or
// not, or later applies would wait forever.
func (e *Engine) commit(lsn uint64, apply func()) error {
	err := e.log.WaitDurable(lsn)
	e.applyMu.Lock()
	for e.applied != lsn-1 {
		e.applyCond.Wait()
	}
	if err == nil {
		apply()
	}
	e.applied = lsn
	e.applyCond.Broadcast()
	e.applyMu.Unlock()
	return err
}

// CreateTable adds a table. With ifNotExists an existing table is not an error.
func (e *Engine) CreateTable(s *model.Schema, ifNotExists bool) error {
	if err := e.checkSpace(); err != nil {
		return fmt.Errorf("create table %s: %w", s.Name, err)
	}
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	if _, err := e.Table(s.Name); err == nil {
		if ifNotExists {
			return nil
		}
		return fmt.Errorf("%w: %s", ErrTableExists, s.Name)
	}
	payload := encodeSchema(s)
	// Never acknowledge a record that recovery would refuse or read back
	// as a different table.
	back, err := decodeSchema(payload)
	if err != nil {
		return fmt.Errorf("create table %s: %w", s.Name, err)
	}
	if back.TimestampCol != s.TimestampCol || back.SymbolCol != s.SymbolCol || back.PartitionBy != s.PartitionBy {
		return fmt.Errorf("create table %s: schema does not survive a restart unchanged (build it with model.NewSchema)", s.Name)
	}
	lsn, err := e.log.Append(recCreateTable, payload)
	if err != nil {
		return fmt.Errorf("create table %s: %w", s.Name, err)
	}
	t := rdb.NewTable(s, e.tableOptions())
	return e.commit(lsn, func() {
		e.catMu.Lock()
		e.tables[strings.ToLower(s.Name)] = t
		e.catMu.Unlock()
	})
}

// DropTable removes a table and its data.
func (e *Engine) DropTable(name string, ifExists bool) error {
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	if _, err := e.Table(name); err != nil {
		if ifExists {
			return nil
		}
		return err
	}
	lsn, err := e.log.Append(recDropTable, appendString(nil, name))
	if err != nil {
		return fmt.Errorf("drop table %s: %w", name, err)
	}
	return e.commit(lsn, func() {
		e.catMu.Lock()
		delete(e.tables, strings.ToLower(name))
		delete(e.ttls, strings.ToLower(name))
		e.catMu.Unlock()
	})
}

// TruncateTable removes every row of a table, keeping its definition. The
// table is replaced by an empty one, so queries already running finish on
// the old rows and cached results of the old table stop matching.
func (e *Engine) TruncateTable(name string) error {
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	t, err := e.Table(name)
	if err != nil {
		return err
	}
	lsn, err := e.log.Append(recTruncate, appendString(nil, t.Schema.Name))
	if err != nil {
		return fmt.Errorf("truncate table %s: %w", name, err)
	}
	fresh := t.Emptied()
	return e.commit(lsn, func() {
		e.catMu.Lock()
		e.tables[strings.ToLower(t.Schema.Name)] = fresh
		e.catMu.Unlock()
	})
}

// Insert validates a batch in ingest form against the table, appends it to
// the WAL, and applies it once durable. The batch is applied whole or not
// at all; on return without error it survives a crash (in sync mode).
func (e *Engine) Insert(table string, b *column.Batch) (int, error) {
	t, err := e.Table(table)
	if err != nil {
		return 0, err
	}
	return e.insert(table, t, b)
}

// InsertAs is Insert for a batch built against schema s: it fails with
// ErrSchemaChanged when an ALTER TABLE replaced s in the meantime.
func (e *Engine) InsertAs(s *model.Schema, b *column.Batch) (int, error) {
	t, err := e.Table(s.Name)
	if err != nil {
		return 0, err
	}
	if t.Schema != s {
		return 0, fmt.Errorf("insert into %s: %w", s.Name, ErrSchemaChanged)
	}
	return e.insert(s.Name, t, b)
}

func (e *Engine) insert(table string, t *rdb.Table, b *column.Batch) (int, error) {
	n, err := e.insertBatch(table, t, b)
	switch {
	case err == nil:
		e.rowsIngested.Add(uint64(n))
	case !errors.Is(err, ErrSchemaChanged):
		e.rowsRejected.Add(uint64(b.Len()))
	}
	return n, err
}

func (e *Engine) insertBatch(table string, t *rdb.Table, b *column.Batch) (int, error) {
	if err := validate(t.Schema, b); err != nil {
		return 0, err
	}
	if err := e.checkSpace(); err != nil {
		return 0, fmt.Errorf("insert into %s: %w", table, err)
	}
	if b.Len() == 0 {
		return 0, nil
	}
	payload := encodeInsert(nil, t.Schema.Name, b)
	e.seqMu.Lock()
	cur, err := e.Table(table)
	switch {
	case err != nil || !cur.Replaces(t):
		e.seqMu.Unlock()
		return 0, fmt.Errorf("%w: %s (dropped during insert)", ErrTableNotFound, table)
	case cur.Schema != t.Schema:
		e.seqMu.Unlock()
		return 0, fmt.Errorf("insert into %s: %w", table, ErrSchemaChanged)
	}
	t = cur // TRUNCATE swaps in an empty table with the same schema
	lsn, err := e.log.Append(recInsert, payload)
	e.seqMu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("insert into %s: %w", table, err)
	}
	if err := e.commit(lsn, func() { t.Append(b) }); err != nil {
		return 0, fmt.Errorf("insert into %s: %w", table, err)
	}
	return b.Len(), nil
}
