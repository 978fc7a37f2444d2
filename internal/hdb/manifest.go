package hdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// Record is one entry of a manifest: an opaque typed payload defined by
// the engine. Type 0 is reserved for the end frame.
type Record struct {
	Type    byte
	Payload []byte
}

const (
	manifestHeader = 20 // magic, u32 version, u64 LSN, u32 CRC-32C of the 16 bytes before
	frameHeader    = 13 // u32 length, u8 type, u32 CRC-32C(payload), u32 CRC-32C(the 9 bytes before)
	endType        = 0
	endPayload     = 8 // u64 record count
	// maxRecordSize bounds one record's payload.
	maxRecordSize = 1 << 30
)

// WriteManifest atomically publishes the manifest of checkpoint lsn in dir
// as the file manifest-<lsn as 16 hex digits>: header (magic, format
// version, lsn), the records each framed with length, type and CRC-32C,
// and an end frame with the record count; written to a temporary name,
// fsynced, renamed, directory fsynced. After a crash the file is either
// absent or complete. dir is created if needed.
func WriteManifest(fsys vfs.FS, dir string, lsn uint64, records []Record) error {
	buf, err := appendManifest(nil, lsn, records)
	if err == nil {
		err = fsys.MkdirAll(dir, 0o755)
	}
	if err == nil {
		err = vfs.WriteFileAtomic(fsys, filepath.Join(dir, manifestFile(lsn)), buf)
	}
	if err != nil {
		return fmt.Errorf("hdb: write manifest %d in %s: %w", lsn, dir, err)
	}
	return nil
}

func appendManifest(dst []byte, lsn uint64, records []Record) ([]byte, error) {
	start := len(dst)
	dst = append(dst, manifestMagic...)
	dst = binary.LittleEndian.AppendUint32(dst, manifestVersion)
	dst = binary.LittleEndian.AppendUint64(dst, lsn)
	dst = binary.LittleEndian.AppendUint32(dst, checksum(dst[start:]))
	for i, r := range records {
		if r.Type == endType {
			return nil, fmt.Errorf("record %d: type 0 is reserved", i)
		}
		if len(r.Payload) > maxRecordSize {
			return nil, fmt.Errorf("record %d: %d bytes over the limit of %d", i, len(r.Payload), maxRecordSize)
		}
		dst = appendManifestFrame(dst, r.Type, r.Payload)
	}
	return appendManifestFrame(dst, endType, binary.LittleEndian.AppendUint64(nil, uint64(len(records)))), nil
}

func appendManifestFrame(dst []byte, typ byte, payload []byte) []byte {
	start := len(dst)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)))
	dst = append(dst, typ)
	dst = binary.LittleEndian.AppendUint32(dst, checksum(payload))
	dst = binary.LittleEndian.AppendUint32(dst, checksum(dst[start:start+9]))
	return append(dst, payload...)
}

// parseManifest decodes a whole manifest file and checks that its header
// names wantLSN.
func parseManifest(file string, buf []byte, wantLSN uint64) ([]Record, error) {
	if len(buf) < manifestHeader {
		return nil, corrupt(file, 0, "file of %d bytes is shorter than its header", len(buf))
	}
	if string(buf[:4]) != manifestMagic {
		return nil, corrupt(file, 0, "bad magic %q, want %q", buf[:4], manifestMagic)
	}
	if checksum(buf[:16]) != binary.LittleEndian.Uint32(buf[16:20]) {
		return nil, corrupt(file, 16, "header checksum mismatch")
	}
	if v := binary.LittleEndian.Uint32(buf[4:8]); v > manifestVersion {
		return nil, &VersionError{File: file, Version: v, Supported: manifestVersion}
	} else if v == 0 {
		return nil, corrupt(file, 4, "format version 0")
	}
	if lsn := binary.LittleEndian.Uint64(buf[8:16]); lsn != wantLSN {
		return nil, corrupt(file, 8, "header LSN %d does not match the name", lsn)
	}
	var records []Record
	for off := manifestHeader; ; {
		typ, payload, size, reason := parseManifestFrame(buf[off:])
		if reason != "" {
			return nil, corrupt(file, int64(off), "record %d: %s", len(records), reason)
		}
		if typ == endType {
			if n := binary.LittleEndian.Uint64(payload); len(payload) != endPayload || n != uint64(len(records)) {
				return nil, corrupt(file, int64(off), "end frame counts %d records, found %d", n, len(records))
			}
			if off+size != len(buf) {
				return nil, corrupt(file, int64(off+size), "%d bytes after the end frame", len(buf)-off-size)
			}
			return records, nil
		}
		records = append(records, Record{Type: typ, Payload: payload})
		off += size
	}
}

