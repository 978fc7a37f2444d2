package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/ingest"
)

const importUsage = `usage: zeptodb import FILE --table T [--format csv|tsv|jsonl] [--create] [--resume]

Loads FILE into table T through the server's INSERT ... FORMAT, in batches
of --batch-rows records, each durable before the next is sent. CSV and TSV
files start with a header line naming the columns. --create makes the table
from the header and a sample of the file (the first timestamp column
becomes the designated timestamp) if it does not exist. Progress (rows/s,
ETA) goes to stderr. If a batch is refused the import stops and FILE.zeptodb-import
records how far it got: fix the file and run again with --resume to go on
from there without loading anything twice.
`

// importState is what FILE.zeptodb-import records between runs.
type importState struct {
	Table  string `json:"table"`
	Offset int64  `json:"offset"` // bytes of FILE already loaded
	Rows   int64  `json:"rows"`
}

func importFile(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("zeptodb import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, importUsage); fs.PrintDefaults() }
	host := fs.String("host", "127.0.0.1", "server host")
	port := fs.Int("port", 8123, "server port")
	key := fs.String("key", os.Getenv("ZEPTODB_API_KEY"), "API key to send (default $ZEPTODB_API_KEY)")
	table := fs.String("table", "", "table to load into")
	format := fs.String("format", "", "csv, tsv or jsonl (default: from the file name)")
	create := fs.Bool("create", false, "create the table from the file if it does not exist")
	resume := fs.Bool("resume", false, "go on from where FILE.zeptodb-import says an earlier run stopped")
	batchRows := fs.Int("batch-rows", 100000, "records per request")
	// FILE may come before or after the flags.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" || *table == "" || *batchRows < 1 {
		fs.Usage()
		return errors.New("import needs FILE and --table")
	}
	chFormat, err := importFormat(*format, file)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	c := &importer{base: "http://" + net.JoinHostPort(*host, strconv.Itoa(*port)) + "/", key: *key, http: &http.Client{}}

	r := bufio.NewReaderSize(f, 1<<20)
	var header string // CSV/TSV: the column list, sent with every batch
	if chFormat != "JSONEachRow" {
		line, err := r.ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("%s: no header line", file)
		}
		header = strings.TrimRight(line, "\r\n")
	}
	statePath := file + ".zeptodb-import"
	state := importState{Table: *table, Offset: int64(len(header))}
	if header != "" {
		state.Offset++ // its newline
	}
	if *resume {
		b, err := os.ReadFile(statePath)
		if err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
		var saved importState
		if err := json.Unmarshal(b, &saved); err != nil || saved.Table != *table || saved.Offset < state.Offset || saved.Offset > st.Size() {
			return fmt.Errorf("--resume: %s does not describe an import of %s into %s", statePath, file, *table)
		}
		state = saved
	}
	if *create {
		sample := make([]byte, 1<<20)
		n, _ := io.ReadFull(r, sample) // a short file is all sample
		sample = sample[:n]
		if header != "" {
			sample = append([]byte(header+"\n"), sample...)
		}
		if err := c.createTable(*table, chFormat, sample); err != nil {
			return err
		}
	}
	if _, err := f.Seek(state.Offset, io.SeekStart); err != nil {
		return err
	}
	r.Reset(f)

	insert := "INSERT INTO " + quoteName(*table)
	if header != "" {
		cols, err := headerColumns(chFormat, header)
		if err != nil {
			return err
		}
		insert += " (" + strings.Join(cols, ", ") + ")"
	}
	insert += " FORMAT " + strings.TrimSuffix(strings.TrimSuffix(chFormat, "WithNames"), "WithNames")
	start, lastShown := time.Now(), time.Time{}
	startRows := state.Rows
	buf := make([]byte, 0, 16<<20)
	chunk := make([]byte, 1<<20)
	eof := false
	for {
		for !eof && len(buf) < cap(buf)/2 {
			n, err := r.Read(chunk)
			buf = append(buf, chunk[:n]...)
			if errors.Is(err, io.EOF) {
				eof = true
			} else if err != nil {
				return err
			}
			if end, n := ingest.RecordsEnd(buf, chFormat, *batchRows, eof); n >= *batchRows || (eof && end == len(buf)) {
				break
			}
		}
		end, n := ingest.RecordsEnd(buf, chFormat, *batchRows, eof)
		if n == 0 {
			if eof {
				break
			}
			if len(buf) >= cap(buf) {
				return fmt.Errorf("%s: a record at byte %d is longer than 16 MiB", file, state.Offset)
			}
			continue
		}
		if err := c.post(insert, buf[:end]); err != nil {
			return fmt.Errorf("batch of %d records at byte %d of %s refused (%d records loaded, state in %s; fix and run with --resume): %w",
				n, state.Offset, file, state.Rows, statePath, err)
		}
		state.Offset += int64(end)
		state.Rows += int64(n)
		if err := writeState(statePath, state); err != nil {
			return err
		}
		buf = append(buf[:0], buf[end:]...)
		if time.Since(lastShown) > 200*time.Millisecond || (eof && len(buf) == 0) {
			lastShown = time.Now()
			showProgress(stderr, state, st.Size(), startRows, start)
		}
	}
	showProgress(stderr, state, st.Size(), startRows, start)
	fmt.Fprintln(stderr)
	return os.Remove(statePath)
}

