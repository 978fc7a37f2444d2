package wal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// ErrClosed is returned by operations on a closed Log.
var ErrClosed = errors.New("wal closed")

// Stats are the log's counters since Open.
type Stats struct {
	Records   uint64 // records appended
	Bytes     uint64 // framed bytes appended
	Fsyncs    uint64 // fsync calls on segments
	Groups    uint64 // group writes (one write call for all waiting appends)
	TornTails uint64 // torn tails cut during recovery
	LastLSN   uint64 // highest LSN appended
	Durable   uint64 // highest LSN known durable
}

// Log is an open write-ahead log. Append and WaitDurable may be called
// from many goroutines; one background flusher writes and fsyncs on
// behalf of all of them (group commit).
type Log struct {
	opts Options
	fs   vfs.FS
	dir  string

	mu       sync.Mutex
	cond     *sync.Cond // broadcast when written/durable/err change
	pending  []piece    // framed records not yet handed to the flusher
	nextLSN  uint64
	segSize  int64  // size of the newest segment, counting pending bytes
	written  uint64 // highest LSN written to the OS
	durable  uint64 // highest LSN fsynced
	err      error  // sticky: after a failed write or fsync nothing is durable again
	closed   bool
	stats    Stats
	kick     chan struct{}
	done     chan struct{}
	flushErr chan error

	// Owned by the flusher goroutine.
	file     vfs.File
	fileName string
	spare    [][]byte
}

// piece is a run of frames bound for one segment. A piece with newSegment
// set starts a new segment whose first record is firstLSN.
type piece struct {
	newSegment bool
	firstLSN   uint64
	lastLSN    uint64
	data       []byte
}

// Open recovers the log in opts.Dir, calling replay for every valid record
// in order, and returns a Log ready for appends. A replay error aborts Open.
func Open(opts Options, replay func(Record) error) (*Log, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts.setDefaults()
	l := &Log{opts: opts, fs: opts.FS, dir: opts.Dir, kick: make(chan struct{}, 1), done: make(chan struct{})}
	l.cond = sync.NewCond(&l.mu)
	if err := l.fs.MkdirAll(l.dir, 0o755); err != nil {
		return nil, fmt.Errorf("create wal dir: %w", err)
	}
	// A new directory's entry lives in its parent: make it durable too.
	if err := l.fs.SyncDir(filepath.Dir(l.dir)); err != nil {
		return nil, fmt.Errorf("sync parent of wal dir: %w", err)
	}
	if replay == nil {
		replay = func(Record) error { return nil }
	}
	rec, err := l.recover(replay)
	if err != nil {
		return nil, err
	}
	if err := l.openTail(rec); err != nil {
		return nil, err
	}
	// Records replayed from the page cache may never have been fsynced
	// (the process died first). They are applied now, so make them
	// durable before anything is served.
	if err := l.file.Sync(); err != nil {
		l.file.Close()
		return nil, fmt.Errorf("sync recovered wal segment %s: %w", l.fileName, err)
	}
	last := rec.next - 1
	l.nextLSN = rec.next
	l.written, l.durable = last, last
	l.stats.LastLSN, l.stats.Durable = last, last
	go l.flushLoop()
	return l, nil
}

// openTail opens the newest segment for appending, creating the first one
// in an empty directory.
func (l *Log) openTail(rec recovery) error {
	if rec.lastSeg == "" {
		f, name, err := l.createSegment(rec.next)
		l.file, l.fileName, l.segSize = f, name, segmentHeader
		return err
	}
	f, err := l.fs.OpenFile(filepath.Join(l.dir, rec.lastSeg), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open wal segment %s: %w", rec.lastSeg, err)
	}
	l.file, l.fileName, l.segSize = f, rec.lastSeg, rec.lastSize
	return nil
}

