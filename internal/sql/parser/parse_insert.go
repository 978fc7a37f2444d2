package parser

import "strings"

func (p *parser) parseInsert() *Insert {
	ins := &Insert{At: p.expect("INSERT").pos}
	p.expect("INTO")
	p.accept("TABLE") // ClickHouse allows INSERT INTO TABLE t
	ins.Table = p.tableName().text
	// A parenthesized query is no column list: a list starts with a name.
	if p.peek().isOp("(") && !p.queryStartsAt(1) && !p.peekAt(1).isOp("(") {
		p.next()
		ins.Columns = p.parseNameList("column name")
		p.expectOp(")")
	}
	switch tok := p.peek(); {
	case p.accept("VALUES"):
		ins.Rows = p.parseRows()
	case p.accept("FORMAT"):
		ins.Format = p.parseFormatName()
		ins.Data = p.takeData()
	case tok.is("SELECT"), tok.is("WITH"), tok.isOp("("):
		ins.Query = p.parseQuery(false)
	default:
		panic(p.expected("VALUES, FORMAT or SELECT"))
	}
	return ins
}

func (p *parser) parseNameList(what string) []string {
	names := []string{p.name(what).text}
	for p.acceptOp(",") {
		names = append(names, p.name(what).text)
	}
	return names
}

func (p *parser) parseRows() [][]Expr {
	rows := [][]Expr{p.parseRow()}
	for p.acceptOp(",") {
		rows = append(rows, p.parseRow())
	}
	return rows
}

func (p *parser) parseRow() []Expr {
	p.expectOp("(")
	row := []Expr{p.parseValue()}
	for p.acceptOp(",") {
		row = append(row, p.parseValue())
	}
	p.expectOp(")")
	return row
}

// parseValue parses one VALUES entry. Bulk inserts are the hot path and
// almost every value is a lone literal, so those skip the ten levels of
// precedence climbing; the tree is the same either way.
func (p *parser) parseValue() Expr {
	tok := p.peek()
	if tok.kind != tokOp && isValueEnd(p.peekAt(1)) {
		return p.parsePrimary()
	}
	if tok.isOp("-") && isValueEnd(p.peekAt(2)) {
		if lit := p.foldNegative(); lit != nil {
			return lit
		}
	}
	return p.parseExpr()
}

func isValueEnd(tok token) bool { return tok.isOp(",") || tok.isOp(")") }

// takeData returns the raw text after INSERT ... FORMAT name: it is data in
// that format, not SQL. One space or line break separates it from the
// name; anything beyond is kept, as leading blanks may be data (an empty
// first TSV field).
func (p *parser) takeData() string {
	if p.nahead > 0 {
		panic("parser: token lookahead ran past the FORMAT name") // a bug, not bad input
	}
	rest := p.lex.rest()
	for _, sep := range [...]string{"\r\n", "\n", " "} {
		if strings.HasPrefix(rest, sep) {
			return rest[len(sep):]
		}
	}
	return rest
}
