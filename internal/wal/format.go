package wal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

const (
	segmentMagic   = "ZWAL"
	segmentVersion = 1
	segmentHeader  = 8
	frameHeader    = 21
	segmentSuffix  = ".wal"

	// MaxRecordSize bounds one record's payload.
	MaxRecordSize = 256 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorruption is wrapped by errors about damage in the middle of the log.
var ErrCorruption = errors.New("wal corruption")

// ErrNewerVersion: a segment was written by a newer binary.
var ErrNewerVersion = errors.New("wal written by a newer version")

// CorruptionError locates damage in the log.
type CorruptionError struct {
	Segment string
	Offset  int64
	Reason  string

	resume int    // where a scan for later valid frames starts
	minLSN uint64 // the LSN the damaged frame should have had
}

// headerOK reports whether buf starts with a frame header whose own
// checksum holds.
func headerOK(buf []byte) bool {
	return len(buf) >= frameHeader && crc32.Checksum(buf[:17], castagnoli) == binary.LittleEndian.Uint32(buf[17:21])
}

func (e *CorruptionError) Error() string {
	return fmt.Sprintf("wal corruption in segment %s at offset %d: %s", e.Segment, e.Offset, e.Reason)
}

func (e *CorruptionError) Unwrap() error { return ErrCorruption }

func segmentName(firstLSN uint64) string { return fmt.Sprintf("%016x%s", firstLSN, segmentSuffix) }

func appendSegmentHeader(dst []byte) []byte {
	dst = append(dst, segmentMagic...)
	return binary.LittleEndian.AppendUint32(dst, segmentVersion)
}

// appendFrame appends one framed record to dst.
func appendFrame(dst []byte, lsn uint64, typ byte, payload []byte) []byte {
	start := len(dst)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)))
	dst = binary.LittleEndian.AppendUint64(dst, lsn)
	dst = append(dst, typ)
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Checksum(payload, castagnoli))
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:start+17], castagnoli))
	return append(dst, payload...)
}

// frame is a decoded frame header.
type frame struct {
	length uint32
	lsn    uint64
	typ    byte
	crc    uint32
}

// parseFrame checks the frame at the start of buf. It returns the frame,
// its total size, and a reason when the frame is not valid.
func parseFrame(buf []byte) (frame, int, string) {
	if len(buf) < frameHeader {
		return frame{}, 0, "short frame header"
	}
	if crc32.Checksum(buf[:17], castagnoli) != binary.LittleEndian.Uint32(buf[17:21]) {
		return frame{}, 0, "frame header checksum mismatch"
	}
	f := frame{
		length: binary.LittleEndian.Uint32(buf[0:4]),
		lsn:    binary.LittleEndian.Uint64(buf[4:12]),
		typ:    buf[12],
		crc:    binary.LittleEndian.Uint32(buf[13:17]),
	}
	if f.length > MaxRecordSize {
		return frame{}, 0, "frame length over the limit"
	}
	size := frameHeader + int(f.length)
	if len(buf) < size {
		return frame{}, 0, "frame extends past the end of the segment"
	}
	if crc32.Checksum(buf[frameHeader:size], castagnoli) != f.crc {
		return frame{}, 0, "payload checksum mismatch"
	}
	return f, size, ""
}
