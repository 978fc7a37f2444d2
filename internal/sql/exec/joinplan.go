package exec

import (
	"context"
	"fmt"
	"strings"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// planJoin resolves the two tables of a join. The left table drives the
// scan; the select list sees the joined row through a join scope. WHERE
// terms over one side alone are pushed below the join where that keeps
// its meaning, and planJoin returns the WHERE left to run on the joined
// rows (with an INNER join's non-equality ON terms added).
func (x *Executor) planJoin(ctx context.Context, p *selectPlan, sc *scope, j *parser.Join, where parser.Expr, exprs []parser.Expr, env *queryEnv) (parser.Expr, error) {
	lref, rref := j.Left.(*parser.TableRef), j.Right.(*parser.TableRef)
	left, err := env.table(ctx, x, lref.Name)
	if err != nil {
		return nil, errAt(CodeUnknownTable, lref.At, "unknown table %s", lref.Name)
	}
	right, err := env.table(ctx, x, rref.Name)
	if err != nil {
		return nil, errAt(CodeUnknownTable, rref.At, "unknown table %s", rref.Name)
	}
	ln, rn := refName(lref), refName(rref)
	if ln == rn {
		return nil, errAt(CodeBadArguments, rref.At, "both sides of the join are called %s: give one an alias", ln)
	}
	if f := firstAggregate(where); f != nil {
		return nil, errAt(CodeGroupBy, f.Pos(), "aggregate function %s is not allowed in WHERE (use HAVING)", f.String())
	}
	js := newJoinScope(left, right, ln, rn, j.Kind)
	var a *asofPlan
	switch j.Kind {
	case parser.JoinAsof, parser.JoinAsofLeft:
		a, err = bindAsof(j, js)
	case parser.JoinWindow:
		a, err = bindWindowJoin(j, js)
	default:
		var extra parser.Expr
		a, extra, err = bindHashJoin(j, js)
		where = andAll([]parser.Expr{extra, where})
	}
	if err != nil {
		return nil, err
	}
	p.table, p.asof = left, a
	a.budget = p.budget
	sc.table, sc.join, sc.dicts = left, js, js.dicts()
	if a.window != nil {
		if err := a.window.bindCalls(a, sc, append(exprs, where)); err != nil {
			return nil, err
		}
	}
	return a.pushDown(p, sc, where)
}

// pushDown splits WHERE into terms over the left columns alone, the
// right columns alone, and the rest. Every left-only term prunes the left
// scan (partitions, series, zone maps): pruning only skips rows whose
// comparisons with constants fail, and such a row, or the NULLs an outer
// join puts in its place, fails the term after the join too. Whole terms
// move below the join only on a side whose rows are kept as they are or
// dropped together with their matches: the left of INNER, CROSS, LEFT and
// ASOF joins, the right of INNER, CROSS and RIGHT joins. (On the other
// side, a dropped row would turn its partners into unmatched rows with
// NULLs, or, for ASOF, change which row is the nearest.)
func (a *asofPlan) pushDown(p *selectPlan, sc *scope, where parser.Expr) (parser.Expr, error) {
	js := a.scope
	var leftOnly, rightOnly, rest []parser.Expr
	for _, term := range conjuncts(where) {
		switch {
		case hasWJ(term): // reads the window aggregates: after the join
			rest = append(rest, term)
		case js.onlyLeft(term):
			leftOnly = append(leftOnly, term)
		case js.onlyRight(term):
			rightOnly = append(rightOnly, term)
		default:
			rest = append(rest, term)
		}
	}
	p.prune = newPruning()
	for _, term := range leftOnly {
		p.prune.applyTerm(js.left, term)
	}
	pushLeft := a.kind != parser.JoinRight && a.kind != parser.JoinFull
	pushRight := a.hash && (a.kind == parser.JoinInner || a.kind == parser.JoinCross || a.kind == parser.JoinRight)
	if pushLeft && len(leftOnly) > 0 {
		ls := &scope{table: js.left, alias: js.leftName, now: sc.now, subquery: sc.subquery}
		pred, err := compilePredicate(ls, andAll(leftOnly))
		if err != nil {
			return nil, err
		}
		a.leftWhere, a.leftPushed = pred, exprsText(leftOnly)
		sc.volatile = sc.volatile || ls.volatile
	} else {
		rest = append(rest, leftOnly...)
	}
	var right []parser.Expr
	if a.hj != nil {
		right = a.hj.onRight
	}
	if pushRight {
		right = append(right, rightOnly...)
	} else {
		rest = append(rest, rightOnly...)
	}
	if len(right) > 0 {
		rs := &scope{table: js.right, alias: js.rightName, now: sc.now, subquery: sc.subquery}
		pred, err := compilePredicate(rs, andAll(right))
		if err != nil {
			return nil, err
		}
		a.hj.rightWhere, a.hj.pushed = pred, exprsText(right)
		a.hj.rightPrune = prune(js.right, andAll(right))
		sc.volatile = sc.volatile || rs.volatile
	}
	return andAll(rest), nil
}

// andAll joins terms with AND, skipping nils; nil for none.
func andAll(terms []parser.Expr) parser.Expr {
	var out parser.Expr
	for _, t := range terms {
		switch {
		case t == nil:
		case out == nil:
			out = t
		default:
			out = &parser.BinaryExpr{At: t.Pos(), Op: "AND", L: out, R: t}
		}
	}
	return out
}

func exprsText(es []parser.Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, " AND ")
}

