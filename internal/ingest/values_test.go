package ingest

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/zeptodb/zeptodb/internal/column"
)

func ts(s string) int64 {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixNano()
		}
	}
	panic(s)
}

// row is shorthand for an expected row of cells.
type row = []any

func TestDecodeValues(t *testing.T) {
	tests := []struct {
		name string
		cols []string // the column list; nil means all columns
		text string
		want [][]any // the named columns, row by row
	}{
		// INT64
		{"int64", []string{"vol"}, "(1), (0), (-5), (+7), (007), (- 3), (-/* c */4), (+ 8)",
			[][]any{{int64(1)}, {int64(0)}, {int64(-5)}, {int64(7)}, {int64(7)}, {int64(-3)}, {int64(-4)}, {int64(8)}}},
		{"int64 limits", []string{"vol"}, "(9223372036854775807),(-9223372036854775808),(-0),(00000000000000000000000000042)",
			[][]any{{int64(math.MaxInt64)}, {int64(math.MinInt64)}, {int64(0)}, {int64(42)}}},
		// INT32
		{"int32", []string{"n32"}, "(2147483647), (-2147483648), (-1), (+12)",
			[][]any{{int32(math.MaxInt32)}, {int32(math.MinInt32)}, {int32(-1)}, {int32(12)}}},
		// FLOAT64 takes integers and floats of every shape
		{"float64", []string{"price"}, "(10.5),(-1.5e3),(.5),(1e9),(1.5E-3),(1.),(7),(-2),(+0.25),(1.e2),(1e-400),(0.1),(100.25),(123456789.123456789),(9007199254740993)",
			[][]any{{10.5}, {-1500.0}, {0.5}, {1e9}, {0.0015}, {1.0}, {7.0}, {-2.0}, {0.25}, {100.0}, {0.0}, {0.1}, {100.25},
				{123456789.123456789}, {float64(9007199254740993)}}},
		{"float64 digits", []string{"price"}, "(0.30000000000000004),(2.2250738585072014e-308),(1.7976931348623157e308),(-0.0),(000.5),(3.14159265358979323846264338327950288)",
			[][]any{{0.30000000000000004}, {2.2250738585072014e-308}, {1.7976931348623157e308}, {math.Copysign(0, -1)}, {0.5}, {math.Pi}}},
		{"negative zero", []string{"price", "f32"}, "(-0, -0), (-0., -0.0), (- 0, -0e0), (-0.0e5, -00)",
			[][]any{{0.0, float32(0)}, {math.Copysign(0, -1), float32(math.Copysign(0, -1))},
				{0.0, float32(math.Copysign(0, -1))}, {math.Copysign(0, -1), float32(0)}}},
		// FLOAT32 rounds an integer through float64, as the SQL path does
		{"float32", []string{"f32"}, "(1.5),(0.1),(16777217),(-3)",
			[][]any{{float32(1.5)}, {float32(0.1)}, {float32(16777216)}, {float32(-3)}}},
		// TIMESTAMP takes nanoseconds or a date-time string in any layout
		{"timestamp", []string{"ts"}, "(1762075800000000000),(-1),('2024-01-02'),('2024-01-02 09:30:00'),('2024-01-02 09:30:00.5'),('2024-01-02T09:30:00.123456789'),('2024-01-02T09:30:00Z'),('2024-01-02T09:30:00+02:00'),('2024.01.02D09:30:00.000000001')",
			[][]any{{int64(1762075800000000000)}, {int64(-1)}, {ts("2024-01-02")}, {ts("2024-01-02 09:30:00")},
				{ts("2024-01-02 09:30:00.5")}, {ts("2024-01-02 09:30:00.123456789")}, {ts("2024-01-02T09:30:00Z")},
				{ts("2024-01-02T07:30:00Z")}, {ts("2024-01-02 09:30:00.000000001")}}},
		// SYMBOL takes strings, and integers as decimal text
		{"symbol", []string{"sym"}, `('AAPL'),(''),('it''s'),('a\'b'),(42),(-7),(+8),(007),('AAPL'),('héllo'),(-9223372036854775808)`,
			[][]any{{"AAPL"}, {""}, {"it's"}, {"a'b"}, {"42"}, {"-7"}, {"8"}, {"7"}, {"AAPL"}, {"héllo"}, {"-9223372036854775808"}}},
		// STRING: '' and backslash escapes; unknown escapes keep the backslash
		{"string escapes", []string{"note"}, `('x'),('it''s'),('a\\b'),('l1\nl2'),('\t'),('\0'),('\q'),('\"'),('\r\b\f'),(''''''),('\'\''),('héllo wörld ✓'),(''),('\é')`,
			[][]any{{"x"}, {"it's"}, {`a\b`}, {"l1\nl2"}, {"\t"}, {"\x00"}, {`\q`}, {`"`}, {"\r\b\f"}, {"''"}, {"''"}, {"héllo wörld ✓"}, {""}, {`\é`}}},
		{"string raw newline", []string{"note"}, "('a\nb'),('tab\there')", [][]any{{"a\nb"}, {"tab\there"}}},
		// BOOL: TRUE/FALSE in any case, 0 and 1
		{"bool", []string{"ok"}, "(true),(FALSE),(True),(fAlSe),(0),(1),(-0),(+1)",
			[][]any{{true}, {false}, {true}, {false}, {false}, {true}, {false}, {true}}},
		// NULL in any case, in every column
		{"null everywhere", nil, "(NULL, null, Null, nULL, NULL, NULL, NULL, NULL)",
			[][]any{{nil, nil, nil, nil, nil, nil, nil, nil}}},
		{"null mixed", []string{"vol", "note"}, "(1, NULL), (NULL, 'x'), (3, 'y')",
			[][]any{{int64(1), nil}, {nil, "x"}, {int64(3), "y"}}},
		// layout: white space, comments, the trailing semicolon
		{"layout", []string{"vol", "sym"}, "\n\t( 1 ,\r\n 'A' )\f,\v(2,'B') -- rows\n, /* more */ (3,'C') ;  -- end\n",
			[][]any{{int64(1), "A"}, {int64(2), "B"}, {int64(3), "C"}}},
		{"no spaces", []string{"vol", "sym"}, "(1,'A'),(2,'B');", [][]any{{int64(1), "A"}, {int64(2), "B"}}},
		{"column order", []string{"note", "vol"}, "('x', 1)", [][]any{{"x", int64(1)}}},
		{"all columns", nil, "(1, 'S', 1.5, 2, 3, 4.5, 'n', true)",
			[][]any{{int64(1), "S", 1.5, int64(2), int32(3), float32(4.5), "n", true}}},
		{"comment glued to a value", []string{"vol"}, "(1--x\n),(2/**/)", [][]any{{int64(1)}, {int64(2)}}},
	}
	s := allTypes(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols := tt.cols
			if cols == nil {
				for _, c := range s.Columns {
					cols = append(cols, c.Name)
				}
			}
			targets := targetsOf(t, s, cols...)
			b, err := DecodeValues(s, targets, tt.text)
			if err != nil {
				t.Fatalf("DecodeValues(%q): %v", tt.text, err)
			}
			checkBatch(t, s, targets, b)
			// Sprint tells -0 from 0, which DeepEqual does not.
			if got := cells(b, targets); !reflect.DeepEqual(got, tt.want) || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("DecodeValues(%q)\n got %v\nwant %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestDecodeValuesErrors(t *testing.T) {
	trades := []string{"ts", "sym", "price", "vol"}
	const tsUse = " as a timestamp (use 2006-01-02 15:04:05[.nnnnnnnnn] or RFC 3339)"
	tests := []struct {
		name   string
		cols   []string
		text   string
		want   string // the whole Error()
		row    int
		column string
	}{
		// conversions
		{"type mismatch", trades, "(1, 'A', 1.5, 2), (2, 'B', 'abc', 3)",
			"row 2, column price: cannot insert STRING value 'abc' into FLOAT64 column (line 1, column 28)", 2, "price"},
		{"multi-line position", trades, "(1, 'A', 1.5, 2),\n  (2, 'B', 1.5, 'x')",
			"row 2, column vol: cannot insert STRING value 'x' into INT64 column (line 2, column 17)", 2, "vol"},
		{"columns count characters", []string{"note", "price"}, "('héllo', 'x')",
			"row 1, column price: cannot insert STRING value 'x' into FLOAT64 column (line 1, column 11)", 1, "price"},
		{"float into int64", []string{"vol"}, "(1.0)", "row 1, column vol: cannot insert FLOAT64 value 1.0 into INT64 column (line 1, column 2)", 1, "vol"},
		{"bool into int64", []string{"vol"}, "(true)", "row 1, column vol: cannot insert BOOL value TRUE into INT64 column (line 1, column 2)", 1, "vol"},
		{"int32 too big", []string{"n32"}, "(1), (2147483648)", "row 2, column n32: value 2147483648 out of range for INT32 column (line 1, column 7)", 2, "n32"},
		{"int32 too small", []string{"n32"}, "(-2147483649)", "row 1, column n32: value -2147483649 out of range for INT32 column (line 1, column 2)", 1, "n32"},
		{"float32 too big", []string{"f32"}, "(1.5), (1e39)", "row 2, column f32: value 1e+39 out of range for FLOAT32 column (line 1, column 9)", 2, "f32"},
		{"string into int32", []string{"n32"}, "('1')", "row 1, column n32: cannot insert STRING value '1' into INT32 column (line 1, column 2)", 1, "n32"},
		{"string into float64", []string{"price"}, `('it''s\n')`, `row 1, column price: cannot insert STRING value 'it''s\n' into FLOAT64 column (line 1, column 2)`, 1, "price"},
		{"bool into float32", []string{"f32"}, "(False)", "row 1, column f32: cannot insert BOOL value FALSE into FLOAT32 column (line 1, column 2)", 1, "f32"},
		{"bad timestamp", []string{"ts"}, "('yesterday')", `row 1, column ts: cannot read "yesterday"` + tsUse + " (line 1, column 2)", 1, "ts"},
		{"timestamp keeps unknown escape", []string{"ts"}, `('2024\-01-02')`, `row 1, column ts: cannot read "2024\\-01-02"` + tsUse + " (line 1, column 2)", 1, "ts"},
		{"float into timestamp", []string{"ts"}, "(1.5)", "row 1, column ts: cannot insert FLOAT64 value 1.5 into TIMESTAMP column (line 1, column 2)", 1, "ts"},
		{"bool into timestamp", []string{"ts"}, "(TRUE)", "row 1, column ts: cannot insert BOOL value TRUE into TIMESTAMP column (line 1, column 2)", 1, "ts"},
		{"float into symbol", []string{"sym"}, "(1.5)", "row 1, column sym: cannot insert FLOAT64 value 1.5 into SYMBOL column (line 1, column 2)", 1, "sym"},
		{"bool into symbol", []string{"sym"}, "(false)", "row 1, column sym: cannot insert BOOL value FALSE into SYMBOL column (line 1, column 2)", 1, "sym"},
		{"int into string", []string{"note"}, "(5)", "row 1, column note: cannot insert INT64 value 5 into STRING column (line 1, column 2)", 1, "note"},
		{"negative float into string", []string{"note"}, "(-1.5e3)", "row 1, column note: cannot insert FLOAT64 value -1.5e3 into STRING column (line 1, column 2)", 1, "note"},
		{"plus is rendered glued", []string{"note"}, "(+ 5)", "row 1, column note: cannot insert INT64 value +5 into STRING column (line 1, column 2)", 1, "note"},
		{"folded minus is rendered glued", []string{"note"}, "(-\n 007)", "row 1, column note: cannot insert INT64 value -007 into STRING column (line 1, column 2)", 1, "note"},
		{"int 2 into bool", []string{"ok"}, "(2)", "row 1, column ok: cannot insert INT64 value 2 into BOOL column (line 1, column 2)", 1, "ok"},
		{"int -1 into bool", []string{"ok"}, "(-1)", "row 1, column ok: cannot insert INT64 value -1 into BOOL column (line 1, column 2)", 1, "ok"},
		{"string into bool", []string{"ok"}, "('true')", "row 1, column ok: cannot insert STRING value 'true' into BOOL column (line 1, column 2)", 1, "ok"},
		{"float into bool", []string{"ok"}, "(1.0)", "row 1, column ok: cannot insert FLOAT64 value 1.0 into BOOL column (line 1, column 2)", 1, "ok"},
		// row length
		{"too few values", trades, "(1, 'A', 1.5, 2), (2, 'B', 3)", "row 2 has 3 values, expected 4 (line 1, column 20)", 2, ""},
		{"too many values", trades, "(1, 'A', 1.5, 2, 5)", "row 1 has 5 values, expected 4 (line 1, column 2)", 1, ""},
		{"NULL counts as a value", []string{"vol", "sym"}, "(NULL)", "row 1 has 1 values, expected 2 (line 1, column 2)", 1, ""},
		{"length is at the first value", []string{"vol", "sym"}, "( -1)", "row 1 has 1 values, expected 2 (line 1, column 3)", 1, ""},
		{"length is checked before conversion", trades, "(1, 'A', 'x')", "row 1 has 3 values, expected 4 (line 1, column 2)", 1, ""},
		{"first bad row wins", trades, "(1, 'A', 'x', 2), (2, 'B')",
			"row 1, column price: cannot insert STRING value 'x' into FLOAT64 column (line 1, column 10)", 1, "price"},
		{"no targets", []string{}, "(1)", "row 1 has 1 values, expected 0 (line 1, column 2)", 1, ""},
		// syntax, reported before any conversion error
		{"syntax beats conversion", trades, "(1, 'A', 'x', 2), (2 3)",
			`expected ',' or ')' after value 1 of row 2, found "3" (line 1, column 22)`, 2, ""},
		{"syntax beats row length", trades, "(1), 'x'", `expected '(' to start row 2, found "'x'" (line 1, column 6)`, 2, ""},
		{"empty", trades, "", "unexpected end of input, expected '(' to start row 1 (line 1, column 1)", 1, ""},
		{"blank", trades, " \n ;", `expected '(' to start row 1, found ";" (line 2, column 2)`, 1, ""},
		{"no parenthesis", []string{"vol"}, "1, 2", `expected '(' to start row 1, found "1" (line 1, column 1)`, 1, ""},
		{"missing comma between values", []string{"vol", "sym"}, "(1 'A')", `expected ',' or ')' after value 1 of row 1, found "'A'" (line 1, column 4)`, 1, ""},
		{"missing comma between rows", []string{"vol"}, "(1) (2)", `expected ',' or end of input after row 1, found "(" (line 1, column 5)`, 0, ""},
		{"missing closing parenthesis", []string{"vol", "sym"}, "(1, 'A'", "unexpected end of input, expected ',' or ')' after value 2 of row 1 (line 1, column 8)", 1, ""},
		{"trailing comma", []string{"vol"}, "(1),", "unexpected end of input, expected '(' to start row 2 (line 1, column 5)", 2, ""},
		{"empty row", []string{"vol"}, "()", `expected a value, found ")" (line 1, column 2)`, 1, ""},
		{"missing value", []string{"vol", "n32", "price"}, "(1,,2)", `expected a value, found "," (line 1, column 4)`, 1, ""},
		{"unterminated string", []string{"vol", "sym"}, "(1, 'abc", "unterminated string literal (line 1, column 5)", 1, ""},
		{"escaped closing quote", []string{"vol", "sym"}, `(1, 'a\')`, "unterminated string literal (line 1, column 5)", 1, ""},
		{"doubled closing quote", []string{"vol", "sym"}, `(1, 'it''s)`, "unterminated string literal (line 1, column 5)", 1, ""},
		{"garbage after the last row", []string{"vol"}, "(1) x", `expected ',' or end of input after row 1, found "x" (line 1, column 5)`, 0, ""},
		{"second statement", []string{"vol"}, "(1); (2)", `expected end of input after ';', found "(" (only one statement is allowed) (line 1, column 6)`, 0, ""},
		{"two semicolons", []string{"vol"}, "(1);;", `expected end of input after ';', found ";" (only one statement is allowed) (line 1, column 5)`, 0, ""},
		{"integer too big", []string{"vol"}, "(9223372036854775808)", "integer literal out of range (line 1, column 2)", 1, ""},
		{"integer too small", []string{"vol"}, "(-9223372036854775809)", "integer literal out of range (line 1, column 2)", 1, ""},
		{"integer too big after plus", []string{"vol"}, "(+9223372036854775808)", "integer literal out of range (line 1, column 3)", 1, ""},
		{"integer too big for a float column", []string{"price"}, "(123456789012345678901234567890)", "integer literal out of range (line 1, column 2)", 1, ""},
		{"float too big", []string{"price"}, "(1), (-1e400)", "float literal out of range (line 1, column 7)", 2, ""},
		{"letters after a number", []string{"vol"}, "(12abc)", "invalid number literal (line 1, column 2)", 1, ""},
		{"hex", []string{"vol"}, "(0x1F)", "invalid number literal (line 1, column 2)", 1, ""},
		{"exponent without digits", []string{"price"}, "(1.5e)", "invalid number literal (line 1, column 2)", 1, ""},
		{"signed exponent without digits", []string{"price"}, "(- 1e+)", "invalid number literal (line 1, column 4)", 1, ""},
		{"two dots", []string{"price"}, "(1.2.3)", `expected ',' or ')' after value 1 of row 1, found ".3" (line 1, column 5)`, 1, ""},
		{"identifier", []string{"vol"}, "(abc)", `expected a literal value, found "abc" (line 1, column 2)`, 1, ""},
		{"NULL glued to letters", []string{"vol"}, "(nullx)", `expected a literal value, found "nullx" (line 1, column 2)`, 1, ""},
		{"function call", []string{"ts"}, "(now())", `expected a literal value, found "now" (line 1, column 2)`, 1, ""},
		{"expression", []string{"vol"}, "(1+2)", `expected ',' or ')' after value 1 of row 1, found "+" (line 1, column 3)`, 1, ""},
		{"cast", []string{"vol"}, "(1::INT32)", `expected ',' or ')' after value 1 of row 1, found ":" (line 1, column 3)`, 1, ""},
		{"minus alone", []string{"vol"}, "(-)", `expected a number after '-', found ")" (line 1, column 3)`, 1, ""},
		{"minus string", []string{"vol"}, "(-'a')", `expected a number after '-', found "'a'" (line 1, column 3)`, 1, ""},
		{"double minus", []string{"vol"}, "(- -1)", `expected a number after '-', found "-" (line 1, column 4)`, 1, ""},
		{"plus NULL", []string{"vol"}, "(+NULL)", `expected a number after '+', found "NULL" (line 1, column 3)`, 1, ""},
		{"minus at the end", []string{"vol"}, "(-", "unexpected end of input, expected a number after '-' (line 1, column 3)", 1, ""},
		{"invalid UTF-8 in a string", []string{"note"}, "('a\xffb')", "invalid UTF-8 encoding (line 1, column 4)", 1, ""},
		{"invalid UTF-8 outside", []string{"note"}, "(\xff)", `expected a value, found "\xff" (line 1, column 2)`, 1, ""},
		{"unterminated comment", []string{"vol"}, "(1) /* x", "unterminated comment (line 1, column 5)", 0, ""},
		{"invalid UTF-8 in a comment", []string{"vol"}, "(1 -- é\xff\n)", "invalid UTF-8 encoding (line 1, column 8)", 1, ""},
		{"invalid UTF-8 in a block comment", []string{"vol"}, "(1) /* \xff", "invalid UTF-8 encoding (line 1, column 8)", 0, ""},
	}
	s := allTypes(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := DecodeValues(s, targetsOf(t, s, tt.cols...), tt.text)
			if b != nil {
				t.Errorf("DecodeValues(%q) returned a batch with its error", tt.text)
			}
			var ve *ValuesError
			if !errors.As(err, &ve) {
				t.Fatalf("DecodeValues(%q) = %v (%T), want a *ValuesError", tt.text, err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("DecodeValues(%q)\n got %s\nwant %s", tt.text, err, tt.want)
			}
			if ve.Row != tt.row || ve.Column != tt.column {
				t.Errorf("DecodeValues(%q): Row %d, Column %q; want %d, %q", tt.text, ve.Row, ve.Column, tt.row, tt.column)
			}
		})
	}
}

func TestDecodeValuesBadTargets(t *testing.T) {
	s := allTypes(t)
	for _, tt := range []struct {
		name    string
		targets []int
		want    string
	}{
		{"negative", []int{-1}, "target column index -1 out of range for table t"},
		{"past the end", []int{0, 8}, "target column index 8 out of range for table t"},
		{"twice", []int{3, 1, 3}, "column vol listed twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeValues(s, tt.targets, "(1)")
			var ve *ValuesError
			if !errors.As(err, &ve) || err.Error() != tt.want || ve.Line != 0 {
				t.Errorf("DecodeValues(targets %v) = %v, want %q without a position", tt.targets, err, tt.want)
			}
		})
	}
	if _, err := DecodeValues(nil, nil, "(1)"); err == nil {
		t.Error("DecodeValues without a schema succeeded")
	}
}

