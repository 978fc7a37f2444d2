package parser

import (
	"strconv"
	"strings"
)

// Binding strength of each expression form, weakest first; it mirrors the
// parser's precedence climbing so rendering adds exactly the parentheses
// needed to parse back to the same tree.
const (
	precOr = iota + 1
	precAnd
	precNot
	precCmp
	precConcat
	precAdd
	precMul
	precUnary
	precPrimary
)

var binaryPrec = map[string]int{
	"OR": precOr, "AND": precAnd,
	"=": precCmp, "!=": precCmp, "<": precCmp, "<=": precCmp, ">": precCmp, ">=": precCmp,
	"||": precConcat, "+": precAdd, "-": precAdd, "*": precMul, "/": precMul, "%": precMul,
}

// precOf returns how tightly e binds. Casts render as CAST(...), which is
// primary, so `::` needs no level of its own here.
func precOf(e Expr) int {
	switch e := e.(type) {
	case *BinaryExpr:
		return binaryPrec[e.Op] // an unknown operator gets 0: always parenthesized
	case *UnaryExpr:
		if e.Op == "NOT" {
			return precNot
		}
		return precUnary
	case *BetweenExpr, *InExpr, *IsNullExpr, *LikeExpr, *InSubqueryExpr, *IsDistinctExpr:
		return precCmp
	}
	return precPrimary
}

// writeExpr renders e, parenthesized if it binds less tightly than min.
func writeExpr(b *strings.Builder, e Expr, min int) {
	if precOf(e) >= min {
		e.writeTo(b)
		return
	}
	b.WriteByte('(')
	e.writeTo(b)
	b.WriteByte(')')
}

func render(e Expr) string {
	var b strings.Builder
	e.writeTo(&b)
	return b.String()
}

func writeList(b *strings.Builder, list []Expr) {
	for i, e := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		writeExpr(b, e, 0)
	}
}

func (e *ColumnRef) writeTo(b *strings.Builder) {
	if e.Table != "" {
		b.WriteString(QuoteIdent(e.Table))
		b.WriteByte('.')
	}
	if e.Quoted {
		b.WriteString(quoteAlways(e.Name))
	} else {
		b.WriteString(QuoteIdent(e.Name))
	}
}

func (e *IntLit) writeTo(b *strings.Builder) {
	if e.Text == "" {
		b.WriteString(strconv.FormatInt(e.Value, 10))
		return
	}
	b.WriteString(e.Text)
}

func (e *FloatLit) writeTo(b *strings.Builder) {
	if e.Text != "" {
		b.WriteString(e.Text)
		return
	}
	s := strconv.FormatFloat(e.Value, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") { // keep it a float: 2 would parse as an integer
		s += ".0"
	}
	b.WriteString(s)
}

func (e *StringLit) writeTo(b *strings.Builder) { b.WriteString(QuoteString(e.Value)) }

func (e *BoolLit) writeTo(b *strings.Builder) {
	if e.Value {
		b.WriteString("TRUE")
	} else {
		b.WriteString("FALSE")
	}
}

func (e *NullLit) writeTo(b *strings.Builder) { b.WriteString("NULL") }
func (e *Star) writeTo(b *strings.Builder)    { b.WriteByte('*') }

func (e *FuncCall) writeTo(b *strings.Builder) {
	b.WriteString(e.Name)
	if e.Params != nil {
		b.WriteByte('(')
		writeList(b, e.Params)
		b.WriteByte(')')
	}
	b.WriteByte('(')
	if unit, ok := e.extractUnit(); ok {
		b.WriteString(unit)
		b.WriteString(" FROM ")
		writeExpr(b, e.Args[1], 0)
	} else {
		if e.Distinct {
			b.WriteString("DISTINCT ")
		}
		writeList(b, e.Args)
	}
	b.WriteByte(')')
	if e.Filter != nil {
		b.WriteString(" FILTER (WHERE ")
		writeExpr(b, e.Filter, 0)
		b.WriteByte(')')
	}
	if e.Over != nil {
		b.WriteString(" OVER ")
		e.Over.writeRef(b)
	}
}

// extractUnit returns the unit of extract('unit', x) when the call can be
// written in the standard form EXTRACT(unit FROM x), which parses back to
// the same tree: a plain call with a unit that is a bare word.
func (e *FuncCall) extractUnit() (string, bool) {
	if !strings.EqualFold(e.Name, "extract") || len(e.Args) != 2 || e.Params != nil || e.Distinct || e.Star {
		return "", false
	}
	unit, ok := e.Args[0].(*StringLit)
	if !ok || !isBareIdent(unit.Value) || isReserved(unit.Value) {
		return "", false
	}
	return unit.Value, true
}

func (e *UnaryExpr) writeTo(b *strings.Builder) {
	if e.Op == "NOT" {
		b.WriteString("NOT ")
		writeExpr(b, e.X, precNot)
		return
	}
	var x strings.Builder
	writeExpr(&x, e.X, precUnary)
	b.WriteString(e.Op)
	if s := x.String(); s != "" && (s[0] == '-' || s[0] == '+') {
		b.WriteByte(' ') // "--" would start a comment
	}
	b.WriteString(x.String())
}

// writeTo renders the right operand one level tighter than the operator:
// all binary operators are left-associative, so a - (b - c) keeps its
// parentheses and (a - b) - c loses them.
func (e *BinaryExpr) writeTo(b *strings.Builder) {
	p := precOf(e)
	writeExpr(b, e.L, p)
	b.WriteByte(' ')
	b.WriteString(e.Op)
	b.WriteByte(' ')
	writeExpr(b, e.R, p+1)
}

// writeNot writes " NOT" for the negated forms of the comparison predicates.
func writeNot(b *strings.Builder, not bool) {
	if not {
		b.WriteString(" NOT")
	}
}

