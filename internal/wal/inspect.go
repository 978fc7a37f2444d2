package wal

import (
	"encoding/binary"
	"fmt"
	"path/filepath"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// SegmentInfo describes one segment file, read without changing it.
type SegmentInfo struct {
	Name             string
	FirstLSN         uint64 // from the name
	Records          int
	LastLSN          uint64 // of the last valid record; 0 if none
	Bytes            int64  // file size
	ValidBytes       int64  // up to the end of the last valid record
	Types            map[byte]int
	PayloadBytes     int64
	Damage           string // why reading stopped early; "" if the whole file is valid
	DamageOffset     int64
	DamageIsTornTail bool // nothing valid follows: what a crash leaves (if it is the last segment)
}

// Inspect reads every segment in dir and reports what it holds and where
// it is damaged, for `zeptodb inspect wal`. It never modifies anything.
// With each, every valid record is passed on as well.
func Inspect(fs vfs.FS, dir string, each func(SegmentInfo, Record)) ([]SegmentInfo, error) {
	l := &Log{fs: fs, dir: dir}
	segs, err := l.listSegments()
	if err != nil {
		return nil, err
	}
	out := make([]SegmentInfo, 0, len(segs))
	for _, name := range segs {
		data, err := readAll(fs, filepath.Join(dir, name))
		if err != nil {
			return out, fmt.Errorf("read wal segment %s: %w", name, err)
		}
		out = append(out, inspectSegment(name, data, each))
	}
	return out, nil
}

func inspectSegment(name string, data []byte, each func(SegmentInfo, Record)) SegmentInfo {
	info := SegmentInfo{Name: name, FirstLSN: segmentFirstLSN(name), Bytes: int64(len(data)), Types: map[byte]int{}}
	if len(data) < segmentHeader || string(data[:4]) != segmentMagic || binary.LittleEndian.Uint32(data[4:8]) != segmentVersion {
		info.Damage = "bad segment header"
		return info
	}
	off, expect := segmentHeader, info.FirstLSN
	for off < len(data) {
		f, size, reason := parseFrame(data[off:])
		if reason == "" && f.lsn != expect {
			reason = fmt.Sprintf("LSN %d out of sequence, want %d", f.lsn, expect)
		}
		if reason != "" {
			info.Damage, info.DamageOffset = reason, int64(off)
			info.DamageIsTornTail = !hasValidFrameAfter(data, max(resumeScan(data, off), 1), expect)
			break
		}
		info.Records++
		info.LastLSN = f.lsn
		info.Types[f.typ]++
		info.PayloadBytes += int64(size - frameHeader)
		if each != nil {
			each(info, Record{LSN: f.lsn, Type: f.typ, Payload: data[off+frameHeader : off+size]})
		}
		expect++
		off += size
	}
	info.ValidBytes = int64(off)
	if info.Damage != "" {
		info.ValidBytes = info.DamageOffset
	}
	return info
}
