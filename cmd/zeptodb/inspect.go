package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/vfs"
	"github.com/zeptodb/zeptodb/internal/wal"
)

const inspectUsage = `usage: zeptodb inspect wal|hdb --data-dir DIR [--verify] [--dump]

  wal   list the WAL segments: LSNs, records by type, sizes, damage (--dump: every record)
  hdb   list the newest manifest and the sealed partitions it names (--verify: check every checksum)

Reads only; run it on a stopped server's directory or a copy. Exit status 1 when damage is found.
`

// inspect is the offline checker of a data directory, like promtool tsdb
// or etcdutl.
func inspect(args []string, out io.Writer) error {
	if len(args) == 0 || (args[0] != "wal" && args[0] != "hdb") {
		fmt.Fprint(os.Stderr, inspectUsage)
		return fmt.Errorf("inspect: say wal or hdb")
	}
	fs := flag.NewFlagSet("inspect "+args[0], flag.ContinueOnError)
	dataDir := fs.String("data-dir", "./zeptodb-data", "data directory")
	verify := fs.Bool("verify", false, "check every checksum (hdb)")
	dump := fs.Bool("dump", false, "print every record (wal)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if args[0] == "wal" {
		return inspectWAL(out, *dataDir, *dump)
	}
	return inspectHDB(out, *dataDir, *verify)
}

var recordTypeNames = map[byte]string{1: "create", 2: "drop", 3: "insert", 4: "truncate", 5: "delete", 6: "update",
	7: "alter", 8: "ttl", 9: "expire", 10: "load-partition", 11: "symbols"}

func inspectWAL(out io.Writer, dataDir string, dump bool) error {
	each := func(s wal.SegmentInfo, r wal.Record) {
		if dump {
			fmt.Fprintf(out, "  lsn %d %s %d bytes\n", r.LSN, typeName(r.Type), len(r.Payload))
		}
	}
	segs, err := wal.Inspect(vfs.Default, filepath.Join(dataDir, "wal"), each)
	if err != nil {
		return err
	}
	damaged := 0
	for i, s := range segs {
		fmt.Fprintf(out, "%s  lsn %d..%d  %d records  %d bytes  %s\n", s.Name, s.FirstLSN, s.LastLSN, s.Records, s.Bytes, typeCounts(s.Types))
		if s.Damage != "" {
			kind := "corruption"
			if s.DamageIsTornTail && i == len(segs)-1 {
				kind = "torn tail (cut at the next start)"
			} else {
				damaged++
			}
			fmt.Fprintf(out, "  %s at offset %d: %s\n", kind, s.DamageOffset, s.Damage)
		}
	}
	fmt.Fprintf(out, "%d segments\n", len(segs))
	if damaged > 0 {
		return fmt.Errorf("%d damaged segments", damaged)
	}
	return nil
}

func typeName(t byte) string {
	if n, ok := recordTypeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("type-%d", t)
}

func typeCounts(m map[byte]int) string {
	var parts []string
	for t, n := range m {
		parts = append(parts, fmt.Sprintf("%s=%d", typeName(t), n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func inspectHDB(out io.Writer, dataDir string, verify bool) error {
	rep, err := engine.InspectHDB(vfs.Default, dataDir, verify)
	if err != nil {
		return err
	}
	if rep.LSN == 0 {
		fmt.Fprintln(out, "no manifest: nothing sealed yet")
		return nil
	}
	fmt.Fprintf(out, "manifest lsn %d (present: %v), tables %s, %d hot insert records\n", rep.LSN, rep.Manifests, strings.Join(rep.Tables, ", "), rep.HotRecords)
	bad := 0
	for _, p := range rep.Partitions {
		line := fmt.Sprintf("%s  %s  %s", p.Table, time.Unix(0, p.Start).UTC().Format("2006-01-02T15:04"), p.Dir)
		if verify {
			s := p.Stats
			line += fmt.Sprintf("  %d rows  %d series  %d blocks  %d raw bytes  %d stored bytes", s.Rows, s.Series, s.Blocks, s.RawBytes, s.StoredBytes)
			if p.Err != nil {
				bad++
				line += "  DAMAGED: " + p.Err.Error()
			} else {
				line += "  ok"
			}
		}
		fmt.Fprintln(out, line)
	}
	fmt.Fprintf(out, "%d sealed partitions\n", len(rep.Partitions))
	if bad > 0 {
		return fmt.Errorf("%d damaged partitions", bad)
	}
	return nil
}
