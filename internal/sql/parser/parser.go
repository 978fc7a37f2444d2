package parser

import (
	"fmt"
	"strconv"
	"strings"
)

// Parse parses exactly one statement, optionally followed by a semicolon.
// Errors are *SyntaxError.
func Parse(sql string) (Statement, error) {
	p := newParser(sql)
	return catch(func() Statement {
		if p.atEmpty() {
			panic(&SyntaxError{Pos: Pos{1, 1}, Msg: "empty query"})
		}
		stmt := p.parseStatement(true)
		p.expectEnd()
		return stmt
	})
}

// ParseExpr parses a standalone expression, such as the String() rendering
// of a parsed one. Errors are *SyntaxError.
func ParseExpr(sql string) (Expr, error) {
	p := newParser(sql)
	return catch(func() Expr {
		if p.peek().kind == tokEOF {
			panic(&SyntaxError{Pos: Pos{1, 1}, Msg: "empty expression"})
		}
		x := p.parseExpr()
		if tok := p.peek(); tok.kind != tokEOF {
			panic(p.errorf(tok.pos, "expected end of expression, found %s", p.describe(tok)))
		}
		return x
	})
}

// catch runs f and turns a *SyntaxError panic into an error. Parse errors
// travel by panic because every grammar function would otherwise need an
// error check after every call; the panic never leaves this package. Any
// other panic is a bug and is re-raised.
func catch[T any](f func() T) (result T, err error) {
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*SyntaxError)
			if !ok {
				panic(r)
			}
			err = se
		}
	}()
	return f(), nil
}

// parser is a recursive-descent parser over a lazily lexed token stream.
type parser struct {
	src    string
	lex    *lexer
	ahead  [maxAhead]token // lookahead buffer, ahead[:nahead] are valid
	nahead int
	prev   token // last consumed token
	depth  int   // current expression nesting, see enter
	peak   int   // deepest nesting reached, see parsePostfix

	// follow lists the clauses that may still come, for the "expected X or
	// end of query" message when a statement is followed by garbage.
	follow []string
	// alias is the last alias written without AS. A misspelt keyword
	// (SELECT a FORM t) parses as one, so errors right after it point at
	// it rather than at the innocent token that follows.
	alias token
}

// maxAhead is the longest lookahead the grammar needs: "LATEST ON ts
// PARTITION" tells QuestDB's LATEST ON clause from a table aliased latest
// followed by a join condition.
const maxAhead = 4

func newParser(src string) *parser { return &parser{src: src, lex: newLexer(src)} }

func (p *parser) peek() token { return p.peekAt(0) }

// peekAt returns the token n positions ahead. Lexical errors surface here,
// as soon as the parser looks at the offending token.
func (p *parser) peekAt(n int) token {
	for p.nahead <= n {
		tok := p.lex.next()
		if tok.kind == tokError {
			panic(&SyntaxError{Pos: tok.pos, Msg: tok.text})
		}
		p.ahead[p.nahead] = tok
		p.nahead++
	}
	return p.ahead[n]
}

func (p *parser) next() token {
	tok := p.peek()
	copy(p.ahead[:], p.ahead[1:p.nahead])
	p.nahead--
	p.prev = tok
	return tok
}

// accept consumes the next token if it is the word w.
func (p *parser) accept(w string) bool {
	if p.peek().is(w) {
		p.next()
		return true
	}
	return false
}

