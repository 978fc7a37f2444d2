package parser

import (
	"math"
	"strconv"
	"strings"
)

// intervalUnit is a unit of INTERVAL literals.
type intervalUnit struct {
	name  string // canonical singular name
	nanos int64
}

var intervalUnits = func() map[string]intervalUnit {
	m := map[string]intervalUnit{}
	for _, u := range []intervalUnit{
		{"NANOSECOND", 1},
		{"MICROSECOND", 1e3},
		{"MILLISECOND", 1e6},
		{"SECOND", 1e9},
		{"MINUTE", 60e9},
		{"HOUR", 3600e9},
		{"DAY", 86400e9},
		{"WEEK", 7 * 86400e9},
	} {
		m[u.name] = u
		m[u.name+"S"] = u
	}
	// Short spellings, as in '1s', '500ms' or '5 min' (QuestDB, DuckDB,
	// PostgreSQL). M is minutes: months are not interval units here.
	for alias, name := range map[string]string{
		"NS": "NANOSECOND", "US": "MICROSECOND", "MS": "MILLISECOND",
		"S": "SECOND", "SEC": "SECOND", "SECS": "SECOND",
		"M": "MINUTE", "MIN": "MINUTE", "MINS": "MINUTE",
		"H": "HOUR", "HR": "HOUR", "HRS": "HOUR", "D": "DAY", "W": "WEEK",
	} {
		m[alias] = m[name]
	}
	return m
}()

func lookupUnit(word string) (intervalUnit, bool) {
	u, ok := intervalUnits[strings.ToUpper(word)]
	return u, ok
}

// parseInterval parses INTERVAL 5 MINUTE, INTERVAL '5' MINUTE and
// INTERVAL '5 minutes'. Months and years are not units: their length in
// nanoseconds is not fixed.
func (p *parser) parseInterval() *IntervalLit {
	at := p.next().pos
	q := p.next()
	if q.kind == tokFloat {
		panic(p.errorf(q.pos, "interval quantity must be an integer"))
	}
	text, unitWord := q.text, ""
	if q.kind == tokString {
		text, unitWord = splitIntervalString(q.text)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		panic(p.errorf(q.pos, "invalid interval quantity %s", p.describe(q)))
	}
	unit := p.intervalUnit(q, unitWord)
	if n > math.MaxInt64/unit.nanos || n < math.MinInt64/unit.nanos {
		panic(p.errorf(q.pos, "interval out of range"))
	}
	return &IntervalLit{At: at, Value: n, Unit: unit.name, Nanos: n * unit.nanos}
}

// splitIntervalString splits '5 minutes' or '5m' into its count and
// unit; a string holding only a count ('5') returns an empty unit.
func splitIntervalString(s string) (count, unit string) {
	f := strings.Fields(s)
	if len(f) == 2 {
		return f[0], f[1]
	}
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '-' && r != '+' })
	if i > 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// intervalUnit resolves the unit written inside the string q, or else the
// unit token that follows it.
func (p *parser) intervalUnit(q token, inString string) intervalUnit {
	if inString != "" {
		u, ok := lookupUnit(inString)
		if !ok {
			panic(p.errorf(q.pos, "unknown interval unit %q", inString))
		}
		return u
	}
	if tok := p.peek(); tok.kind == tokIdent {
		if u, ok := lookupUnit(tok.text); ok {
			p.next()
			return u
		}
	}
	panic(p.expected("interval unit"))
}
