package parser

import (
	"errors"
	"strings"
	"testing"
)

func TestBindParams(t *testing.T) {
	params := map[string]string{"a": "41", "s": `it's a\ttab \\ back`, "n": `\N`, "ts": "2024-01-02 03:04:05", "f": "1.5", "b": "true",
		"sec": "1704164645", "evil": "1); DROP TABLE t; --", "neg": "-3"}
	value := func(name string) (string, bool) { v, ok := params[name]; return v, ok }
	tests := []struct{ in, want, err string }{
		{"SELECT {a:UInt32} + 1 AS v", "SELECT 41 + 1 AS v", ""},
		{"SELECT {s:String}", `SELECT 'it\'s a	tab \\ back'`, ""},
		{"SELECT { s : String }", `SELECT 'it\'s a	tab \\ back'`, ""},
		{"SELECT {n:Nullable(String)}, {s:LowCardinality(String)}", `SELECT NULL, 'it\'s a	tab \\ back'`, ""},
		{"SELECT * FROM t WHERE ts >= {ts:DateTime64(9, 'UTC')}", "SELECT * FROM t WHERE ts >= TIMESTAMP '2024-01-02 03:04:05'", ""},
		{"SELECT {sec:DateTime}", "SELECT 1704164645000000000", ""},
		{"SELECT {f:Float64}, {b:Bool}, {neg:Int64}", "SELECT 1.5, TRUE, -3", ""},
		{"SELECT '{a:UInt32}', \"{a:UInt32}\", `{a:UInt32}` -- {a:UInt32}\n/* {a:UInt32} */", "SELECT '{a:UInt32}', \"{a:UInt32}\", `{a:UInt32}` -- {a:UInt32}\n/* {a:UInt32} */", ""},
		{"SELECT 'it''s {a:UInt32}', {a:UInt32}", "SELECT 'it''s {a:UInt32}', 41", ""},
		{"SELECT {evil:String}", `SELECT '1); DROP TABLE t; --'`, ""},
		{"SELECT {}", "SELECT {}", ""},
		{"SELECT {evil:Int64}", "", `"evil": "1); DROP TABLE t; --" is not an Int64`},
		{"SELECT {missing:String}", "", `query parameter "missing" is not set`},
		{"SELECT {n:String}", "", "NULL for the non-Nullable type String"},
		{"SELECT {a:Array(UInt8)}", "", "not supported"},
	}
	for _, tt := range tests {
		got, err := BindParams(tt.in, value)
		if tt.err != "" {
			var pe *ParamError
			if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: got %q, %v; want error %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s:\n got %q, %v\nwant %q", tt.in, got, err, tt.want)
		}
		if _, err := Parse(got); err != nil && !strings.Contains(tt.in, "{}") {
			t.Errorf("%s: the bound statement does not parse: %v", got, err)
		}
	}
}

// FuzzBindParams: arbitrary statements and values never panic, text
// without a placeholder comes back unchanged, and a bound statement holds
// the value only as a literal (the value cannot end the literal early).
func FuzzBindParams(f *testing.F) {
	f.Add("SELECT {a:String} FROM t WHERE x = '{a:String}' -- {a:String}", "x'); DROP TABLE t; --")
	f.Add("SELECT {a:Nullable(Int64)}, {b:DateTime64(3, 'UTC')}", `\N`)
	f.Add("SELECT \"{a:String}\", `{a:String}`, /* {a:String} */ {a:Float64}", "1e5")
	f.Fuzz(func(t *testing.T, sql, v string) {
		out, err := BindParams(sql, func(string) (string, bool) { return v, true })
		if err != nil {
			return
		}
		if !strings.Contains(sql, "{") && out != sql {
			t.Fatalf("no placeholder, yet %q became %q", sql, out)
		}
		if strings.Count(sql, "{") == 1 && strings.HasPrefix(sql, "SELECT {") && strings.HasSuffix(sql, ":String}") && !strings.ContainsAny(sql[8:], "'\"`-/{") {
			stmt, err := Parse(out)
			if err != nil {
				return // a name the grammar does not take, such as a reserved word
			}
			if sel, ok := stmt.(*Select); !ok || len(sel.Items) != 1 {
				t.Fatalf("%q bound to %q parses as %T, not one string", sql, out, stmt)
			}
		}
	})
}
