package ingest

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// diffCase is one VALUES list checked against the SQL parser.
type diffCase struct {
	cols    string // the column list
	text    string
	convErr bool // the parser accepts it but a value does not convert
	decline bool // the parser accepts an expression DecodeValues refuses
}

var diffCases = []diffCase{
	// valid
	{cols: "ts, sym, price, vol", text: "(1762075800000000000, 'S042', 100.25, 300), (1762075800000000001, 'S043', -0.5, -1)"},
	{cols: "ts, sym, price, vol, n32, f32, note, ok", text: "('2024-01-02 09:30:00', 'A', 1e9, -9223372036854775808, -2147483648, .5, 'it''s', true)"},
	{cols: "ts, sym, price, vol, n32, f32, note, ok", text: "(NULL, null, NULL, NuLL, NULL, NULL, NULL, NULL)"},
	{cols: "vol, note", text: `(1, 'a\nb'), (+2, '\q'), (-3, ''), (- 4, '\é'), (+ 5, '''')`},
	{cols: "vol, note", text: "(1 /* a */, -- b\n 'x') /* c */ , ( 2 , 'y' )"},
	{cols: "vol, note", text: "(1 -- comment\n, 'x');"},
	{cols: "vol, note", text: "(1,'x') ; -- bye"},
	{cols: "vol, note", text: "(1,\r\n'x')\r\n,\t(2,'y')\n"},
	{cols: "price", text: "(1.), (.5), (1.e2), (1e-400), (0.1), (3.14159265358979323846264338327950288), (123456789.123456789), (- 2.5E+3), (-0.0)"},
	{cols: "price, f32", text: "(9223372036854775807, 16777217), (-9223372036854775808, 0.1)"},
	{cols: "price, f32", text: "(-0, -0), (-0., -0.0), (- 0, -0e0), (-0.0e5, -00), (-.0, +0.)"},
	{cols: "ok", text: "(0), (1), (TRUE), (false), (-0), (+1)"},
	{cols: "sym", text: "(42), (007), (-0), ('é'), (''), (-9223372036854775808)"},
	{cols: "note", text: `('\\'), ('\''), ('\"'), ('\0\t\r\b\f\n'), ('tab	here'), ('multi
line')`},
	{cols: "ts", text: "('2024-01-02'), ('2024-01-02T09:30:00Z'), ('2024.01.02D09:30:00.5'), (1)"},
	// syntax errors
	{cols: "vol, note", text: "(1, 'x'"},
	{cols: "vol, note", text: "(1 'x')"},
	{cols: "vol, note", text: "(1, 'x') (2, 'y')"},
	{cols: "vol, note", text: "(1, 'abc"},
	{cols: "vol, note", text: "(1, 'x') garbage"},
	{cols: "vol, note", text: "(1, 'x'); (2, 'y')"},
	{cols: "vol, note", text: ""},
	{cols: "vol, note", text: "  -- nothing\n"},
	{cols: "vol, note", text: "()"},
	{cols: "vol, note", text: "(1,,'x')"},
	{cols: "vol, note", text: "(9223372036854775808, 'x')"},
	{cols: "vol, note", text: "(+9223372036854775808, 'x')"},
	{cols: "price, note", text: "(- 1e400, 'x')"},
	{cols: "vol, note", text: "(12abc, 'x')"},
	{cols: "vol, note", text: "(1, 'x'),"},
	{cols: "price, note", text: "(1.2.3, 'x')"},
	{cols: "vol, note", text: "(1, 'x' /* unterminated"},
	{cols: "vol, note", text: "(1, 'a\xffb')"},
	{cols: "vol, note", text: "(1, \xff)"},
	{cols: "vol, note", text: "(1, 'x') -- \xff"},
	{cols: "vol, note", text: "(-, 'x')"},
	{cols: "price, note", text: "(1e, 'x')"},
	{cols: "vol, note", text: "(1, 'x')\n,\n(2, 'y'\n  'z')"},
	{cols: "vol, note", text: "1, 'x'"},
	// wrong number of values
	{cols: "vol, note", text: "(1, 'x'), (2)"},
	{cols: "vol, note", text: "(1, 'x', 3)"},
	{cols: "vol, note", text: "(1, 'x'), ( -2, 'y', NULL)"},
	// values that do not convert
	{cols: "price, vol", text: "('abc', 1)", convErr: true},
	{cols: "n32", text: "(1), (2147483648)", convErr: true},
	{cols: "ts", text: "('yesterday')", convErr: true},
	{cols: "ok", text: "(2)", convErr: true},
	{cols: "vol, note", text: "(1, 'x'), (2, 3.5)", convErr: true},
	{cols: "vol, sym", text: "(1.5, 'x')", convErr: true},
	// expressions the parser takes and DecodeValues refuses
	{cols: "vol, note", text: "(1+2, 'x')", decline: true},
	{cols: "ts, note", text: "(now(), 'x')", decline: true},
	{cols: "vol, note", text: "(- -1, 'x')", decline: true},
	{cols: "ts, note", text: "(TIMESTAMP '2024-01-02', 'x')", decline: true},
	{cols: "vol, note", text: "(CAST(1 AS BIGINT), 'x')", decline: true},
	{cols: "vol, note", text: "(abc, 'x')", decline: true},
}

