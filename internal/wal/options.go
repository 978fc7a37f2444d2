package wal

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// SyncMode says when an appended record counts as durable.
type SyncMode int

// Sync modes.
const (
	// SyncAlways acknowledges a record only after an fsync covering it.
	SyncAlways SyncMode = iota
	// SyncBatch acknowledges once the record is written to the OS and
	// fsyncs every BatchInterval: a power loss may lose acknowledged data,
	// a killed process does not.
	SyncBatch
	// SyncNone never fsyncs except on segment roll and Close.
	SyncNone
)

// ParseSyncMode maps "sync", "batch" or "none" to a SyncMode.
func ParseSyncMode(s string) (SyncMode, error) {
	switch s {
	case "sync", "":
		return SyncAlways, nil
	case "batch":
		return SyncBatch, nil
	case "none":
		return SyncNone, nil
	}
	return 0, fmt.Errorf("unknown wal sync mode %q (want sync, batch or none)", s)
}

func (m SyncMode) String() string {
	switch m {
	case SyncAlways:
		return "sync"
	case SyncBatch:
		return "batch"
	case SyncNone:
		return "none"
	}
	return fmt.Sprintf("SyncMode(%d)", int(m))
}

// Options configures a Log.
type Options struct {
	// Dir holds the segment files. Required.
	Dir string
	// FS performs all I/O; nil means vfs.Default.
	FS vfs.FS
	// SegmentSize is the size at which a new segment starts; 0 means 64 MiB.
	SegmentSize int64
	// Sync is the durability mode; the zero value is SyncAlways.
	Sync SyncMode
	// BatchInterval is the fsync period in SyncBatch mode; 0 means 10ms.
	BatchInterval time.Duration
	// RepairCorruption makes Open cut the log at mid-log corruption
	// (keeping ".broken" copies) instead of failing.
	RepairCorruption bool
	// Logger receives recovery reports; nil means slog.Default().
	Logger *slog.Logger
	// StartAfter is the LSN of the last checkpoint: every record up to it
	// is reflected elsewhere (the HDB manifest), so recovery skips those
	// records and segments holding only them, and the log continues after
	// it even when no segment is left.
	StartAfter uint64
}

func (o *Options) setDefaults() {
	if o.FS == nil {
		o.FS = vfs.Default
	}
	if o.SegmentSize == 0 {
		o.SegmentSize = 64 << 20
	}
	if o.BatchInterval == 0 {
		o.BatchInterval = 10 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Validate reports options that cannot work.
func (o *Options) Validate() error {
	if o.Dir == "" {
		return fmt.Errorf("wal: Dir is required")
	}
	if o.SegmentSize != 0 && o.SegmentSize < 4096 {
		return fmt.Errorf("wal: segment size %d below 4096", o.SegmentSize)
	}
	return nil
}
