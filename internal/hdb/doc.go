// Package hdb owns the on-disk formats of the historical database: sealed
// partitions (a directory of one metadata file and one file per column)
// and the manifest that publishes them. docs/format/hdb.md has the long
// version with byte diagrams.
//
// hdb knows tables only as a model.Schema and rows only as column
// vectors. It imports internal/model, internal/column and internal/vfs,
// the standard library and the LZ4 and Zstandard libraries, and must
// never import the engine, the WAL or anything above them: the engine
// decides what a partition holds and what a manifest record means.
//
// # Partition directory
//
//	meta        "ZHDM" u32:version u32:crc32c(8 bytes) | body | u32:crc32c(body)
//	c0000.col   "ZHDC" u32:version u32:crc32c(8 bytes) | block block ...
//	c0001.col   ...
//
// The metadata body holds the compression, the table, the partition start,
// the schema, and for every series its symbol, the rows of each block and,
// per column and block, the block's offset, stored length, raw length,
// CRC-32C and (version 2, numeric and TIMESTAMP columns) its zone: the
// least and greatest value. A block is column.AppendBatch of a one-vector batch of at most
// BlockRows rows of one series, compressed (LZ4 block or Zstandard frame);
// a block whose stored length equals its raw length is stored as it is.
// Blocks lie back to back in series order, so the metadata accounts for
// every byte of a column file and Read never scans.
//
// Write writes and fsyncs the column files, fsyncs the directory, then
// writes the metadata under a temporary name, fsyncs it and renames it:
// a directory without a valid metadata file is an unfinished write.
// Read and Verify check a whole partition; Open returns a Reader that
// reads it whole or one series at a time. Column files are read through
// a read-only mapping when the file system maps files (vfs.Mapper), every
// access under vfs.Guard, and with pread otherwise.
//
// # Manifest
//
//	manifest-<lsn as 16 hex digits>
//	"ZHMF" u32:version u64:lsn u32:crc32c(16 bytes)
//	frame*  u32:length u8:type u32:crc32c(payload) u32:crc32c(9 bytes) payload
//	end     a frame of type 0 whose payload is u64:record count; then EOF
//
// A manifest is written whole to a temporary name, fsynced and renamed.
//
// # Versions
//
// All integers are little-endian. Every file starts with a magic and a
// u32 format version, fixed in place for all versions and covered by a
// checksum of their own. A binary reads every version up to its own; a
// file of a newer version is refused with a *VersionError naming both.
// Damage is reported as a *CorruptError (wrapping ErrCorrupt) naming the
// file, and the block when the damage is in one.
package hdb