// parseManifestFrame checks the frame at the start of buf and returns its
// type, payload, total size, or a reason it is not valid.
func parseManifestFrame(buf []byte) (byte, []byte, int, string) {
	if len(buf) < frameHeader {
		return 0, nil, 0, "truncated (no end frame)"
	}
	if checksum(buf[:9]) != binary.LittleEndian.Uint32(buf[9:13]) {
		return 0, nil, 0, "frame header checksum mismatch"
	}
	n := binary.LittleEndian.Uint32(buf[0:4])
	if uint64(n) > uint64(len(buf)-frameHeader) {
		return 0, nil, 0, "frame extends past the end of the file"
	}
	payload := buf[frameHeader : frameHeader+int(n)]
	if checksum(payload) != binary.LittleEndian.Uint32(buf[5:9]) {
		return 0, nil, 0, "payload checksum mismatch"
	}
	if buf[4] == endType && n != endPayload {
		return 0, nil, 0, "bad end frame"
	}
	return buf[4], payload, frameHeader + int(n), ""
}

// LatestManifest returns the newest manifest in dir; ok is false when
// there is none. A damaged or incomplete newest manifest is an error
// wrapping ErrCorrupt, never silently an older one: recovering from an
// older checkpoint is a decision for the operator. Leftover temporary
// files are ignored.
func LatestManifest(fsys vfs.FS, dir string) (lsn uint64, records []Record, ok bool, err error) {
	lsns, err := ListManifests(fsys, dir)
	if err != nil || len(lsns) == 0 {
		return 0, nil, false, err
	}
	lsn = lsns[len(lsns)-1]
	records, err = ReadManifest(fsys, dir, lsn)
	if err != nil {
		return 0, nil, false, err
	}
	return lsn, records, true, nil
}

// ReadManifest reads the manifest of checkpoint lsn in dir.
func ReadManifest(fsys vfs.FS, dir string, lsn uint64) ([]Record, error) {
	path := filepath.Join(dir, manifestFile(lsn))
	buf, err := vfs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("hdb: read manifest: %w", err)
	}
	records, err := parseManifest(path, buf, lsn)
	if err != nil {
		return nil, fmt.Errorf("hdb: read manifest: %w", err)
	}
	return records, nil
}

// ListManifests returns the LSNs of the manifests in dir, ascending. A
// missing dir holds none.
func ListManifests(fsys vfs.FS, dir string) ([]uint64, error) {
	names, err := fsys.List(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("hdb: list manifests in %s: %w", dir, err)
	}
	var lsns []uint64
	for _, name := range names {
		if lsn, ok := parseManifestName(name); ok {
			lsns = append(lsns, lsn)
		}
	}
	sort.Slice(lsns, func(i, j int) bool { return lsns[i] < lsns[j] })
	return lsns, nil
}

// RemoveManifest deletes the manifest of checkpoint lsn from dir and makes
// the removal durable.
func RemoveManifest(fsys vfs.FS, dir string, lsn uint64) error {
	err := fsys.Remove(filepath.Join(dir, manifestFile(lsn)))
	if err == nil {
		err = fsys.SyncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("hdb: remove manifest %d in %s: %w", lsn, dir, err)
	}
	return nil
}