// TestDecodeValuesMatchesParser runs each case through parser.Parse as
// INSERT INTO t (cols) VALUES\n<text> and through DecodeValues. They must
// agree on validity; syntax errors must be at the same place (the text
// starts on line 2 of the statement, so lines differ by one and columns
// not at all); row-length errors at the first value of the row, as the
// SQL INSERT path reports them; conversion errors at the AST position of
// the value named; and decoded values must be those of the literal nodes.
func TestDecodeValuesMatchesParser(t *testing.T) {
	s := allTypes(t)
	for i, tc := range diffCases {
		t.Run(strconv.Itoa(i+1), func(t *testing.T) {
			names := strings.Split(tc.cols, ", ")
			targets := targetsOf(t, s, names...)
			stmt, perr := parser.Parse("INSERT INTO t (" + tc.cols + ") VALUES\n" + tc.text)
			b, err := DecodeValues(s, targets, tc.text)
			var ve *ValuesError
			if err != nil && !errors.As(err, &ve) {
				t.Fatalf("error %v is %T", err, err)
			}
			if perr != nil {
				var se *parser.SyntaxError
				if !errors.As(perr, &se) {
					t.Fatalf("parser error %v is %T", perr, perr)
				}
				if err == nil {
					t.Fatalf("parser says %v; DecodeValues succeeded", perr)
				}
				if ve.Column != "" || se.Pos.Line != ve.Line+1 || se.Pos.Col != ve.Col {
					t.Fatalf("parser says %v; DecodeValues says %v", perr, err)
				}
				if tc.convErr || tc.decline {
					t.Fatalf("the case is marked valid SQL but the parser says %v", perr)
				}
				return
			}
			rows := stmt.(*parser.Insert).Rows
			if tc.decline {
				if err == nil || ve.Column != "" || allLiterals(rows) {
					t.Fatalf("want a refusal of a non-literal value; got %v", err)
				}
				return
			}
			for r, row := range rows {
				if len(row) != len(targets) {
					want := "row " + strconv.Itoa(r+1) + " has " + strconv.Itoa(len(row)) + " values, expected " + strconv.Itoa(len(targets))
					if err == nil || ve.Msg != want || !samePos(row[0].Pos(), ve) {
						t.Fatalf("row %d has %d values at %v; DecodeValues says %v", r+1, len(row), row[0].Pos(), err)
					}
					return
				}
			}
			if tc.convErr {
				if err == nil || ve.Column == "" {
					t.Fatalf("want a conversion error, got %v", err)
				}
				e := rows[ve.Row-1][indexOf(names, ve.Column)]
				if !samePos(e.Pos(), ve) {
					t.Fatalf("value %s is at %v; DecodeValues says %v", e, e.Pos(), err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeValues: %v", err)
			}
			checkBatch(t, s, targets, b)
			if b.Len() != len(rows) {
				t.Fatalf("DecodeValues decoded %d rows, parser %d", b.Len(), len(rows))
			}
			for r, row := range rows {
				for k, e := range row {
					v := b.Vectors[targets[k]]
					lit, ok := literalOf(e)
					if !ok {
						t.Fatalf("row %d value %d %s is not a literal yet decoded", r+1, k+1, e)
					}
					if !matches(v, r, lit) {
						t.Errorf("row %d column %s: decoded %#v, parser literal %s (%#v)", r+1, names[k], cell(v, r), e, lit)
					}
				}
			}
		})
	}
}

func samePos(p parser.Pos, e *ValuesError) bool { return p.Line == e.Line+1 && p.Col == e.Col }

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

func allLiterals(rows [][]parser.Expr) bool {
	for _, row := range rows {
		for _, e := range row {
			if _, ok := literalOf(e); !ok {
				return false
			}
		}
	}
	return true
}

// literalOf returns the value of a literal node: a literal, or a literal
// number under unary plus (a minus is folded into the literal).
func literalOf(e parser.Expr) (any, bool) {
	switch e := e.(type) {
	case *parser.IntLit:
		return e.Value, true
	case *parser.FloatLit:
		return e.Value, true
	case *parser.StringLit:
		return e.Value, true
	case *parser.BoolLit:
		return e.Value, true
	case *parser.NullLit:
		return nil, true
	case *parser.UnaryExpr:
		switch x := e.X.(type) {
		case *parser.IntLit:
			return x.Value, e.Op == "+"
		case *parser.FloatLit:
			return x.Value, e.Op == "+"
		}
	}
	return nil, false
}

// matches reports whether row r of v holds literal lit stored in v's type.
func matches(v *column.Vector, r int, lit any) bool {
	if lit == nil {
		return v.IsNull(r)
	}
	if v.IsNull(r) {
		return false
	}
	switch x := lit.(type) {
	case int64:
		switch v.Type {
		case model.TypeInt64, model.TypeTimestamp:
			return v.Int64[r] == x
		case model.TypeInt32:
			return int64(v.Int32[r]) == x
		case model.TypeFloat64:
			return math.Float64bits(v.Float64[r]) == math.Float64bits(float64(x))
		case model.TypeFloat32:
			return math.Float32bits(v.Float32[r]) == math.Float32bits(float32(float64(x)))
		case model.TypeSymbol:
			return v.String[r] == strconv.FormatInt(x, 10)
		case model.TypeBool:
			return v.Bool[r] == (x == 1)
		}
	case float64:
		switch v.Type {
		case model.TypeFloat64:
			return math.Float64bits(v.Float64[r]) == math.Float64bits(x)
		case model.TypeFloat32:
			return math.Float32bits(v.Float32[r]) == math.Float32bits(float32(x))
		}
	case string:
		switch v.Type {
		case model.TypeSymbol, model.TypeString:
			return v.String[r] == x
		case model.TypeTimestamp:
			for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999",
				"2006-01-02T15:04:05.999999999", "2006-01-02", "2006.01.02D15:04:05.999999999"} {
				if ts, err := time.Parse(layout, x); err == nil {
					return v.Int64[r] == ts.UnixNano()
				}
			}
			return false
		}
	case bool:
		return v.Type == model.TypeBool && v.Bool[r] == x
	}
	return false
}
