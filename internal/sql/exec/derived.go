package exec

import (
	"context"
	"fmt"
	"strings"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// queryEnv holds the derived tables of one statement: the results of
// WITH queries and FROM subqueries, materialized as in-memory tables that
// the rest of the statement reads like any other (they never reach the
// WAL). A nil env has none.
type queryEnv struct {
	tables map[string]*rdb.Table // by lower-case name
	parent *queryEnv
}

func (e *queryEnv) child() *queryEnv { return &queryEnv{tables: map[string]*rdb.Table{}, parent: e} }

// table resolves a name: derived tables first, innermost first, then the
// catalog.
func (e *queryEnv) table(ctx context.Context, x *Executor, name string) (*rdb.Table, error) {
	for env := e; env != nil; env = env.parent {
		if t, ok := env.tables[strings.ToLower(name)]; ok {
			return t, nil
		}
	}
	return x.catalogTable(ctx, name)
}

// derived reports whether t is a derived table of the statement.
func (e *queryEnv) derived(t *rdb.Table) bool {
	for env := e; env != nil; env = env.parent {
		for _, d := range env.tables {
			if d == t {
				return true
			}
		}
	}
	return false
}

// plainSelect reports a SELECT with no derived tables, whose result the
// cache can key by one catalog table's version.
func plainSelect(s *parser.Select) bool {
	return len(s.With) == 0 && (s.Source == nil || s.From != nil) && !groupedWindows(s) && !hasSubquery(s) &&
		!(s.Distinct && (len(s.GroupBy) > 0 || s.Having != nil || anyAggregate(itemExprs(s.Items))))
}

// runQuery runs a SELECT or a set operation with its WITH queries and
// FROM subqueries materialized first.
func (x *Executor) runQuery(ctx context.Context, q parser.Query, env *queryEnv) (*Result, error) {
	switch q := q.(type) {
	case *parser.SetOp:
		return x.runSetOp(ctx, q, env)
	case *parser.Select:
		if len(q.With) > 0 {
			var err error
			if env, err = x.withCTEs(ctx, q.With, env); err != nil {
				return nil, err
			}
			s := *q
			s.With = nil
			q = &s
		}
		q, err := distinctOverGroups(q)
		if err != nil {
			return nil, err
		}
		if q, err = x.decorrelate(ctx, q, env); err != nil {
			return nil, err
		}
		flat, flatEnv, err := x.flattenJoin(ctx, q, env)
		if err != nil {
			return nil, err
		}
		q, env = flat, flatEnv
		if groupedWindows(q) {
			var t *rdb.Table
			if q.From != nil {
				t, _ = env.table(ctx, x, q.From.Name)
			}
			split, err := splitGroupedWindows(q, t)
			if err != nil {
				return nil, err
			}
			q = split
		}
		if sub, ok := q.Source.(*parser.SubqueryRef); ok {
			res, err := x.runQuery(ctx, sub.Query, env)
			if err != nil {
				return nil, err
			}
			name := sub.Alias
			if name == "" {
				name = "subquery"
			}
			env = env.child()
			env.tables[strings.ToLower(name)] = materialize(name, res, nil)
			s := *q
			ref := &parser.TableRef{At: sub.At, Name: name}
			s.Source, s.From = ref, ref
			q = &s
		}
		res, _, _, err := x.runSelect(ctx, q, env)
		return res, err
	}
	return nil, errorf(CodeNotSupported, "unsupported query")
}

// withCTEs materializes WITH queries in order; each sees the ones before.
func (x *Executor) withCTEs(ctx context.Context, ctes []parser.CTE, env *queryEnv) (*queryEnv, error) {
	env = env.child()
	for _, c := range ctes {
		res, err := x.runQuery(ctx, c.Query, env)
		if err != nil {
			return nil, err
		}
		if c.Columns != nil && len(c.Columns) != len(res.Columns) {
			return nil, errAt(CodeBadArguments, c.At, "WITH %s names %d columns, its query returns %d", c.Name, len(c.Columns), len(res.Columns))
		}
		env.tables[strings.ToLower(c.Name)] = materialize(c.Name, res, c.Columns)
	}
	return env, nil
}

// materialize turns a result into an in-memory table. Column names come
// from the result (or names), whatever text they are, since the schema
// never reaches the WAL; the first TIMESTAMP and SYMBOL columns are
// designated, so that first/last and symbol pruning work on it too.
func materialize(name string, res *Result, names []string) *rdb.Table {
	s := &model.Schema{Name: name, TimestampCol: -1, SymbolCol: -1, PartitionBy: model.PartitionNone}
	b := &column.Batch{}
	for i, c := range res.Columns {
		col := model.Column{Name: c.Name, Type: c.Type}
		if names != nil {
			col.Name = names[i]
		}
		if c.Type == model.TypeTimestamp && s.TimestampCol < 0 {
			s.TimestampCol = i
		}
		if c.Type == model.TypeSymbol && s.SymbolCol < 0 {
			s.SymbolCol = i
		}
		s.Columns = append(s.Columns, col)
		b.Vectors = append(b.Vectors, c.Data)
	}
	t := rdb.NewTable(s, rdb.Options{})
	t.Append(b)
	return t
}

// runSetOp runs UNION [ALL], INTERSECT [ALL] and EXCEPT [ALL] on whole
// rows, then the ORDER BY and LIMIT written after the last operand.
func (x *Executor) runSetOp(ctx context.Context, q *parser.SetOp, env *queryEnv) (*Result, error) {
	if len(q.With) > 0 {
		var err error
		if env, err = x.withCTEs(ctx, q.With, env); err != nil {
			return nil, err
		}
	}
	l, err := x.runQuery(ctx, q.L, env)
	if err != nil {
		return nil, err
	}
	r, err := x.runQuery(ctx, q.R, env)
	if err != nil {
		return nil, err
	}
	res, err := combine(q, l, r)
	if err != nil {
		return nil, err
	}
	if len(q.OrderBy) == 0 && q.Limit == nil && q.Offset == nil {
		return res, nil
	}
	env = env.child()
	env.tables["setop"] = materialize("setop", res, nil)
	outer := &parser.Select{At: q.At, Items: []parser.SelectItem{{At: q.At, Star: true}},
		OrderBy: q.OrderBy, Limit: q.Limit, Offset: q.Offset}
	outer.From = &parser.TableRef{At: q.At, Name: "setop"}
	outer.Source = outer.From
	out, _, _, err := x.runSelect(ctx, outer, env)
	return out, err
}

// combine applies a set operator to two results.
func combine(q *parser.SetOp, l, r *Result) (*Result, error) {
	if len(l.Columns) != len(r.Columns) {
		return nil, errAt(CodeBadArguments, q.At, "%s needs the same number of columns on both sides (%d and %d)", q.Op, len(l.Columns), len(r.Columns))
	}
	types := make([]model.ColumnType, len(l.Columns))
	for i := range types {
		t, err := unifyTypes(l.Columns[i].Type, r.Columns[i].Type)
		if err != nil {
			return nil, errAt(CodeTypeMismatch, q.At, "%s column %d: %v", q.Op, i+1, err)
		}
		types[i] = t
	}
	keyOf := func(res *Result, row int) string {
		var b strings.Builder
		for _, c := range res.Columns {
			b.WriteString(cellKey(c.Data, row))
			b.WriteByte(0)
		}
		return b.String()
	}
	rightCount := map[string]int{}
	for i := 0; i < r.Rows; i++ {
		rightCount[keyOf(r, i)]++
	}
	out := newResultLike(l, types)
	seen := map[string]bool{}
	add := func(res *Result, row int) {
		for j := range out.Columns {
			appendCell(out.Columns[j].Data, res.Columns[j].Data, row)
		}
		out.Rows++
	}
	for i := 0; i < l.Rows; i++ {
		k := keyOf(l, i)
		switch q.Op {
		case "UNION":
		case "INTERSECT":
			if rightCount[k] == 0 {
				continue
			}
			if q.All {
				rightCount[k]--
			}
		case "EXCEPT":
			if rightCount[k] > 0 {
				if q.All {
					rightCount[k]--
				}
				continue
			}
		}
		if !q.All && seen[k] {
			continue
		}
		seen[k] = true
		add(l, i)
	}
	if q.Op == "UNION" {
		for i := 0; i < r.Rows; i++ {
			k := keyOf(r, i)
			if !q.All && seen[k] {
				continue
			}
			seen[k] = true
			add(r, i)
		}
	}
	return out, nil
}

func unifyTypes(a, b model.ColumnType) (model.ColumnType, error) {
	switch {
	case a == b:
		return a, nil
	case a.IsText() && b.IsText():
		return model.TypeString, nil
	case a.IsNumeric() && b.IsNumeric():
		if a == model.TypeFloat64 || b == model.TypeFloat64 {
			return model.TypeFloat64, nil
		}
		return model.TypeInt64, nil
	}
	return 0, fmt.Errorf("%s and %s do not mix", a, b)
}

func newResultLike(l *Result, types []model.ColumnType) *Result {
	out := &Result{}
	for i, c := range l.Columns {
		out.Columns = append(out.Columns, ResultColumn{Name: c.Name, Type: types[i], Data: &column.Vector{Type: types[i]}})
	}
	return out
}

// cellKey renders a cell for set comparisons: NULLs are equal to each
// other here, as SQL's set operators treat them.
func cellKey(v *column.Vector, row int) string {
	if v.IsNull(row) {
		return "\x00"
	}
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		return fmt.Sprint(v.Int64[row])
	case model.TypeFloat64:
		return fmt.Sprint(v.Float64[row])
	case model.TypeBool:
		return fmt.Sprint(v.Bool[row])
	}
	return "s" + v.String[row]
}

