package parser

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// clearPos zeroes every Pos in the tree rooted at v, so expected trees in
// tests can be written without positions.
func clearPos(v any) {
	clearPosValue(reflect.ValueOf(v))
}

var posType = reflect.TypeOf(Pos{})

func clearPosValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clearPosValue(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			clearPosValue(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == posType {
			if v.CanSet() {
				v.Set(reflect.Zero(posType))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			clearPosValue(v.Field(i))
		}
	}
}

// fillSource sets Select.Source from Select.From in an expected tree, as
// the parser does, so expectations written for single-table queries need
// not repeat the table.
func fillSource(stmt Statement) {
	switch s := stmt.(type) {
	case *Select:
		if s.Source == nil && s.From != nil {
			s.Source = s.From
		}
	case *Explain:
		fillSource(s.Stmt)
	}
}

// sexp renders an expression fully parenthesized, Lisp style, so tests can
// check the tree shape that String() deliberately hides.
func sexp(e Expr) string {
	switch e := e.(type) {
	case *BinaryExpr:
		return fmt.Sprintf("(%s %s %s)", e.Op, sexp(e.L), sexp(e.R))
	case *UnaryExpr:
		return fmt.Sprintf("(%s %s)", e.Op, sexp(e.X))
	case *BetweenExpr:
		return fmt.Sprintf("(%sBETWEEN %s %s %s)", not(e.Not), sexp(e.X), sexp(e.Lo), sexp(e.Hi))
	case *InExpr:
		return fmt.Sprintf("(%sIN %s %s)", not(e.Not), sexp(e.X), sexps(e.List))
	case *IsNullExpr:
		return fmt.Sprintf("(IS%s %s)", not(e.Not), sexp(e.X))
	case *LikeExpr:
		return fmt.Sprintf("(%sLIKE %s %s)", not(e.Not), sexp(e.X), sexp(e.Pattern))
	case *CastExpr:
		return fmt.Sprintf("(CAST %s %s)", sexp(e.X), typeString(e.Type, e.TypeArgs))
	case *FuncCall:
		return fmt.Sprintf("(%s %s)", e.Name, sexps(e.Args))
	case *IsDistinctExpr:
		return fmt.Sprintf("(IS %sDISTINCT %s %s)", not(e.Not), sexp(e.X), sexp(e.Y))
	case *InSubqueryExpr:
		return fmt.Sprintf("(%sIN %s %s)", not(e.Not), sexp(e.X), e.Query)
	}
	return e.String()
}

func not(b bool) string {
	if b {
		return "NOT "
	}
	return ""
}

func sexps(list []Expr) string {
	s := make([]string, len(list))
	for i, e := range list {
		s[i] = sexp(e)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func mustParse(t *testing.T, sql string) Statement {
	t.Helper()
	stmt, err := Parse(sql)
	if err != nil {
		t.Fatalf("Parse(%q): %v", sql, err)
	}
	return stmt
}

func mustParseExpr(t *testing.T, sql string) Expr {
	t.Helper()
	e, err := ParseExpr(sql)
	if err != nil {
		t.Fatalf("ParseExpr(%q): %v", sql, err)
	}
	return e
}

// Constructors for expected trees; positions are left zero.
func col(name string) *ColumnRef       { return &ColumnRef{Name: name} }
func qcol(tbl, name string) *ColumnRef { return &ColumnRef{Table: tbl, Name: name} }
func num(text string) *IntLit {
	var v int64
	fmt.Sscan(text, &v)
	return &IntLit{Value: v, Text: text}
}
func flt(v float64, text string) *FloatLit     { return &FloatLit{Value: v, Text: text} }
func str(s string) *StringLit                  { return &StringLit{Value: s} }
func bin(op string, l, r Expr) *BinaryExpr     { return &BinaryExpr{Op: op, L: l, R: r} }
func unary(op string, x Expr) *UnaryExpr       { return &UnaryExpr{Op: op, X: x} }
func call(name string, args ...Expr) *FuncCall { return &FuncCall{Name: name, Args: args} }
func boolPtr(b bool) *bool                     { return &b }

// More constructors for expected trees.
func tbl(name, alias string) *TableRef { return &TableRef{Name: name, Alias: alias} }
func items(exprs ...Expr) []SelectItem {
	out := make([]SelectItem, len(exprs))
	for i, e := range exprs {
		out[i] = SelectItem{Expr: e}
	}
	return out
}
func starItems() []SelectItem { return []SelectItem{{Star: true}} }

// selectFrom is SELECT exprs FROM table, with From and Source both set.
func selectFrom(table string, exprs ...Expr) *Select {
	t := tbl(table, "")
	return &Select{Items: items(exprs...), From: t, Source: t}
}

func interval(n int64, unit string, nanos int64) *IntervalLit {
	return &IntervalLit{Value: n, Unit: unit, Nanos: nanos}
}

// qshape renders the set operation structure of a query, Lisp style, with
// each SELECT shown as its first item.
func qshape(q Query) string {
	switch q := q.(type) {
	case *SetOp:
		op := q.Op
		if q.All {
			op += " ALL"
		}
		return "(" + op + " " + qshape(q.L) + " " + qshape(q.R) + ")"
	case *Select:
		return q.Items[0].Expr.String()
	}
	return "?"
}

// checkSyntaxErrors runs error cases written as "line:col: message".
func checkSyntaxErrors(t *testing.T, tests []struct{ name, sql, want string }) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmt, err := Parse(tt.sql)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want error", tt.sql, stmt)
			}
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("error %v is %T, want *SyntaxError", err, err)
			}
			if got := se.Pos.String() + ": " + se.Msg; got != tt.want {
				t.Errorf("Parse(%q)\n got: %s\nwant: %s", tt.sql, got, tt.want)
			}
		})
	}
}

// checkParseTrees runs tree cases: the parsed statement, positions
// cleared, must equal want.
func checkParseTrees(t *testing.T, tests []struct {
	name string
	sql  string
	want Statement
}) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, tt.sql)
			clearPos(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got: %s\n      %#v\nwant: %s\n      %#v", tt.sql, got, got, tt.want, tt.want)
			}
		})
	}
}
