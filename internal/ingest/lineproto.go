package ingest

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FieldKind is the type of an InfluxDB line-protocol field value.
type FieldKind uint8

// The field kinds, by their line-protocol spelling: 1.5, 10i, 10u,
// "text", true.
const (
	FieldFloat FieldKind = iota
	FieldInt
	FieldUint
	FieldString
	FieldBool
)

// LineField is one field of a point.
type LineField struct {
	Key  string
	Kind FieldKind
	I    int64 // FieldInt, and FieldUint when it fits
	U    uint64
	F    float64
	S    string
	B    bool
}

// LinePoint is one line: measurement, tags, fields and timestamp (in
// nanoseconds; HasTime false when the line has none).
type LinePoint struct {
	Measurement string
	Tags        [][2]string
	Fields      []LineField
	Time        int64
	HasTime     bool
}

// PrecisionScale returns the nanoseconds per unit of an InfluxDB
// precision: v1's n, u, ms, s, m, h and v2's ns, us, ms, s ("" is ns).
func PrecisionScale(p string) (int64, error) {
	switch p {
	case "", "n", "ns":
		return 1, nil
	case "u", "us", "µs":
		return 1e3, nil
	case "ms":
		return 1e6, nil
	case "s":
		return 1e9, nil
	case "m":
		return 60e9, nil
	case "h":
		return 3600e9, nil
	}
	return 0, fmt.Errorf("unknown precision %q: want ns, us, ms or s (v1 also n, u, m, h)", p)
}

// ParseLine parses one line of InfluxDB line protocol:
//
//	measurement[,tag=value...] field=value[,field=value...] [timestamp]
//
// with InfluxDB's escapes (\, \= and \space in names, \" and \\ in string
// values). scale multiplies the timestamp into nanoseconds.
func ParseLine(line []byte, scale int64) (LinePoint, error) {
	lp := LineParser{Scale: scale}
	return lp.Parse(line)
}

// LineParser parses lines of one request: it keeps the names and tag
// values it has seen, so a batch of similar lines shares their strings
// instead of allocating each again.
type LineParser struct {
	Scale int64 // nanoseconds per timestamp unit
	strs  map[string]string
}

// maxInternedNames bounds a LineParser's strings; past it new ones are
// still decoded, just not shared.
const maxInternedNames = 1 << 14

func (lp *LineParser) intern(b []byte) string {
	if s, ok := lp.strs[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if lp.strs == nil {
		lp.strs = make(map[string]string, 64)
	}
	if len(lp.strs) < maxInternedNames {
		lp.strs[s] = s
	}
	return s
}

// Parse parses one line (see ParseLine).
func (lp *LineParser) Parse(line []byte) (LinePoint, error) {
	var p LinePoint
	scale := lp.Scale
	if scale == 0 {
		scale = 1
	}
	i, meas, err := lp.scanName(line, 0, true)
	if err != nil {
		return p, err
	}
	if meas == "" {
		return p, fmt.Errorf("missing measurement")
	}
	p.Measurement = meas
	p.Tags = make([][2]string, 0, 4)
	p.Fields = make([]LineField, 0, 4)
	for i < len(line) && line[i] == ',' {
		var k, v string
		if i, k, err = lp.scanName(line, i+1, false); err != nil {
			return p, err
		}
		if i >= len(line) || line[i] != '=' {
			return p, fmt.Errorf("tag %q has no value", k)
		}
		if i, v, err = lp.scanName(line, i+1, false); err != nil {
			return p, err
		}
		if k == "" || v == "" {
			return p, fmt.Errorf("empty tag key or value")
		}
		p.Tags = append(p.Tags, [2]string{k, v})
	}
	if i >= len(line) || line[i] != ' ' {
		return p, fmt.Errorf("missing fields")
	}
	for i < len(line) && line[i] == ' ' {
		i++
	}
	for {
		var k string
		if i, k, err = lp.scanName(line, i, false); err != nil {
			return p, err
		}
		if k == "" || i >= len(line) || line[i] != '=' {
			return p, fmt.Errorf("missing fields")
		}
		f := LineField{Key: k}
		if i, err = scanValue(line, i+1, &f); err != nil {
			return p, fmt.Errorf("field %q: %v", k, err)
		}
		p.Fields = append(p.Fields, f)
		if i < len(line) && line[i] == ',' {
			i++
			continue
		}
		break
	}
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i < len(line) {
		rest := strings.TrimRight(string(line[i:]), " \r")
		ts, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return p, fmt.Errorf("bad timestamp %q", cutText(rest))
		}
		if ts > math.MaxInt64/scale || ts < math.MinInt64/scale {
			return p, fmt.Errorf("timestamp %d out of range at this precision", ts)
		}
		p.Time, p.HasTime = ts*scale, true
	}
	return p, nil
}