// TestDecodeValuesPadding checks the columns an INSERT does not name:
// NULL in every row, with the bitmap the SQL path's padNulls builds.
func TestDecodeValuesPadding(t *testing.T) {
	s := allTypes(t)
	for _, n := range []int{1, 2, 63, 64, 65, 130} {
		text := strings.Repeat("(7, 'x'),", n-1) + "(7, 'x')"
		targets := targetsOf(t, s, "vol", "sym")
		b, err := DecodeValues(s, targets, text)
		if err != nil {
			t.Fatal(err)
		}
		checkBatch(t, s, targets, b)
		var want column.Bitmap
		for r := range n {
			want.Set(r)
		}
		for i, v := range b.Vectors {
			if i == targets[0] || i == targets[1] {
				if v.Nulls != nil {
					t.Errorf("%d rows: named column %s has a NULL bitmap", n, s.Columns[i].Name)
				}
				continue
			}
			if !reflect.DeepEqual(v.Nulls.Words(), want.Words()) {
				t.Errorf("%d rows: column %s NULL words %x, want %x", n, s.Columns[i].Name, v.Nulls.Words(), want.Words())
			}
			if got := cell(v, n-1); got != nil {
				t.Errorf("%d rows: column %s row %d = %v, want NULL", n, s.Columns[i].Name, n-1, got)
			}
		}
	}
}

