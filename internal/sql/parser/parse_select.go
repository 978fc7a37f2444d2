package parser

import "strings"

// Clauses that may still follow each part of a SELECT, for error messages.
// The select list only suggests FROM: after it, a misspelt FROM is by far
// the likeliest mistake. The lists name the common clauses only; the rarer
// ones (joins, LATEST ON, SAMPLE BY, WINDOW, QUALIFY, UNION) are accepted
// without being advertised.
var (
	followItems   = []string{"FROM"}
	followFrom    = []string{"WHERE", "GROUP BY", "ORDER BY", "LIMIT"}
	followWhere   = []string{"GROUP BY", "ORDER BY", "LIMIT"}
	followGroupBy = []string{"HAVING", "ORDER BY", "LIMIT"}
	followHaving  = []string{"ORDER BY", "LIMIT"}
	followOrderBy = []string{"LIMIT"}
	followLimit   = []string{"OFFSET"}
)

// parseSelectCore parses a SELECT up to QUALIFY. The clauses after it
// (ORDER BY, LIMIT, ...) may apply to a whole set operation, so
// parseQueryTail parses them.
func (p *parser) parseSelectCore() *Select {
	sel := &Select{At: p.expect("SELECT").pos}
	sel.Distinct = p.accept("DISTINCT")
	sel.Items = p.parseSelectItems()
	p.follow = followItems
	if p.accept("FROM") {
		p.parseFrom(sel)
		p.follow = followFrom
	}
	if p.accept("WHERE") {
		sel.Where = p.parseExpr()
		p.follow = followWhere
	}
	p.parseLatestOn(sel)
	p.parseSampleBy(sel)
	if p.accept("GROUP") {
		p.expect("BY")
		sel.GroupBy = p.parseExprList()
		p.follow = followGroupBy
	}
	if p.accept("HAVING") {
		sel.Having = p.parseExpr()
		p.follow = followHaving
	}
	p.parseWindowClause(sel)
	if p.accept("QUALIFY") {
		sel.Qualify = p.parseExpr()
		p.follow = followHaving
	}
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
	if tok.isName() && p.peekAt(1).isOp(".") && p.peekAt(2).isOp("*") {
		p.next()
		p.next()
		p.next()
		return SelectItem{At: tok.pos, Star: true, StarTable: tok.text}
	}
	x := p.parseExpr()
	return SelectItem{At: tok.pos, Expr: x, Alias: p.parseAlias()}
}

// parseAlias parses an optional `[AS] name`. Without AS a name qualifies
// unless it starts a clause (see atClauseWord); reserved words never do,
// which is why the classic clause keywords are reserved.
func (p *parser) parseAlias() string {
	if p.accept("AS") {
		return p.name("alias").text
	}
	if tok := p.peek(); tok.isName() && !p.atClauseWord() {
		p.alias = p.next()
		return tok.text
	}
	return ""
}

// atClauseWord reports whether the next token is an unreserved word that
// starts a clause here rather than being an implicit alias. Each word only
// counts when followed by what its clause needs, and only where an alias
// could not be followed by the same: `FROM t left` is t aliased left, `FROM
// t left JOIN q` is a left join. To alias a table by such a word when the
// pattern follows, write AS.
func (p *parser) atClauseWord() bool {
	tok, next := p.peek(), p.peekAt(1)
	if tok.kind != tokIdent {
		return false
	}
	switch strings.ToUpper(tok.text) {
	case "INNER", "CROSS", "LEFT", "RIGHT", "FULL", "ASOF", "WINDOW":
		return p.atJoin() || tok.is("WINDOW") && p.atWindowClause()
	case "USING":
		return next.isOp("(")
	case "INTERSECT", "EXCEPT":
		return next.is("SELECT") || next.isOp("(") || next.is("ALL") || next.is("DISTINCT")
	case "SAMPLE":
		return next.is("BY") || isNumber(next)
	case "LATEST":
		return next.is("ON") && p.peekAt(2).isName() && p.peekAt(3).is("PARTITION")
	case "QUALIFY":
		return startsExpr(next)
	case "TIMESTAMP": // CREATE TABLE t AS SELECT ... FROM x TIMESTAMP(ts)
		return next.isOp("(")
	case "PARTITION":
		return next.is("BY")
	case "ENGINE":
		return next.isOp("=")
	}
	return false
}

func isNumber(tok token) bool { return tok.kind == tokInt || tok.kind == tokFloat }

// startsExpr reports whether tok can begin an expression (or, for
// TOLERANCE, a QuestDB duration). An alias is never followed by one, so a
// clause word followed by one is the clause.
func startsExpr(tok token) bool {
	switch tok.kind {
	case tokInt, tokFloat, tokString, tokIdent, tokQuotedIdent, tokDuration:
		return true
	case tokOp:
		return tok.isOp("(") || tok.isOp("-") || tok.isOp("+")
	case tokKeyword:
		return tok.is("NOT") || tok.is("NULL") || tok.is("TRUE") || tok.is("FALSE") || tok.is("CASE") || tok.is("CAST")
	}
	return false
}

func (p *parser) parseExprList() []Expr {
	list := []Expr{p.parseExpr()}
	for p.acceptOp(",") {
		list = append(list, p.parseExpr())
	}
	return list
}

func (p *parser) parseOrderBy(t *queryTail) {
	if !p.accept("ORDER") {
		return
	}
	p.expect("BY")
	t.orderBy = p.parseOrderItems()
	p.follow = followOrderBy
}

func (p *parser) parseOrderItems() []OrderItem {
	items := []OrderItem{p.parseOrderItem()}
	for p.acceptOp(",") {
		items = append(items, p.parseOrderItem())
	}
	return items
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
// first), or a lone OFFSET m. Either LIMIT form followed by BY is
// ClickHouse's LIMIT BY, which a plain LIMIT may follow.
func (p *parser) parseLimit(t *queryTail) {
	if tok := p.peek(); tok.is("LIMIT") {
		p.next()
		limit, offset := p.parseLimitCounts()
		if !p.accept("BY") {
			t.limit, t.offset = limit, offset
			return
		}
		t.limitBy = &LimitBy{At: tok.pos, Limit: limit, Offset: offset, By: p.parseExprList()}
		p.follow = followOrderBy
		if p.accept("LIMIT") {
			t.limit, t.offset = p.parseLimitCounts()
			return
		}
	}
	if p.accept("OFFSET") {
		t.offset = p.parseExpr()
		p.follow = nil
	}
}

// parseLimitCounts parses what follows LIMIT: n [OFFSET m] or m, n.
func (p *parser) parseLimitCounts() (limit, offset Expr) {
	limit = p.parseExpr()
	p.follow = followLimit
	switch {
	case p.acceptOp(","):
		offset, limit = limit, p.parseExpr()
		p.follow = nil
	case p.accept("OFFSET"):
		offset = p.parseExpr()
		p.follow = nil
	}
	return limit, offset
}

// parseOutputOptions parses the ClickHouse-style trailing FORMAT and
// SETTINGS clauses, in either order, each at most once.
func (p *parser) parseOutputOptions(t *queryTail) {
	for {
		switch {
		case t.format == "" && p.accept("FORMAT"):
			t.format = p.parseFormatName()
		case t.settings == nil && p.accept("SETTINGS"):
			t.settings = p.parseSettings()
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
