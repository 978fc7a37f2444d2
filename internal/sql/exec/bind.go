package exec

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// scope resolves names while binding. Before aggregation it sees the
// table's columns; after aggregation (post set) it sees only the group
// keys and aggregates, matched by their SQL text.
type scope struct {
	table *rdb.Table // nil for SELECT without FROM
	post  map[string]int
	types []model.ColumnType // of post columns
	dicts []*symtab.Dict     // of post columns (symbol keys)
	// aliases lets HAVING name select items; resolving marks the ones
	// being expanded so that "-x AS x" does not recurse.
	aliases   map[string]parser.Expr
	resolving map[string]bool
	// volatile: the statement reads the clock (now()), so its result
	// must not be cached.
	volatile bool
	// windows maps the SQL text of each OVER call to its column, after
	// the table's columns, in the batch runWindowed builds.
	windows     map[string]int
	windowTypes []model.ColumnType
	// alias is the FROM table's alias (lower case), "" without one.
	alias string
	// join resolves names over the two tables of a join.
	join *joinScope
	// wj maps the SQL text of each wj_ call of a WINDOW JOIN to its
	// column, from wjBase on, after the joined row's columns.
	wj      map[string]int
	wjBase  int
	wjTypes []model.ColumnType
	// subquery runs an uncorrelated subquery once, at bind time; nil
	// where subqueries cannot appear.
	subquery func(parser.Query) (*Result, error)
	// used, when set, marks the table columns bound expressions read,
	// so that runWindowed gathers only those.
	used []bool
	// now is the statement's single clock reading, shared by its scopes,
	// so that every now() in a statement is the same instant.
	now *int64
}

// clock returns the statement's time, reading the clock on first use.
func (s *scope) clock() int64 {
	if s.now == nil {
		s.now = new(int64)
	}
	if *s.now == 0 {
		*s.now = time.Now().UnixNano()
	}
	return *s.now
}

func errAt(code Code, pos parser.Pos, format string, args ...any) *Error {
	e := errorf(code, format, args...)
	e.Line, e.Col = pos.Line, pos.Col
	return e
}

// aggregateNames lists the aggregate functions and their argument counts.
var aggregateNames = map[string]int{
	"count": 1, "sum": 1, "avg": 1, "min": 1, "max": 1, "first": 1, "last": 1, "vwap": 2, "wavg": 2,
	"stddev": 1, "stddev_samp": 1, "stddev_pop": 1, "variance": 1, "var_samp": 1, "var_pop": 1,
	"median": 1, "percentile": 2, "quantile": 2, "quantile_cont": 2,
	"arg_min": 2, "arg_max": 2, "argmin": 2, "argmax": 2, "quantileexact": 2,
}

func isAggregate(e parser.Expr) bool {
	f, ok := e.(*parser.FuncCall)
	if !ok || f.Over != nil { // sum(x) OVER (...) is a window function
		return false
	}
	_, ok = aggregateNames[strings.ToLower(f.Name)]
	return ok
}

