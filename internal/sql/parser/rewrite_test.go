package parser

import (
	"strings"
	"testing"
)

func TestRewriteReplacesWithoutTouchingTheOriginal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT a + b * a", "x + b * x"},
		{"SELECT CASE a WHEN 1 THEN a ELSE -a END", "CASE x WHEN 1 THEN x ELSE -x END"},
		{"SELECT sum(a) OVER (PARTITION BY a ORDER BY a DESC)", "sum(x) OVER (PARTITION BY x ORDER BY x DESC)"},
		{"SELECT a BETWEEN a AND 2 AND a IN (a, 3) AND a LIKE 'z' AND CAST(a AS DOUBLE) IS NOT NULL", ""},
	}
	for _, tt := range tests {
		stmt, err := Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		e := stmt.(*Select).Items[0].Expr
		before := e.String()
		got := Rewrite(e, func(x Expr) Expr {
			if c, ok := x.(*ColumnRef); ok && c.Name == "a" {
				return &ColumnRef{At: c.At, Name: "x"}
			}
			return nil
		})
		if e.String() != before {
			t.Fatalf("%s: original changed to %s", tt.in, e.String())
		}
		if tt.want != "" && got.String() != tt.want {
			t.Errorf("%s: got %s, want %s", tt.in, got.String(), tt.want)
		}
		if strings.Contains(got.String(), "a ") || strings.HasSuffix(got.String(), "a") {
			t.Errorf("%s: a left in %s", tt.in, got.String())
		}
	}
}
