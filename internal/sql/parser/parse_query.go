package parser

import "strings"

// followParenQuery is what may follow a parenthesized query operand.
var followParenQuery = []string{"UNION", "ORDER BY", "LIMIT"}

// parseQuery parses
//
//	[WITH cte, ...] operand {UNION|INTERSECT|EXCEPT [ALL] operand}
//	[ORDER BY ...] [LIMIT ...] [OFFSET ...]
//
// and, when top (the query is the whole statement), FORMAT and SETTINGS.
// An operand is a SELECT without those trailing clauses, or a query in
// parentheses.
func (p *parser) parseQuery(top bool) Query {
	var with []CTE
	if p.peek().is("WITH") {
		with = p.parseWith()
	}
	q := p.finishQuery(p.parseQueryOperand(), top)
	if with != nil {
		p.attachWith(q, with)
	}
	return q
}

// finishQuery parses what may follow the first operand of a query: more
// operands joined by set operators, then the trailing clauses.
func (p *parser) finishQuery(first Query, top bool) Query {
	q := p.parseSetOps(first)
	p.parseQueryTail(q, top)
	return q
}

// parseNestedQuery parses a query inside parentheses (a subquery, a CTE
// body, a parenthesized operand). Each counts as a level of nesting so a
// flood of parentheses fails cleanly rather than exhausting the stack.
func (p *parser) parseNestedQuery() Query {
	p.enter()
	defer p.leave()
	return p.parseQuery(false)
}

func (p *parser) parseQueryOperand() Query {
	tok := p.peek()
	if tok.isOp("(") {
		p.next()
		q := p.parseNestedQuery()
		p.expectOp(")")
		p.follow = followParenQuery
		return q
	}
	if !tok.is("SELECT") {
		panic(p.expected("SELECT"))
	}
	return p.parseSelectCore()
}

// parseWith parses WITH name [(cols)] AS (query), ...
func (p *parser) parseWith() []CTE {
	p.next()
	ctes := []CTE{p.parseCTE()}
	for p.acceptOp(",") {
		ctes = append(ctes, p.parseCTE())
	}
	return ctes
}

func (p *parser) parseCTE() CTE {
	tok := p.name("query name")
	cte := CTE{At: tok.pos, Name: tok.text}
	if p.acceptOp("(") {
		cte.Columns = p.parseNameList("column name")
		p.expectOp(")")
	}
	p.expect("AS")
	p.expectOp("(")
	cte.Query = p.parseNestedQuery()
	p.expectOp(")")
	return cte
}

// attachWith gives a WITH clause to the query it precedes. Only a
// parenthesized query can already have one: WITH a AS (...) (WITH b ...).
// Merging the two would change what shadows what, so that is refused.
func (p *parser) attachWith(q Query, with []CTE) {
	var slot *[]CTE
	switch q := q.(type) {
	case *Select:
		slot = &q.With
	case *SetOp:
		slot = &q.With
	}
	if *slot != nil {
		panic(p.errorf((*slot)[0].At, "a query in parentheses after WITH cannot have a WITH clause of its own"))
	}
	*slot = with
}

// parseSetOps parses the set operations that follow the first operand.
// INTERSECT binds tighter than UNION and EXCEPT, as in standard SQL. Both
// levels are left-associative and built by loops, so long chains of
// UNION ALL cost no stack.
func (p *parser) parseSetOps(first Query) Query {
	q := p.parseIntersects(first)
	for tok := p.peek(); tok.is("UNION") || tok.is("EXCEPT"); tok = p.peek() {
		op := p.startSetOp(q)
		op.R = p.parseIntersects(p.parseQueryOperand())
		q = op
	}
	return q
}

func (p *parser) parseIntersects(first Query) Query {
	q := first
	for p.peek().is("INTERSECT") {
		op := p.startSetOp(q)
		op.R = p.parseQueryOperand()
		q = op
	}
	return q
}

