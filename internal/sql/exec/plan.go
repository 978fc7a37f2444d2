package exec

import (
	"context"
	"strings"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// selectPlan is a bound SELECT.
type selectPlan struct {
	budget *memBudget // nil: no memory limit
	table  *rdb.Table // nil without FROM
	prune  pruning
	where  predicate // nil: every row
	names  []string
	proj   []expr // over the table, or over the aggregate result when agg is set
	agg    *aggPlan
	having predicate // over the aggregate result
	order  []orderKey
	limit  int64 // -1: no limit
	offset int64
	// limitBy: LIMIT n BY cols, applied after ORDER BY and before LIMIT.
	limitBy *limitByPlan
	// stats measures the run for EXPLAIN ANALYZE; nil otherwise.
	stats *analyzeStats
	// volatile: the result depends on the clock, not only on the data.
	volatile bool
	latestOn *latestOnPlan // LATEST ON, or nil
	sample   *samplePlan   // SAMPLE BY, or nil
	asof     *asofPlan     // ASOF JOIN, or nil
	windows  []*windowCall // window functions, computed after WHERE
	// windowCols marks the table columns the window functions, the
	// select list, QUALIFY and ORDER BY read.
	windowCols []bool
}

// planWindows binds a query with window functions: the calls over the
// table's columns, then the select list, QUALIFY (as a filter after the
// windows) and ORDER BY over the table's columns plus one column per call.
func (x *Executor) planWindows(p *selectPlan, sc *scope, s *parser.Select, calls []*parser.FuncCall, items, orderBy []parser.Expr) error {
	switch {
	case p.table == nil:
		return errAt(CodeBadArguments, calls[0].Pos(), "window functions need a FROM clause")
	case len(s.GroupBy) > 0 || s.Distinct || s.Having != nil || anyAggregate(items) || anyAggregate(orderBy):
		return errAt(CodeNotSupported, calls[0].Pos(), "window functions together with GROUP BY, DISTINCT or aggregates are not supported yet")
	case s.LatestOn != nil || s.SampleBy != nil || p.asof != nil:
		return errAt(CodeNotSupported, calls[0].Pos(), "window functions with LATEST ON, SAMPLE BY or joins are not supported yet")
	}
	n := len(p.table.Schema.Columns)
	sc.used = make([]bool, n) // shared with ws: the columns to gather
	p.windowCols = sc.used
	ws := *sc
	ws.windows = map[string]int{}
	for _, f := range calls {
		key := f.String()
		if _, dup := ws.windows[key]; dup {
			continue
		}
		resolved, err := resolveWindow(f, s.Windows)
		if err != nil {
			return err
		}
		w, err := bindWindow(sc, resolved)
		if err != nil {
			return err
		}
		ws.windows[key] = n + len(p.windows)
		ws.windowTypes = append(ws.windowTypes, w.t)
		p.windows = append(p.windows, w)
	}
	for _, e := range items {
		b, err := ws.bind(e)
		if err != nil {
			return err
		}
		p.proj = append(p.proj, b)
	}
	for i, e := range orderBy {
		b, err := ws.bind(e)
		if err != nil {
			return err
		}
		o := s.OrderBy[i]
		k := orderKey{e: b, desc: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		p.order = append(p.order, k)
	}
	if s.Qualify != nil {
		q, err := compilePredicate(&ws, inlineAliases(s.Qualify, s.Items, p.table))
		if err != nil {
			return err
		}
		p.having = q
	}
	p.volatile = sc.volatile || ws.volatile
	return p.bindLimit(s)
}

func refName(t *parser.TableRef) string {
	if t.Alias != "" {
		return strings.ToLower(t.Alias)
	}
	return strings.ToLower(t.Name)
}

type orderKey struct {
	e          expr
	desc       bool
	nullsFirst bool
}

// aggPlan is the aggregation step: group keys and aggregates, whose
// results form the columns (keys first) the post-aggregation scope reads.
type aggPlan struct {
	budget *memBudget
	keys   []expr
	specs  []*aggSpec
	tsCol  int // designated timestamp for first/last, -1 if none
}

type aggSpec struct {
	name string // canonical: count, count_distinct, sum, ..., var_samp, quantile, arg_min, vwap
	star bool
	args []expr
	t    model.ColumnType
	p    float64 // the quantile of quantile aggregates
	// distinct: agg(DISTINCT x) other than count, fed each value once.
	distinct bool
}

func (x *Executor) planSelect(ctx context.Context, s *parser.Select, env *queryEnv) (*selectPlan, error) {
	s, err := rewriteAggFilters(s)
	if err != nil {
		return nil, err
	}
	if err := unsupportedSelect(s); err != nil {
		return nil, err
	}
	p := &selectPlan{limit: -1, budget: budgetOf(ctx)}
	sc := &scope{now: new(int64)}
	sc.subquery = func(q parser.Query) (*Result, error) {
		sc.volatile = true // reads other tables: the cache cannot key it by one version
		return x.runQuery(ctx, q, env)
	}
	if s.Where != nil {
		cs := *s // the statement may be a cached or shared tree: rewrite a copy
		cs.Where = x.whereAliases(ctx, &cs, env)
		s = &cs
	}
	where := s.Where
	if j, ok := s.Source.(*parser.Join); ok {
		var err error
		exprs := append(append(itemExprs(s.Items), orderItems(s.OrderBy)...), s.Having)
		if where, err = x.planJoin(ctx, p, sc, j, where, append(exprs, s.GroupBy...), env); err != nil {
			return nil, err
		}
	}
	if s.From != nil {
		t, err := env.table(ctx, x, s.From.Name)
		if err != nil {
			return nil, errAt(CodeUnknownTable, s.From.At, "unknown table %s", s.From.Name)
		}
		p.table, sc.table, sc.alias = t, t, strings.ToLower(s.From.Alias)
		if s.SampleBy != nil {
			first := func() (int64, error) { return x.firstTimestamp(ctx, s, t, env) }
			if s, p.sample, err = rewriteSampleBy(s, t, first); err != nil {
				return nil, err
			}
		}
		p.prune = prune(t, s.Where)
	}
	if s.SampleBy != nil && p.table == nil {
		return nil, errAt(CodeBadArguments, s.SampleBy.At, "SAMPLE BY needs a FROM clause")
	}
	items, err := expandStar(s.Items, p.table, sc.join)
	if err != nil {
		return nil, err
	}
	if err := p.bindWhere(sc, where); err != nil {
		return nil, err
	}
	if s.Sample != nil {
		rs, err := bindRowSample(s, p.table.Rows())
		if err != nil {
			return nil, err
		}
		p.where = andPredicates(p.where, rs)
	}
	groupBy, err := resolveRefs(s.GroupBy, items, p.table, false)
	if err != nil {
		return nil, err
	}
	orderBy := make([]parser.Expr, len(s.OrderBy))
	for i, o := range s.OrderBy {
		orderBy[i] = o.Expr
	}
	if orderBy, err = resolveRefs(orderBy, items, p.table, true); err != nil {
		return nil, err
	}
	itemExprs := make([]parser.Expr, len(items))
	for i, it := range items {
		itemExprs[i] = it.Expr
		p.names = append(p.names, itemName(it))
	}
	if calls := windowCalls(append(append(append([]parser.Expr{}, itemExprs...), orderBy...), s.Qualify)...); len(calls) > 0 {
		return p, x.planWindows(p, sc, s, calls, itemExprs, orderBy)
	}
	if s.Qualify != nil {
		return nil, errAt(CodeBadArguments, s.Qualify.Pos(), "QUALIFY needs a window function")
	}
	hasAgg := anyAggregate(itemExprs) || anyAggregate(orderBy) || s.Having != nil
	if s.Distinct {
		if hasAgg || len(groupBy) > 0 {
			return nil, errAt(CodeNotSupported, s.At, "DISTINCT together with GROUP BY or aggregates is not supported yet")
		}
		groupBy, hasAgg = itemExprs, true
	}
	post := sc
	if hasAgg || len(groupBy) > 0 {
		if post, err = p.bindAggregation(sc, groupBy, itemExprs, aliasMap(items), s.Having, orderBy); err != nil {
			return nil, err
		}
	}
	for _, e := range itemExprs {
		b, err := post.bind(e)
		if err != nil {
			return nil, err
		}
		p.proj = append(p.proj, b)
	}
	for i, e := range orderBy {
		b, err := post.bind(e)
		if err != nil {
			return nil, err
		}
		o := s.OrderBy[i]
		k := orderKey{e: b, desc: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		p.order = append(p.order, k)
	}
	p.volatile = sc.volatile || post.volatile
	if s.LatestOn != nil {
		if p.agg != nil || p.asof != nil {
			return nil, errAt(CodeNotSupported, s.LatestOn.At, "LATEST ON together with aggregates or DISTINCT is not supported yet")
		}
		if p.latestOn, err = bindLatestOn(sc, s.LatestOn); err != nil {
			return nil, err
		}
	}
	return p, p.bindLimit(s)
}

// bindLatestOn resolves LATEST ON ts PARTITION BY cols.
func bindLatestOn(sc *scope, l *parser.LatestOn) (*latestOnPlan, error) {
	if sc.table == nil {
		return nil, errAt(CodeBadArguments, l.At, "LATEST ON needs a FROM clause")
	}
	schema := sc.table.Schema
	if i := schema.ColumnIndex(l.Timestamp); i < 0 || i != schema.TimestampCol {
		return nil, errAt(CodeNotSupported, l.At, "LATEST ON %s: only the designated timestamp is supported", l.Timestamp)
	}
	lo := &latestOnPlan{}
	for _, name := range l.PartitionBy {
		k, err := sc.bind(&parser.ColumnRef{At: l.At, Name: name})
		if err != nil {
			return nil, err
		}
		lo.keys = append(lo.keys, k)
	}
	if c, ok := lo.keys[0].(*colRef); ok && len(lo.keys) == 1 && c.idx == schema.SymbolCol {
		lo.bySymbol = true
	}
	return lo, nil
}

// unsupportedSelect names the first construct of s that the engine does
// not execute yet, so that it fails clearly instead of being ignored.
func unsupportedSelect(s *parser.Select) error {
	notYet := func(pos parser.Pos, what string) error {
		return errAt(CodeNotSupported, pos, "%s is not supported yet", what)
	}
	switch {
	case s.Source != nil && s.From == nil:
		j, ok := s.Source.(*parser.Join)
		if !ok {
			return notYet(s.Source.Pos(), "this FROM clause")
		}
		_, lok := j.Left.(*parser.TableRef)
		_, rok := j.Right.(*parser.TableRef)
		if !lok || !rok {
			return notYet(j.At, "joins of more than two tables, or of subqueries")
		}
		if s.LatestOn != nil || s.SampleBy != nil {
			return notYet(j.At, "joins with LATEST ON or SAMPLE BY")
		}
	case s.Sample != nil && s.From == nil:
		return notYet(s.Sample.Pos(), "SAMPLE over a join or without a table")
	}
	for _, it := range s.Items {
		if it.StarTable != "" {
			return notYet(it.At, it.StarTable+".*")
		}
	}
	var err error
	check := func(e parser.Expr, overOK bool) {
		parser.Inspect(e, func(n parser.Expr) bool {
			f, ok := n.(*parser.FuncCall)
			switch {
			case err != nil || !ok:
			case f.Over != nil && !overOK:
				err = errAt(CodeBadArguments, f.Pos(), "window functions are allowed only in the select list, QUALIFY and ORDER BY")
			}
			return err == nil
		})
	}
	for _, e := range append(append([]parser.Expr{s.Qualify}, orderItems(s.OrderBy)...), itemExprs(s.Items)...) {
		check(e, true)
	}
	for _, e := range append([]parser.Expr{s.Where, s.Having}, s.GroupBy...) {
		check(e, false)
	}
	return err
}

func itemExprs(items []parser.SelectItem) []parser.Expr {
	out := make([]parser.Expr, 0, len(items))
	for _, it := range items {
		out = append(out, it.Expr)
	}
	return out
}

// windowCalls lists the OVER calls of exprs, not descending into them.
func windowCalls(exprs ...parser.Expr) []*parser.FuncCall {
	var out []*parser.FuncCall
	for _, e := range exprs {
		parser.Inspect(e, func(n parser.Expr) bool {
			if f, ok := n.(*parser.FuncCall); ok && f.Over != nil {
				out = append(out, f)
				return false
			}
			return true
		})
	}
	return out
}

func orderItems(items []parser.OrderItem) []parser.Expr {
	out := make([]parser.Expr, len(items))
	for i, o := range items {
		out[i] = o.Expr
	}
	return out
}

func aliasMap(items []parser.SelectItem) map[string]parser.Expr {
	m := map[string]parser.Expr{}
	for _, it := range items {
		if it.Alias != "" {
			m[strings.ToLower(it.Alias)] = it.Expr
		}
	}
	return m
}

func itemName(it parser.SelectItem) string {
	if it.Alias != "" {
		return it.Alias
	}
	if c, ok := it.Expr.(*parser.ColumnRef); ok {
		return c.Name
	}
	return it.Expr.String()
}

// expandStar replaces * with the table's columns.
func expandStar(items []parser.SelectItem, t *rdb.Table, j *joinScope) ([]parser.SelectItem, error) {
	var out []parser.SelectItem
	for _, it := range items {
		if !it.Star {
			out = append(out, it)
			continue
		}
		if t == nil {
			return nil, errAt(CodeBadArguments, it.At, "SELECT * needs a FROM clause")
		}
		if j == nil {
			for _, c := range t.Schema.Columns {
				out = append(out, parser.SelectItem{At: it.At, Expr: &parser.ColumnRef{At: it.At, Name: c.Name}})
			}
			continue
		}
		// USING columns appear once, where the left table has them, as
		// the merged column; the right table's copies are left out.
		for _, c := range j.left.Schema.Columns {
			ref := &parser.ColumnRef{At: it.At, Table: j.leftName, Name: c.Name}
			if j.using[lowerName(c.Name)] {
				ref.Table = ""
			}
			out = append(out, parser.SelectItem{At: it.At, Alias: c.Name, Expr: ref})
		}
		for _, c := range j.right.Schema.Columns {
			if !j.using[lowerName(c.Name)] && j.kind != parser.JoinWindow { // a window join's right rows are aggregated
				out = append(out, parser.SelectItem{At: it.At, Alias: c.Name, Expr: &parser.ColumnRef{At: it.At, Table: j.rightName, Name: c.Name}})
			}
		}
	}
	return out, nil
}

// resolveRefs replaces select-list aliases and 1-based ordinals in GROUP
// BY and ORDER BY with the select item they name. When a name is both a
// table column and an alias, ORDER BY takes the alias and GROUP BY the
// column, as DuckDB does.
func resolveRefs(exprs []parser.Expr, items []parser.SelectItem, t *rdb.Table, preferAlias bool) ([]parser.Expr, error) {
	out := make([]parser.Expr, len(exprs))
	for i, e := range exprs {
		out[i] = e
		switch r := e.(type) {
		case *parser.IntLit:
			if r.Value < 1 || r.Value > int64(len(items)) {
				return nil, errAt(CodeBadArguments, r.At, "position %d is not in the select list (1 to %d)", r.Value, len(items))
			}
			out[i] = items[r.Value-1].Expr
		case *parser.ColumnRef:
			if !preferAlias && t != nil && t.Schema.ColumnIndex(r.Name) >= 0 {
				continue
			}
			for _, it := range items {
				if it.Alias != "" && strings.EqualFold(it.Alias, r.Name) {
					out[i] = it.Expr
				}
			}
		}
	}
	return out, nil
}

func firstAggregate(e parser.Expr) *parser.FuncCall {
	var first *parser.FuncCall
	walkAggregates(e, func(f *parser.FuncCall) {
		if first == nil {
			first = f
		}
	})
	return first
}

func anyAggregate(exprs []parser.Expr) bool {
	found := false
	for _, e := range exprs {
		walkAggregates(e, func(*parser.FuncCall) { found = true })
	}
	return found
}

// walkAggregates calls fn for every aggregate call in e, not descending
// into aggregate arguments.
func walkAggregates(e parser.Expr, fn func(*parser.FuncCall)) {
	if e == nil {
		return
	}
	if isAggregate(e) {
		fn(e.(*parser.FuncCall))
		return
	}
	for _, c := range astChildren(e) {
		walkAggregates(c, fn)
	}
}

func astChildren(e parser.Expr) []parser.Expr {
	switch e := e.(type) {
	case *parser.FuncCall:
		return e.Args
	case *parser.UnaryExpr:
		return []parser.Expr{e.X}
	case *parser.BinaryExpr:
		return []parser.Expr{e.L, e.R}
	case *parser.BetweenExpr:
		return []parser.Expr{e.X, e.Lo, e.Hi}
	case *parser.InExpr:
		return append([]parser.Expr{e.X}, e.List...)
	case *parser.IsNullExpr:
		return []parser.Expr{e.X}
	case *parser.LikeExpr:
		return []parser.Expr{e.X, e.Pattern}
	case *parser.CastExpr:
		return []parser.Expr{e.X}
	}
	return nil
}

func (p *selectPlan) bindWhere(sc *scope, where parser.Expr) error {
	if where == nil {
		return nil
	}
	if f := firstAggregate(where); f != nil {
		return errAt(CodeGroupBy, f.Pos(), "aggregate function %s is not allowed in WHERE (use HAVING)", f.String())
	}
	pred, err := compilePredicate(sc, where)
	p.where = pred
	return err
}

// compilePredicate turns a WHERE expression into a predicate: AND chains
// narrow step by step, and column-versus-constant comparisons get direct
// kernels.
func compilePredicate(sc *scope, e parser.Expr) (predicate, error) {
	if terms := conjuncts(e); len(terms) > 1 {
		and := &andPred{}
		for _, t := range terms {
			p, err := compilePredicate(sc, t)
			if err != nil {
				return nil, err
			}
			and.terms = append(and.terms, p)
		}
		return and, nil
	}
	b, err := sc.bind(e)
	if err != nil {
		return nil, err
	}
	if b.typ() != model.TypeBool && !isNullConst(b) {
		return nil, errAt(CodeTypeMismatch, e.Pos(), "WHERE needs a BOOL condition, got %s", b.typ())
	}
	if f := directFilter(b); f != nil {
		return f, nil
	}
	return &exprPred{e: b}, nil
}

// directFilter recognises a bound "column op constant" comparison.
func directFilter(e expr) predicate {
	c, ok := e.(*compare)
	if !ok {
		return nil
	}
	col, ok1 := c.l.(*colRef)
	k, ok2 := c.r.(*constExpr)
	if !ok1 || !ok2 || k.v.isNull(0) {
		return nil
	}
	f := &filterCmp{op: c.op, col: col}
	switch {
	case c.kind == cmpInt && col.t.IsInteger():
		f.i64 = k.v.i64[0]
	case c.kind == cmpFloat && col.t == model.TypeFloat64:
		f.f64 = k.v.float(0)
	case c.kind == cmpSym:
		f.sym = k.v.sym[0]
	case c.kind == cmpText && col.t == model.TypeString:
		f.str = k.v.s[0]
	default:
		return nil
	}
	return f
}

// bindAggregation binds the group keys and collects the aggregates, and
// returns the scope in which select items, HAVING and ORDER BY are bound.
func (p *selectPlan) bindAggregation(sc *scope, groupBy, items []parser.Expr, aliases map[string]parser.Expr, having parser.Expr, orderBy []parser.Expr) (*scope, error) {
	a := &aggPlan{tsCol: -1}
	post0 := sc.now
	if p.table != nil {
		a.tsCol = p.table.Schema.TimestampCol
	}
	post := &scope{table: p.table, post: map[string]int{}, now: post0, subquery: sc.subquery}
	for _, g := range groupBy {
		if f := firstAggregate(g); f != nil {
			return nil, errAt(CodeGroupBy, f.Pos(), "aggregate function %s is not allowed in GROUP BY", f.String())
		}
		k, err := sc.bind(g)
		if err != nil {
			return nil, err
		}
		if _, dup := post.post[g.String()]; dup {
			continue
		}
		post.post[g.String()] = len(a.keys)
		post.types = append(post.types, k.typ())
		post.dicts = append(post.dicts, sc.dictOf(k))
		a.keys = append(a.keys, k)
	}
	var bindErr error
	collect := func(f *parser.FuncCall) {
		if _, seen := post.post[f.String()]; seen || bindErr != nil {
			return
		}
		spec, err := bindAggregate(sc, f)
		if err != nil {
			bindErr = err
			return
		}
		post.post[f.String()] = len(post.types)
		post.types = append(post.types, spec.t)
		post.dicts = append(post.dicts, nil)
		a.specs = append(a.specs, spec)
	}
	for _, e := range append(append(items, having), orderBy...) {
		walkAggregates(e, collect)
	}
	if bindErr != nil {
		return nil, bindErr
	}
	if sc.join != nil && a.tsCol >= 0 {
		// first and last order by the left's designated timestamp, which
		// a joined batch then has to carry even when nothing else reads it.
		for _, s := range a.specs {
			if s.name == "first" || s.name == "last" {
				sc.join.used[a.tsCol] = true
			}
		}
	}
	a.budget = p.budget
	p.agg = a
	post.aliases = aliases
	if having != nil {
		h, err := compilePredicate(post, having)
		if err != nil {
			return nil, err
		}
		p.having = h
	}
	return post, nil
}

// aggregateAliases maps spellings to canonical aggregate names.
var aggregateAliases = map[string]string{
	"stddev": "stddev_samp", "variance": "var_samp", "argmin": "arg_min", "argmax": "arg_max",
	"percentile": "quantile", "quantile_cont": "quantile", "median": "quantile",
	"quantileexact": "quantile_exact",
}

func bindAggregate(sc *scope, f *parser.FuncCall) (*aggSpec, error) {
	name := strings.ToLower(f.Name)
	if f.Params != nil {
		// ClickHouse's parametric form: quantile(0.9)(x) is quantile(x, 0.9).
		if (name != "quantile" && name != "quantileexact") || len(f.Params) != 1 || len(f.Args) != 1 {
			return nil, errAt(CodeNotSupported, f.Pos(), "%s(...)(...) is not supported (quantile(p)(x) is)", f.Name)
		}
		g := *f
		g.Args, g.Params = []parser.Expr{f.Args[0], f.Params[0]}, nil
		f = &g
	}
	if name == "count" && len(f.Args) == 0 && !f.Star && !f.Distinct {
		g := *f // ClickHouse's count() is count(*)
		g.Star = true
		f = &g
	}
	spec := &aggSpec{name: name, star: f.Star}
	if canon, ok := aggregateAliases[name]; ok {
		spec.name = canon
	}
	if f.Star {
		if name != "count" {
			return nil, errAt(CodeBadArguments, f.Pos(), "only count takes *")
		}
		spec.t = model.TypeInt64
		return spec, nil
	}
	if want := aggregateNames[name]; len(f.Args) != want {
		return nil, errAt(CodeBadArguments, f.Pos(), "%s takes %d argument(s), got %d", name, want, len(f.Args))
	}
	for _, a := range f.Args {
		if inner := firstAggregate(a); inner != nil {
			return nil, errAt(CodeGroupBy, inner.Pos(), "aggregate functions cannot be nested")
		}
		b, err := sc.bind(a)
		if err != nil {
			return nil, err
		}
		spec.args = append(spec.args, b)
	}
	if f.Distinct {
		switch {
		case name == "count":
			spec.name = "count_distinct"
		case name == "min" || name == "max": // the same with or without
		case len(spec.args) == 1 && spec.args[0].typ().IsNumeric() && distinctFeedable[name]:
			spec.distinct = true
		default:
			return nil, errAt(CodeNotSupported, f.Pos(), "%s(DISTINCT ...) is not supported (count, sum, avg, min, max, variance, stddev and quantiles of one number are)", name)
		}
	}
	if name == "median" {
		spec.args, spec.p = spec.args[:1], 0.5
	}
	return spec, typeAggregate(spec, f)
}

// distinctFeedable lists the aggregates that take DISTINCT by feeding
// each group's distinct values once (see distinctFeed).
var distinctFeedable = map[string]bool{
	"sum": true, "avg": true, "var_samp": true, "var_pop": true, "stddev_samp": true, "stddev_pop": true,
	"variance": true, "stddev": true, "median": true, "quantile": true, "percentile": true, "quantile_cont": true, "quantileexact": true,
}

// typeAggregate checks argument types and sets the result type.
func typeAggregate(spec *aggSpec, f *parser.FuncCall) error {
	t := spec.args[0].typ()
	numeric := func(args ...expr) error {
		for _, a := range args {
			if !a.typ().IsNumeric() {
				return errAt(CodeTypeMismatch, f.Pos(), "%s needs numbers, got %s", f.Name, a.typ())
			}
		}
		return nil
	}
	switch spec.name {
	case "count", "count_distinct":
		spec.t = model.TypeInt64
	case "sum":
		spec.t = model.TypeFloat64
		if t.IsInteger() {
			spec.t = model.TypeInt64
		}
		return numeric(spec.args...)
	case "avg", "vwap", "var_samp", "var_pop", "stddev_samp", "stddev_pop":
		spec.t = model.TypeFloat64
		return numeric(spec.args...)
	case "wavg":
		spec.t = model.TypeFloat64
		spec.args = []expr{spec.args[1], spec.args[0]} // wavg(w, x) is vwap(x, w)
		return numeric(spec.args...)
	case "quantile", "quantile_exact":
		spec.t = model.TypeFloat64
		if len(spec.args) == 2 {
			c, ok := spec.args[1].(*constExpr)
			if !ok || !c.v.typ.IsNumeric() || c.v.isNull(0) || c.v.float(0) < 0 || c.v.float(0) > 1 {
				return errAt(CodeBadArguments, f.Pos(), "%s needs a constant quantile between 0 and 1", f.Name)
			}
			spec.p, spec.args = c.v.float(0), spec.args[:1]
		}
		if t == model.TypeTimestamp {
			return errAt(CodeNotSupported, f.Pos(), "%s of timestamps is not supported yet", f.Name)
		}
		return numeric(spec.args...)
	case "arg_min", "arg_max":
		spec.t = outType(t)
	default: // min, max, first, last
		spec.t = outType(t)
	}
	return nil
}

func (p *selectPlan) bindLimit(s *parser.Select) error {
	lb, err := bindLimitBy(s.LimitBy, p.names)
	if err != nil {
		return err
	}
	p.limitBy = lb
	return p.bindLimitCount(s)
}

func (p *selectPlan) bindLimitCount(s *parser.Select) error {
	read := func(e parser.Expr, what string) (int64, error) {
		l, ok := e.(*parser.IntLit)
		if !ok || l.Value < 0 {
			return 0, errAt(CodeBadArguments, e.Pos(), "%s must be a non-negative integer constant", what)
		}
		return l.Value, nil
	}
	var err error
	if s.Limit != nil {
		if p.limit, err = read(s.Limit, "LIMIT"); err != nil {
			return err
		}
	}
	if s.Offset != nil {
		p.offset, err = read(s.Offset, "OFFSET")
	}
	return err
}

// dictsOf returns the dictionaries of a table, or none.
func dictsOf(t *rdb.Table) []*symtab.Dict {
	if t == nil {
		return nil
	}
	return t.Dicts
}