func (e *BetweenExpr) writeTo(b *strings.Builder) {
	writeExpr(b, e.X, precCmp)
	writeNot(b, e.Not)
	b.WriteString(" BETWEEN ")
	writeExpr(b, e.Lo, precConcat)
	b.WriteString(" AND ")
	writeExpr(b, e.Hi, precConcat)
}

func (e *InExpr) writeTo(b *strings.Builder) {
	writeExpr(b, e.X, precCmp)
	writeNot(b, e.Not)
	b.WriteString(" IN (")
	writeList(b, e.List)
	b.WriteByte(')')
}

func (e *InSubqueryExpr) writeTo(b *strings.Builder) {
	writeExpr(b, e.X, precCmp)
	writeNot(b, e.Not)
	b.WriteString(" IN (")
	e.Query.(writer).writeTo(b)
	b.WriteByte(')')
}

func (e *SubqueryExpr) writeTo(b *strings.Builder) {
	b.WriteByte('(')
	e.Query.(writer).writeTo(b)
	b.WriteByte(')')
}

func (e *ExistsExpr) writeTo(b *strings.Builder) {
	b.WriteString("EXISTS (")
	e.Query.(writer).writeTo(b)
	b.WriteByte(')')
}

func (e *IsDistinctExpr) writeTo(b *strings.Builder) {
	writeExpr(b, e.X, precCmp)
	b.WriteString(" IS")
	writeNot(b, e.Not)
	b.WriteString(" DISTINCT FROM ")
	writeExpr(b, e.Y, precConcat)
}

func (e *IsNullExpr) writeTo(b *strings.Builder) {
	writeExpr(b, e.X, precCmp)
	b.WriteString(" IS")
	writeNot(b, e.Not)
	b.WriteString(" NULL")
}

func (e *LikeExpr) writeTo(b *strings.Builder) {
	writeExpr(b, e.X, precCmp)
	writeNot(b, e.Not)
	if e.CaseInsensitive {
		b.WriteString(" ILIKE ")
	} else {
		b.WriteString(" LIKE ")
	}
	writeExpr(b, e.Pattern, precConcat)
}

// writeTo always uses the CAST(...) form: it is unambiguous at any
// precedence, unlike x::t under a unary minus.
func (e *CastExpr) writeTo(b *strings.Builder) {
	b.WriteString("CAST(")
	writeExpr(b, e.X, 0)
	b.WriteString(" AS ")
	b.WriteString(typeString(e.Type, e.TypeArgs))
	b.WriteByte(')')
}

func typeString(name string, args []string) string {
	if len(args) == 0 {
		return name
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}

func (e *CaseExpr) writeTo(b *strings.Builder) {
	b.WriteString("CASE")
	if e.Operand != nil {
		b.WriteByte(' ')
		writeExpr(b, e.Operand, 0)
	}
	for _, w := range e.Whens {
		b.WriteString(" WHEN ")
		writeExpr(b, w.Cond, 0)
		b.WriteString(" THEN ")
		writeExpr(b, w.Result, 0)
	}
	if e.Else != nil {
		b.WriteString(" ELSE ")
		writeExpr(b, e.Else, 0)
	}
	b.WriteString(" END")
}

// writeTo quotes a negative count: INTERVAL followed by a minus sign would
// read as a column named interval minus a number.
func (e *IntervalLit) writeTo(b *strings.Builder) {
	b.WriteString("INTERVAL ")
	n := strconv.FormatInt(e.Value, 10)
	if e.Value < 0 {
		n = "'" + n + "'"
	}
	b.WriteString(n)
	b.WriteByte(' ')
	b.WriteString(e.Unit)
}

func (e *ColumnRef) String() string   { return render(e) }
func (e *IntLit) String() string      { return render(e) }
func (e *FloatLit) String() string    { return render(e) }
func (e *StringLit) String() string   { return render(e) }
func (e *BoolLit) String() string     { return render(e) }
func (e *NullLit) String() string     { return render(e) }
func (e *Star) String() string        { return render(e) }
func (e *FuncCall) String() string    { return render(e) }
func (e *UnaryExpr) String() string   { return render(e) }
func (e *BinaryExpr) String() string  { return render(e) }
func (e *BetweenExpr) String() string { return render(e) }
func (e *InExpr) String() string      { return render(e) }
func (e *IsNullExpr) String() string  { return render(e) }
func (e *LikeExpr) String() string    { return render(e) }
func (e *CastExpr) String() string    { return render(e) }
func (e *CaseExpr) String() string    { return render(e) }
func (e *IntervalLit) String() string { return render(e) }

func (e *InSubqueryExpr) String() string { return render(e) }
func (e *SubqueryExpr) String() string   { return render(e) }
func (e *ExistsExpr) String() string     { return render(e) }
func (e *IsDistinctExpr) String() string { return render(e) }

// QuoteIdent returns name as SQL text: bare if it lexes as a plain
// non-reserved identifier, otherwise double-quoted.
func QuoteIdent(name string) string {
	// TABLE is not reserved (Grafana selects a column named table), but
	// after DESCRIBE, INSERT INTO or TRUNCATE a bare one is the keyword.
	if isBareIdent(name) && !isReserved(name) && !strings.EqualFold(name, "TABLE") {
		return name
	}
	return quoteAlways(name)
}

func quoteAlways(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// stringEscaper writes string literals the lexer reads back unchanged.
// Control characters are escaped so a rendered literal stays on one line.
var stringEscaper = strings.NewReplacer(`'`, `''`, `\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`, "\x00", `\0`)

// QuoteString returns s as a single-quoted SQL string literal.
func QuoteString(s string) string { return "'" + stringEscaper.Replace(s) + "'" }
