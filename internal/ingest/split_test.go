package ingest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

func TestSplitInsertValues(t *testing.T) {
	tests := []struct {
		sql     string
		table   string
		columns []string
		values  string
		ok      bool
	}{
		{"INSERT INTO trades VALUES (1, 'A')", "trades", nil, " (1, 'A')", true},
		{"insert into t(a,b)values(1,2)", "t", []string{"a", "b"}, "(1,2)", true},
		{"  Insert\n\tInto TABLE t ( a , _b2 )\r\nVALUES\n(1,2);", "t", []string{"a", "_b2"}, "\n(1,2);", true},
		{"INSERT INTO t VALUES", "t", nil, "", true},
		{"INSERT INTO timestamp (ts) VALUES (1) -- comments after VALUES are the decoder's", "timestamp", []string{"ts"}, " (1) -- comments after VALUES are the decoder's", true},
		{"INSERT INTO t SELECT 1", "", nil, "", false},
		{"INSERT INTO t FORMAT CSV\n1,2", "", nil, "", false},
		{`INSERT INTO "t" VALUES (1)`, "", nil, "", false},
		{"INSERT INTO t (`a`) VALUES (1)", "", nil, "", false},
		{"/* c */ INSERT INTO t VALUES (1)", "", nil, "", false},
		{"INSERT /* c */ INTO t VALUES (1)", "", nil, "", false},
		{"INSERT INTO t -- c\nVALUES (1)", "", nil, "", false},
		{"INSERT INTO t (a,) VALUES (1)", "", nil, "", false},
		{"INSERT INTO t () VALUES (1)", "", nil, "", false},
		{"INSERT INTO t (a VALUES (1)", "", nil, "", false},
		{"INSERT INTO t (a) (b) VALUES (1)", "", nil, "", false},
		{"INSERT INTO select VALUES (1)", "", nil, "", false},
		{"INSERT INTO t (a, from) VALUES (1, 2)", "", nil, "", false},
		{"INSERT INTO TABLE VALUES (1)", "", nil, "", false},
		{"INSERT INTO t.x VALUES (1)", "", nil, "", false},
		{"INSERT INTO 1t VALUES (1)", "", nil, "", false},
		{"INSERT t VALUES (1)", "", nil, "", false},
		{"INSERTINTO t VALUES (1)", "", nil, "", false},
		{"INSERT INTO t VALUESX (1)", "", nil, "", false},
		{"INSERT INTO t_é VALUES (1)", "", nil, "", false},
		{"SELECT 1", "", nil, "", false},
		{"", "", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			table, columns, values, ok := SplitInsertValues(tt.sql)
			if table != tt.table || !reflect.DeepEqual(columns, tt.columns) || values != tt.values || ok != tt.ok {
				t.Fatalf("SplitInsertValues(%q) = %q, %q, %q, %v; want %q, %q, %q, %v",
					tt.sql, table, columns, values, ok, tt.table, tt.columns, tt.values, tt.ok)
			}
			if !ok {
				return
			}
			// What is split must be what the parser reads, when it reads it.
			stmt, err := parser.Parse(tt.sql)
			if err != nil {
				return
			}
			ins := stmt.(*parser.Insert)
			if ins.Table != table || !reflect.DeepEqual(ins.Columns, columns) {
				t.Errorf("parser reads table %q columns %q", ins.Table, ins.Columns)
			}
		})
	}
}

// TestValuesErrorShift moves an error into the statement it was cut
// from, where it must point where the parser points.
func TestValuesErrorShift(t *testing.T) {
	s := allTypes(t)
	for _, sql := range []string{
		"INSERT INTO t (vol) VALUES (1), (2 3)",
		"INSERT INTO t (vol)\nVALUES (1), (2 3)",
		"INSERT INTO t (vol) VALUES\n(1),\n  (2 3)",
		"INSERT INTO t (vol) /* é */ VALUES (1), ('é' 3)",
		"INSERT INTO t (vol) VALUES",
	} {
		values := sql[strings.Index(sql, "VALUES")+len("VALUES"):]
		_, err := DecodeValues(s, targetsOf(t, s, "vol"), values)
		ve, _ := err.(*ValuesError)
		_, perr := parser.Parse(sql)
		se, _ := perr.(*parser.SyntaxError)
		if ve == nil || se == nil {
			t.Fatalf("%q: DecodeValues says %v, parser %v", sql, err, perr)
		}
		ve.Shift(sql[:len(sql)-len(values)])
		if ve.Line != se.Pos.Line || ve.Col != se.Pos.Col {
			t.Errorf("%q: shifted error at %d:%d, parser says %v", sql, ve.Line, ve.Col, perr)
		}
	}
	e := &ValuesError{Msg: "no position"}
	e.Shift("INSERT INTO t VALUES\n")
	if e.Line != 0 || e.Col != 0 {
		t.Errorf("Shift moved a position-less error to %d:%d", e.Line, e.Col)
	}
}
