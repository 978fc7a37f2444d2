package engine

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/zeptodb/zeptodb/internal/hdb"
)

// BackupStats describes one online backup.
type BackupStats struct {
	LSN        uint64
	Files      int
	Bytes      int64 // before compression
	Partitions int
}

// Backup writes an online, consistent backup to w as a gzipped tar of a
// data directory: a checkpoint is taken (so the backup holds every write
// acknowledged before Backup was called, whatever the hot window), then
// its manifest and the sealed partitions it names are streamed. Writes go
// on meanwhile; no checkpoint removes files until the backup ends. The
// archive extracted into an empty directory is a data directory the
// server starts on.
func (e *Engine) Backup(w io.Writer) (BackupStats, error) {
	e.removeMu.RLock() // checkpoints keep every file until the copy is done
	defer e.removeMu.RUnlock()
	cp, err := e.Checkpoint()
	if err != nil {
		return BackupStats{}, fmt.Errorf("backup: %w", err)
	}
	st := BackupStats{LSN: cp.LSN}
	var records []hdb.Record
	if cp.LSN > 0 { // 0: nothing was ever written, the archive is an empty data directory
		if records, err = hdb.ReadManifest(e.opts.FS, e.hdbDir(), cp.LSN); err != nil {
			return st, fmt.Errorf("backup: %w", err)
		}
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	now := time.Now()
	for _, d := range []string{"hdb", "wal"} {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: now}); err != nil {
			return st, err
		}
	}
	if cp.LSN > 0 {
		manifest := fmt.Sprintf("manifest-%016x", cp.LSN)
		if err := e.backupFile(tw, filepath.Join("hdb", manifest), &st); err != nil {
			return st, err
		}
	}
	for _, r := range records {
		if r.Type != recLoadPartition {
			continue
		}
		rr := &recordReader{src: r.Payload}
		rr.string()
		dir := rr.string()
		names, err := e.opts.FS.List(filepath.Join(e.hdbDir(), dir))
		if err != nil {
			return st, fmt.Errorf("backup: list %s: %w", dir, err)
		}
		for _, n := range names {
			if err := e.backupFile(tw, filepath.Join("hdb", dir, n), &st); err != nil {
				return st, err
			}
		}
		st.Partitions++
	}
	if err := tw.Close(); err != nil {
		return st, err
	}
	return st, gz.Close()
}

// backupFile copies one file of the data directory into the archive.
func (e *Engine) backupFile(tw *tar.Writer, rel string, st *BackupStats) error {
	f, err := e.opts.FS.OpenFile(filepath.Join(e.opts.Dir, rel), os.O_RDONLY, 0)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return fmt.Errorf("backup: %s: %w", rel, err)
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: filepath.ToSlash(rel), Mode: 0o644, Size: size, ModTime: time.Now()}); err != nil {
		return err
	}
	n, err := io.CopyN(tw, f, size)
	if err != nil {
		return fmt.Errorf("backup: copy %s: %w", rel, err)
	}
	st.Files++
	st.Bytes += n
	return nil
}
