package parser

// Clauses that may still follow each part of a SELECT, for error messages.
// The select list only suggests FROM: after it, a misspelt FROM is by far
// the likeliest mistake.
var (
	followItems   = []string{"FROM"}
	followFrom    = []string{"WHERE", "GROUP BY", "ORDER BY", "LIMIT"}
	followWhere   = []string{"GROUP BY", "ORDER BY", "LIMIT"}
	followGroupBy = []string{"HAVING", "ORDER BY", "LIMIT"}
	followHaving  = []string{"ORDER BY", "LIMIT"}
	followOrderBy = []string{"LIMIT"}
	followLimit   = []string{"OFFSET"}
)

func (p *parser) parseSelect() *Select {
	sel := &Select{At: p.expect("SELECT").pos}
	sel.Distinct = p.accept("DISTINCT")
	sel.Items = p.parseSelectItems()
	p.follow = followItems
	if p.accept("FROM") {
		sel.From = p.parseTableRef()
		p.follow = followFrom
	}
	if p.accept("WHERE") {
		sel.Where = p.parseExpr()
		p.follow = followWhere
	}
	if p.accept("GROUP") {
		p.expect("BY")
		sel.GroupBy = p.parseExprList()
		p.follow = followGroupBy
	}
	if p.accept("HAVING") {
		sel.Having = p.parseExpr()
		p.follow = followHaving
	}
	p.parseOrderBy(sel)
	p.parseLimit(sel)
	p.parseOutputOptions(sel)
	return sel
}

func (p *parser) parseSelectItems() []SelectItem {
	items := []SelectItem{p.parseSelectItem()}
	for p.acceptOp(",") {
		items = append(items, p.parseSelectItem())
	}
	return items
}

func (p *parser) parseSelectItem() SelectItem {
	tok := p.peek()
	if tok.isOp("*") {
		p.next()
		return SelectItem{At: tok.pos, Star: true}
	}
	x := p.parseExpr()
	return SelectItem{At: tok.pos, Expr: x, Alias: p.parseAlias()}
}

// parseAlias parses an optional `[AS] name`. Without AS only a name token
// qualifies, which is why every clause keyword must be reserved.
func (p *parser) parseAlias() string {
	if p.accept("AS") {
		return p.name("alias").text
	}
	if tok := p.peek(); tok.isName() {
		p.alias = p.next()
		return tok.text
	}
	return ""
}

func (p *parser) parseTableRef() *TableRef {
	tok := p.name("table name")
	return &TableRef{At: tok.pos, Name: tok.text, Alias: p.parseAlias()}
}

func (p *parser) parseExprList() []Expr {
	list := []Expr{p.parseExpr()}
	for p.acceptOp(",") {
		list = append(list, p.parseExpr())
	}
	return list
}

func (p *parser) parseOrderBy(sel *Select) {
	if !p.accept("ORDER") {
		return
	}
	p.expect("BY")
	sel.OrderBy = []OrderItem{p.parseOrderItem()}
	for p.acceptOp(",") {
		sel.OrderBy = append(sel.OrderBy, p.parseOrderItem())
	}
	p.follow = followOrderBy
}

func (p *parser) parseOrderItem() OrderItem {
	it := OrderItem{Expr: p.parseExpr()}
	if p.accept("DESC") {
		it.Desc = true
	} else {
		p.accept("ASC")
	}
	if p.accept("NULLS") {
		first := p.peek().is("FIRST")
		if !first && !p.peek().is("LAST") {
			panic(p.expected("FIRST or LAST"))
		}
		p.next()
		it.NullsFirst = &first
	}
	return it
}

// parseLimit parses LIMIT n [OFFSET m], ClickHouse's LIMIT m, n (offset
// first), or a lone OFFSET m.
func (p *parser) parseLimit(sel *Select) {
	if p.accept("LIMIT") {
		sel.Limit = p.parseExpr()
		p.follow = followLimit
		if p.acceptOp(",") {
			sel.Offset, sel.Limit = sel.Limit, p.parseExpr()
			p.follow = nil
			return
		}
	}
	if p.accept("OFFSET") {
		sel.Offset = p.parseExpr()
		p.follow = nil
	}
}

// parseOutputOptions parses the ClickHouse-style trailing FORMAT and
// SETTINGS clauses, in either order, each at most once.
func (p *parser) parseOutputOptions(sel *Select) {
	for {
		switch {
		case sel.Format == "" && p.accept("FORMAT"):
			sel.Format = p.parseFormatName()
		case sel.Settings == nil && p.accept("SETTINGS"):
			sel.Settings = p.parseSettings()
		default:
			return
		}
		p.follow = nil
	}
}

// parseFormatName accepts any word, reserved or not: ClickHouse has a
// format called Values, and nothing else can appear in this position.
func (p *parser) parseFormatName() string {
	tok := p.peek()
	if !tok.isName() && tok.kind != tokKeyword {
		panic(p.expected("format name"))
	}
	return p.next().text
}

func (p *parser) parseSettings() []Setting {
	list := []Setting{p.parseSetting()}
	for p.acceptOp(",") {
		list = append(list, p.parseSetting())
	}
	return list
}

func (p *parser) parseSetting() Setting {
	tok := p.name("setting name")
	p.expectOp("=")
	return Setting{At: tok.pos, Name: tok.text, Value: p.parseExpr()}
}
