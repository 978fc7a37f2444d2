package hdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

const (
	// metaVersion is the format version of the metadata files this binary
	// writes, and the newest it reads: 1 without zones, 2 with a zone per
	// block of every numeric and TIMESTAMP column.
	metaVersion = 2
	// columnVersion is the same for column files.
	columnVersion = 1
	// manifestVersion is the same for manifests.
	manifestVersion = 1

	metaMagic     = "ZHDM"
	columnMagic   = "ZHDC"
	manifestMagic = "ZHMF"

	// preambleSize is the fixed start of metadata and column files, the
	// same in every version: magic, u32 version, u32 CRC-32C of those 8
	// bytes.
	preambleSize = 12

	// BlockRows is the most rows a compressed column block holds.
	BlockRows = 65536

	// maxBlockRaw bounds the uncompressed encoding of one block, and so
	// what reading one block may allocate. Fixed-width columns stay far
	// below it; Write ends a block early when a STRING or SYMBOL column
	// would pass it. A larger raw length in metadata is corruption.
	maxBlockRaw = 64 << 20
)

var (
	// blockRows is the number of rows Write puts in a block; tests lower it.
	blockRows = BlockRows
	// textBudget bounds the encoded values of one text column in a block,
	// leaving room below maxBlockRaw for the header and NULL bitmap
	// (8 KiB at BlockRows rows); tests lower it.
	textBudget = maxBlockRaw - 16<<10
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// ErrCorrupt is wrapped by every error about a damaged or incomplete file.
var ErrCorrupt = errors.New("hdb: corrupt")

// ErrVersion is wrapped by errors about a file of a format version this
// binary does not read.
var ErrVersion = errors.New("hdb: unsupported format version")

// CorruptError locates damage: the file, and the block when the damage is
// in one.
type CorruptError struct {
	File   string
	Block  int   // index of the block in its column file, -1 if none
	Offset int64 // byte offset in File, -1 if unknown
	Reason string
}

func (e *CorruptError) Error() string {
	s := "hdb: corrupt file " + e.File
	if e.Block >= 0 {
		s += fmt.Sprintf(" block %d", e.Block)
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf(" at offset %d", e.Offset)
	}
	return s + ": " + e.Reason
}

// Unwrap makes errors.Is(err, ErrCorrupt) hold.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

func corrupt(file string, offset int64, format string, args ...any) error {
	return &CorruptError{File: file, Block: -1, Offset: offset, Reason: fmt.Sprintf(format, args...)}
}

// VersionError reports a file written by a newer format version.
type VersionError struct {
	File      string
	Version   uint32 // the file's version
	Supported uint32 // the newest version this binary reads
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("hdb: file %s has format version %d; this binary reads versions up to %d (upgrade zeptodb)", e.File, e.Version, e.Supported)
}

// Unwrap makes errors.Is(err, ErrVersion) hold.
func (e *VersionError) Unwrap() error { return ErrVersion }

func appendPreamble(dst []byte, magic string, version uint32) []byte {
	start := len(dst)
	dst = append(dst, magic...)
	dst = binary.LittleEndian.AppendUint32(dst, version)
	return binary.LittleEndian.AppendUint32(dst, checksum(dst[start:]))
}

// checkPreamble checks the first preambleSize bytes of buf: magic, the
// self-check, then the version. A version above supported is a
// *VersionError; since the preamble checksum holds, it is not damage.
func checkPreamble(file string, buf []byte, magic string, supported uint32) error {
	if len(buf) < preambleSize {
		return corrupt(file, 0, "file of %d bytes is shorter than its header", len(buf))
	}
	if string(buf[:4]) != magic {
		return corrupt(file, 0, "bad magic %q, want %q", buf[:4], magic)
	}
	if checksum(buf[:8]) != binary.LittleEndian.Uint32(buf[8:12]) {
		return corrupt(file, 8, "header checksum mismatch")
	}
	v := binary.LittleEndian.Uint32(buf[4:8])
	if v > supported {
		return &VersionError{File: file, Version: v, Supported: supported}
	}
	if v == 0 {
		return corrupt(file, 4, "format version 0")
	}
	return nil
}
