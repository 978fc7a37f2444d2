package parser

import "strings"

// parseFrom parses what follows FROM into sel.Source, and sets sel.From
// too when that is a single table. ClickHouse's SAMPLE may follow the first
// table, where ClickHouse puts it, or the whole join.
func (p *parser) parseFrom(sel *Select) {
	src := p.parseTableFactor(false)
	p.parseSample(sel)
	for {
		j := p.parseJoin(src)
		if j == nil {
			break
		}
		src = j
	}
	if sel.Sample == nil {
		p.parseSample(sel)
	}
	sel.Source = src
	if t, ok := src.(*TableRef); ok {
		sel.From = t
	}
}

// parseTableFactor parses a table or a parenthesized query, with an
// optional alias. Parenthesized joins are not supported: in FROM an
// opening parenthesis always starts a query. On the right of an ASOF join
// a TOLERANCE clause may follow the table directly, so there TOLERANCE is
// not taken for an alias.
func (p *parser) parseTableFactor(asof bool) TableExpr {
	tok := p.peek()
	if tok.isOp("(") {
		p.next()
		q := p.parseNestedQuery()
		p.expectOp(")")
		return &SubqueryRef{At: tok.pos, Query: q, Alias: p.parseTableAlias(asof)}
	}
	tok = p.tableName()
	return &TableRef{At: tok.pos, Name: tok.text, Alias: p.parseTableAlias(asof)}
}

func (p *parser) parseTableAlias(asof bool) string {
	if asof && p.atTolerance() {
		return ""
	}
	return p.parseAlias()
}

func (p *parser) atTolerance() bool {
	return p.peek().is("TOLERANCE") && startsExpr(p.peekAt(1))
}

// atJoin reports whether a join starts here. LEFT, ASOF, WINDOW and the
// like are not reserved, so they only count when the words after them
// complete a join.
func (p *parser) atJoin() bool {
	tok, next := p.peek(), p.peekAt(1)
	switch {
	case tok.is("JOIN"):
		return true
	case tok.is("INNER"), tok.is("CROSS"), tok.is("WINDOW"):
		return next.is("JOIN")
	case tok.is("LEFT"), tok.is("RIGHT"), tok.is("FULL"):
		return next.is("JOIN") || next.is("OUTER")
	case tok.is("ASOF"):
		return next.is("JOIN") || next.is("LEFT") || next.is("NEAREST")
	}
	return false
}

// parseJoin parses one join with left as its left side, or returns nil if
// no join follows.
func (p *parser) parseJoin(left TableExpr) *Join {
	if !p.atJoin() {
		return nil
	}
	j := &Join{At: p.peek().pos, Left: left}
	j.Kind, j.Nearest = p.parseJoinKeywords()
	asof := j.Kind == JoinAsof || j.Kind == JoinAsofLeft
	j.Right = p.parseTableFactor(asof)
	switch {
	case j.Kind == JoinCross:
	case asof:
		p.parseJoinCondition(j, false)
		if p.atTolerance() {
			p.next()
			j.Tolerance = p.parseTolerance()
		}
	case j.Kind == JoinWindow:
		p.expect("ON")
		j.On = p.parseExpr()
		j.IncludePrevailing = p.parsePrevailing()
	default:
		p.parseJoinCondition(j, true)
	}
	return j
}

// parseJoinKeywords consumes the words of a join that atJoin found and
// returns its kind.
func (p *parser) parseJoinKeywords() (kind string, nearest bool) {
	tok := p.next()
	switch {
	case tok.is("JOIN"):
		return JoinInner, false
	case tok.is("ASOF"):
		kind = JoinAsof
		if p.accept("LEFT") {
			kind = JoinAsofLeft
		}
		nearest = p.accept("NEAREST")
	case tok.is("LEFT"), tok.is("RIGHT"), tok.is("FULL"):
		kind = strings.ToUpper(tok.text)
		p.accept("OUTER")
	default: // INNER, CROSS, WINDOW
		kind = strings.ToUpper(tok.text)
	}
	p.expect("JOIN")
	return kind, nearest
}

// parseJoinCondition parses ON cond or USING (cols).
func (p *parser) parseJoinCondition(j *Join, required bool) {
	switch {
	case p.accept("ON"):
		j.On = p.parseExpr()
	case p.peek().is("USING") && p.peekAt(1).isOp("("):
		p.next()
		p.next()
		j.Using = p.parseNameList("column name")
		p.expectOp(")")
	case required:
		panic(p.expected("ON or USING"))
	}
}

// parseTolerance parses the bound of an ASOF join after TOLERANCE: an
// expression such as INTERVAL 1 SECOND, or QuestDB's 1s, which becomes the
// same IntervalLit. Months and years have no fixed length and are refused.
func (p *parser) parseTolerance() Expr {
	tok := p.peek()
	if tok.kind != tokDuration {
		return p.parseConcat()
	}
	p.next()
	d := p.durationLit(tok)
	if d.Unit == "MONTH" || d.Unit == "YEAR" {
		panic(p.errorf(tok.pos, "TOLERANCE needs a fixed length of time; a %s varies", strings.ToLower(d.Unit)))
	}
	return &IntervalLit{At: tok.pos, Value: d.Value, Unit: d.Unit, Nanos: d.Nanos}
}

// parsePrevailing parses WINDOW JOIN's optional INCLUDE PREVAILING or
// EXCLUDE PREVAILING (the default).
func (p *parser) parsePrevailing() bool {
	tok := p.peek()
	if !tok.is("INCLUDE") && !tok.is("EXCLUDE") {
		return false
	}
	p.next()
	p.expect("PREVAILING")
	return tok.is("INCLUDE")
}

// parseSample parses ClickHouse's SAMPLE k [OFFSET m]. Only numbers and
// ratios of numbers (1/10) are accepted, as in ClickHouse; that is what
// tells SAMPLE 0.1 from SAMPLE BY and from a table aliased sample. An
// OFFSET right after it belongs to SAMPLE, as in ClickHouse, unless what
// follows is not a number: SAMPLE 0.1 OFFSET (5) skips five rows.
func (p *parser) parseSample(sel *Select) {
	if !p.peek().is("SAMPLE") || !isNumber(p.peekAt(1)) {
		return
	}
	p.next()
	sel.Sample = p.parseRatio()
	if p.peek().is("OFFSET") && isNumber(p.peekAt(1)) {
		p.next()
		sel.SampleOffset = p.parseRatio()
	}
}

func (p *parser) parseRatio() Expr {
	n := p.parseNumber()
	tok := p.peek()
	if !tok.isOp("/") {
		return n
	}
	p.next()
	return &BinaryExpr{At: tok.pos, Op: "/", L: n, R: p.parseNumber()}
}

func (p *parser) parseNumber() Expr {
	tok := p.peek()
	if !isNumber(tok) {
		panic(p.expected("number"))
	}
	p.next()
	return p.numberLit(tok.pos, tok, "")
}
