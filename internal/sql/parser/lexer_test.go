package parser

import (
	"fmt"
	"strings"
	"testing"
)

// lexAll renders every token as kind:text@line:col until EOF or an error.
func lexAll(src string) string {
	l := newLexer(src)
	var out []string
	for {
		tok := l.next()
		out = append(out, fmt.Sprintf("%s:%s@%s", tok.kind, tok.text, tok.pos))
		if tok.kind == tokEOF || tok.kind == tokError {
			return strings.Join(out, " ")
		}
	}
}

func TestLexer(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", "EOF:@1:1"},
		{"keywords keep their spelling", "select From", "keyword:select@1:1 keyword:From@1:8 EOF:@1:12"},
		{"non-reserved words are identifiers", "timestamp Count _x1", "ident:timestamp@1:1 ident:Count@1:11 ident:_x1@1:17 EOF:@1:20"},
		{"quoted identifiers", "\"Sel\"\"ect\" `a``b`", "quoted ident:Sel\"ect@1:1 quoted ident:a`b@1:12 EOF:@1:18"},
		{"integers and floats", "0 42 1.5 .5 1. 1e9 1.5E-3 2e+2", "int:0@1:1 int:42@1:3 float:1.5@1:6 float:.5@1:10 float:1.@1:13 float:1e9@1:16 float:1.5E-3@1:20 float:2e+2@1:27 EOF:@1:31"},
		{"huge integer is lexed, range checked later", "99999999999999999999", "int:99999999999999999999@1:1 EOF:@1:21"},
		{"string with doubled quote", "'it''s'", "string:it's@1:1 EOF:@1:8"},
		{"string with backslash escapes", `'a\'b\\c\nd\te'`, "string:a'b\\c\nd\te@1:1 EOF:@1:16"},
		{"unknown escape keeps backslash", `'a\_b'`, `string:a\_b@1:1 EOF:@1:7`},
		{"string with UTF-8", "'héllo' x", "string:héllo@1:1 ident:x@1:9 EOF:@1:10"},
		{"operators", "+ - * / % = == != <> < <= > >= ( ) , . ; || ::", "op:+@1:1 op:-@1:3 op:*@1:5 op:/@1:7 op:%@1:9 op:=@1:11 op:==@1:13 op:!=@1:16 op:<>@1:19 op:<@1:22 op:<=@1:24 op:>@1:27 op:>=@1:29 op:(@1:32 op:)@1:34 op:,@1:36 op:.@1:38 op:;@1:40 op:||@1:42 op:::@1:45 EOF:@1:47"},
		{"operators without spaces", "a<=-1", "ident:a@1:1 op:<=@1:2 op:-@1:4 int:1@1:5 EOF:@1:6"},
		{"line comment", "a -- comment\nb", "ident:a@1:1 ident:b@2:1 EOF:@2:2"},
		{"block comment across lines", "a /* x\n y */ b", "ident:a@1:1 ident:b@2:7 EOF:@2:8"},
		{"qualified name", "t.price", "ident:t@1:1 op:.@1:2 ident:price@1:3 EOF:@1:8"},
		{"columns count characters", "'é' x", "string:é@1:1 ident:x@1:5 EOF:@1:6"},
		{"multi-line positions", "a\n  b\n\n c", "ident:a@1:1 ident:b@2:3 ident:c@4:2 EOF:@4:3"},
		{"unterminated string", "x 'abc", "ident:x@1:1 error:unterminated string literal@1:3"},
		{"unterminated quoted identifier", `"abc`, "error:unterminated quoted identifier@1:1"},
		{"empty quoted identifier", `""`, "error:empty quoted identifier@1:1"},
		{"unterminated comment", "a /* b", "ident:a@1:1 error:unterminated comment@1:3"},
		{"unknown character", "a # b", "ident:a@1:1 error:unexpected character '#'@1:3"},
		{"lone bang", "a ! b", "ident:a@1:1 error:unexpected character '!'@1:3"},
		{"non-ASCII outside a string", "a é", "ident:a@1:1 error:unexpected character 'é'@1:3"},
		{"invalid UTF-8 outside a string", "a \xff", "ident:a@1:1 error:invalid UTF-8 encoding@1:3"},
		{"invalid UTF-8 inside a string", "'ab\xffc'", "error:invalid UTF-8 encoding@1:4"},
		{"invalid UTF-8 inside a comment", "-- \xff\nx", "error:invalid UTF-8 encoding@1:4"},
		{"letters glued to a number", "12abc", "error:invalid number literal@1:1"},
		{"exponent without digits", "1e+", "error:invalid number literal@1:1"},
		{"durations", "5m 100ms 1M 10us 500ns 2d 1y 3T", "duration:5m@1:1 duration:100ms@1:4 duration:1M@1:10 duration:10us@1:13 duration:500ns@1:18 duration:2d@1:24 duration:1y@1:27 duration:3T@1:30 EOF:@1:32"},
		{"duration units are case-sensitive", "5H", "error:invalid number literal@1:1"},
		{"unknown duration unit", "5min", "error:invalid number literal@1:1"},
		{"fractional duration", "1.5m", "error:invalid number literal@1:1"},
		{"duration then punctuation", "5m)", "duration:5m@1:1 op:)@1:3 EOF:@1:4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lexAll(tt.src); got != tt.want {
				t.Errorf("lex(%q)\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestLexerOffsets(t *testing.T) {
	l := newLexer("SELECT  'é'")
	for _, want := range [][2]int{{0, 6}, {8, 12}, {12, 12}} {
		tok := l.next()
		if tok.off != want[0] || tok.end != want[1] {
			t.Errorf("token %q: offsets [%d,%d), want [%d,%d)", tok.text, tok.off, tok.end, want[0], want[1])
		}
	}
}
