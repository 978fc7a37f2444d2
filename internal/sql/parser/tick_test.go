package parser

import "testing"

func TestParseTickClauses(t *testing.T) {
	trades := func(s *Select) *Select {
		s.From, s.Source = tbl("trades", ""), tbl("trades", "")
		return s
	}
	avgPrice := items(col("ts"), call("avg", col("price")))
	checkParseTrees(t, []struct {
		name string
		sql  string
		want Statement
	}{
		{"latest on", "SELECT * FROM trades WHERE venue = 'X' LATEST ON ts PARTITION BY sym, venue", trades(&Select{
			Items: starItems(), Where: bin("=", col("venue"), str("X")),
			LatestOn: &LatestOn{Timestamp: "ts", PartitionBy: []string{"sym", "venue"}},
		})},
		{"latest on right after the table", "SELECT * FROM trades LATEST ON ts PARTITION BY sym", trades(&Select{
			Items: starItems(), LatestOn: &LatestOn{Timestamp: "ts", PartitionBy: []string{"sym"}},
		})},
		{"sample by with every option", "SELECT ts, avg(price) FROM trades SAMPLE BY 5m FILL(NULL, PREV, LINEAR, NONE, 0, -1.5, 'x', (NULL)) " +
			"FROM '2024-01-01' TO '2024-01-02' ALIGN TO CALENDAR TIME ZONE 'America/New_York' WITH OFFSET '00:30'", trades(&Select{
			Items: avgPrice,
			SampleBy: &SampleBy{
				Every: Duration{Value: 5, Unit: "MINUTE", Nanos: 300e9, Suffix: "m"},
				Fill: []FillValue{{Mode: FillNull}, {Mode: FillPrev}, {Mode: FillLinear}, {Mode: FillNone},
					{Mode: FillConst, Value: num("0")}, {Mode: FillConst, Value: flt(-1.5, "-1.5")},
					{Mode: FillConst, Value: str("x")}, {Mode: FillNull}},
				From: str("2024-01-01"), To: str("2024-01-02"),
				Align: "CALENDAR", TimeZone: str("America/New_York"), Offset: str("00:30"),
			},
		})},
		{"sample by options in another order", "SELECT ts, avg(price) FROM trades SAMPLE BY 1h TO b ALIGN TO FIRST OBSERVATION FILL(prev) FROM a", trades(&Select{
			Items: avgPrice,
			SampleBy: &SampleBy{
				Every: Duration{Value: 1, Unit: "HOUR", Nanos: 3600e9, Suffix: "h"},
				Fill:  []FillValue{{Mode: FillPrev}}, From: col("a"), To: col("b"), Align: "FIRST OBSERVATION",
			},
		})},
		{"fill values that look like modes", `SELECT ts, avg(price) FROM trades SAMPLE BY 1d FILL(prev + 1, "none", (linear))`, trades(&Select{
			Items: avgPrice,
			SampleBy: &SampleBy{
				Every: Duration{Value: 1, Unit: "DAY", Nanos: 86400e9, Suffix: "d"},
				Fill: []FillValue{{Mode: FillConst, Value: bin("+", col("prev"), num("1"))},
					{Mode: FillConst, Value: &ColumnRef{Name: "none", Quoted: true}},
					{Mode: FillConst, Value: col("linear")}},
			},
		})},
		{"sample by interval, then GROUP BY", "SELECT ts, avg(price) FROM trades WHERE x SAMPLE BY INTERVAL 5 MINUTE GROUP BY ts", trades(&Select{
			Items: avgPrice, Where: col("x"), GroupBy: []Expr{col("ts")},
			SampleBy: &SampleBy{Every: Duration{Value: 5, Unit: "MINUTE", Nanos: 300e9}},
		})},
		{"clickhouse sample", "SELECT * FROM trades SAMPLE 0.1 WHERE x", trades(&Select{
			Items: starItems(), Sample: flt(0.1, "0.1"), Where: col("x"),
		})},
		{"clickhouse sample ratio with offset", "SELECT * FROM trades SAMPLE 1/10 OFFSET 1/2", trades(&Select{
			Items: starItems(), Sample: bin("/", num("1"), num("10")), SampleOffset: bin("/", num("1"), num("2")),
		})},
		{"clickhouse sample before a join", "SELECT * FROM t SAMPLE 0.5 JOIN q USING (k)", &Select{
			Items: starItems(), Sample: flt(0.5, "0.5"),
			Source: &Join{Kind: JoinInner, Left: tbl("t", ""), Right: tbl("q", ""), Using: []string{"k"}},
		}},
		{"query offset after sample", "SELECT * FROM trades SAMPLE 0.5 OFFSET (3)", trades(&Select{
			Items: starItems(), Sample: flt(0.5, "0.5"), Offset: num("3"),
		})},
		{"limit by", "SELECT * FROM trades ORDER BY ts DESC LIMIT 1 BY sym", trades(&Select{
			Items: starItems(), OrderBy: []OrderItem{{Expr: col("ts"), Desc: true}},
			LimitBy: &LimitBy{Limit: num("1"), By: []Expr{col("sym")}},
		})},
		{"limit by with offset, then limit", "SELECT * FROM trades LIMIT 2 OFFSET 1 BY sym, venue LIMIT 10 OFFSET 5", trades(&Select{
			Items:   starItems(),
			LimitBy: &LimitBy{Limit: num("2"), Offset: num("1"), By: []Expr{col("sym"), col("venue")}},
			Limit:   num("10"), Offset: num("5"),
		})},
		{"clickhouse limit by, then offset", "SELECT * FROM trades LIMIT 1, 2 BY sym OFFSET 3", trades(&Select{
			Items:   starItems(),
			LimitBy: &LimitBy{Limit: num("2"), Offset: num("1"), By: []Expr{col("sym")}},
			Offset:  num("3"),
		})},
		{"qualify", "SELECT sym, row_number() OVER (PARTITION BY sym) AS rn FROM trades GROUP BY sym HAVING 1 = 1 QUALIFY rn = 1", trades(&Select{
			Items:   []SelectItem{{Expr: col("sym")}, {Expr: &FuncCall{Name: "row_number", Over: &WindowSpec{PartitionBy: []Expr{col("sym")}}}, Alias: "rn"}},
			GroupBy: []Expr{col("sym")}, Having: bin("=", num("1"), num("1")),
			Qualify: bin("=", col("rn"), num("1")),
		})},
		{"qualify right after the table", "SELECT * FROM trades QUALIFY x", trades(&Select{Items: starItems(), Qualify: col("x")})},
	})
}