// appendCell appends row of src to dst, converting to dst's type.
func appendCell(dst, src *column.Vector, row int) {
	if src.IsNull(row) {
		dst.AppendNull()
		return
	}
	switch dst.Type {
	case model.TypeInt64, model.TypeTimestamp:
		dst.Int64 = append(dst.Int64, src.Int64[row])
	case model.TypeFloat64:
		f := 0.0
		if src.Type == model.TypeFloat64 {
			f = src.Float64[row]
		} else {
			f = float64(src.Int64[row])
		}
		dst.Float64 = append(dst.Float64, f)
	case model.TypeBool:
		dst.Bool = append(dst.Bool, src.Bool[row])
	default:
		dst.String = append(dst.String, src.String[row])
	}
}

// hasSubquery reports a subquery in s's expressions; such statements read
// other tables (or the outer one, correlated) and take the general path.
func hasSubquery(s *parser.Select) bool {
	found := false
	for _, e := range append(append(itemExprs(s.Items), s.Where, s.Having), orderItems(s.OrderBy)...) {
		parser.Inspect(e, func(n parser.Expr) bool {
			switch n.(type) {
			case *parser.SubqueryExpr, *parser.ExistsExpr, *parser.InSubqueryExpr:
				found = true
			}
			return !found
		})
	}
	return found
}
