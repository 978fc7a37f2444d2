package parser

import (
	"strconv"
	"strings"
)

// maxDepth bounds expression nesting. The parser recurses once per level
// of parentheses, unary operator, NOT or cast, so without a bound a query
// of a few megabytes of "(" could exhaust the goroutine stack.
const maxDepth = 1000

// enter records one more level of nesting; leave undoes it. The levels are
// chosen so that an expression's String() never nests deeper than its
// source did, which keeps every parsed expression re-parsable.
func (p *parser) enter() {
	p.depth++
	p.checkDepth(p.depth)
	p.peak = max(p.peak, p.depth)
}

func (p *parser) checkDepth(depth int) {
	if depth > maxDepth {
		panic(p.errorf(p.peek().pos, "expression nested too deeply (limit %d levels)", maxDepth))
	}
}

func (p *parser) leave() { p.depth-- }

// parseExpr parses a full expression. Precedence, loosest first: OR; AND;
// NOT; comparisons (= != < <= > >= BETWEEN IN IS LIKE ILIKE); ||; + -;
// * / %; unary - +; ::; primary.
func (p *parser) parseExpr() Expr {
	p.enter()
	defer p.leave()
	return p.parseOr()
}

func (p *parser) parseOr() Expr  { return p.parseBinary(p.parseAnd, "OR") }
func (p *parser) parseAnd() Expr { return p.parseBinary(p.parseNot, "AND") }

func (p *parser) parseNot() Expr {
	tok := p.peek()
	if !tok.is("NOT") {
		return p.parseComparison()
	}
	p.next()
	p.enter()
	defer p.leave()
	return &UnaryExpr{At: tok.pos, Op: "NOT", X: p.parseNot()}
}

func (p *parser) parseConcat() Expr   { return p.parseBinary(p.parseAdditive, "||") }
func (p *parser) parseAdditive() Expr { return p.parseBinary(p.parseMul, "+", "-") }
func (p *parser) parseMul() Expr      { return p.parseBinary(p.parseUnary, "*", "/", "%") }

// parseBinary parses a left-associative chain of the operators ops. The
// loop, not recursion, builds the chain, so long sums cost no stack.
func (p *parser) parseBinary(operand func() Expr, ops ...string) Expr {
	x := operand()
	for {
		tok := p.peek()
		op, ok := matchOp(tok, ops)
		if !ok {
			return x
		}
		p.next()
		x = &BinaryExpr{At: tok.pos, Op: op, L: x, R: operand()}
	}
}

func matchOp(tok token, ops []string) (string, bool) {
	for _, op := range ops {
		if tok.isOp(op) || tok.kind == tokKeyword && strings.EqualFold(tok.text, op) {
			return op, true
		}
	}
	return "", false
}

// comparisonOps maps comparison operators to their normalized spelling.
var comparisonOps = map[string]string{
	"=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
}

func (p *parser) parseComparison() Expr {
	x := p.parseConcat()
	for {
		next, ok := p.parseComparisonTail(x)
		if !ok {
			return x
		}
		x = next
	}
}

// parseComparisonTail parses one comparison applied to x, if one follows.
func (p *parser) parseComparisonTail(x Expr) (Expr, bool) {
	tok := p.peek()
	if op, ok := comparisonOps[tok.text]; tok.kind == tokOp && ok {
		p.next()
		return &BinaryExpr{At: tok.pos, Op: op, L: x, R: p.parseConcat()}, true
	}
	not := tok.is("NOT") && isNegatable(p.peekAt(1))
	if not {
		p.next()
	}
	switch kw := p.peek(); {
	case kw.is("BETWEEN"):
		return p.parseBetween(x, tok.pos, not), true
	case kw.is("IN"):
		return p.parseIn(x, tok.pos, not), true
	case kw.is("LIKE"), kw.is("ILIKE"):
		return p.parseLike(x, tok.pos, not), true
	case kw.is("IS") && !not:
		return p.parseIsNull(x), true
	}
	return x, false
}

