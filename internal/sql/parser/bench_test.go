package parser

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkParseSelect(b *testing.B) {
	const sql = "SELECT xbar(ts, 300000000000) AS bar, first(price), max(price), min(price), last(price), sum(volume) " +
		"FROM trades WHERE symbol = 'AAPL' AND price BETWEEN 10 AND 20 GROUP BY bar ORDER BY bar DESC LIMIT 100"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(sql); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseInsert parses a statement of the size the load generator
// sends: 10,000 rows of four values.
func BenchmarkParseInsert(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("INSERT INTO trades VALUES ")
	for i := range 10000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "(%d,'S%03d',%d.25,%d)", 1793611800000000000+i, i%500, 100+i%7, i%1000)
	}
	sql := sb.String()
	b.SetBytes(int64(len(sql)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(sql); err != nil {
			b.Fatal(err)
		}
	}
}
