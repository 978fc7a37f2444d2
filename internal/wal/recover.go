package wal

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Record is one replayed record. Payload is valid only during the replay
// callback.
type Record struct {
	LSN     uint64
	Type    byte
	Payload []byte
}

// recovery is the outcome of scanning the segments.
type recovery struct {
	next     uint64 // LSN the next appended record gets
	lastSeg  string // name of the segment to append to, "" if none
	lastSize int64  // valid size of lastSeg
	segments []string
}

func (l *Log) listSegments() ([]string, error) {
	names, err := l.fs.List(l.dir)
	if err != nil {
		return nil, fmt.Errorf("list wal dir: %w", err)
	}
	var segs []string
	for _, n := range names {
		if strings.HasSuffix(n, segmentSuffix) {
			if _, err := strconv.ParseUint(strings.TrimSuffix(n, segmentSuffix), 16, 64); err == nil {
				segs = append(segs, n)
			}
		}
	}
	sort.Strings(segs)
	return segs, nil
}

func segmentFirstLSN(name string) uint64 {
	first, _ := strconv.ParseUint(strings.TrimSuffix(name, segmentSuffix), 16, 64)
	return first
}

// skipCheckpointed drops the segments that hold only records up to the
// checkpoint (a crash can leave them behind RemoveBefore). The first
// segment kept must start at or before the record after the checkpoint:
// a later start means records after the checkpoint are gone.
func (l *Log) skipCheckpointed(segs []string) ([]string, error) {
	after := l.opts.StartAfter
	for len(segs) > 1 && segmentFirstLSN(segs[1]) <= after+1 {
		segs = segs[1:]
	}
	if after > 0 && len(segs) > 0 && segmentFirstLSN(segs[0]) > after+1 {
		return nil, &CorruptionError{Segment: segs[0], Reason: fmt.Sprintf("segment starts at LSN %d, but the checkpoint covers only up to %d: records are missing", segmentFirstLSN(segs[0]), after)}
	}
	return segs, nil
}

// recover replays every valid record to fn in LSN order and repairs the
// tail as the package documentation describes. Segments must continue
// each other's LSNs; a gap (a segment lost, or a repair interrupted by a
// crash) is corruption like a damaged frame.
func (l *Log) recover(fn func(Record) error) (recovery, error) {
	segs, err := l.listSegments()
	if err != nil {
		return recovery{}, err
	}
	segs, err = l.skipCheckpointed(segs)
	if err != nil {
		return recovery{}, err
	}
	rec := recovery{segments: segs, next: l.opts.StartAfter + 1}
	lastLSN := l.opts.StartAfter
	for i, name := range segs {
		last := i == len(segs)-1
		first := segmentFirstLSN(name)
		if i > 0 && first != rec.next {
			gap := &CorruptionError{Segment: name, Reason: fmt.Sprintf("segment starts at LSN %d, want %d", first, rec.next)}
			if !l.opts.RepairCorruption {
				return rec, gap
			}
			l.opts.Logger.Warn("wal: segments after an LSN gap set aside", "segment", name, "reason", gap.Reason)
			rec.segments = segs[:i]
			return rec, l.quarantine(segs[i:])
		}
		size, cut, err := l.replaySegment(name, first, &lastLSN, fn)
		if err != nil {
			return rec, err
		}
		rec.next = max(first, lastLSN+1)
		rec.lastSeg, rec.lastSize = name, size
		if cut == nil {
			continue
		}
		if !last && !l.opts.RepairCorruption {
			return rec, cut
		}
		if !last {
			// Set the later segments aside before cutting this one: a
			// crash in between then leaves damage that is still found
			// and still repairable, never a log with a hole.
			if err := l.quarantine(segs[i+1:]); err != nil {
				return rec, err
			}
			rec.segments = segs[:i+1]
		}
		rec.lastSize, err = l.cutSegment(name, size, cut, last)
		return rec, err
	}
	return rec, nil
}