// isNegatable reports whether tok may follow NOT after an operand.
func isNegatable(tok token) bool {
	return tok.is("BETWEEN") || tok.is("IN") || tok.is("LIKE") || tok.is("ILIKE")
}

// parseBetween parses the bounds at the || level so that the AND between
// them is not taken for a logical AND.
func (p *parser) parseBetween(x Expr, at Pos, not bool) Expr {
	p.next()
	lo := p.parseConcat()
	p.expect("AND")
	return &BetweenExpr{At: at, X: x, Lo: lo, Hi: p.parseConcat(), Not: not}
}

// parseIn parses IN (values...) or IN (query).
func (p *parser) parseIn(x Expr, at Pos, not bool) Expr {
	p.next()
	p.expectOp("(")
	q, list := p.parseQueryOrList()
	p.expectOp(")")
	if q != nil {
		return &InSubqueryExpr{At: at, X: x, Query: q, Not: not}
	}
	return &InExpr{At: at, X: x, List: list, Not: not}
}

func (p *parser) parseLike(x Expr, at Pos, not bool) Expr {
	ci := p.next().is("ILIKE")
	return &LikeExpr{At: at, X: x, Pattern: p.parseConcat(), Not: not, CaseInsensitive: ci}
}

// parseIsNull parses IS [NOT] NULL and IS [NOT] DISTINCT FROM y; y is
// parsed at the || level, like the other comparison operands.
func (p *parser) parseIsNull(x Expr) Expr {
	at := p.next().pos
	not := p.accept("NOT")
	if p.accept("DISTINCT") {
		p.expect("FROM")
		return &IsDistinctExpr{At: at, X: x, Y: p.parseConcat(), Not: not}
	}
	p.expect("NULL")
	return &IsNullExpr{At: at, X: x, Not: not}
}

func (p *parser) parseUnary() Expr {
	tok := p.peek()
	if !tok.isOp("-") && !tok.isOp("+") {
		return p.parsePostfix()
	}
	if lit := p.foldNegative(); lit != nil {
		return lit
	}
	p.next()
	p.enter()
	defer p.leave()
	return &UnaryExpr{At: tok.pos, Op: tok.text, X: p.parseUnary()}
}

// foldNegative turns a minus sign followed by a number into one literal.
// This is what makes -9223372036854775808 expressible: its magnitude alone
// overflows int64. It does not apply before `::`, which binds tighter than
// the minus (-1::T is -(1::T)).
func (p *parser) foldNegative() Expr {
	minus, num := p.peek(), p.peekAt(1)
	if !minus.isOp("-") || num.kind != tokInt && num.kind != tokFloat || p.peekAt(2).isOp("::") {
		return nil
	}
	p.next()
	p.next()
	return p.numberLit(minus.pos, num, "-")
}

// parsePostfix parses a primary followed by any number of ::type casts.
//
// x::T renders as CAST(x AS T), which puts all of x one level deeper, so
// the deepest point reached inside x plus one per cast must stay within
// maxDepth. Hence the peak bookkeeping: the casts are only seen after x.
func (p *parser) parsePostfix() Expr {
	outerPeak := p.peak
	p.peak = p.depth
	x := p.parsePrimary()
	for p.peek().isOp("::") {
		at := p.next().pos
		p.peak++
		p.checkDepth(p.peak)
		typ, args := p.parseTypeName()
		x = &CastExpr{At: at, X: x, Type: typ, TypeArgs: args}
	}
	p.peak = max(p.peak, outerPeak)
	return x
}

func (p *parser) parsePrimary() Expr {
	switch tok := p.peek(); tok.kind {
	case tokInt, tokFloat:
		p.next()
		return p.numberLit(tok.pos, tok, "")
	case tokString:
		p.next()
		return &StringLit{At: tok.pos, Value: tok.text}
	case tokOp:
		if tok.isOp("(") {
			return p.parseParen()
		}
	case tokKeyword:
		if x := p.parseKeywordPrimary(tok); x != nil {
			return x
		}
	case tokIdent:
		return p.parseIdentPrimary(tok)
	case tokQuotedIdent:
		return p.parseColumnRef()
	case tokDuration:
		panic(p.errorf(tok.pos, "a duration such as %s is only allowed after SAMPLE BY and TOLERANCE; write an INTERVAL here", tok.text))
	}
	panic(p.expected("expression"))
}

