package parser

import (
	"math"
	"strconv"
	"strings"
)

// durationUnits maps QuestDB's duration suffixes to units. Case matters:
// m is minutes and M months. T and U are QuestDB's own spellings of
// milliseconds and microseconds. MONTH and YEAR have no fixed length and
// so no nanoseconds.
var durationUnits = map[string]intervalUnit{
	"ns": {"NANOSECOND", 1},
	"us": {"MICROSECOND", 1e3}, "U": {"MICROSECOND", 1e3},
	"ms": {"MILLISECOND", 1e6}, "T": {"MILLISECOND", 1e6},
	"s": {"SECOND", 1e9},
	"m": {"MINUTE", 60e9},
	"h": {"HOUR", 3600e9},
	"d": {"DAY", 86400e9},
	"w": {"WEEK", 7 * 86400e9},
	"M": {"MONTH", 0},
	"y": {"YEAR", 0},
}

// durationSuffixes gives the suffix Duration.String uses for a unit when
// the duration was written as an INTERVAL but has no INTERVAL spelling.
var durationSuffixes = map[string]string{"MONTH": "M", "YEAR": "y"}

// durationLit converts a duration token such as 5m; the lexer has already
// checked that the suffix is a known unit.
func (p *parser) durationLit(tok token) Duration {
	i := strings.IndexFunc(tok.text, func(r rune) bool { return r < '0' || r > '9' })
	suffix := tok.text[i:]
	u := durationUnits[suffix]
	n, err := strconv.ParseInt(tok.text[:i], 10, 64)
	if err != nil || u.nanos > 0 && n > math.MaxInt64/u.nanos {
		panic(p.errorf(tok.pos, "duration out of range"))
	}
	return Duration{At: tok.pos, Value: n, Unit: u.name, Nanos: n * u.nanos, Suffix: suffix}
}

// parseDuration parses a SAMPLE BY width: 5m or INTERVAL 5 MINUTE.
func (p *parser) parseDuration() Duration {
	tok := p.peek()
	switch {
	case tok.kind == tokDuration:
		p.next()
		return p.durationLit(tok)
	case tok.is("INTERVAL") && isIntervalQuantity(p.peekAt(1)):
		iv := p.parseInterval()
		return Duration{At: iv.At, Value: iv.Value, Unit: iv.Unit, Nanos: iv.Nanos}
	}
	panic(p.expected("duration such as 5m or INTERVAL 5 MINUTE"))
}

// parseLatestOn parses QuestDB's LATEST ON ts PARTITION BY col, ....
func (p *parser) parseLatestOn(sel *Select) {
	if !p.peek().is("LATEST") || !p.peekAt(1).is("ON") {
		return
	}
	l := &LatestOn{At: p.next().pos}
	p.next()
	l.Timestamp = p.name("timestamp column").text
	p.expect("PARTITION")
	p.expect("BY")
	l.PartitionBy = p.parseNameList("column name")
	sel.LatestOn = l
	p.follow = followWhere
}

// parseSampleBy parses QuestDB's SAMPLE BY width and its options.
func (p *parser) parseSampleBy(sel *Select) {
	if !p.peek().is("SAMPLE") || !p.peekAt(1).is("BY") {
		return
	}
	sb := &SampleBy{At: p.next().pos}
	p.next()
	sb.Every = p.parseDuration()
	for p.parseSampleOption(sb) {
	}
	sel.SampleBy = sb
	p.follow = followWhere
}

// parseSampleOption parses one of FILL(...), FROM lo, TO hi and ALIGN TO
// ..., which may come in any order, each at most once. It reports whether
// there was one.
func (p *parser) parseSampleOption(sb *SampleBy) bool {
	tok := p.peek()
	switch {
	case tok.is("FILL") && p.peekAt(1).isOp("("):
		p.notTwice(tok, sb.Fill != nil)
		sb.Fill = p.parseFill()
	case tok.is("FROM"):
		p.notTwice(tok, sb.From != nil)
		p.next()
		sb.From = p.parseExpr()
	case tok.is("TO"):
		p.notTwice(tok, sb.To != nil)
		p.next()
		sb.To = p.parseExpr()
	case tok.is("ALIGN") && p.peekAt(1).is("TO"):
		p.notTwice(tok, sb.Align != "")
		p.parseAlign(sb)
	default:
		return false
	}
	return true
}

// notTwice refuses a clause that was already given.
func (p *parser) notTwice(tok token, seen bool) {
	if seen {
		panic(p.errorf(tok.pos, "duplicate %s clause", strings.ToUpper(tok.text)))
	}
}

func (p *parser) parseFill() []FillValue {
	p.next() // FILL
	p.next() // (
	fill := []FillValue{p.parseFillValue()}
	for p.acceptOp(",") {
		fill = append(fill, p.parseFillValue())
	}
	p.expectOp(")")
	return fill
}

var fillModes = []string{FillNull, FillPrev, FillLinear, FillNone}

// isFillMode reports whether tok is a fill mode word. Modes are not
// reserved; a column called prev is still a value when quoted.
func isFillMode(tok token) bool {
	for _, m := range fillModes {
		if tok.is(m) {
			return true
		}
	}
	return false
}

// parseFillValue parses a fill mode or a constant. A mode word counts only
// on its own, so FILL(prev + 1) is an expression; a NULL constant, however
// written, is the NULL mode.
func (p *parser) parseFillValue() FillValue {
	tok := p.peek()
	if isFillMode(tok) && (p.peekAt(1).isOp(",") || p.peekAt(1).isOp(")")) {
		p.next()
		return FillValue{At: tok.pos, Mode: strings.ToUpper(tok.text)}
	}
	x := p.parseExpr()
	if _, ok := x.(*NullLit); ok {
		return FillValue{At: tok.pos, Mode: FillNull}
	}
	return FillValue{At: tok.pos, Mode: FillConst, Value: x}
}

// parseAlign parses ALIGN TO FIRST OBSERVATION or ALIGN TO CALENDAR [TIME
// ZONE 'tz'] [WITH OFFSET 'hh:mm'].
func (p *parser) parseAlign(sb *SampleBy) {
	p.next() // ALIGN
	p.next() // TO
	if p.accept("FIRST") {
		p.expect("OBSERVATION")
		sb.Align = "FIRST OBSERVATION"
		return
	}
	if !p.accept("CALENDAR") {
		panic(p.expected("CALENDAR or FIRST OBSERVATION"))
	}
	sb.Align = "CALENDAR"
	if p.peek().is("TIME") && p.peekAt(1).is("ZONE") {
		p.next()
		p.next()
		sb.TimeZone = p.parseStringLit("time zone string")
	}
	if p.peek().is("WITH") && p.peekAt(1).is("OFFSET") {
		p.next()
		p.next()
		sb.Offset = p.parseStringLit("offset string such as '00:30'")
	}
}

func (p *parser) parseStringLit(what string) Expr {
	tok := p.peek()
	if tok.kind != tokString {
		panic(p.expected(what))
	}
	p.next()
	return &StringLit{At: tok.pos, Value: tok.text}
}
