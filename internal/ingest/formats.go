package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// ErrUnknownFormat is returned for an INSERT ... FORMAT name no decoder
// reads.
var ErrUnknownFormat = errors.New("unknown input format")

// DecodeFormat decodes data in one of ClickHouse's input formats — what
// follows INSERT INTO t [(cols)] FORMAT <format> — into an ingest batch for
// s. targets are the listed columns (every column when the statement
// lists none); a column outside them, or a key a JSON row leaves out, is
// NULL. Errors are *ValuesError naming the row and column, or wrap
// ErrUnknownFormat; nothing is returned with an error.
func DecodeFormat(format string, s *model.Schema, targets []int, data string) (*column.Batch, error) {
	b, err := newRowBuilder(s, targets)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(format) {
	case "values":
		return DecodeValues(s, targets, data)
	case "arrow", "arrowstream":
		// arrow-go v18.8.0's IPC reader sizes allocations from counts in
		// the data before checking them: FuzzDecodeArrow made a 295-byte
		// stream allocate 29 GB (a fatal out-of-memory, not a panic).
		// Until the input is validated first, Arrow is output only.
		return nil, fmt.Errorf("%w %q: Arrow is an output format only for now (its reader cannot yet be trusted with untrusted input)", ErrUnknownFormat, format)
	case "jsoneachrow", "ndjson", "jsonlines":
		err = b.jsonEachRow(data)
	case "jsoncompacteachrow":
		err = b.jsonCompactEachRow(data, 0)
	case "jsoncompacteachrowwithnames":
		err = b.jsonCompactEachRow(data, 1)
	case "jsoncompacteachrowwithnamesandtypes":
		err = b.jsonCompactEachRow(data, 2)
	case "csv":
		err = b.csv(data, false)
	case "csvwithnames":
		err = b.csv(data, true)
	case "tabseparated", "tsv":
		err = b.tsv(data, 0)
	case "tabseparatedwithnames", "tsvwithnames":
		err = b.tsv(data, 1)
	case "tabseparatedwithnamesandtypes", "tsvwithnamesandtypes":
		err = b.tsv(data, 2)
	default:
		return nil, fmt.Errorf("%w %q: use Values, JSONEachRow, JSONCompactEachRow(WithNames(AndTypes)), CSV(WithNames) or TabSeparated(WithNames(AndTypes))", ErrUnknownFormat, format)
	}
	if err != nil {
		return nil, err
	}
	return b.batch(), nil
}

// rowBuilder appends rows of cells to the target columns' vectors.
type rowBuilder struct {
	schema  *model.Schema
	targets []int
	vecs    []*column.Vector // per schema column; nil outside the targets
	rows    int
}

func newRowBuilder(s *model.Schema, targets []int) (*rowBuilder, error) {
	b := &rowBuilder{schema: s, targets: targets, vecs: make([]*column.Vector, len(s.Columns))}
	for _, t := range targets {
		if t < 0 || t >= len(s.Columns) || b.vecs[t] != nil {
			return nil, &ValuesError{Msg: fmt.Sprintf("bad target column %d for table %s", t, s.Name)}
		}
		c := s.Columns[t]
		if c.Type == model.TypeSymbol {
			b.vecs[t] = &column.Vector{Type: c.Type}
		} else {
			b.vecs[t] = column.NewVector(c.Type, 0)
		}
	}
	return b, nil
}

// batch returns the vectors in schema order, NULLs for the others.
func (b *rowBuilder) batch() *column.Batch {
	out := &column.Batch{Vectors: make([]*column.Vector, len(b.schema.Columns))}
	for i, c := range b.schema.Columns {
		if b.vecs[i] != nil {
			out.Vectors[i] = b.vecs[i]
		} else {
			out.Vectors[i] = nullVector(c.Type, b.rows)
		}
	}
	return out
}

func (b *rowBuilder) fail(col int, format string, args ...any) *ValuesError {
	name := ""
	if col >= 0 {
		name = b.schema.Columns[col].Name
	}
	return &ValuesError{Row: b.rows + 1, Column: name, Msg: fmt.Sprintf(format, args...)}
}

// endRow pads the target columns a row left out with NULL.
func (b *rowBuilder) endRow() {
	b.rows++
	for _, v := range b.vecs {
		if v != nil && v.Len() < b.rows {
			v.AppendNull()
		}
	}
}

// text appends a cell given as text (CSV, TSV, or a JSON string) to
// column col, converted as the column's type requires.
func (b *rowBuilder) text(col int, s string) *ValuesError {
	v := b.vecs[col]
	switch t := b.schema.Columns[col].Type; t {
	case model.TypeSymbol, model.TypeString:
		v.String = append(v.String, s)
	case model.TypeInt64:
		n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
		if err != nil {
			return b.fail(col, "cannot read %q as INT64", cutText(s))
		}
		v.Int64 = append(v.Int64, n)
	case model.TypeInt32:
		n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 32)
		if err != nil {
			return b.fail(col, "cannot read %q as INT32", cutText(s))
		}
		v.Int32 = append(v.Int32, int32(n))
	case model.TypeFloat64, model.TypeFloat32:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return b.fail(col, "cannot read %q as %v", cutText(s), t)
		}
		if t == model.TypeFloat64 {
			v.Float64 = append(v.Float64, f)
		} else {
			v.Float32 = append(v.Float32, float32(f))
		}
	case model.TypeTimestamp:
		ns, ok := parseTimestamp(s)
		if !ok {
			n, err := strconv.ParseInt(s, 10, 64) // nanoseconds, as DateTime64(9) counts
			if err != nil {
				return b.fail(col, "cannot read %q as a timestamp: want 2006-01-02 15:04:05[.fffffffff], RFC 3339, or nanoseconds since the epoch", cutText(s))
			}
			ns = n
		}
		v.Int64 = append(v.Int64, ns)
	case model.TypeBool:
		switch strings.ToLower(s) {
		case "true", "1":
			v.Bool = append(v.Bool, true)
		case "false", "0":
			v.Bool = append(v.Bool, false)
		default:
			return b.fail(col, "cannot read %q as BOOL", cutText(s))
		}
	}
	return nil
}