// numberLit converts a numeric token, with an optional folded sign.
func (p *parser) numberLit(at Pos, tok token, sign string) Expr {
	text := sign + tok.text
	if tok.kind == tokInt {
		v, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			panic(p.errorf(at, "integer literal out of range"))
		}
		return &IntLit{At: at, Value: v, Text: text}
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		panic(p.errorf(at, "float literal out of range"))
	}
	return &FloatLit{At: at, Value: v, Text: text}
}

// parseParen parses a parenthesized expression or a scalar subquery. No
// node records the parentheses of an expression: String() puts back the
// ones precedence requires.
func (p *parser) parseParen() Expr {
	open := p.next()
	if p.queryStartsAt(0) {
		q := p.parseNestedQuery()
		p.expectOp(")")
		return &SubqueryExpr{At: open.pos, Query: q}
	}
	x := p.parseExpr()
	if q := p.continuedQuery([]Expr{x}); q != nil {
		x = &SubqueryExpr{At: open.pos, Query: q}
	}
	p.expectOp(")")
	return x
}

// parseKeywordPrimary handles the reserved words that start an expression;
// it returns nil for any other keyword.
func (p *parser) parseKeywordPrimary(tok token) Expr {
	switch strings.ToUpper(tok.text) {
	case "NULL":
		p.next()
		return &NullLit{At: tok.pos}
	case "TRUE", "FALSE":
		p.next()
		return &BoolLit{At: tok.pos, Value: tok.is("TRUE")}
	case "CASE":
		return p.parseCase()
	case "CAST":
		return p.parseCast()
	}
	return nil
}

// parseIdentPrimary parses what starts with an unquoted name: a function
// call, a column reference, EXISTS (query), or one of the contextual
// literal forms INTERVAL 5 MINUTE and TIMESTAMP '...'. The contextual
// words are names everywhere else, so a column called timestamp or
// interval still works.
func (p *parser) parseIdentPrimary(tok token) Expr {
	next := p.peekAt(1)
	switch {
	case tok.is("EXISTS") && next.isOp("(") && (p.queryStartsAt(2) || p.peekAt(2).isOp("(")):
		return p.parseExists()
	case next.isOp("("):
		return p.parseFuncCall()
	case tok.is("INTERVAL") && isIntervalQuantity(next):
		return p.parseInterval()
	case (tok.is("TIMESTAMP") || tok.is("DATE")) && next.kind == tokString:
		return p.parseTypedLiteral()
	}
	return p.parseColumnRef()
}

func (p *parser) parseColumnRef() Expr {
	tok := p.next()
	ref := &ColumnRef{At: tok.pos, Name: tok.text, Quoted: tok.kind == tokQuotedIdent}
	if p.acceptOp(".") {
		col := p.name("column name")
		ref.Table, ref.Name, ref.Quoted = ref.Name, col.text, col.kind == tokQuotedIdent
	}
	return ref
}

func isIntervalQuantity(tok token) bool {
	return tok.kind == tokInt || tok.kind == tokFloat || tok.kind == tokString
}

// parseFuncCall parses name(args), name(*), name(DISTINCT args), name()
// and EXTRACT(unit FROM x), then what may follow a call. Which functions
// accept * or DISTINCT is for the binder to decide.
func (p *parser) parseFuncCall() Expr {
	tok := p.next()
	p.next() // "("
	fc := &FuncCall{At: tok.pos, Name: tok.text}
	if tok.is("EXTRACT") && (p.peek().isName() || p.peek().kind == tokString) && p.peekAt(1).is("FROM") {
		unit := p.next()
		p.next() // FROM
		fc.Args = []Expr{&StringLit{At: unit.pos, Value: unit.text}, p.parseExpr()}
		p.expectOp(")")
	} else {
		p.parseCallArgs(fc)
	}
	return p.parseCallSuffix(fc)
}

