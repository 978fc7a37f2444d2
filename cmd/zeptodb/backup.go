package main

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// backup asks a running server for an online backup (POST /admin/backup)
// and keeps it as an archive, or extracted into a directory.
func backup(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	to := fs.String("to", "", "FILE.tar.gz to write, or a new or empty DIR to extract into")
	url := fs.String("url", "http://127.0.0.1:8123", "the server")
	key := fs.String("key", os.Getenv("ZEPTODB_API_KEY"), "an admin API key (default $ZEPTODB_API_KEY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to FILE.tar.gz or --to DIR is required")
	}
	req, err := http.NewRequest(http.MethodPost, strings.TrimRight(*url, "/")+"/admin/backup", nil)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if *key != "" {
		req.Header.Set("Authorization", "Bearer "+*key)
	}
	client := &http.Client{Timeout: 0} // a backup takes as long as it takes
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("backup: server answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	start := time.Now()
	if isArchive(*to) {
		n, err := writeArchive(*to, resp.Body)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "backup written to %s (%d bytes) in %v\n", *to, n, time.Since(start).Round(time.Millisecond))
		return nil
	}
	files, err := extract(resp.Body, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "backup extracted into %s (%d files) in %v\n", *to, files, time.Since(start).Round(time.Millisecond))
	return nil
}

func isArchive(path string) bool {
	return strings.HasSuffix(path, ".tar.gz") || strings.HasSuffix(path, ".tgz")
}

// writeArchive stores the archive durably: a temporary file, fsync,
// rename; a transfer cut short (the server failed) leaves nothing behind.
func writeArchive(path string, r io.Reader) (int64, error) {
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	n, err := io.Copy(f, r)
	if err == nil {
		err = checkArchive(tmp)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// checkArchive reads a whole archive: a truncated gzip or tar fails.
func checkArchive(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = extractTo(f, "")
	return err
}

// restore makes a data directory from a backup (archive or directory),
// optionally verifying every checksum.
func restore(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	from := fs.String("from", "", "the backup: FILE.tar.gz or a directory written by backup --to DIR")
	dataDir := fs.String("data-dir", "", "the new data directory (must not exist or be empty)")
	verify := fs.Bool("verify", false, "check every checksum of the restored data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *dataDir == "" {
		return errors.New("restore: --from and --data-dir are required")
	}
	if err := emptyDir(*dataDir); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// Restore beside the target and rename it into place once checked: a
	// failed restore leaves no half-filled data directory to start on.
	tmp := filepath.Clean(*dataDir) + ".restoring"
	os.RemoveAll(tmp)
	rep, err := restoreInto(*from, tmp, *verify, out)
	if err == nil {
		if err = os.Remove(*dataDir); err == nil {
			err = os.Rename(tmp, *dataDir)
		}
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	what := "restored"
	if *verify {
		what = "restored and verified"
	}
	fmt.Fprintf(out, "%s %s: manifest lsn %d, %d tables, %d sealed partitions\n", what, *dataDir, rep.LSN, len(rep.Tables), len(rep.Partitions))
	return nil
}

// restoreInto unpacks or copies the backup into the new directory dir and
// checks its manifest (and, with verify, every checksum).
func restoreInto(from, dir string, verify bool, out io.Writer) (engine.HDBReport, error) {
	var err error
	if isArchive(from) {
		var f *os.File
		if f, err = os.Open(from); err == nil {
			_, err = extract(f, dir)
			f.Close()
		}
	} else {
		if err = os.MkdirAll(dir, 0o755); err == nil {
			err = copyTree(from, dir)
		}
	}
	if err != nil {
		return engine.HDBReport{}, err
	}
	rep, err := engine.InspectHDB(vfs.Default, dir, verify)
	if err != nil {
		return rep, fmt.Errorf("the restored manifest: %w", err)
	}
	bad := 0
	for _, p := range rep.Partitions {
		if p.Err != nil {
			bad++
			fmt.Fprintf(out, "DAMAGED %s: %v\n", p.Dir, p.Err)
		}
	}
	if bad > 0 {
		return rep, fmt.Errorf("%d damaged partitions", bad)
	}
	return rep, nil
}

func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

// extract unpacks a gzipped tar into dir, which must be empty or new.
func extract(r io.Reader, dir string) (int, error) {
	if err := emptyDir(dir); err != nil {
		return 0, err
	}
	return extractTo(r, dir)
}

// extractTo unpacks r into dir ("" only reads it through, checking it).
// Names leaving dir are refused; every file is fsynced.
func extractTo(r io.Reader, dir string) (int, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return 0, fmt.Errorf("not a gzip archive: %w", err)
	}
	tr := tar.NewReader(gz)
	files := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return files, fmt.Errorf("damaged archive: %w", err)
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return files, fmt.Errorf("archive entry %q leaves the directory", h.Name)
		}
		if dir == "" {
			if _, err := io.Copy(io.Discard, tr); err != nil {
				return files, fmt.Errorf("damaged archive: %w", err)
			}
			continue
		}
		path := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(path, 0o755)
		case tar.TypeReg:
			err = writeFileSynced(path, tr)
			files++
		}
		if err != nil {
			return files, err
		}
	}
}

func writeFileSynced(path string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("damaged archive: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// copyTree copies a backup directory into dir.
func copyTree(from, dir string) error {
	return filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil || rel == "." {
			return err
		}
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return writeFileSynced(filepath.Join(dir, rel), f)
	})
}
