package parser

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

const invalidUTF8 = "invalid UTF-8 encoding"

// lexer splits SQL text into tokens on demand. It is pulled by the parser
// rather than run ahead, because the body of INSERT ... FORMAT is data, not
// SQL, and must never be tokenized.
type lexer struct {
	src    string
	off    int   // byte offset of the next unread byte
	line   int   // line of src[off]
	col    int   // column of src[off], in characters
	failed token // sticky error: once lexing fails it stays failed
}

// mark remembers where a token starts.
type mark struct {
	pos Pos
	off int
}

func newLexer(src string) *lexer { return &lexer{src: src, line: 1, col: 1} }

func (l *lexer) mark() mark { return mark{Pos{l.line, l.col}, l.off} }

// byteAt returns the byte i positions ahead, or 0 past the end; 0 matches
// none of the character classes the lexer tests for.
func (l *lexer) byteAt(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

// skipASCII advances over n bytes known to be ASCII and not newlines.
func (l *lexer) skipASCII(n int) {
	l.off += n
	l.col += n
}

// step advances over one character, keeping line and column current. It
// refuses (returns false, does not move) on invalid UTF-8 so the caller can
// report the exact position of the bad byte.
func (l *lexer) step() (rune, bool) {
	if c := l.src[l.off]; c < utf8.RuneSelf {
		l.off++
		l.col++
		if c == '\n' {
			l.line++
			l.col = 1
		}
		return rune(c), true
	}
	r, size := utf8.DecodeRuneInString(l.src[l.off:])
	if r == utf8.RuneError && size == 1 {
		return r, false
	}
	l.off += size
	l.col++
	return r, true
}

func (l *lexer) emit(kind tokenKind, m mark, text string) token {
	return token{kind: kind, text: text, pos: m.pos, off: m.off, end: l.off}
}

func (l *lexer) errorAt(m mark, msg string) token { return l.emit(tokError, m, msg) }

// rest hands over the unread remainder of the input and moves to its end.
func (l *lexer) rest() string {
	s := l.src[l.off:]
	l.off = len(l.src)
	return s
}

// next returns the next token; at the end it keeps returning EOF, after an
// error it keeps returning that error.
func (l *lexer) next() token {
	if l.failed.kind == tokError {
		return l.failed
	}
	tok := l.scan()
	if tok.kind == tokError {
		l.failed = tok
	}
	return tok
}

func (l *lexer) scan() token {
	if tok, ok := l.skipSpace(); !ok {
		return tok
	}
	m := l.mark()
	if l.off >= len(l.src) {
		return l.emit(tokEOF, m, "")
	}
	switch c := l.src[l.off]; {
	case isIdentStart(c):
		return l.scanWord(m)
	case isDigit(c) || c == '.' && isDigit(l.byteAt(1)):
		return l.scanNumber(m)
	case c == '\'':
		return l.scanString(m)
	case c == '"' || c == '`':
		return l.scanQuotedIdent(m, c)
	}
	return l.scanOperator(m)
}

// skipSpace skips white space and comments. It fails on an unterminated
// block comment or invalid UTF-8 inside a comment.
func (l *lexer) skipSpace() (token, bool) {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case isSpace(c):
			l.step()
		case c == '-' && l.byteAt(1) == '-':
			if tok, ok := l.skipLineComment(); !ok {
				return tok, false
			}
		case c == '/' && l.byteAt(1) == '*':
			if tok, ok := l.skipBlockComment(); !ok {
				return tok, false
			}
		default:
			return token{}, true
		}
	}
	return token{}, true
}

func (l *lexer) skipLineComment() (token, bool) {
	for l.off < len(l.src) && l.src[l.off] != '\n' {
		if m := l.mark(); !l.stepOK() {
			return l.errorAt(m, invalidUTF8), false
		}
	}
	return token{}, true
}

// skipBlockComment skips /* ... */. Comments do not nest (as in ClickHouse
// and MySQL), so the first */ ends it.
func (l *lexer) skipBlockComment() (token, bool) {
	start := l.mark()
	l.skipASCII(2)
	for !strings.HasPrefix(l.src[l.off:], "*/") {
		if l.off >= len(l.src) {
			return l.errorAt(start, "unterminated comment"), false
		}
		if m := l.mark(); !l.stepOK() {
			return l.errorAt(m, invalidUTF8), false
		}
	}
	l.skipASCII(2)
	return token{}, true
}

func (l *lexer) stepOK() bool {
	_, ok := l.step()
	return ok
}

func (l *lexer) scanWord(m mark) token {
	for isIdentChar(l.byteAt(0)) {
		l.skipASCII(1)
	}
	text := l.src[m.off:l.off]
	if isReserved(text) {
		return l.emit(tokKeyword, m, text)
	}
	return l.emit(tokIdent, m, text)
}

