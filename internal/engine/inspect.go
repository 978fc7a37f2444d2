package engine

import (
	"path/filepath"
	"sort"

	"github.com/zeptodb/zeptodb/internal/hdb"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// HDBReport describes the HDB of a data directory, read without
// changing anything (zeptodb inspect hdb).
type HDBReport struct {
	Manifests  []uint64 // LSNs present, ascending
	LSN        uint64   // of the newest manifest; 0 without one
	Tables     []string
	HotRecords int // insert records carried in the manifest
	Partitions []PartitionReport
}

// PartitionReport is one sealed partition the newest manifest names.
type PartitionReport struct {
	Table, Dir string
	Start      int64
	Stats      hdb.Stats
	Err        error // from verification; nil when verify was not asked
}

// InspectHDB reads the newest manifest under dataDir and lists what it
// names; with verify, every checksum of every partition is checked.
func InspectHDB(fs vfs.FS, dataDir string, verify bool) (HDBReport, error) {
	dir := filepath.Join(dataDir, "hdb")
	var rep HDBReport
	lsns, err := hdb.ListManifests(fs, dir)
	if err != nil {
		return rep, err
	}
	rep.Manifests = lsns
	lsn, records, ok, err := hdb.LatestManifest(fs, dir)
	if err != nil || !ok {
		return rep, err
	}
	rep.LSN = lsn
	for _, r := range records {
		rr := &recordReader{src: r.Payload}
		switch r.Type {
		case recCreateTable:
			rep.Tables = append(rep.Tables, rr.string())
		case recInsert:
			rep.HotRecords++
		case recLoadPartition:
			p := PartitionReport{Table: rr.string(), Dir: rr.string(), Start: rr.varint()}
			if verify {
				p.Stats, p.Err = hdb.Verify(fs, filepath.Join(dir, p.Dir))
			}
			rep.Partitions = append(rep.Partitions, p)
		}
	}
	sort.Strings(rep.Tables)
	return rep, nil
}