func (s *scope) bind(e parser.Expr) (expr, error) {
	if s.post != nil {
		if idx, ok := s.post[e.String()]; ok {
			return &colRef{idx: idx, t: s.types[idx]}, nil
		}
	}
	if f, ok := e.(*parser.FuncCall); ok && f.Over == nil && isWJ(f) {
		idx, ok := s.wj[e.String()]
		if !ok {
			return nil, errAt(CodeBadArguments, e.Pos(), "%s needs a WINDOW JOIN, and is allowed only before aggregation", f.Name)
		}
		return &colRef{idx: idx, t: s.wjTypes[idx-s.wjBase]}, nil
	}
	if f, ok := e.(*parser.FuncCall); ok && f.Over != nil {
		idx, ok := s.windows[e.String()]
		if !ok {
			return nil, errAt(CodeBadArguments, e.Pos(), "window functions are allowed only in the select list, QUALIFY and ORDER BY")
		}
		n := len(s.table.Schema.Columns)
		return &colRef{idx: idx, t: s.windowTypes[idx-n]}, nil
	}
	switch e := e.(type) {
	case *parser.ColumnRef:
		x, err := s.bindColumn(e)
		if err != nil && e.Table == "" && strings.EqualFold(e.Name, "current_timestamp") {
			s.volatile = true // SQL's CURRENT_TIMESTAMP, written without parentheses
			return scalarInt(model.TypeTimestamp, s.clock()), nil
		}
		return x, err
	case *parser.IntLit:
		return scalarInt(model.TypeInt64, e.Value), nil
	case *parser.FloatLit:
		return scalarFloat(e.Value), nil
	case *parser.StringLit:
		return scalarString(e.Value), nil
	case *parser.BoolLit:
		return scalarBool(e.Value), nil
	case *parser.NullLit:
		n := scalarNull(model.TypeInt64)
		n.bare = true
		return n, nil
	case *parser.IntervalLit:
		return scalarInt(model.TypeInt64, e.Nanos), nil
	case *parser.UnaryExpr:
		return s.bindUnary(e)
	case *parser.BinaryExpr:
		return s.bindBinary(e)
	case *parser.BetweenExpr:
		return s.bindBetween(e)
	case *parser.InExpr:
		return s.bindIn(e)
	case *parser.IsNullExpr:
		x, err := s.bind(e.X)
		if err != nil {
			return nil, err
		}
		return fold(&isNull{x: x, negate: e.Not})
	case *parser.LikeExpr:
		return s.bindLike(e)
	case *parser.CastExpr:
		return s.bindCast(e)
	case *parser.FuncCall:
		return s.bindFunc(e)
	case *parser.CaseExpr:
		return s.bindCase(e)
	case *parser.SubqueryExpr, *parser.InSubqueryExpr, *parser.ExistsExpr:
		return s.bindSubquery(e)
	case *parser.IsDistinctExpr:
		return s.bindIsDistinct(e)
	case *parser.Star:
		return nil, errAt(CodeBadArguments, e.Pos(), "* is only allowed in count(*) and as a select item")
	}
	return nil, errAt(CodeNotSupported, e.Pos(), "%s is not supported yet", e.String())
}

func (s *scope) bindColumn(e *parser.ColumnRef) (expr, error) {
	name := strings.ToLower(e.Name)
	if target, ok := s.aliases[name]; ok && e.Table == "" && !s.resolving[name] {
		if s.resolving == nil {
			s.resolving = map[string]bool{}
		}
		s.resolving[name] = true
		defer delete(s.resolving, name)
		return s.bind(target)
	}
	if s.post != nil {
		return nil, errAt(CodeGroupBy, e.Pos(), "column %s must appear in GROUP BY or be used in an aggregate function", e.Name)
	}
	if s.join != nil {
		if s.join.merged(e) {
			l, r := *e, *e
			l.Table, r.Table = s.join.leftName, s.join.rightName
			return s.bind(&parser.FuncCall{At: e.At, Name: "coalesce", Args: []parser.Expr{&l, &r}})
		}
		idx, t, err := s.join.resolve(e)
		if err != nil {
			return nil, err
		}
		if s.join.kind == parser.JoinWindow && idx >= len(s.join.left.Schema.Columns) {
			return nil, errAt(CodeBadArguments, e.Pos(), "%s: a WINDOW JOIN reads the right table only inside wj_ aggregates", e.String())
		}
		s.join.used[idx] = true
		return &colRef{idx: idx, t: t}, nil
	}
	if s.table == nil {
		return nil, errAt(CodeUnknownColumn, e.Pos(), "unknown column %s: the query has no FROM clause", e.Name)
	}
	if q := strings.ToLower(e.Table); q != "" && q != s.alias && q != strings.ToLower(s.table.Schema.Name) {
		// Also what a correlated subquery's reference to an outer table
		// meets: those are not supported, and must never bind to a column
		// of the inner table by name.
		return nil, errAt(CodeUnknownColumn, e.Pos(), "unknown column %s: no table %s in this query", e.String(), e.Table)
	}
	i := s.table.Schema.ColumnIndex(e.Name)
	if i < 0 {
		return nil, errAt(CodeUnknownColumn, e.Pos(), "unknown column %s in table %s", e.Name, s.table.Schema.Name)
	}
	if s.used != nil {
		s.used[i] = true
	}
	return &colRef{idx: i, t: execType(s.table.Schema.Columns[i].Type)}, nil
}

// dictOf returns the symbol dictionary behind a SYMBOL expression.
func (s *scope) dictOf(e expr) *symtab.Dict {
	c, ok := e.(*colRef)
	if !ok {
		return nil
	}
	if s.post != nil || s.join != nil {
		return s.dicts[c.idx]
	}
	if c.idx >= len(s.table.Dicts) {
		return nil // a window function's column: never symbol ids
	}
	return s.table.Dicts[c.idx]
}