func TestDurations(t *testing.T) {
	tests := []struct {
		text  string
		value int64
		unit  string
		nanos int64
	}{
		{"500ns", 500, "NANOSECOND", 500},
		{"10us", 10, "MICROSECOND", 10e3},
		{"10U", 10, "MICROSECOND", 10e3},
		{"100ms", 100, "MILLISECOND", 100e6},
		{"100T", 100, "MILLISECOND", 100e6},
		{"30s", 30, "SECOND", 30e9},
		{"5m", 5, "MINUTE", 300e9},
		{"1h", 1, "HOUR", 3600e9},
		{"2d", 2, "DAY", 2 * 86400e9},
		{"1w", 1, "WEEK", 7 * 86400e9},
		{"1M", 1, "MONTH", 0},
		{"3y", 3, "YEAR", 0},
		{"007m", 7, "MINUTE", 420e9},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			sel := mustParse(t, "SELECT 1 FROM t SAMPLE BY "+tt.text).(*Select)
			d := sel.SampleBy.Every
			suffix := tt.text[len(tt.text)-len(d.Suffix):]
			if d.Value != tt.value || d.Unit != tt.unit || d.Nanos != tt.nanos || d.Suffix != suffix {
				t.Errorf("SAMPLE BY %s = %+v", tt.text, d)
			}
		})
	}
}

func TestTickClauseString(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"select * from trades latest on ts partition by sym", "SELECT * FROM trades LATEST ON ts PARTITION BY sym"},
		{"select ts, avg(p) from t sample by 5m fill(null, prev, 1) from 'a' to 'b' align to calendar time zone 'UTC' with offset '00:30'",
			"SELECT ts, avg(p) FROM t SAMPLE BY 5m FILL(NULL, PREV, 1) FROM 'a' TO 'b' ALIGN TO CALENDAR TIME ZONE 'UTC' WITH OFFSET '00:30'"},
		{"select ts, avg(p) from t sample by 1M align to first observation to 'b' fill(linear)", "SELECT ts, avg(p) FROM t SAMPLE BY 1M FILL(LINEAR) TO 'b' ALIGN TO FIRST OBSERVATION"},
		{"select ts, avg(p) from t sample by interval '90 seconds'", "SELECT ts, avg(p) FROM t SAMPLE BY INTERVAL 90 SECOND"},
		{`select ts, avg(p) from t sample by 1d fill((prev), "none", (null))`, `SELECT ts, avg(p) FROM t SAMPLE BY 1d FILL((prev), "none", NULL)`},
		{"select * from t sample 1/10", "SELECT * FROM t SAMPLE 1 / 10"},
		{"select * from t limit 1 by a limit 5", "SELECT * FROM t LIMIT 1 BY a LIMIT 5"},
		{"select * from t limit 2, 1 by a offset 3", "SELECT * FROM t LIMIT 1 OFFSET 2 BY a OFFSET 3"},
		{"select * from t qualify x", "SELECT * FROM t QUALIFY x"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) { checkStatementString(t, tt.sql, tt.want) })
	}
}