// TestDecodeValuesNullBitmap checks NULLs inside named columns.
func TestDecodeValuesNullBitmap(t *testing.T) {
	s := allTypes(t)
	targets := targetsOf(t, s, "vol")
	text := strings.Repeat("(1),", 69) + "(NULL),(2)"
	b, err := DecodeValues(s, targets, text)
	if err != nil {
		t.Fatal(err)
	}
	v := b.Vectors[targets[0]]
	if got := v.Nulls.Count(b.Len()); got != 1 || !v.IsNull(69) || v.Int64[69] != 0 || v.Int64[70] != 2 {
		t.Errorf("NULL at row 70: %d NULLs, IsNull(69)=%v, values %v", got, v.IsNull(69), v.Int64[68:])
	}
}

// TestDecodeValuesSymbolsShared checks that repeated SYMBOL values share
// one string and that decoding allocates per distinct value, not per row.
func TestDecodeValuesSymbolsShared(t *testing.T) {
	s := allTypes(t)
	targets := targetsOf(t, s, "ts", "sym", "price", "vol")
	var sb strings.Builder
	for i := range 1000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("(1762075800000000000, 'S0")
		sb.WriteByte(byte('0' + i%10))
		sb.WriteString("', 100.25, 300)")
	}
	text := sb.String() + ",(1, 'a''b', 1, 1),(1, 'a''b', 1, 1),(1, 42, 1, 1),(1, 42, 1, 1)"
	b, err := DecodeValues(s, targets, text)
	if err != nil {
		t.Fatal(err)
	}
	syms := b.Vectors[targets[1]].String
	same := func(x, y string) bool { return x == y && unsafe.StringData(x) == unsafe.StringData(y) }
	for _, p := range [][2]int{{0, 10}, {3, 993}, {1000, 1001}, {1002, 1003}} {
		if !same(syms[p[0]], syms[p[1]]) {
			t.Errorf("rows %d and %d: %q and %q do not share memory", p[0], p[1], syms[p[0]], syms[p[1]])
		}
	}
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := DecodeValues(s, targets, text); err != nil {
			t.Fatal(err)
		}
	})
	// About 30 for the vectors, the all-NULL columns and the SYMBOL map,
	// plus one string per distinct symbol (12 here); nothing per row.
	if allocs > 50 {
		t.Errorf("decoding 1004 rows allocates %v times", allocs)
	}
}