// parseCallArgs parses an argument list after its "(", up to and
// including the ")".
func (p *parser) parseCallArgs(fc *FuncCall) {
	switch arg := p.peek(); {
	case arg.isOp("*"):
		p.next()
		fc.Star, fc.Args = true, []Expr{&Star{At: arg.pos}}
	case arg.isOp(")"):
	default:
		fc.Distinct = p.accept("DISTINCT")
		fc.Args = p.parseExprList()
	}
	p.expectOp(")")
}

// parseCallSuffix parses what may follow name(...): a second argument
// list, making the first the parameters of a ClickHouse parametric
// aggregate; FILTER (WHERE cond); and OVER window. FILTER and OVER are
// not reserved: they only count when followed by what they need, so a
// call may still be aliased filter or over.
func (p *parser) parseCallSuffix(fc *FuncCall) Expr {
	if tok := p.peek(); tok.isOp("(") {
		if fc.Star || fc.Distinct {
			panic(p.errorf(tok.pos, "a function with * or DISTINCT cannot take a second argument list"))
		}
		fc.Params, fc.Args = fc.Args, nil
		if fc.Params == nil {
			fc.Params = []Expr{}
		}
		p.next()
		p.parseCallArgs(fc)
	}
	if p.peek().is("FILTER") && p.peekAt(1).isOp("(") && p.peekAt(2).is("WHERE") {
		p.next()
		p.next()
		p.next()
		fc.Filter = p.parseExpr()
		p.expectOp(")")
	}
	if p.peek().is("OVER") && (p.peekAt(1).isOp("(") || p.peekAt(1).isName()) {
		fc.Over = p.parseOver()
	}
	return fc
}

// parseExists parses EXISTS (query). A call of a function named exists
// whose argument starts with a parenthesis, exists((a) + 1), begins the
// same way; the two are told apart once the parentheses have been read.
func (p *parser) parseExists() Expr {
	tok := p.next()
	p.next() // "("
	q, list := p.parseQueryOrList()
	p.expectOp(")")
	if len(list) == 1 {
		if sq, ok := list[0].(*SubqueryExpr); ok {
			q = sq.Query // EXISTS ((SELECT ...)): extra parentheses
		}
	}
	if q != nil {
		return &ExistsExpr{At: tok.pos, Query: q}
	}
	return p.parseCallSuffix(&FuncCall{At: tok.pos, Name: tok.text, Args: list})
}

func (p *parser) parseCase() Expr {
	c := &CaseExpr{At: p.next().pos}
	if tok := p.peek(); !tok.is("WHEN") && !tok.is("END") {
		c.Operand = p.parseExpr()
	}
	for p.accept("WHEN") {
		w := WhenClause{Cond: p.parseExpr()}
		p.expect("THEN")
		w.Result = p.parseExpr()
		c.Whens = append(c.Whens, w)
	}
	if len(c.Whens) == 0 {
		panic(p.expected("WHEN"))
	}
	if p.accept("ELSE") {
		c.Else = p.parseExpr()
	}
	p.expect("END")
	return c
}

func (p *parser) parseCast() Expr {
	at := p.next().pos
	p.expectOp("(")
	x := p.parseExpr()
	p.expect("AS")
	typ, args := p.parseTypeName()
	p.expectOp(")")
	return &CastExpr{At: at, X: x, Type: typ, TypeArgs: args}
}

// parseTypedLiteral parses TIMESTAMP '...' or DATE '...' as a cast of the
// string, leaving the conversion to the binder.
func (p *parser) parseTypedLiteral() Expr {
	typ, str := p.next(), p.next()
	p.enter() // it renders as CAST('...' AS T), one level deeper
	defer p.leave()
	lit := &StringLit{At: str.pos, Value: str.text}
	return &CastExpr{At: typ.pos, X: lit, Type: strings.ToUpper(typ.text)}
}