// importFormat picks the ClickHouse format of a file.
func importFormat(flagValue, file string) (string, error) {
	name := strings.ToLower(flagValue)
	if name == "" {
		name = strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	}
	switch name {
	case "csv":
		return "CSVWithNames", nil
	case "tsv", "tab":
		return "TSVWithNames", nil
	case "jsonl", "ndjson", "json":
		return "JSONEachRow", nil
	case "parquet", "arrow":
		return "", fmt.Errorf("--format %s is not supported yet: use csv, tsv or jsonl", name)
	}
	return "", fmt.Errorf("cannot tell the format of %s: give --format csv, tsv or jsonl", file)
}

// headerColumns quotes the header's column names for the column list.
func headerColumns(format, header string) ([]string, error) {
	names, _, err := ingest.InferColumns(format, []byte(header+"\n"))
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		names[i] = quoteName(n)
	}
	return names, nil
}

func quoteName(n string) string { return `"` + strings.ReplaceAll(n, `"`, `""`) + `"` }

func writeState(path string, s importState) error {
	b, _ := json.Marshal(s) // a struct of strings and numbers
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func showProgress(w io.Writer, s importState, size, startRows int64, start time.Time) {
	took := time.Since(start).Seconds()
	rate := float64(s.Rows-startRows) / max(took, 1e-9)
	pct := 100 * float64(s.Offset) / float64(max(size, 1))
	eta := "-"
	if done := float64(s.Offset); done > 0 && pct < 100 && took > 0 {
		eta = time.Duration(took * (float64(size) - done) / done * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(w, "\r%d rows  %.0f rows/s  %.1f%%  ETA %s   ", s.Rows, rate, pct, eta)
}

// importer talks to the server.
type importer struct {
	base, key string
	http      *http.Client
}

func (c *importer) post(query string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, c.base+"?query="+url.QueryEscape(query), strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	return nil
}

// createTable makes the table from a sample unless it exists.
func (c *importer) createTable(table, format string, sample []byte) error {
	names, types, err := ingest.InferColumns(format, sample)
	if err != nil {
		return fmt.Errorf("--create: %w", err)
	}
	ts := ""
	var cols []string
	for i, n := range names {
		cols = append(cols, quoteName(n)+" "+types[i])
		if ts == "" && strings.HasPrefix(types[i], "DateTime64") {
			ts = quoteName(n)
		}
	}
	if ts == "" {
		return fmt.Errorf("--create: no column of %s looks like a timestamp to order and partition by; create %s yourself", format, table)
	}
	return c.post("CREATE TABLE IF NOT EXISTS "+quoteName(table)+" ("+strings.Join(cols, ", ")+") ENGINE = MergeTree ORDER BY ("+ts+")", nil)
}
