package exec

import (
	"context"
	"strconv"
	"strings"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// Joins of more than two tables, and joins of subqueries, run on the
// two-table join by materializing: a subquery side becomes a derived table
// under its alias, and the join of the first tables becomes a derived
// table whose columns are named "qualifier.column", so that every later
// reference to t.x (or an unambiguous x) can be rewritten to that column.
// Joins nest to the left, as SQL parses them: ((a JOIN b) JOIN c) ...

// joinColumn is one column a join's FROM clause makes visible: qual.name
// to the query, stored as column col of the table named src.
type joinColumn struct {
	qual, name string
	src, col   string
}

// joinFlattener materializes the sides of one statement's join.
type joinFlattener struct {
	x       *Executor
	ctx     context.Context
	env     *queryEnv
	derived int
}

// flattenJoin rewrites s, whose FROM is a join with a subquery or a
// nested join on a side, into a join of two tables; it returns s itself
// when the join already is one.
func (x *Executor) flattenJoin(ctx context.Context, s *parser.Select, env *queryEnv) (*parser.Select, *queryEnv, error) {
	j, ok := s.Source.(*parser.Join)
	// Window functions, LATEST ON and SAMPLE BY run over one table: the
	// whole join is materialized for them.
	whole := ok && (s.LatestOn != nil || s.SampleBy != nil || len(windowCalls(append(selectExprs(s), s.Qualify)...)) > 0)
	if !ok || (!whole && isTableRef(j.Left) && isTableRef(j.Right)) {
		return s, env, nil
	}
	f := &joinFlattener{x: x, ctx: ctx, env: env.child()}
	out := *s
	var cols []joinColumn
	if whole {
		ref, all, err := f.nested(j)
		if err != nil {
			return nil, nil, err
		}
		out.Source, out.From, cols = ref, ref, all
	} else {
		top, all, err := f.twoTables(j)
		if err != nil {
			return nil, nil, err
		}
		out.Source, cols = top, all
	}
	out.Items = expandJoinStar(s.Items, cols)
	if err := checkAmbiguous(append(itemExprs(out.Items), s.Where, s.Having, s.Qualify), cols, j.Using); err != nil {
		return nil, nil, err
	}
	rw := func(e parser.Expr) parser.Expr { return rewriteJoinRefs(e, cols, j.Using) }
	for i, it := range out.Items {
		if it.Alias == "" {
			out.Items[i].Alias = itemName(it) // the name the query wrote, not the materialized one
		}
		out.Items[i].Expr = rw(it.Expr)
	}
	out.Where, out.Having, out.Qualify = rw(s.Where), rw(s.Having), rw(s.Qualify)
	if s.LatestOn != nil {
		l := *s.LatestOn
		l.Timestamp = firstColumnNamed(l.Timestamp, cols)
		l.PartitionBy = make([]string, len(s.LatestOn.PartitionBy))
		for i, name := range s.LatestOn.PartitionBy {
			l.PartitionBy[i] = firstColumnNamed(name, cols)
		}
		out.LatestOn = &l
	}
	out.GroupBy = rewriteAll(s.GroupBy, rw)
	out.Windows = make([]parser.NamedWindow, len(s.Windows))
	for i, w := range s.Windows {
		spec := *w.Spec
		spec.PartitionBy = rewriteAll(w.Spec.PartitionBy, rw)
		spec.OrderBy = make([]parser.OrderItem, len(w.Spec.OrderBy))
		for k, o := range w.Spec.OrderBy {
			o.Expr = rw(o.Expr)
			spec.OrderBy[k] = o
		}
		out.Windows[i] = parser.NamedWindow{At: w.At, Name: w.Name, Spec: &spec}
	}
	out.OrderBy = make([]parser.OrderItem, len(s.OrderBy))
	for i, o := range s.OrderBy {
		o.Expr = rw(o.Expr)
		out.OrderBy[i] = o
	}
	return &out, f.env, nil
}

func isTableRef(t parser.TableExpr) bool {
	_, ok := t.(*parser.TableRef)
	return ok
}

// side returns a join side as a table reference and the columns it makes
// visible, materializing subqueries and nested joins.
func (f *joinFlattener) side(t parser.TableExpr) (*parser.TableRef, []joinColumn, error) {
	switch t := t.(type) {
	case *parser.TableRef:
		tbl, err := f.env.table(f.ctx, f.x, t.Name)
		if err != nil {
			return nil, nil, errAt(CodeUnknownTable, t.At, "unknown table %s", t.Name)
		}
		var cols []joinColumn
		for _, c := range tbl.Schema.Columns {
			cols = append(cols, joinColumn{qual: refName(t), name: c.Name, src: refName(t), col: c.Name})
		}
		return t, cols, nil
	case *parser.SubqueryRef:
		if t.Alias == "" {
			return nil, nil, errAt(CodeBadArguments, t.At, "a subquery in a join needs an alias")
		}
		res, err := f.x.runQuery(f.ctx, t.Query, f.env)
		if err != nil {
			return nil, nil, err
		}
		name := strings.ToLower(t.Alias)
		f.env.tables[name] = materialize(name, res, nil)
		var cols []joinColumn
		for _, c := range res.Columns {
			cols = append(cols, joinColumn{qual: name, name: c.Name, src: name, col: c.Name})
		}
		return &parser.TableRef{At: t.At, Name: name}, cols, nil
	case *parser.Join:
		return f.nested(t)
	}
	return nil, nil, errAt(CodeNotSupported, t.Pos(), "this join side is not supported")
}

// twoTables turns j's sides into tables and rewrites its ON clause over
// them; it returns the join and the columns it makes visible.
func (f *joinFlattener) twoTables(j *parser.Join) (*parser.Join, []joinColumn, error) {
	left, lcols, err := f.side(j.Left)
	if err != nil {
		return nil, nil, err
	}
	right, rcols, err := f.side(j.Right)
	if err != nil {
		return nil, nil, err
	}
	out := *j
	out.Left, out.Right = left, right
	out.On, out.Using = f.onClause(j, lcols, rcols, right), nil
	return &out, append(lcols, rcols...), nil
}

// nested materializes a join used as the side of another join: its sides
// first (recursively), then the two-table join of them, every column
// named qualifier.column.
func (f *joinFlattener) nested(j *parser.Join) (*parser.TableRef, []joinColumn, error) {
	join, cols, err := f.twoTables(j)
	if err != nil {
		return nil, nil, err
	}
	inner := &parser.Select{At: j.At, Source: join}
	for _, c := range cols {
		inner.Items = append(inner.Items, parser.SelectItem{At: j.At,
			Expr: &parser.ColumnRef{At: j.At, Table: c.src, Name: c.col}, Alias: c.qual + "." + c.name})
	}
	res, _, _, err := f.x.runSelect(f.ctx, inner, f.env)
	if err != nil {
		return nil, nil, err
	}
	f.derived++
	name := "_zjoin" + strconv.Itoa(f.derived)
	f.env.tables[name] = materialize(name, res, nil)
	out := make([]joinColumn, len(cols))
	for i, c := range cols {
		out[i] = joinColumn{qual: c.qual, name: c.name, src: name, col: c.qual + "." + c.name}
	}
	return &parser.TableRef{At: j.At, Name: name}, out, nil
}

// onClause rewrites the top join's ON (or USING, spelled out as ON when
// the left side was materialized) over the flattened sides.
func (f *joinFlattener) onClause(j *parser.Join, lcols, rcols []joinColumn, right *parser.TableRef) parser.Expr {
	cols := append(append([]joinColumn(nil), lcols...), rcols...)
	if len(j.Using) == 0 {
		return rewriteJoinRefs(j.On, cols, nil)
	}
	var on parser.Expr
	for _, name := range j.Using {
		l := rewriteJoinRefs(&parser.ColumnRef{At: j.At, Name: name}, lcols, j.Using)
		r := &parser.ColumnRef{At: j.At, Table: refName(right), Name: name}
		eq := &parser.BinaryExpr{At: j.At, Op: "=", L: l, R: rewriteJoinRefs(r, rcols, nil)}
		on = andWhere(on, eq)
	}
	return on
}

// rewriteJoinRefs points every column reference of e at the column that
// holds it after materialization; references it cannot resolve stay as
// they are and fail in the binder with its usual message. An unqualified
// USING column means the left one.
func rewriteJoinRefs(e parser.Expr, cols []joinColumn, using []string) parser.Expr {
	return parser.Rewrite(e, func(n parser.Expr) parser.Expr {
		c, ok := n.(*parser.ColumnRef)
		if !ok {
			return nil
		}
		var hit *joinColumn
		for i := range cols {
			v := &cols[i]
			if strings.EqualFold(v.name, c.Name) && (c.Table == "" || strings.EqualFold(v.qual, c.Table)) {
				if hit != nil && c.Table == "" && !containsFold(using, c.Name) {
					return nil // ambiguous: the binder says so
				}
				if hit == nil {
					hit = v
				}
			}
		}
		if hit == nil || (strings.EqualFold(hit.src, hit.qual) && strings.EqualFold(hit.col, hit.name)) {
			return nil
		}
		return &parser.ColumnRef{At: c.At, Table: hit.src, Name: hit.col}
	})
}

// expandJoinStar replaces SELECT * by every visible column, named as the
// column (not as its materialized name).
func expandJoinStar(items []parser.SelectItem, cols []joinColumn) []parser.SelectItem {
	var out []parser.SelectItem
	for _, it := range items {
		if !it.Star || it.StarTable != "" {
			out = append(out, it)
			continue
		}
		for _, c := range cols {
			out = append(out, parser.SelectItem{At: it.At, Expr: &parser.ColumnRef{At: it.At, Table: c.qual, Name: c.name}, Alias: c.name})
		}
	}
	return out
}

func rewriteAll(es []parser.Expr, rw func(parser.Expr) parser.Expr) []parser.Expr {
	if es == nil {
		return nil
	}
	out := make([]parser.Expr, len(es))
	for i, e := range es {
		out[i] = rw(e)
	}
	return out
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// firstColumnNamed maps a bare column name (LATEST ON's) to its
// materialized column, the leftmost table's when several have it.
func firstColumnNamed(name string, cols []joinColumn) string {
	for _, c := range cols {
		if strings.EqualFold(c.name, name) {
			return c.col
		}
	}
	return name
}

// checkAmbiguous fails on an unqualified column that more than one joined
// table has (USING columns excepted), as the two-table binder does.
func checkAmbiguous(exprs []parser.Expr, cols []joinColumn, using []string) error {
	var err error
	for _, e := range exprs {
		parser.Inspect(e, func(n parser.Expr) bool {
			c, ok := n.(*parser.ColumnRef)
			if !ok || c.Table != "" || err != nil || containsFold(using, c.Name) {
				return err == nil
			}
			var quals []string
			for _, v := range cols {
				if strings.EqualFold(v.name, c.Name) {
					quals = append(quals, v.qual)
				}
			}
			if len(quals) > 1 {
				err = errAt(CodeBadArguments, c.Pos(), "column %s is in %s: qualify it", c.Name, strings.Join(quals, " and "))
			}
			return err == nil
		})
	}
	return err
}