func (s *scope) bindUnary(e *parser.UnaryExpr) (expr, error) {
	x, err := s.bind(e.X)
	if err != nil {
		return nil, err
	}
	switch e.Op {
	case "NOT":
		x = nullAsBool(x)
		if x.typ() != model.TypeBool {
			return nil, errAt(CodeTypeMismatch, e.Pos(), "NOT needs a BOOL operand, got %s", x.typ())
		}
		return fold(&not{x: x})
	case "+":
		if !x.typ().IsNumeric() {
			return nil, errAt(CodeTypeMismatch, e.Pos(), "unary + needs a number, got %s", x.typ())
		}
		return x, nil
	}
	if !x.typ().IsNumeric() {
		return nil, errAt(CodeTypeMismatch, e.Pos(), "unary - needs a number, got %s", x.typ())
	}
	return fold(&neg{x: x})
}

func (s *scope) bindBinary(e *parser.BinaryExpr) (expr, error) {
	l, err := s.bind(e.L)
	if err != nil {
		return nil, err
	}
	r, err := s.bind(e.R)
	if err != nil {
		return nil, err
	}
	switch e.Op {
	case "AND", "OR":
		l, r = nullAsBool(l), nullAsBool(r)
		if l.typ() != model.TypeBool || r.typ() != model.TypeBool {
			return nil, errAt(CodeTypeMismatch, e.Pos(), "%s needs BOOL operands, got %s and %s", e.Op, l.typ(), r.typ())
		}
		return fold(&logic{and: e.Op == "AND", l: l, r: r})
	case "||":
		return fold(&concat{l: l, r: r})
	case "+", "-", "*", "/", "%":
		return bindArith(e, l, r)
	}
	op, ok := cmpOps[e.Op]
	if !ok {
		return nil, errAt(CodeNotSupported, e.Pos(), "operator %s is not supported", e.Op)
	}
	return s.bindCompare(e.Pos(), op, l, r)
}

func bindArith(e *parser.BinaryExpr, l, r expr) (expr, error) {
	lt, rt := l.typ(), r.typ()
	if !lt.IsNumeric() || !rt.IsNumeric() {
		return nil, errAt(CodeTypeMismatch, e.Pos(), "operator %s needs numbers, got %s and %s", e.Op, lt, rt)
	}
	t := model.TypeInt64
	switch {
	case lt == model.TypeFloat64 || rt == model.TypeFloat64 || e.Op == "/":
		t = model.TypeFloat64
	case lt == model.TypeTimestamp && rt == model.TypeTimestamp:
		t = model.TypeInt64 // the difference of two times is a duration
	case lt == model.TypeTimestamp || rt == model.TypeTimestamp:
		t = model.TypeTimestamp
	}
	return fold(&arith{op: e.Op[0], l: l, r: r, t: t})
}

// bindCompare types a comparison. SYMBOL against a constant compares by
// dictionary id for = and != (an unknown symbol matches nothing), and by
// text otherwise; an integer constant compares with its decimal text, so
// WHERE symbol = 1 works for numeric feed ids.
func (s *scope) bindCompare(pos parser.Pos, op cmpOp, l, r expr) (expr, error) {
	lt, rt := l.typ(), r.typ()
	if rt == model.TypeSymbol && lt != model.TypeSymbol {
		l, r, lt, rt, op = r, l, rt, lt, op.flip()
	}
	switch {
	case lt == model.TypeSymbol:
		return s.bindSymbolCompare(pos, op, l, r)
	case lt.IsNumeric() && rt.IsNumeric():
		kind := cmpInt
		if lt == model.TypeFloat64 || rt == model.TypeFloat64 {
			kind = cmpFloat
		}
		return fold(&compare{op: op, kind: kind, l: l, r: r})
	case lt == model.TypeTimestamp && rt == model.TypeString, lt == model.TypeString && rt == model.TypeTimestamp:
		if lt == model.TypeString {
			l, r, op = r, l, op.flip()
		}
		ts, err := constTimestamp(r)
		if err != nil {
			return nil, errAt(CodeTypeMismatch, pos, "%v", err)
		}
		return fold(&compare{op: op, kind: cmpInt, l: l, r: scalarInt(model.TypeTimestamp, ts)})
	case lt.IsText() && rt.IsText():
		return fold(&compare{op: op, kind: cmpText, l: l, r: r})
	case lt == model.TypeBool && rt == model.TypeBool:
		return fold(&compare{op: op, kind: cmpBool, l: l, r: r})
	}
	if isNullConst(l) || isNullConst(r) {
		return scalarNull(model.TypeBool), nil
	}
	return nil, errAt(CodeTypeMismatch, pos, "cannot compare %s with %s", lt, rt)
}

