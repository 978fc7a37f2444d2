package exec

import (
	"strings"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// limitByPlan is ClickHouse's LIMIT n [OFFSET m] BY cols: after ORDER BY,
// each distinct combination of cols keeps its rows m+1 .. m+n; the plain
// LIMIT applies afterwards. The columns are select-list columns, given by
// name, alias, position or the same expression.
type limitByPlan struct {
	n, offset int64
	cols      []int // indexes into the select list
}

func bindLimitBy(lb *parser.LimitBy, names []string) (*limitByPlan, error) {
	if lb == nil {
		return nil, nil
	}
	read := func(e parser.Expr, what string) (int64, error) {
		l, ok := e.(*parser.IntLit)
		if !ok || l.Value < 0 {
			return 0, errAt(CodeBadArguments, e.Pos(), "LIMIT ... BY: %s must be a non-negative integer constant", what)
		}
		return l.Value, nil
	}
	p := &limitByPlan{}
	var err error
	if p.n, err = read(lb.Limit, "the row count"); err != nil {
		return nil, err
	}
	if lb.Offset != nil {
		if p.offset, err = read(lb.Offset, "the offset"); err != nil {
			return nil, err
		}
	}
	for _, e := range lb.By {
		i := selectColumn(e, names)
		if i < 0 {
			return nil, errAt(CodeBadArguments, e.Pos(), "LIMIT ... BY %s: name a column of the select list", e.String())
		}
		p.cols = append(p.cols, i)
	}
	return p, nil
}

// selectColumn finds e among the select list's output names: a position,
// a name or alias, or the text of an unnamed expression; -1 if absent.
func selectColumn(e parser.Expr, names []string) int {
	if l, ok := e.(*parser.IntLit); ok {
		if l.Value >= 1 && l.Value <= int64(len(names)) {
			return int(l.Value - 1)
		}
		return -1
	}
	want := e.String()
	if c, ok := e.(*parser.ColumnRef); ok {
		want = c.Name
	}
	for i, name := range names {
		if strings.EqualFold(name, want) {
			return i
		}
	}
	return -1
}

// apply keeps, in perm's order, the rows each key combination allows.
func (l *limitByPlan) apply(c *collector, perm []int) []int {
	seen := map[string]int64{}
	out := perm[:0]
	var key strings.Builder
	for _, r := range perm {
		key.Reset()
		for _, col := range l.cols {
			key.WriteString(formatKey(c.cols[col], r))
			key.WriteByte(0)
		}
		k := seen[key.String()]
		seen[key.String()] = k + 1
		if k >= l.offset && k < l.offset+l.n {
			out = append(out, r)
		}
	}
	return out
}