func (p *parser) acceptOp(op string) bool {
	if p.peek().isOp(op) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expect(w string) token {
	if !p.peek().is(w) {
		panic(p.expected(w))
	}
	return p.next()
}

func (p *parser) expectOp(op string) token {
	if !p.peek().isOp(op) {
		panic(p.expected(strconv.Quote(op)))
	}
	return p.next()
}

// name consumes an identifier; what describes it in the error message.
func (p *parser) name(what string) token {
	if !p.peek().isName() {
		panic(p.expected(what))
	}
	return p.next()
}

// tableName reads a table name, perhaps qualified by its database as
// ClickHouse clients write it (default.t, "default"."t"). The default
// database's tables are named alone; another database's as db.name, which
// the executor resolves (system.tables) or refuses.
func (p *parser) tableName() token {
	tok := p.name("table name")
	if !p.peek().isOp(".") {
		return tok
	}
	p.next()
	t := p.name("table name")
	if !strings.EqualFold(tok.text, "default") {
		t.text = strings.ToLower(tok.text) + "." + t.text
	}
	t.pos = tok.pos
	return t
}

func (p *parser) errorf(pos Pos, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// expected builds the error for finding something other than what.
func (p *parser) expected(what string) *SyntaxError {
	tok := p.peek()
	if tok.kind == tokEOF {
		return p.errorf(tok.pos, "unexpected end of query, expected %s", what)
	}
	return p.errorf(tok.pos, "expected %s, found %s", what, p.describe(tok))
}

// describe quotes a token's source text for an error message, shortened so
// a long string literal does not swamp the message.
func (p *parser) describe(tok token) string {
	const max = 40
	s := p.src[tok.off:tok.end]
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "..."
	}
	return strconv.Quote(s)
}

// atEmpty reports whether the input holds no statement: nothing, comments,
// or a lone semicolon.
func (p *parser) atEmpty() bool {
	tok := p.peek()
	return tok.kind == tokEOF || tok.isOp(";") && p.peekAt(1).kind == tokEOF
}

// statementStarts lists the words a statement may begin with, for errors.
// It names the common ones only, to keep the message short: WITH, a
// parenthesized query, UPDATE, DELETE, ALTER and TRUNCATE are accepted too.
var statementStarts = []string{"SELECT", "INSERT", "CREATE", "DROP", "SHOW", "DESCRIBE"}

func (p *parser) parseStatement(allowExplain bool) Statement {
	tok := p.peek()
	switch {
	case tok.is("SELECT"), tok.is("WITH"), tok.isOp("("):
		return p.parseQuery(true)
	case tok.is("UPDATE"):
		return p.parseUpdate()
	case tok.is("DELETE"):
		return p.parseDelete()
	case tok.is("ALTER"):
		return p.parseAlterTable()
	case tok.is("TRUNCATE"):
		return p.parseTruncate()
	case tok.is("INSERT"):
		return p.parseInsert()
	case tok.is("CREATE"):
		return p.parseCreateTable()
	case tok.is("DROP"):
		return p.parseDropTable()
	case tok.is("SHOW"):
		return p.parseShow()
	case tok.is("EXISTS"):
		return p.parseExistsTable()
	case tok.is("KILL"):
		return p.parseKillQuery()
	case tok.is("COPY"):
		return p.parseCopy()
	case tok.is("DESCRIBE"), tok.is("DESC"):
		return p.parseDescribe()
	case tok.is("EXPLAIN") && allowExplain:
		return p.parseExplain()
	}
	starts := statementStarts
	if allowExplain {
		starts = append(starts[:len(starts):len(starts)], "EXPLAIN")
	}
	panic(p.expected(joinOr(starts)))
}

// expectEnd checks that the statement is over: an optional semicolon, then
// the end of the input.
func (p *parser) expectEnd() {
	if p.acceptOp(";") {
		if tok := p.peek(); tok.kind != tokEOF {
			panic(p.errorf(tok.pos, "expected end of query after \";\", found %s (only one statement is allowed)", p.describe(tok)))
		}
		return
	}
	tok := p.peek()
	if tok.kind == tokEOF {
		return
	}
	if p.alias.end > 0 && p.alias.end == p.prev.end {
		tok = p.alias
	}
	want := append(append([]string(nil), p.follow...), "end of query")
	panic(p.errorf(tok.pos, "expected %s, found %s", joinOr(want), p.describe(tok)))
}

// joinOr renders a list as "a, b or c".
func joinOr(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// parseExplain parses EXPLAIN [ANALYZE] statement. ANALYZE is not
// reserved; no statement starts with it, so it cannot be misread.
func (p *parser) parseExplain() *Explain {
	at := p.next().pos
	analyze := p.accept("ANALYZE")
	return &Explain{At: at, Analyze: analyze, Stmt: p.parseStatement(false)}
}