// explainLines describes the join for EXPLAIN.
func (a *asofPlan) explainLines() []string {
	right := a.scope.right.Schema.Name
	var out []string
	switch {
	case a.hash:
		keys := "no key (every pair)"
		if len(a.keys) > 0 {
			keys = "keys " + a.keysText()
		}
		out = append(out, fmt.Sprintf("%s join %s: hash on %s, hash table built once on %s", a.kind, right, keys, right))
		if a.hj.pushed != "" {
			out = append(out, "  right filter pushed into the build scan: "+a.hj.pushed)
		}
		if a.hj.keepRight {
			out = append(out, "  unmatched right rows emitted with NULLs on the left")
		}
	case a.window != nil:
		key := "no key"
		if len(a.keys) > 0 {
			key = "keys " + a.keysText()
		}
		mode := "wj1, rows inside the window"
		if a.window.prevailing {
			mode = "wj, with the row prevailing at the window start"
		}
		out = append(out, fmt.Sprintf("window join %s: %s, window [ts%+d, ts%+d] ns (%s), %d aggregate(s) over the per-key time index", right, key, a.window.lo, a.window.hi, mode, len(a.window.specs)))
	default:
		key := "no key"
		if len(a.keys) > 0 {
			key = "keys " + a.keysText() + " (per-key index of " + right + ", built on demand)"
		}
		out = append(out, fmt.Sprintf("asof join %s: %s, left.ts %s right.ts, nearest %v, tolerance %s", right, key, cmpOpText[a.op], a.nearest, toleranceText(a.tolerance)))
	}
	if a.leftPushed != "" {
		out = append(out, "  left filter pushed below the join: "+a.leftPushed)
	}
	return out
}

// keysText renders the key equalities.
func (a *asofPlan) keysText() string {
	parts := make([]string, len(a.keys))
	for i, k := range a.keys {
		parts[i] = a.scope.leftName + "." + a.scope.left.Schema.Columns[k.left].Name + " = " +
			a.scope.rightName + "." + a.scope.right.Schema.Columns[k.right].Name
	}
	return strings.Join(parts, " AND ")
}

// hasWJ reports a wj_ call in e.
func hasWJ(e parser.Expr) bool {
	found := false
	parser.Inspect(e, func(n parser.Expr) bool {
		if f, ok := n.(*parser.FuncCall); ok && isWJ(f) {
			found = true
		}
		return !found
	})
	return found
}