func (op cmpOp) flip() cmpOp {
	switch op {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return op
}

func (s *scope) bindSymbolCompare(pos parser.Pos, op cmpOp, l, r expr) (expr, error) {
	c, isConst := r.(*constExpr)
	dict := s.dictOf(l)
	if !isConst || dict == nil || (op != opEq && op != opNe) {
		if r.typ() == model.TypeSymbol || r.typ() == model.TypeString || isConst {
			if isConst {
				text, ok := constText(c)
				if !ok {
					return nil, errAt(CodeTypeMismatch, pos, "cannot compare SYMBOL with %s", r.typ())
				}
				r = scalarString(text)
			}
			return fold(&compare{op: op, kind: cmpText, l: l, r: r})
		}
		return nil, errAt(CodeTypeMismatch, pos, "cannot compare SYMBOL with %s", r.typ())
	}
	if c.v.isNull(0) {
		return scalarNull(model.TypeBool), nil
	}
	text, ok := constText(c)
	if !ok {
		return nil, errAt(CodeTypeMismatch, pos, "cannot compare SYMBOL with %s", r.typ())
	}
	return &compare{op: op, kind: cmpSym, l: l, r: symConst(dict, text)}, nil
}

// missingSymbol is an id no dictionary hands out: comparing with it
// matches nothing.
const missingSymbol = math.MaxUint32 - 1

func symConst(dict *symtab.Dict, text string) *constExpr {
	v := constVec(model.TypeSymbol, 1, false)
	v.dict = dict
	id, ok := dict.Lookup(text)
	if !ok {
		id = missingSymbol
	}
	v.sym[0] = id
	return &constExpr{v: v}
}

// constText renders a string or integer constant as the text a SYMBOL
// compares with.
func constText(c *constExpr) (string, bool) {
	switch c.v.typ {
	case model.TypeString:
		return c.v.s[0], true
	case model.TypeInt64:
		return strconv.FormatInt(c.v.i64[0], 10), true
	}
	return "", false
}

// nullAsBool types a bare NULL as BOOL where a condition is expected.
func nullAsBool(e expr) expr {
	if isNullConst(e) {
		return scalarNull(model.TypeBool)
	}
	return e
}

func isNullConst(e expr) bool {
	c, ok := e.(*constExpr)
	return ok && c.v.isNull(0)
}

// constTimestamp reads a timestamp constant written as text.
func constTimestamp(e expr) (int64, error) {
	c, ok := e.(*constExpr)
	if !ok || c.v.typ != model.TypeString {
		return 0, errorf(CodeTypeMismatch, "cannot compare TIMESTAMP with a STRING column")
	}
	return parseTimestamp(c.v.s[0])
}

var timestampLayouts = []string{
	time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02",
	"2006.01.02D15:04:05.999999999",
}

// parseTimestamp reads text as a UTC timestamp in nanoseconds.
func parseTimestamp(s string) (int64, error) {
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixNano(), nil
		}
	}
	return 0, errorf(CodeTypeMismatch, "cannot read %q as a timestamp (use 2006-01-02 15:04:05[.nnnnnnnnn] or RFC 3339)", s)
}

func (s *scope) bindBetween(e *parser.BetweenExpr) (expr, error) {
	ge := &parser.BinaryExpr{At: e.At, Op: ">=", L: e.X, R: e.Lo}
	le := &parser.BinaryExpr{At: e.At, Op: "<=", L: e.X, R: e.Hi}
	x, err := s.bind(&parser.BinaryExpr{At: e.At, Op: "AND", L: ge, R: le})
	if err != nil || !e.Not {
		return x, err
	}
	return fold(&not{x: x})
}

func (s *scope) bindIn(e *parser.InExpr) (expr, error) {
	x, err := s.bind(e.X)
	if err != nil {
		return nil, err
	}
	set := &inSet{x: x, negate: e.Not, ints: map[int64]bool{}, floats: map[float64]bool{},
		texts: map[string]bool{}, syms: map[uint32]bool{}, bools: map[bool]bool{}}
	dict := s.dictOf(x)
	for _, item := range e.List {
		v, err := s.bind(item)
		if err != nil {
			return nil, err
		}
		c, ok := v.(*constExpr)
		if !ok {
			return nil, errAt(CodeNotSupported, item.Pos(), "IN lists must hold constants")
		}
		if err := set.add(x.typ(), dict, c); err != nil {
			return nil, errAt(CodeTypeMismatch, item.Pos(), "%v", err)
		}
	}
	return fold(set)
}