// replaySegment feeds the valid frames of one segment to fn. It returns
// the valid size and, if the segment has a bad frame, why. For the last
// segment a bad frame with nothing valid after it is a torn tail; any
// other bad frame becomes a CorruptionError unless repair is on.
func (l *Log) replaySegment(name string, firstLSN uint64, lastLSN *uint64, fn func(Record) error) (int64, *CorruptionError, error) {
	data, err := readAll(l.fs, filepath.Join(l.dir, name))
	if err != nil {
		return 0, nil, fmt.Errorf("read wal segment %s: %w", name, err)
	}
	if len(data) >= segmentHeader && string(data[:4]) == segmentMagic {
		if v := binary.LittleEndian.Uint32(data[4:8]); v > segmentVersion && v < 1<<16 {
			// Never cut or set aside a log a newer binary wrote.
			return 0, nil, fmt.Errorf("%w: wal segment %s has format version %d; this binary reads versions up to %d (upgrade zeptodb)",
				ErrNewerVersion, name, v, segmentVersion)
		}
	}
	if len(data) < segmentHeader || string(data[:4]) != segmentMagic || binary.LittleEndian.Uint32(data[4:8]) != segmentVersion {
		return 0, &CorruptionError{Segment: name, Offset: 0, Reason: "bad segment header"}, nil
	}
	off := segmentHeader
	expect := firstLSN
	for off < len(data) {
		f, size, reason := parseFrame(data[off:])
		if reason == "" && f.lsn != expect {
			reason = fmt.Sprintf("LSN %d out of sequence, want %d", f.lsn, expect)
		}
		if reason != "" {
			return int64(off), &CorruptionError{Segment: name, Offset: int64(off), Reason: reason,
				resume: resumeScan(data, off), minLSN: expect}, nil
		}
		if f.lsn > l.opts.StartAfter { // earlier records are in the checkpoint
			if err := fn(Record{LSN: f.lsn, Type: f.typ, Payload: data[off+frameHeader : off+size]}); err != nil {
				return 0, nil, fmt.Errorf("apply wal record %d: %w", f.lsn, err)
			}
		}
		*lastLSN = max(*lastLSN, f.lsn)
		expect++
		off += size
	}
	return int64(off), nil, nil
}

// resumeScan returns where to look for valid frames after a bad frame at
// off. A frame whose own header checksum holds is trusted for its length:
// valid-looking bytes inside its payload (user data can hold anything)
// are not a following record, and if it runs past the end of the file
// nothing can follow it. A damaged header gives no length to trust, so
// the scan starts at the next byte.
func resumeScan(data []byte, off int) int {
	if headerOK(data[off:]) {
		return min(off+frameHeader+int(binary.LittleEndian.Uint32(data[off:])), len(data))
	}
	return off + 1
}

// hasValidFrameAfter reports whether a valid frame with an LSN of at
// least minLSN starts at or after from: if one does, the damage before it
// is not a torn tail.
func hasValidFrameAfter(data []byte, from int, minLSN uint64) bool {
	for i := from; i+frameHeader <= len(data); i++ {
		if f, _, reason := parseFrame(data[i:]); reason == "" && f.lsn >= minLSN {
			return true
		}
	}
	return false
}

// cutSegment truncates a segment at size and returns its new size. A
// damaged tail of the last segment with nothing valid after it is a torn
// write and is cut (and logged); anything else is corruption and is cut
// only in repair mode. The cut bytes are first kept, durably, in a
// ".torn" or ".broken" file beside the segment.
func (l *Log) cutSegment(name string, size int64, cut *CorruptionError, last bool) (int64, error) {
	path := filepath.Join(l.dir, name)
	data, err := readAll(l.fs, path)
	if err != nil {
		return 0, fmt.Errorf("read wal segment %s: %w", name, err)
	}
	torn := last && !hasValidFrameAfter(data, max(cut.resume, 1), cut.minLSN)
	if !torn && !l.opts.RepairCorruption {
		return 0, cut
	}
	suffix := ".broken"
	if torn {
		suffix = ".torn"
		l.stats.TornTails++
	}
	keep := fmt.Sprintf("%s.%d%s", path, time.Now().UnixNano(), suffix)
	if err := writeNew(l.fs, keep, data[min(int(size), len(data)):]); err != nil {
		return 0, fmt.Errorf("keep cut wal bytes: %w", err)
	}
	if err := l.fs.SyncDir(l.dir); err != nil {
		return 0, fmt.Errorf("sync wal dir: %w", err)
	}
	l.opts.Logger.Warn("wal: cut damaged tail", "segment", name, "offset", size,
		"bytes", int64(len(data))-size, "reason", cut.Reason, "torn", torn, "kept", filepath.Base(keep))
	if size < segmentHeader {
		return segmentHeader, l.rewriteHeader(path)
	}
	return size, truncateSync(l.fs, path, size)
}

func (l *Log) rewriteHeader(path string) error {
	f, err := l.fs.OpenFile(path, os.O_RDWR|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(appendSegmentHeader(nil)); err != nil {
		return err
	}
	return f.Sync()
}

// quarantine renames segments after a repaired corruption out of the way.
func (l *Log) quarantine(segs []string) error {
	for _, s := range segs {
		p := filepath.Join(l.dir, s)
		// A unique name: a later repair must not overwrite this copy.
		if err := l.fs.Rename(p, fmt.Sprintf("%s.%d.broken", p, time.Now().UnixNano())); err != nil {
			return fmt.Errorf("quarantine wal segment %s: %w", s, err)
		}
		l.opts.Logger.Warn("wal: segment after corruption set aside", "segment", s)
	}
	return l.fs.SyncDir(l.dir)
}
