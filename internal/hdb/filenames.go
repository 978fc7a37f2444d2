package hdb

import "fmt"

// Every name hdb gives a file on disk.
const (
	// metaFile is the metadata file of a partition directory; it is
	// written last, so a directory without it is an unfinished Write.
	metaFile = "meta"
	// metaTemp is metaFile while it is written, before the rename.
	metaTemp = "meta.tmp"
	// manifestPrefix starts a manifest name; 16 lower-case hex digits of
	// the checkpoint LSN follow.
	manifestPrefix = "manifest-"
	// tempSuffix marks a manifest being written (vfs.WriteFileAtomic).
	tempSuffix = ".tmp"
)

// columnFile names the file of column i of a partition.
func columnFile(i int) string { return fmt.Sprintf("c%04d.col", i) }

// manifestFile names the manifest of checkpoint lsn.
func manifestFile(lsn uint64) string { return fmt.Sprintf("%s%016x", manifestPrefix, lsn) }

// parseManifestName returns the LSN of a manifest name, and false for any
// other name (temporary files included).
func parseManifestName(name string) (uint64, bool) {
	if len(name) != len(manifestPrefix)+16 || name[:len(manifestPrefix)] != manifestPrefix {
		return 0, false
	}
	var lsn uint64
	for _, ch := range name[len(manifestPrefix):] {
		switch {
		case ch >= '0' && ch <= '9':
			lsn = lsn<<4 | uint64(ch-'0')
		case ch >= 'a' && ch <= 'f':
			lsn = lsn<<4 | uint64(ch-'a'+10)
		default:
			return 0, false
		}
	}
	return lsn, true
}