// startSetOp consumes a set operator and its optional ALL or DISTINCT.
func (p *parser) startSetOp(left Query) *SetOp {
	tok := p.next()
	op := &SetOp{At: tok.pos, Op: strings.ToUpper(tok.text), L: left}
	if !p.accept("DISTINCT") {
		op.All = p.accept("ALL")
	}
	return op
}

// queryTail holds the clauses that end a query and apply to all of it.
type queryTail struct {
	orderBy  []OrderItem
	limitBy  *LimitBy
	limit    Expr
	offset   Expr
	format   string
	settings []Setting
}

// limits reports whether any clause that limits or orders rows is set.
func (t *queryTail) limits() bool {
	return t.orderBy != nil || t.limitBy != nil || t.limit != nil || t.offset != nil
}

// parseQueryTail parses ORDER BY, LIMIT [BY], OFFSET and, for the whole
// statement, FORMAT and SETTINGS, and gives them to q.
func (p *parser) parseQueryTail(q Query, top bool) {
	start := p.peek().pos
	var t queryTail
	p.parseOrderBy(&t)
	p.parseLimit(&t)
	if top {
		p.parseOutputOptions(&t)
	}
	if !t.limits() && t.format == "" && t.settings == nil {
		return
	}
	switch q := q.(type) {
	case *Select:
		p.checkNoLimits(start, &t, q.OrderBy != nil || q.LimitBy != nil || q.Limit != nil || q.Offset != nil)
		q.OrderBy, q.LimitBy, q.Limit, q.Offset = t.orderBy, t.limitBy, t.limit, t.offset
		q.Format, q.Settings = t.format, t.settings
	case *SetOp:
		p.checkNoLimits(start, &t, q.OrderBy != nil || q.Limit != nil || q.Offset != nil)
		if t.limitBy != nil {
			panic(p.errorf(t.limitBy.At, "LIMIT BY is not allowed after UNION, INTERSECT or EXCEPT"))
		}
		q.OrderBy, q.Limit, q.Offset = t.orderBy, t.limit, t.offset
		q.Format, q.Settings = t.format, t.settings
	}
}

// checkNoLimits refuses (SELECT ... LIMIT 5) ORDER BY x: the outer clauses
// would have to apply after the inner ones, which one Select cannot say.
func (p *parser) checkNoLimits(at Pos, t *queryTail, has bool) {
	if has && t.limits() {
		panic(p.errorf(at, "ORDER BY, LIMIT and OFFSET cannot follow a parenthesized query that has its own; select from it with FROM (...) instead"))
	}
}

// queryStartsAt reports whether a query starts n tokens ahead: SELECT, or
// WITH followed by a name. WITH is not reserved, so (with + 1) is still an
// expression over a column called with.
func (p *parser) queryStartsAt(n int) bool {
	tok := p.peekAt(n)
	return tok.is("SELECT") || tok.is("WITH") && p.peekAt(n+1).isName()
}

// parseQueryOrList parses the inside of parentheses that hold either a
// query or a list of expressions, as after IN or EXISTS, up to the ")".
// Exactly one of the results is non-nil.
func (p *parser) parseQueryOrList() (Query, []Expr) {
	if p.queryStartsAt(0) {
		return p.parseNestedQuery(), nil
	}
	list := p.parseExprList()
	if q := p.continuedQuery(list); q != nil {
		return q, nil
	}
	return nil, list
}

// continuedQuery handles a query whose first operand is itself in
// parentheses, as in x IN ((SELECT a ... LIMIT 1) UNION SELECT b). The
// operand has been read as a scalar subquery expression; if a set operator
// or ORDER BY/LIMIT follows, it was the start of a query, which
// continuedQuery parses and returns. Otherwise it returns nil.
func (p *parser) continuedQuery(list []Expr) Query {
	if len(list) != 1 {
		return nil
	}
	sq, ok := list[0].(*SubqueryExpr)
	if !ok {
		return nil
	}
	switch tok := p.peek(); {
	case tok.is("UNION"), tok.is("INTERSECT"), tok.is("EXCEPT"), tok.is("ORDER"), tok.is("LIMIT"), tok.is("OFFSET"):
		return p.finishQuery(sq.Query, false)
	}
	return nil
}