func (set *inSet) add(t model.ColumnType, dict *symtab.Dict, c *constExpr) error {
	v := c.v
	if v.isNull(0) {
		set.hasNull = true
		return nil
	}
	switch {
	case t == model.TypeSymbol && dict == nil:
		return errorf(CodeNotSupported, "IN over a computed SYMBOL")
	case t == model.TypeSymbol:
		text, ok := constText(c)
		if !ok {
			return errorf(CodeTypeMismatch, "cannot compare SYMBOL with %s", v.typ)
		}
		if id, ok := dict.Lookup(text); ok {
			set.syms[id] = true
		}
	case t == model.TypeTimestamp && v.typ == model.TypeString:
		ts, err := parseTimestamp(v.s[0])
		if err != nil {
			return err
		}
		set.ints[ts] = true
	case t.IsInteger() && v.typ.IsInteger():
		set.ints[v.i64[0]] = true
	case t.IsInteger() && v.typ == model.TypeFloat64:
		if f := v.f64[0]; f == math.Trunc(f) {
			set.ints[int64(f)] = true
		}
	case t == model.TypeFloat64 && v.typ.IsNumeric():
		set.floats[v.float(0)] = true
	case t == model.TypeString && v.typ == model.TypeString:
		set.texts[v.s[0]] = true
	case t == model.TypeBool && v.typ == model.TypeBool:
		set.bools[v.b[0]] = true
	default:
		return errorf(CodeTypeMismatch, "cannot compare %s with %s", t, v.typ)
	}
	return nil
}

func (s *scope) bindLike(e *parser.LikeExpr) (expr, error) {
	x, err := s.bind(e.X)
	if err != nil {
		return nil, err
	}
	x = nullAsText(x)
	if !x.typ().IsText() {
		return nil, errAt(CodeTypeMismatch, e.Pos(), "LIKE needs text, got %s", x.typ())
	}
	p, ok := e.Pattern.(*parser.StringLit)
	if !ok {
		return nil, errAt(CodeNotSupported, e.Pattern.Pos(), "LIKE patterns must be string constants")
	}
	re, err := likeRegexp(p.Value, e.CaseInsensitive)
	if err != nil {
		return nil, errAt(CodeBadArguments, e.Pattern.Pos(), "bad LIKE pattern: %v", err)
	}
	return fold(&like{x: x, re: re, negate: e.Not})
}

func (s *scope) bindCast(e *parser.CastExpr) (expr, error) {
	x, err := s.bind(e.X)
	if err != nil {
		return nil, err
	}
	t, err := model.ParseType(e.Type)
	if err != nil {
		return nil, errAt(CodeTypeMismatch, e.Pos(), "%v", err)
	}
	return fold(&cast{x: x, to: t})
}

// fold evaluates an expression whose inputs are all constants once, at
// bind time.
func fold(e expr) (expr, error) {
	if !allConst(e) {
		return e, nil
	}
	v, err := e.eval(&batch{n: 1, symCol: -1})
	if err != nil {
		return nil, mapRuntimeError(err)
	}
	v = v.dense()
	v.constant = true
	return &constExpr{v: v}, nil
}

func allConst(e expr) bool {
	for _, c := range children(e) {
		if _, ok := c.(*constExpr); !ok {
			return false
		}
	}
	switch e.(type) {
	case *colRef, *constExpr:
		return false
	}
	return true
}

func children(e expr) []expr {
	switch e := e.(type) {
	case *arith:
		return []expr{e.l, e.r}
	case *compare:
		return []expr{e.l, e.r}
	case *logic:
		return []expr{e.l, e.r}
	case *concat:
		return []expr{e.l, e.r}
	case *neg:
		return []expr{e.x}
	case *not:
		return []expr{e.x}
	case *isNull:
		return []expr{e.x}
	case *inSet:
		return []expr{e.x}
	case *like:
		return []expr{e.x}
	case *cast:
		return []expr{e.x}
	case *xbar:
		return []expr{e.x}
	case *mathFunc:
		return []expr{e.x}
	case *roundFunc:
		return []expr{e.x}
	case *textFunc:
		return []expr{e.x}
	}
	return nil
}