// createSegment starts a new segment, durable in its directory before any
// record goes into it.
func (l *Log) createSegment(firstLSN uint64) (vfs.File, string, error) {
	name := segmentName(firstLSN)
	f, err := l.fs.OpenFile(filepath.Join(l.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o644)
	if err != nil {
		return nil, "", fmt.Errorf("create wal segment %s: %w", name, err)
	}
	fail := func(what string, err error) (vfs.File, string, error) {
		f.Close()
		return nil, "", fmt.Errorf("%s %s: %w", what, name, err)
	}
	if _, err := f.Write(appendSegmentHeader(nil)); err != nil {
		return fail("write header of wal segment", err)
	}
	if err := f.Sync(); err != nil {
		return fail("sync wal segment", err)
	}
	if err := l.fs.SyncDir(l.dir); err != nil {
		return fail("sync wal dir for segment", err)
	}
	return f, name, nil
}

// RemoveBefore deletes the segments whose every record has an LSN of at
// most lsn: a checkpoint has made them redundant. The newest segment is
// never removed. It returns how many segments it removed.
func (l *Log) RemoveBefore(lsn uint64) (int, error) {
	segs, err := l.listSegments()
	if err != nil {
		return 0, err
	}
	removed := 0
	for i := 0; i+1 < len(segs); i++ {
		if segmentFirstLSN(segs[i+1])-1 > lsn {
			break
		}
		if err := l.fs.Remove(filepath.Join(l.dir, segs[i])); err != nil {
			return removed, fmt.Errorf("remove wal segment %s: %w", segs[i], err)
		}
		removed++
	}
	if removed > 0 {
		// Not needed for correctness (recovery skips checkpointed segments)
		// but keeps a crash from bringing the disk space back.
		if err := l.fs.SyncDir(l.dir); err != nil {
			return removed, fmt.Errorf("sync wal dir: %w", err)
		}
	}
	return removed, nil
}

// Append frames a record and queues it for the flusher. It returns the
// record's LSN; the record is durable once WaitDurable(lsn) returns nil.
// Records are written in the order Append returns.
func (l *Log) Append(typ byte, payload []byte) (uint64, error) {
	if len(payload) > MaxRecordSize {
		return 0, fmt.Errorf("wal record of %d bytes exceeds the limit of %d", len(payload), MaxRecordSize)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, ErrClosed
	}
	if l.err != nil {
		return 0, l.err
	}
	lsn := l.nextLSN
	l.nextLSN++
	size := int64(frameHeader + len(payload))
	if l.segSize+size > l.opts.SegmentSize && l.segSize > segmentHeader {
		l.pending = append(l.pending, piece{newSegment: true, firstLSN: lsn, data: l.takeSpare()})
		l.segSize = segmentHeader
	} else if len(l.pending) == 0 {
		l.pending = append(l.pending, piece{firstLSN: lsn, data: l.takeSpare()})
	}
	p := &l.pending[len(l.pending)-1]
	p.data = appendFrame(p.data, lsn, typ, payload)
	p.lastLSN = lsn
	l.segSize += size
	l.stats.Records++
	l.stats.Bytes += uint64(size)
	l.stats.LastLSN = lsn
	select {
	case l.kick <- struct{}{}:
	default:
	}
	return lsn, nil
}

func (l *Log) takeSpare() []byte {
	if n := len(l.spare); n > 0 {
		b := l.spare[n-1]
		l.spare = l.spare[:n-1]
		return b[:0]
	}
	return nil
}

// WaitDurable blocks until the record lsn is durable as the sync mode
// defines it: fsynced in SyncAlways mode, written to the OS otherwise.
func (l *Log) WaitDurable(lsn uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		reached := l.written >= lsn
		if l.opts.Sync == SyncAlways {
			reached = l.durable >= lsn
		}
		if reached {
			return nil
		}
		if l.err != nil {
			return l.err
		}
		if l.closed && l.flushErr == nil {
			return ErrClosed
		}
		l.cond.Wait()
	}
}

// Err returns the error that stopped the log accepting records, or nil
// while it is healthy.
func (l *Log) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Stats returns a copy of the counters.
func (l *Log) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stats
	s.Durable = l.durable
	return s
}

// Close writes and fsyncs everything appended, then closes the log.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	l.closed = true
	l.flushErr = make(chan error, 1)
	l.mu.Unlock()
	close(l.done)
	err := <-l.flushErr
	l.mu.Lock()
	l.flushErr = nil
	l.cond.Broadcast()
	l.mu.Unlock()
	return err
}

// flushLoop is the group-commit flusher: it takes every pending piece,
// writes it with one call per segment, fsyncs once, and wakes all waiters.
func (l *Log) flushLoop() {
	var tick <-chan time.Time
	if l.opts.Sync == SyncBatch {
		t := time.NewTicker(l.opts.BatchInterval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-l.kick:
			l.flush(l.opts.Sync == SyncAlways)
		case <-tick:
			l.flush(true)
		case <-l.done:
			l.flush(true)
			err := l.file.Close()
			l.mu.Lock()
			if l.err != nil {
				err = l.err
			}
			ch := l.flushErr
			l.mu.Unlock()
			ch <- err
			return
		}
	}
}

func (l *Log) flush(fsync bool) {
	l.mu.Lock()
	pieces := l.pending
	l.pending = nil
	failed := l.err != nil
	l.mu.Unlock()
	if failed {
		return
	}
	var last uint64
	var err error
	for _, p := range pieces {
		if err = l.writePiece(p); err != nil {
			break
		}
		last = p.lastLSN
	}
	synced := false
	if err == nil && fsync && (last != 0 || l.unsynced()) {
		err = l.file.Sync()
		synced = true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range pieces {
		l.spare = append(l.spare, p.data)
	}
	if err != nil {
		l.err = fmt.Errorf("wal write failed, the log accepts no more records: %w", err)
	} else {
		if last != 0 {
			l.written = last
			l.stats.Groups++
		}
		if synced {
			l.durable = l.written
			l.stats.Fsyncs++
		}
	}
	l.cond.Broadcast()
}

func (l *Log) unsynced() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.durable < l.written
}

// writePiece writes one piece, first rolling to a new segment if the piece
// starts one. The old segment is fsynced before the new one exists, so
// every segment but the newest is complete on disk.
func (l *Log) writePiece(p piece) error {
	if p.newSegment {
		if err := l.file.Sync(); err != nil {
			return fmt.Errorf("sync wal segment %s: %w", l.fileName, err)
		}
		l.mu.Lock()
		l.durable = l.written
		l.mu.Unlock()
		if err := l.file.Close(); err != nil {
			return fmt.Errorf("close wal segment %s: %w", l.fileName, err)
		}
		f, name, err := l.createSegment(p.firstLSN)
		if err != nil {
			return err
		}
		l.file, l.fileName = f, name
	}
	if _, err := l.file.Write(p.data); err != nil {
		return fmt.Errorf("write wal segment %s: %w", l.fileName, err)
	}
	return nil
}
