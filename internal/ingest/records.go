package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// RecordsEnd returns the length of the longest prefix of buf holding at
// most max whole records of the line-based format (CSV, where a quoted
// field may hold newlines; TabSeparated and JSONEachRow, where a record
// is a line), and how many records that is. A record is whole when its
// newline is in buf, or when atEOF and the rest is the last record.
func RecordsEnd(buf []byte, format string, max int, atEOF bool) (end, records int) {
	quoted := strings.HasPrefix(strings.ToLower(format), "csv")
	inQuotes := false
	for i, c := range buf {
		switch {
		case quoted && c == '"':
			inQuotes = !inQuotes // a doubled quote toggles twice
		case c == '\n' && !inQuotes:
			end, records = i+1, records+1
			if records == max {
				return end, records
			}
		}
	}
	if atEOF && end < len(buf) && len(bytes.TrimSpace(buf[end:])) > 0 {
		return len(buf), records + 1
	}
	return end, records
}

// InferColumns names and types the columns of a CSV or TabSeparated file
// with a header line, or of JSONEachRow (keys in first-seen order), from a
// sample of its records: integers are Int64, other numbers Float64,
// true/false Bool, timestamps DateTime64(9, 'UTC'), anything else String.
// A column with no value in the sample is String.
func InferColumns(format string, sample []byte) (names, types []string, err error) {
	kinds := map[string]int{} // column → widest kind seen: 0 none, 1 bool, 2 int, 3 float, 4 timestamp, 5 string
	note := func(name, v string) {
		k := 5
		switch {
		case v == "" || v == `\N`:
			k = 0
		case v == "true" || v == "false":
			k = 1
		case isInt(v):
			k = 2
		case isFloat(v):
			k = 3
		case isTimestamp(v):
			k = 4
		}
		old := kinds[name]
		switch {
		case old == 0:
			kinds[name] = k
		case k == 0 || k == old:
		case old == 2 && k == 3, old == 3 && k == 2:
			kinds[name] = 3
		default:
			kinds[name] = 5
		}
	}
	switch f := strings.ToLower(format); {
	case strings.HasPrefix(f, "csv"), strings.HasPrefix(f, "tabseparated"), strings.HasPrefix(f, "tsv"):
		var rows [][]string
		if strings.HasPrefix(f, "csv") {
			r := csv.NewReader(bytes.NewReader(sample))
			r.FieldsPerRecord = -1
			rows, err = r.ReadAll()
			if err != nil {
				return nil, nil, fmt.Errorf("reading the sample: %w", err)
			}
		} else {
			for _, line := range strings.Split(strings.TrimRight(string(sample), "\n"), "\n") {
				rows = append(rows, strings.Split(strings.TrimSuffix(line, "\r"), "\t"))
			}
		}
		if len(rows) == 0 {
			return nil, nil, fmt.Errorf("no header line")
		}
		names = rows[0]
		for _, row := range rows[1:] {
			for i, v := range row {
				if i < len(names) {
					note(names[i], v)
				}
			}
		}
	case f == "jsoneachrow":
		for _, line := range bytes.Split(sample, []byte{'\n'}) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.UseNumber()
			tok, err := dec.Token()
			if err != nil || tok != json.Delim('{') {
				return nil, nil, fmt.Errorf("not a JSON object: %.80s", line)
			}
			for dec.More() {
				kt, _ := dec.Token()
				k, _ := kt.(string)
				var v any
				if err := dec.Decode(&v); err != nil {
					return nil, nil, fmt.Errorf("not a JSON object: %.80s", line)
				}
				if _, seen := kinds[k]; !seen {
					names = append(names, k)
					kinds[k] = 0
				}
				switch x := v.(type) {
				case nil:
					note(k, "")
				case json.Number:
					note(k, string(x))
				case bool:
					note(k, strconv.FormatBool(x))
				case string:
					if isTimestamp(x) {
						note(k, x)
					} else {
						note(k, "text") // a quoted number stays text
					}
				default:
					note(k, "text")
				}
			}
		}
	default:
		return nil, nil, fmt.Errorf("cannot infer columns of %s", format)
	}
	for _, n := range names {
		types = append(types, [...]string{"String", "Bool", "Int64", "Float64", "DateTime64(9, 'UTC')", "String"}[kinds[n]])
	}
	return names, types, nil
}

func isInt(s string) bool { _, err := strconv.ParseInt(s, 10, 64); return err == nil }

func isFloat(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && isNumberText(s)
}

func isTimestamp(s string) bool {
	if len(s) < 10 {
		return false
	}
	_, ok := parseTimestamp(s)
	return ok
}