// scanNumber scans 12, 1.5, .5, 1., 1e9 and 1.5E-3. A letter glued to the
// number (12abc, 0x1F) is an error rather than an implicit alias, which is
// what a user almost certainly meant not to write. The one exception is an
// integer glued to a duration unit (5m, 100ms): QuestDB writes SAMPLE BY
// widths that way. It becomes a duration token, which the parser accepts
// only where a duration may stand.
func (l *lexer) scanNumber(m mark) token {
	kind := tokInt
	l.skipDigits()
	if l.byteAt(0) == '.' {
		kind = tokFloat
		l.skipASCII(1)
		l.skipDigits()
	}
	if c := l.byteAt(0); c == 'e' || c == 'E' {
		kind = tokFloat
		l.skipASCII(1)
		if c := l.byteAt(0); c == '+' || c == '-' {
			l.skipASCII(1)
		}
		if !isDigit(l.byteAt(0)) {
			return l.errorAt(m, "invalid number literal")
		}
		l.skipDigits()
	}
	if isIdentChar(l.byteAt(0)) {
		if kind == tokInt && l.scanDurationUnit() {
			return l.emit(tokDuration, m, l.src[m.off:l.off])
		}
		return l.errorAt(m, "invalid number literal")
	}
	return l.emit(kind, m, l.src[m.off:l.off])
}

// scanDurationUnit advances over a duration unit suffix if the word glued
// to a number is one, and reports whether it did.
func (l *lexer) scanDurationUnit() bool {
	n := 0
	for isIdentChar(l.byteAt(n)) {
		n++
	}
	if _, ok := durationUnits[l.src[l.off:l.off+n]]; !ok {
		return false
	}
	l.skipASCII(n)
	return true
}

func (l *lexer) skipDigits() {
	for isDigit(l.byteAt(0)) {
		l.skipASCII(1)
	}
}

// escapes maps the character after a backslash in a string literal to the
// byte it stands for (ClickHouse/MySQL style).
var escapes = map[byte]byte{
	'\\': '\\', '\'': '\'', '"': '"', 'n': '\n', 't': '\t', 'r': '\r', '0': 0, 'b': '\b', 'f': '\f',
}

// scanString scans a single-quoted string. A quote is escaped either by
// doubling it (SQL) or with a backslash (ClickHouse).
func (l *lexer) scanString(m mark) token {
	l.skipASCII(1)
	var b strings.Builder
	for l.off < len(l.src) {
		switch l.src[l.off] {
		case '\'':
			l.skipASCII(1)
			if l.byteAt(0) != '\'' {
				return l.emit(tokString, m, b.String())
			}
			l.skipASCII(1)
			b.WriteByte('\'')
		case '\\':
			l.scanEscape(&b)
		default:
			if tok, ok := l.scanChar(&b); !ok {
				return tok
			}
		}
	}
	return l.errorAt(m, "unterminated string literal")
}

// scanEscape decodes a backslash escape. An unknown escape keeps its
// backslash, so LIKE patterns such as 'a\_b' reach the matcher intact; the
// character after it is left for the caller's loop.
func (l *lexer) scanEscape(b *strings.Builder) {
	l.skipASCII(1)
	if e, ok := escapes[l.byteAt(0)]; ok {
		b.WriteByte(e)
		l.skipASCII(1)
		return
	}
	b.WriteByte('\\')
}

// scanChar copies one character into b, failing on invalid UTF-8.
func (l *lexer) scanChar(b *strings.Builder) (token, bool) {
	m := l.mark()
	r, ok := l.step()
	if !ok {
		return l.errorAt(m, invalidUTF8), false
	}
	b.WriteRune(r)
	return token{}, true
}

// scanQuotedIdent scans "name" or `name`; the quote is escaped by doubling.
func (l *lexer) scanQuotedIdent(m mark, quote byte) token {
	l.skipASCII(1)
	var b strings.Builder
	for l.off < len(l.src) {
		if l.src[l.off] != quote {
			if tok, ok := l.scanChar(&b); !ok {
				return tok
			}
			continue
		}
		l.skipASCII(1)
		if l.byteAt(0) != quote {
			if b.Len() == 0 {
				return l.errorAt(m, "empty quoted identifier")
			}
			return l.emit(tokQuotedIdent, m, b.String())
		}
		l.skipASCII(1)
		b.WriteByte(quote)
	}
	return l.errorAt(m, "unterminated quoted identifier")
}

// twoCharOps must be tried before the one-character operators they start with.
var twoCharOps = [...]string{"<=", ">=", "<>", "!=", "==", "||", "::"}

const oneCharOps = "+-*/%=<>(),.;"

func (l *lexer) scanOperator(m mark) token {
	rest := l.src[l.off:]
	for _, op := range twoCharOps {
		if strings.HasPrefix(rest, op) {
			l.skipASCII(2)
			return l.emit(tokOp, m, op)
		}
	}
	if strings.IndexByte(oneCharOps, rest[0]) >= 0 {
		l.skipASCII(1)
		return l.emit(tokOp, m, rest[:1])
	}
	r, size := utf8.DecodeRuneInString(rest)
	if r == utf8.RuneError && size == 1 {
		return l.errorAt(m, invalidUTF8)
	}
	return l.errorAt(m, fmt.Sprintf("unexpected character %q", r))
}
