// Package wal owns the write-ahead log: segment files of CRC32C-framed
// records, group commit, and recovery that cuts a torn tail and refuses to
// go past corruption in the middle of the log.
//
// The log knows nothing of tables or batches: a record is a type byte and
// an opaque payload. It imports only internal/vfs and the standard
// library, and must never import the storage engine.
//
// # Segment layout
//
// A segment is named by the LSN of its first record, as 16 hex digits plus
// ".wal". It starts with an 8-byte header, then frames back to back:
//
//	header: "ZWAL" | u32 version (1)
//	frame:  u32 payload length | u64 LSN | u8 type | u32 CRC32C(payload) |
//	        u32 CRC32C(the 17 bytes before it) | payload
//
// All integers are little-endian. LSNs start at 1 and increase by one per
// record across segments; records never cross segments. Because the
// header has its own checksum, a damaged length is detected before it is
// trusted.
//
// # Recovery
//
// A bad frame (short header, header or payload checksum mismatch, or an LSN
// out of sequence) in the last segment, with no valid frame after it, is a
// torn tail: the power failed during the last group write. It is cut off,
// and the cut bytes are kept in a ".torn" file beside the segment. A bad
// frame anywhere else is corruption: Open fails with an error wrapping
// ErrCorruption, unless Options.RepairCorruption is set, in which case the
// log is cut at that point and everything after it is kept in ".broken"
// files.
package wal
