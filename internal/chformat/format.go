package chformat

import (
	"strings"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// Format is an output format, by its canonical ClickHouse name.
type Format string

// The output formats.
const (
	TabSeparated                     Format = "TabSeparated"
	TabSeparatedRaw                  Format = "TabSeparatedRaw"
	TabSeparatedWithNames            Format = "TabSeparatedWithNames"
	TabSeparatedWithNamesAndTypes    Format = "TabSeparatedWithNamesAndTypes"
	CSV                              Format = "CSV"
	CSVWithNames                     Format = "CSVWithNames"
	CSVWithNamesAndTypes             Format = "CSVWithNamesAndTypes"
	JSON                             Format = "JSON"
	JSONCompact                      Format = "JSONCompact"
	JSONEachRow                      Format = "JSONEachRow"
	JSONCompactEachRow               Format = "JSONCompactEachRow"
	JSONCompactEachRowWithNames      Format = "JSONCompactEachRowWithNames"
	JSONCompactEachRowWithNamesTypes Format = "JSONCompactEachRowWithNamesAndTypes"
)

// formats maps every accepted spelling, lower-cased, to its format.
var formats = map[string]Format{}

func init() {
	for _, f := range []Format{TabSeparated, TabSeparatedRaw, TabSeparatedWithNames, TabSeparatedWithNamesAndTypes, CSV, CSVWithNames,
		CSVWithNamesAndTypes, JSON, JSONCompact, JSONEachRow, JSONCompactEachRow, JSONCompactEachRowWithNames, JSONCompactEachRowWithNamesTypes} {
		formats[strings.ToLower(string(f))] = f
	}
	for alias, f := range map[string]Format{
		"TSV": TabSeparated, "TSVRaw": TabSeparatedRaw, "Raw": TabSeparatedRaw, "TSVWithNames": TabSeparatedWithNames,
		"TSVWithNamesAndTypes": TabSeparatedWithNamesAndTypes, "TabSeparatedRawWithNames": TabSeparatedWithNames,
		"NDJSON": JSONEachRow, "JSONLines": JSONEachRow,
	} {
		formats[strings.ToLower(alias)] = f
	}
}

// Lookup finds a format by any accepted spelling, in any case.
func Lookup(name string) (Format, bool) {
	f, ok := formats[strings.ToLower(name)]
	return f, ok
}

// ContentType is the Content-Type ClickHouse sends with f.
func (f Format) ContentType() string {
	switch f {
	case TabSeparated, TabSeparatedRaw, TabSeparatedWithNames, TabSeparatedWithNamesAndTypes:
		return "text/tab-separated-values; charset=UTF-8"
	case CSV, CSVWithNames, CSVWithNamesAndTypes:
		return "text/csv; charset=UTF-8; header=absent"
	case JSON, JSONCompact:
		return "application/json; charset=UTF-8"
	case Arrow, ArrowStream:
		return "application/octet-stream"
	}
	return "application/x-ndjson; charset=UTF-8"
}

// Column is one result column: dense values, SYMBOL values as text.
type Column struct {
	Name string
	Type model.ColumnType
	Data *column.Vector
}

// Options tune an encoding.
type Options struct {
	// QuoteInt64 writes 64-bit integers in JSON formats as strings, as
	// ClickHouse does by default (output_format_json_quote_64bit_integers),
	// since JavaScript numbers cannot hold them.
	QuoteInt64 bool
	// Statistics for the JSON formats' "statistics" object.
	ElapsedSeconds      float64
	RowsRead, BytesRead int64
}

// Append appends rows [0, rows) of cols in format f.
func Append(dst []byte, f Format, cols []Column, rows int, opts Options) []byte {
	switch f {
	case TabSeparated, TabSeparatedRaw, TabSeparatedWithNames, TabSeparatedWithNamesAndTypes:
		return appendTSV(dst, f, cols, rows)
	case CSV, CSVWithNames, CSVWithNamesAndTypes:
		return appendCSV(dst, f, cols, rows)
	case JSON, JSONCompact:
		return appendJSONDocument(dst, f == JSONCompact, cols, rows, opts)
	case JSONEachRow:
		return appendJSONEachRow(dst, cols, rows, opts)
	case Arrow, ArrowStream:
		return appendArrow(dst, f == Arrow, cols, rows)
	}
	return appendJSONCompactEachRow(dst, f, cols, rows, opts)
}
