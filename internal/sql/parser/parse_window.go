package parser

import "strings"

// parseOver parses OVER name or OVER (spec) after a function call.
func (p *parser) parseOver() *WindowSpec {
	at := p.next().pos
	if !p.peek().isOp("(") {
		return &WindowSpec{At: at, Name: p.name("window name").text}
	}
	p.next()
	spec := p.parseWindowSpec(at)
	p.expectOp(")")
	return spec
}

// parseWindowSpec parses the inside of a window's parentheses:
// [name] [PARTITION BY ...] [ORDER BY ...] [frame]. None of the words is
// reserved, so a leading name is the base window unless it starts one of
// the clauses; OVER (rows) refines a window called rows.
func (p *parser) parseWindowSpec(at Pos) *WindowSpec {
	spec := &WindowSpec{At: at}
	if tok := p.peek(); tok.isName() && !p.atPartitionBy() && !p.atFrame() {
		spec.Name = p.next().text
	}
	if p.atPartitionBy() {
		p.next()
		p.next()
		spec.PartitionBy = p.parseExprList()
	}
	if p.accept("ORDER") {
		p.expect("BY")
		spec.OrderBy = p.parseOrderItems()
	}
	if p.atFrame() {
		spec.Frame = p.parseFrame()
	}
	return spec
}

func (p *parser) atPartitionBy() bool {
	return p.peek().is("PARTITION") && p.peekAt(1).is("BY")
}

// atFrame reports whether ROWS or RANGE starts a frame here.
func (p *parser) atFrame() bool {
	tok, next := p.peek(), p.peekAt(1)
	return (tok.is("ROWS") || tok.is("RANGE")) && (next.is("BETWEEN") || startsExpr(next))
}

// parseFrame parses ROWS|RANGE BETWEEN bound AND bound, or ROWS|RANGE
// bound. Whether the bounds make sense together (UNBOUNDED FOLLOWING
// cannot start a frame) is for the binder to judge.
func (p *parser) parseFrame() *WindowFrame {
	tok := p.next()
	f := &WindowFrame{At: tok.pos, Unit: strings.ToUpper(tok.text)}
	if !p.accept("BETWEEN") {
		f.Start = p.parseFrameBound()
		return f
	}
	f.Start = p.parseFrameBound()
	p.expect("AND")
	end := p.parseFrameBound()
	f.End = &end
	return f
}

// parseFrameBound parses UNBOUNDED PRECEDING|FOLLOWING, CURRENT ROW, or
// offset PRECEDING|FOLLOWING. The offset is parsed at the || level, like
// the bounds of BETWEEN, so that the AND after it is not a logical AND.
func (p *parser) parseFrameBound() FrameBound {
	tok, next := p.peek(), p.peekAt(1)
	switch {
	case tok.is("UNBOUNDED") && (next.is("PRECEDING") || next.is("FOLLOWING")):
		p.next()
		p.next()
		return FrameBound{At: tok.pos, Kind: "UNBOUNDED " + strings.ToUpper(next.text)}
	case tok.is("CURRENT") && next.is("ROW"):
		p.next()
		p.next()
		return FrameBound{At: tok.pos, Kind: BoundCurrentRow}
	}
	off := p.parseConcat()
	dir := p.peek()
	if !dir.is("PRECEDING") && !dir.is("FOLLOWING") {
		panic(p.expected("PRECEDING or FOLLOWING"))
	}
	p.next()
	return FrameBound{At: tok.pos, Kind: strings.ToUpper(dir.text), Offset: off}
}

// parseWindowClause parses WINDOW name AS (spec), ....
func (p *parser) parseWindowClause(sel *Select) {
	if !p.peek().is("WINDOW") || !p.atWindowClause() {
		return
	}
	p.next()
	sel.Windows = []NamedWindow{p.parseNamedWindow()}
	for p.acceptOp(",") {
		sel.Windows = append(sel.Windows, p.parseNamedWindow())
	}
	p.follow = followHaving
}

// atWindowClause reports whether the WINDOW at hand starts a WINDOW clause
// rather than being a name.
func (p *parser) atWindowClause() bool {
	return p.peekAt(1).isName() && p.peekAt(2).is("AS")
}

func (p *parser) parseNamedWindow() NamedWindow {
	tok := p.name("window name")
	p.expect("AS")
	p.expectOp("(")
	spec := p.parseWindowSpec(tok.pos)
	p.expectOp(")")
	return NamedWindow{At: tok.pos, Name: tok.text, Spec: spec}
}