// scanName reads a measurement, tag key or value, or field key up to an
// unescaped separator: ',' or ' ' (and '=' unless measurement).
func (lp *LineParser) scanName(line []byte, i int, measurement bool) (int, string, error) {
	var b []byte
	start := i
	escaped := false
	for ; i < len(line); i++ {
		c := line[i]
		if c == '\\' && i+1 < len(line) && (line[i+1] == ',' || line[i+1] == ' ' || line[i+1] == '=' || line[i+1] == '\\' || line[i+1] == '"') {
			if !escaped {
				b, escaped = append(b, line[start:i]...), true
			}
			b = append(b, line[i+1])
			i++
			continue
		}
		if c == ',' || c == ' ' || (c == '=' && !measurement) {
			break
		}
		if c == '\n' {
			return i, "", fmt.Errorf("newline inside a name")
		}
		if escaped {
			b = append(b, c)
		}
	}
	if escaped {
		return i, lp.intern(b), nil
	}
	return i, lp.intern(line[start:i]), nil
}

// scanValue reads a field value into f.
func scanValue(line []byte, i int, f *LineField) (int, error) {
	if i >= len(line) {
		return i, fmt.Errorf("missing value")
	}
	if line[i] == '"' {
		var b bytes.Buffer
		for j := i + 1; j < len(line); j++ {
			switch c := line[j]; {
			case c == '\\' && j+1 < len(line) && (line[j+1] == '"' || line[j+1] == '\\'):
				b.WriteByte(line[j+1])
				j++
			case c == '"':
				f.Kind, f.S = FieldString, b.String()
				return j + 1, nil
			default:
				b.WriteByte(c)
			}
		}
		return len(line), fmt.Errorf("unterminated string")
	}
	j := i
	for j < len(line) && line[j] != ',' && line[j] != ' ' {
		j++
	}
	v := string(line[i:j])
	switch {
	case v == "":
		return j, fmt.Errorf("missing value")
	case strings.HasSuffix(v, "i"):
		n, err := strconv.ParseInt(v[:len(v)-1], 10, 64)
		if err != nil {
			return j, fmt.Errorf("bad integer %q", cutText(v))
		}
		f.Kind, f.I = FieldInt, n
	case strings.HasSuffix(v, "u"):
		n, err := strconv.ParseUint(v[:len(v)-1], 10, 64)
		if err != nil {
			return j, fmt.Errorf("bad unsigned integer %q", cutText(v))
		}
		f.Kind, f.U = FieldUint, n
	default:
		switch v {
		case "t", "T", "true", "True", "TRUE":
			f.Kind, f.B = FieldBool, true
			return j, nil
		case "f", "F", "false", "False", "FALSE":
			f.Kind, f.B = FieldBool, false
			return j, nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || !isNumberText(v) {
			return j, fmt.Errorf("bad value %q", cutText(v))
		}
		f.Kind, f.F = FieldFloat, x
	}
	return j, nil
}

// isNumberText refuses what ParseFloat takes but line protocol does not
// (inf, nan, hex, underscores).
func isNumberText(v string) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return false
		}
	}
	return true
}