// json appends a decoded JSON value (numbers as json.Number).
func (b *rowBuilder) json(col int, x any) *ValuesError {
	switch v := x.(type) {
	case nil:
		b.vecs[col].AppendNull()
		return nil
	case string:
		return b.text(col, v)
	case json.Number:
		t := b.schema.Columns[col].Type
		if t == model.TypeSymbol || t == model.TypeString {
			return b.fail(col, "a number (%s) for a text column: quote it", v)
		}
		return b.text(col, string(v))
	case bool:
		if b.schema.Columns[col].Type != model.TypeBool {
			return b.fail(col, "true/false for a %v column", b.schema.Columns[col].Type)
		}
		b.vecs[col].Bool = append(b.vecs[col].Bool, v)
		return nil
	}
	return b.fail(col, "a JSON %T cannot fill a %v column", x, b.schema.Columns[col].Type)
}

func cutText(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// lines calls f with each non-empty line of data (a final newline is
// optional; \r\n is accepted).
func lines(data string, f func(line string) *ValuesError) *ValuesError {
	for len(data) > 0 {
		line, rest, _ := strings.Cut(data, "\n")
		data = rest
		if line = strings.TrimSuffix(line, "\r"); strings.TrimSpace(line) == "" {
			continue
		}
		if err := f(line); err != nil {
			return err
		}
	}
	return nil
}

func (b *rowBuilder) jsonEachRow(data string) error {
	byName := make(map[string]int, len(b.targets))
	for _, t := range b.targets {
		byName[b.schema.Columns[t].Name] = t
	}
	err := lines(data, func(line string) *ValuesError {
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		var row map[string]any
		if err := dec.Decode(&row); err != nil {
			return b.fail(-1, "not a JSON object: %v", err)
		}
		if dec.More() {
			return b.fail(-1, "more than one JSON object on the line")
		}
		for k, x := range row {
			col, ok := byName[k]
			if !ok {
				if i := b.schema.ColumnIndex(k); i >= 0 && b.vecs[i] == nil {
					return b.fail(-1, "column %s is not in the INSERT's column list", k)
				}
				return b.fail(-1, "no column %q in table %s", k, b.schema.Name)
			}
			if err := b.json(col, x); err != nil {
				return err
			}
		}
		b.endRow()
		return nil
	})
	return nilIfNone(err)
}

// jsonCompactEachRow reads arrays, after header lines (names, types).
func (b *rowBuilder) jsonCompactEachRow(data string, header int) error {
	err := lines(data, func(line string) *ValuesError {
		var row []any
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&row); err != nil {
			return b.fail(-1, "not a JSON array: %v", err)
		}
		if header > 0 {
			header--
			return nil // names and types follow the column list the statement gives
		}
		if len(row) != len(b.targets) {
			return b.fail(-1, "%d values, expected %d", len(row), len(b.targets))
		}
		for i, x := range row {
			if err := b.json(b.targets[i], x); err != nil {
				return err
			}
		}
		b.endRow()
		return nil
	})
	return nilIfNone(err)
}

func (b *rowBuilder) csv(data string, withNames bool) error {
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return b.fail(-1, "CSV: %v", err)
		}
		if first && withNames {
			continue
		}
		if len(rec) != len(b.targets) {
			return b.fail(-1, "%d values, expected %d", len(rec), len(b.targets))
		}
		for i, cell := range rec {
			if cell == `\N` {
				b.vecs[b.targets[i]].AppendNull()
				continue
			}
			if err := b.text(b.targets[i], cell); err != nil {
				return err
			}
		}
		b.endRow()
	}
}

func (b *rowBuilder) tsv(data string, header int) error {
	var buf bytes.Buffer
	err := lines(data, func(line string) *ValuesError {
		if header > 0 {
			header--
			return nil
		}
		fields := strings.Split(line, "\t")
		if len(fields) != len(b.targets) {
			return b.fail(-1, "%d values, expected %d", len(fields), len(b.targets))
		}
		for i, f := range fields {
			if f == `\N` {
				b.vecs[b.targets[i]].AppendNull()
				continue
			}
			if strings.IndexByte(f, '\\') >= 0 {
				f = unescapeTSV(&buf, f)
			}
			if err := b.text(b.targets[i], f); err != nil {
				return err
			}
		}
		b.endRow()
		return nil
	})
	return nilIfNone(err)
}

// unescapeTSV undoes TabSeparated's backslash escapes.
func unescapeTSV(buf *bytes.Buffer, s string) string {
	buf.Reset()
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			buf.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 't':
			buf.WriteByte('\t')
		case 'n':
			buf.WriteByte('\n')
		case 'r':
			buf.WriteByte('\r')
		case 'b':
			buf.WriteByte('\b')
		case 'f':
			buf.WriteByte('\f')
		case '0':
			buf.WriteByte(0)
		default:
			buf.WriteByte(s[i]) // \\, \', and any other escaped byte stands for itself
		}
	}
	return buf.String()
}

// nilIfNone turns a nil *ValuesError into a nil error.
func nilIfNone(err *ValuesError) error {
	if err == nil {
		return nil
	}
	return err
}