func TestProgrammaticDuration(t *testing.T) {
	for _, tt := range []struct {
		d    Duration
		want string
	}{
		{Duration{Value: 5, Unit: "MINUTE", Suffix: "m"}, "5m"},
		{Duration{Value: 5, Unit: "MINUTE"}, "INTERVAL 5 MINUTE"},
		{Duration{Value: 2, Unit: "MONTH"}, "2M"},
		{Duration{Value: 1, Unit: "YEAR"}, "1y"},
	} {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestTickSyntaxErrors(t *testing.T) {
	checkSyntaxErrors(t, []struct{ name, sql, want string }{
		{"LATEST ON without BY", "SELECT a FROM t LATEST ON ts PARTITION sym", `1:40: expected BY, found "sym"`},
		{"LATEST ON without PARTITION", "SELECT a FROM t WHERE x LATEST ON ts", "1:37: unexpected end of query, expected PARTITION"},
		{"SAMPLE BY a bare number", "SELECT a FROM t SAMPLE BY 5", `1:27: expected duration such as 5m or INTERVAL 5 MINUTE, found "5"`},
		{"unclosed FILL", "SELECT a FROM t SAMPLE BY 5m FILL(", "1:35: unexpected end of query, expected expression"},
		{"bad ALIGN", "SELECT a FROM t SAMPLE BY 5m ALIGN TO MOON", `1:39: expected CALENDAR or FIRST OBSERVATION, found "MOON"`},
		{"FIRST without OBSERVATION", "SELECT a FROM t SAMPLE BY 5m ALIGN TO FIRST", "1:44: unexpected end of query, expected OBSERVATION"},
		{"duplicate FILL", "SELECT a FROM t SAMPLE BY 5m FILL(PREV) FILL(NULL)", "1:41: duplicate FILL clause"},
		{"duplicate FROM", "SELECT a FROM t SAMPLE BY 5m FROM 'a' FROM 'b'", "1:39: duplicate FROM clause"},
		{"duration too long", "SELECT a FROM t SAMPLE BY 999999999999m", "1:27: duration out of range"},
		{"duration overflows int64", "SELECT a FROM t SAMPLE BY 99999999999999999999m", "1:27: duration out of range"},
		{"unknown duration unit", "SELECT a FROM t SAMPLE BY 5x", "1:27: invalid number literal"},
		{"fractional duration", "SELECT a FROM t SAMPLE BY 1.5m", "1:27: invalid number literal"},
		{"time zone not a string", "SELECT a FROM t SAMPLE BY 5m ALIGN TO CALENDAR TIME ZONE 5", `1:58: expected time zone string, found "5"`},
		{"offset not a string", "SELECT a FROM t SAMPLE BY 5m ALIGN TO CALENDAR WITH OFFSET 30", `1:60: expected offset string such as '00:30', found "30"`},
		{"duration in an expression", "SELECT a FROM t WHERE b = 5m", "1:27: a duration such as 5m is only allowed after SAMPLE BY and TOLERANCE; write an INTERVAL here"},
		{"incomplete SAMPLE ratio", "SELECT * FROM t SAMPLE 1/", "1:26: unexpected end of query, expected number"},
		{"LIMIT BY without expressions", "SELECT * FROM t LIMIT 1 BY", "1:27: unexpected end of query, expected expression"},
		{"two LIMIT BY clauses", "SELECT * FROM t LIMIT 1 BY a LIMIT 2 BY b", `1:38: expected OFFSET or end of query, found "BY"`},
		{"QUALIFY without a condition", "SELECT a FROM t AS x QUALIFY", "1:29: unexpected end of query, expected expression"},
	})
}
