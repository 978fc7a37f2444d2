package exec

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zeptodb/zeptodb/internal/chformat"
	"github.com/zeptodb/zeptodb/internal/ingest"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// copyBatchRows is how many records COPY FROM inserts at a time.
const copyBatchRows = 100000

// execCopy runs COPY t TO 'file' (the whole table, a new file) and COPY t
// FROM 'file' (in batches, each durable before the next). Files live in
// Options.CopyDir; os.Root keeps every path, symbolic links included,
// inside it.
func (x *Executor) execCopy(ctx context.Context, s *parser.Copy) (*Result, error) {
	if x.opts.CopyDir == "" {
		return nil, errAt(CodeNotSupported, s.At, "COPY is off: set copy_dir to the directory its files may be read from and written to")
	}
	format, err := copyFormat(s)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(x.opts.CopyDir)
	if err != nil {
		return nil, fmt.Errorf("copy_dir: %w", err)
	}
	defer root.Close()
	name := filepath.Clean(s.Path)
	if s.From {
		return x.copyFrom(ctx, s, root, name, format)
	}
	return x.copyTo(ctx, s, root, name, format)
}

// copyFormat is the FORMAT clause, else the file's extension.
func copyFormat(s *parser.Copy) (string, error) {
	if s.Format != "" {
		return s.Format, nil
	}
	switch strings.ToLower(filepath.Ext(s.Path)) {
	case ".csv":
		return "CSVWithNames", nil
	case ".tsv":
		return "TSVWithNames", nil
	case ".jsonl", ".ndjson":
		return "JSONEachRow", nil
	}
	return "", errAt(CodeUnknownFormat, s.At, "cannot tell the format of %q: name it .csv, .tsv or .jsonl, or add FORMAT", s.Path)
}

func (x *Executor) copyTo(ctx context.Context, s *parser.Copy, root *os.Root, name, format string) (*Result, error) {
	f, ok := chformat.Lookup(format)
	if !ok {
		return nil, errAt(CodeUnknownFormat, s.At, "unknown output format %s", format)
	}
	q, err := parser.Parse("SELECT * FROM " + parser.QuoteIdent(s.Table))
	if err != nil {
		return nil, err
	}
	res, err := x.runQuery(ctx, q.(*parser.Select), nil)
	if err != nil {
		return nil, err
	}
	cols := make([]chformat.Column, len(res.Columns))
	for i, c := range res.Columns {
		cols[i] = chformat.Column{Name: c.Name, Type: c.Type, Data: c.Data}
	}
	out, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, errAt(CodeBadArguments, s.At, "COPY TO %q: %v (files are never overwritten)", s.Path, err)
	}
	w := bufio.NewWriterSize(out, 1<<20)
	_, err = w.Write(chformat.Append(nil, f, cols, res.Rows, chformat.Options{}))
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("COPY TO %q: %w", s.Path, err)
	}
	return &Result{Written: int64(res.Rows)}, nil
}

func (x *Executor) copyFrom(ctx context.Context, s *parser.Copy, root *os.Root, name, format string) (*Result, error) {
	t, err := x.eng.Table(s.Table)
	if err != nil {
		return nil, errAt(CodeUnknownTable, s.At, "unknown table %s", s.Table)
	}
	in, err := root.Open(name)
	if err != nil {
		return nil, errAt(CodeBadArguments, s.At, "COPY FROM %q: %v", s.Path, err)
	}
	defer in.Close()
	r := bufio.NewReaderSize(in, 1<<20)
	targets, _ := columnTargets(t.Schema, nil)
	header := ""
	if strings.HasSuffix(format, "WithNames") {
		line, err := r.ReadString('\n')
		if err != nil && line == "" {
			return nil, errAt(CodeCannotParse, s.At, "COPY FROM %q: no header line", s.Path)
		}
		header = line
		names, _, err := ingest.InferColumns(format, []byte(line))
		if err != nil {
			return nil, err
		}
		var terr *Error
		if targets, terr = columnTargets(t.Schema, names); terr != nil {
			return nil, terr
		}
	}
	var written int64
	var buf []byte
	chunk := make([]byte, 1<<20)
	for eof := false; ; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !eof {
			n, err := r.Read(chunk)
			buf = append(buf, chunk[:n]...)
			if errors.Is(err, io.EOF) {
				eof = true
			} else if err != nil {
				return nil, err
			}
		}
		end, n := ingest.RecordsEnd(buf, format, copyBatchRows, eof)
		if n < copyBatchRows && !eof {
			continue
		}
		if n > 0 {
			b, err := ingest.DecodeFormat(format, t.Schema, targets, header+string(buf[:end]))
			if err != nil {
				return nil, &Error{Code: CodeCannotParse, Msg: fmt.Sprintf("COPY FROM %q after %d rows: %v; the rows before were loaded", s.Path, written, err)}
			}
			k, err := x.eng.InsertAs(t.Schema, b)
			if err != nil {
				return nil, mapEngineError(err)
			}
			written += int64(k)
			buf = append(buf[:0], buf[end:]...)
		}
		if eof && (n == 0 || len(buf) == 0) {
			return &Result{Written: written}, nil
		}
	}
}
