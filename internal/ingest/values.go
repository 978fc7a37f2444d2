package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// DecodeValues decodes the row list of an INSERT statement, text being
// everything after the keyword VALUES:
//
//	(1, 'AAPL', 10.5, 100), (2, 'MSFT', 20, 50);
//
// targets[i] is the index in s of the column the i-th value of every row
// goes to; columns no target names are NULL in every row. The result is an
// ingest batch: one vector per column of s in schema order, SYMBOL values
// held as text.
//
// Values are literals only, read with the SQL lexer's syntax (comments
// included) and converted by the rules of the SQL INSERT path: integers
// fill INT64, TIMESTAMP (ns), INT32 (in range) and FLOAT columns; floats
// fill FLOAT columns; strings fill STRING, SYMBOL and TIMESTAMP (parsed as
// a date-time); integers fill SYMBOL as decimal text; TRUE, FALSE, 0 and 1
// fill BOOL; NULL fills anything. Expressions (1+2, now(), CAST, - -1,
// TIMESTAMP '...', even a parenthesized literal) are refused with a syntax
// error, though the SQL path accepts some of them.
//
// Errors are *ValuesError and come in the order the SQL path reports them:
// syntax errors anywhere first, then the first row with a wrong number of
// values or a value that does not convert. On error no batch is returned.
func DecodeValues(s *model.Schema, targets []int, text string) (*column.Batch, error) {
	if s == nil {
		return nil, &ValuesError{Msg: "no schema"}
	}
	d := decoder{src: text, schema: s, targets: targets}
	if err := d.init(); err != nil {
		return nil, err
	}
	if err := d.run(); err != nil {
		return nil, err
	}
	return d.batch(), nil
}

// maxInterned bounds the SYMBOL cache of one call; symbols beyond it are
// still decoded, just not shared.
const maxInterned = 4096

type decoder struct {
	src     string
	off     int // next unread byte of src
	schema  *model.Schema
	targets []int
	vecs    []*column.Vector   // per target
	types   []model.ColumnType // per target
	cols    []string           // per target: column names, for errors
	row     int                // rows completed so far
	inRow   int                // the row being read, 0 between rows
	err     *ValuesError       // first conversion or row-length error
	syms    map[string]string  // SYMBOL text already allocated
	recent  [256]string        // a cache of syms, see internString
	scratch []byte             // unescaped string literals, formatted ints
}

func (d *decoder) init() *ValuesError {
	seen := make([]bool, len(d.schema.Columns))
	for _, t := range d.targets {
		if t < 0 || t >= len(seen) {
			return &ValuesError{Msg: fmt.Sprintf("target column index %d out of range for table %s", t, d.schema.Name)}
		}
		if seen[t] {
			return &ValuesError{Msg: fmt.Sprintf("column %s listed twice", d.schema.Columns[t].Name)}
		}
		seen[t] = true
	}
	// Every row starts with '(', so counting them bounds the row count
	// (parentheses inside strings and comments only overestimate); a row
	// takes at least 2 bytes per value plus one, which caps the estimate
	// for texts made of parentheses.
	rows := min(strings.Count(d.src, "("), len(d.src)/(2*len(d.targets)+1)+1)
	d.vecs = make([]*column.Vector, len(d.targets))
	d.types = make([]model.ColumnType, len(d.targets))
	d.cols = make([]string, len(d.targets))
	for k, t := range d.targets {
		c := d.schema.Columns[t]
		d.types[k] = c.Type
		d.cols[k] = c.Name
		switch c.Type {
		case model.TypeSymbol:
			d.vecs[k] = &column.Vector{Type: c.Type, String: make([]string, 0, rows)}
			if d.syms == nil {
				d.syms = make(map[string]string, 64)
			}
		case model.TypeInt64, model.TypeInt32, model.TypeFloat64, model.TypeFloat32,
			model.TypeTimestamp, model.TypeString, model.TypeBool:
			d.vecs[k] = column.NewVector(c.Type, rows)
		default:
			return &ValuesError{Msg: fmt.Sprintf("column %s has invalid type %v", c.Name, c.Type)}
		}
	}
	return nil
}

// run decodes all rows, then the optional trailing semicolon.
func (d *decoder) run() *ValuesError {
	for {
		if err := d.skip(); err != nil {
			return err
		}
		if d.off >= len(d.src) || d.src[d.off] != '(' {
			return d.expected(d.off, d.row+1, fmt.Sprintf("'(' to start row %d", d.row+1))
		}
		d.off++
		if err := d.readRow(); err != nil {
			return err
		}
		d.row++
		if err := d.skip(); err != nil {
			return err
		}
		if d.off < len(d.src) && d.src[d.off] == ',' {
			d.off++
			continue
		}
		break
	}
	if d.off < len(d.src) && d.src[d.off] == ';' {
		d.off++
		if err := d.skip(); err != nil {
			return err
		}
		if d.off < len(d.src) {
			return d.syntax(d.off, 0, fmt.Sprintf("expected end of input after ';', found %s (only one statement is allowed)", d.describe(d.off)))
		}
	} else if d.off < len(d.src) {
		return d.syntax(d.off, 0, fmt.Sprintf("expected ',' or end of input after row %d, found %s", d.row, d.describe(d.off)))
	}
	if d.err != nil {
		return d.err
	}
	return nil
}

// readRow reads the values of one row after its '(' up to and including
// its ')'. Syntax errors return at once; conversion and row-length errors
// are kept in d.err and scanning goes on, because the SQL path parses the
// whole statement before it converts anything.
func (d *decoder) readRow() *ValuesError {
	row := d.row + 1
	first := d.off
	var convErr *ValuesError
	convert := d.err == nil // false once an error is pending
	n := 0
	d.inRow = row
	for {
		// d.skip, inlined by hand on this path
		if d.off >= len(d.src) || mayStartSpace[d.src[d.off]] {
			if err := d.space(); err != nil {
				return err
			}
		}
		if n == 0 {
			first = d.off
		}
		if !convert || n >= len(d.targets) || !d.fastValue(n) {
			var l literal
			if err := d.lex(&l, row); err != nil {
				return err
			}
			if convert && n < len(d.targets) {
				if convErr = d.store(n, &l); convErr != nil {
					convert = false
				}
			}
		}
		n++
		if d.off >= len(d.src) || mayStartSpace[d.src[d.off]] {
			if err := d.space(); err != nil {
				return err
			}
		}
		if d.off < len(d.src) {
			switch d.src[d.off] {
			case ',':
				d.off++
				continue
			case ')':
				d.off++
				d.inRow = 0
				if d.err == nil {
					if n != len(d.targets) {
						d.err = d.errAt(first, row, "", fmt.Sprintf("row %d has %d values, expected %d", row, n, len(d.targets)))
					} else if convErr != nil {
						d.err = convErr
					}
				}
				return nil
			}
		}
		return d.expected(d.off, row, fmt.Sprintf("',' or ')' after value %d of row %d", n, row))
	}
}

// batch assembles the result: the decoded vectors in schema order and an
// all-NULL vector for every column no target names.
func (d *decoder) batch() *column.Batch {
	n := d.row
	b := &column.Batch{Vectors: make([]*column.Vector, len(d.schema.Columns))}
	for k, t := range d.targets {
		b.Vectors[t] = d.vecs[k]
	}
	for i, c := range d.schema.Columns {
		if b.Vectors[i] == nil {
			b.Vectors[i] = nullVector(c.Type, n)
		}
	}
	return b
}

// nullVector returns n NULLs of type t in ingest form.
func nullVector(t model.ColumnType, n int) *column.Vector {
	v := &column.Vector{Type: t}
	switch t {
	case model.TypeInt64, model.TypeTimestamp:
		v.Int64 = make([]int64, n)
	case model.TypeInt32:
		v.Int32 = make([]int32, n)
	case model.TypeFloat64:
		v.Float64 = make([]float64, n)
	case model.TypeFloat32:
		v.Float32 = make([]float32, n)
	case model.TypeSymbol, model.TypeString:
		v.String = make([]string, n)
	case model.TypeBool:
		v.Bool = make([]bool, n)
	}
	words := make([]uint64, (n+63)/64)
	for i := range words {
		words[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		words[len(words)-1] = 1<<uint(r) - 1
	}
	v.Nulls = column.BitmapFromWords(words)
	return v
}

// fastValue decodes the common shapes of a value for target k at d.off: a
// plain decimal number, perhaps negative, in a numeric column and a string
// without escapes in a SYMBOL or STRING column. For anything else it
// consumes nothing and reports false, leaving the value to lex and store,
// which handle every case (and agree with this on these).
func (d *decoder) fastValue(k int) bool {
	v := d.vecs[k]
	switch d.types[k] {
	case model.TypeInt64, model.TypeTimestamp:
		x, j, ok := fastInt(d.src, d.off)
		if !ok {
			return false
		}
		v.Int64 = append(v.Int64, x)
		d.off = j
	case model.TypeFloat64:
		f, j, ok := fastDecimal(d.src, d.off)
		if !ok {
			return false
		}
		v.Float64 = append(v.Float64, f)
		d.off = j
	case model.TypeFloat32:
		f, j, ok := fastDecimal(d.src, d.off)
		if !ok || math.Abs(f) > math.MaxFloat32 {
			return false // the general path reports the range error
		}
		v.Float32 = append(v.Float32, float32(f))
		d.off = j
	case model.TypeSymbol:
		body, j, ok := fastString(d.src, d.off)
		if !ok {
			return false
		}
		v.String = append(v.String, d.internString(body))
		d.off = j
	case model.TypeString:
		body, j, ok := fastString(d.src, d.off)
		if !ok {
			return false
		}
		v.String = append(v.String, strings.Clone(body))
		d.off = j
	default:
		return false
	}
	return true
}

// numberEnds reports whether a number lexed up to s[j] ends there: what
// follows cannot continue it (the SQL lexer rejects a glued letter).
func numberEnds(s string, j int) bool {
	return j >= len(s) || s[j] != '.' && !isIdentChar(s[j])
}

// fastInt reads -?[0-9]{1,19} at i when it is a whole integer literal
// within int64, except -2^63; anything else reports false.
func fastInt(s string, i int) (int64, int, bool) {
	neg := i < len(s) && s[i] == '-'
	if neg {
		i++
	}
	j := i
	var u uint64
	for j+8 <= len(s) && j-i < 16 {
		v := load8(s, j)
		if !eightDigits(v) {
			break
		}
		u = u*1e8 + parse8(v)
		j += 8
	}
	for j < len(s) {
		c := s[j] - '0'
		if c > 9 {
			break
		}
		u = u*10 + uint64(c)
		j++
	}
	if j == i || j-i > 19 || u > math.MaxInt64 || !numberEnds(s, j) {
		return 0, 0, false
	}
	if neg {
		return -int64(u), j, true
	}
	return int64(u), j, true
}

// load8 reads s[i:i+8] as a little-endian word; the compiler merges the
// byte loads into one.
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// eightDigits reports whether all bytes of v are ASCII digits.
func eightDigits(v uint64) bool {
	return (v&0xF0F0F0F0F0F0F0F0)|(((v+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) == 0x3333333333333333
}

// parse8 converts eight ASCII digits, the first in the low byte, to their
// value: adjacent digits, then pairs, then quads are combined in parallel.
func parse8(v uint64) uint64 {
	v -= 0x3030303030303030
	v = v*10 + v>>8
	v = ((v&0x000000FF000000FF)*(100+1000000<<32) + (v>>16&0x000000FF000000FF)*(1+10000<<32)) >> 32
	return v
}

// fastDecimal reads -?[0-9]+(\.[0-9]*)? with at most 15 digits at i: the
// digits form an integer below 2^53 and the scale a power of ten float64
// holds exactly, so one division rounds correctly, as ParseFloat does.
func fastDecimal(s string, i int) (float64, int, bool) {
	neg := i < len(s) && s[i] == '-'
	if neg {
		i++
	}
	j := i
	var m uint64
	for j < len(s) {
		c := s[j] - '0'
		if c > 9 {
			break
		}
		m = m*10 + uint64(c)
		j++
	}
	if j == i {
		return 0, 0, false
	}
	digits, frac := j-i, 0
	dot := j < len(s) && s[j] == '.'
	if dot {
		j++
		k := j
		for j < len(s) {
			c := s[j] - '0'
			if c > 9 {
				break
			}
			m = m*10 + uint64(c)
			j++
		}
		frac = j - k
		digits += frac
	}
	if digits > 15 || !numberEnds(s, j) {
		return 0, 0, false
	}
	f := float64(m)
	if frac > 0 {
		f /= pow10[frac]
	}
	// -0 is the integer 0, which converts to +0; -0. is the float -0.
	if neg && (dot || m != 0) {
		f = -f
	}
	return f, j, true
}

// fastString reads a quoted string of printable ASCII without quotes or
// backslashes inside at i and returns the text between the quotes.
func fastString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '\'' {
		return "", 0, false
	}
	j := i + 1
	for j < len(s) {
		c := s[j]
		if c < ' ' || c > '~' || c == '\'' || c == '\\' {
			break
		}
		j++
	}
	if j >= len(s) || s[j] != '\'' || j+1 < len(s) && s[j+1] == '\'' {
		return "", 0, false
	}
	return s[i+1 : j], j + 1, true
}

// literal is one decoded VALUES item.
type literal struct {
	kind  litKind
	sign  byte    // '-', '+' or 0
	start int     // offset of the item: its sign if it has one
	tok   int     // offset of the number, string or word
	end   int     // offset just past the item
	i     int64   // litInt
	f     float64 // litFloat
	b     bool    // litBool
	body  string  // litString: the text between the quotes, escapes unresolved
	esc   bool    // body holds escapes or doubled quotes
}

type litKind uint8

const (
	litNull litKind = iota
	litInt
	litFloat
	litString
	litBool
)

// typeName is the type the SQL binder gives the literal.
func (l *literal) typeName() string {
	switch l.kind {
	case litInt:
		return "INT64"
	case litFloat:
		return "FLOAT64"
	case litString:
		return "STRING"
	case litBool:
		return "BOOL"
	}
	return "NULL"
}

// lex reads one literal at d.off, which is not white space.
func (d *decoder) lex(l *literal, row int) *ValuesError {
	src, i := d.src, d.off
	if i >= len(src) {
		return d.expected(i, row, "a value")
	}
	l.start = i
	switch c := src[i]; {
	case c == '\'':
		return d.lexString(l, row)
	case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
		l.tok = i
		return d.lexNumber(l, row)
	case c == '-' || c == '+':
		// A sign folds into the number after it, across white space and
		// comments, as in the parser; it applies to nothing else here.
		l.sign = c
		d.off++
		if err := d.skip(); err != nil {
			return err
		}
		j := d.off
		if j < len(src) && (isDigit(src[j]) || src[j] == '.' && j+1 < len(src) && isDigit(src[j+1])) {
			l.tok = j
			return d.lexNumber(l, row)
		}
		return d.expected(j, row, fmt.Sprintf("a number after '%c'", c))
	case isIdentStart(c):
		j := i + 1
		for j < len(src) && isIdentChar(src[j]) {
			j++
		}
		w := src[i:j]
		l.tok, l.end = i, j
		switch {
		case strings.EqualFold(w, "NULL"):
			l.kind = litNull
		case strings.EqualFold(w, "TRUE"):
			l.kind, l.b = litBool, true
		case strings.EqualFold(w, "FALSE"):
			l.kind, l.b = litBool, false
		default:
			return d.syntax(i, row, fmt.Sprintf("expected a literal value, found %s", d.describe(i)))
		}
		d.off = j
		return nil
	}
	return d.expected(i, row, "a value")
}

// lexNumber reads 12, 1.5, .5, 1., 1e9 or 1.5E-3 at l.tok, as the SQL
// lexer does, and converts it as the parser does: an integer must fit
// int64 with its sign, a float must not overflow float64.
func (d *decoder) lexNumber(l *literal, row int) *ValuesError {
	src, n := d.src, len(d.src)
	j := l.tok
	for j < n && src[j] == '0' {
		j++
	}
	sig := j
	var u uint64
	for j < n && isDigit(src[j]) {
		u = u*10 + uint64(src[j]-'0')
		j++
	}
	digits := j - sig
	float := false
	if j < n && src[j] == '.' {
		float = true
		j++
		for j < n && isDigit(src[j]) {
			j++
		}
	}
	if j < n && src[j]|0x20 == 'e' {
		float = true
		j++
		if j < n && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j >= n || !isDigit(src[j]) {
			return d.syntax(l.tok, row, "invalid number literal")
		}
		for j < n && isDigit(src[j]) {
			j++
		}
	}
	if j < n && isIdentChar(src[j]) {
		return d.syntax(l.tok, row, "invalid number literal")
	}
	l.end = j
	d.off = j
	// The parser reports range errors at the literal, which starts at a
	// folded minus but not at a plus (that stays a separate operator).
	at := l.tok
	if l.sign == '-' {
		at = l.start
	}
	if !float {
		limit := uint64(math.MaxInt64)
		if l.sign == '-' {
			limit++
		}
		if digits > 19 || u > limit {
			return d.syntax(at, row, "integer literal out of range")
		}
		l.kind = litInt
		l.i = int64(u)
		if l.sign == '-' {
			l.i = int64(-u)
		}
		return nil
	}
	f, ok := fastFloat(src[l.tok:j])
	if !ok {
		var err error
		if f, err = strconv.ParseFloat(src[l.tok:j], 64); err != nil {
			return d.syntax(at, row, "float literal out of range")
		}
	}
	if l.sign == '-' {
		f = -f
	}
	l.kind = litFloat
	l.f = f
	return nil
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat converts a lexed float whose digits form an integer below 2^53
// scaled by at most 10^±22: both operands are exact, so one IEEE multiply
// or divide gives the correctly rounded result, the same as ParseFloat.
// It reports false for anything else.
func fastFloat(s string) (float64, bool) {
	var m uint64
	nd, exp, i := 0, 0, 0
	dot := false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			dot = true
			continue
		}
		if !isDigit(c) {
			break
		}
		if dot {
			exp--
		}
		if nd == 0 && c == '0' {
			continue
		}
		if nd == 19 {
			return 0, false
		}
		m = m*10 + uint64(c-'0')
		nd++
	}
	if i < len(s) { // exponent: the lexer guarantees [eE][+-]?digits
		i++
		neg := false
		if s[i] == '+' || s[i] == '-' {
			neg = s[i] == '-'
			i++
		}
		e := 0
		for ; i < len(s); i++ {
			if e > 1000 {
				return 0, false
			}
			e = e*10 + int(s[i]-'0')
		}
		if neg {
			e = -e
		}
		exp += e
	}
	switch {
	case m == 0:
		return 0, true
	case m >= 1<<53 || exp < -22 || exp > 22:
		return 0, false
	case exp < 0:
		return float64(m) / pow10[-exp], true
	}
	return float64(m) * pow10[exp], true
}

// lexString reads a single-quoted string at d.off. A quote is escaped by
// doubling it or with a backslash; see unescape for the rest.
func (d *decoder) lexString(l *literal, row int) *ValuesError {
	src, n := d.src, len(d.src)
	i := d.off
	l.tok = i
	esc := false
	for j := i + 1; j < n; {
		c := src[j]
		switch {
		case c == '\'':
			if j+1 < n && src[j+1] == '\'' {
				esc = true
				j += 2
				continue
			}
			l.kind, l.body, l.esc, l.end = litString, src[i+1:j], esc, j+1
			d.off = j + 1
			return nil
		case c == '\\':
			esc = true
			j++
			if j < n {
				if _, ok := escapeByte(src[j]); ok {
					j++
				}
			}
		case c < utf8.RuneSelf:
			j++
		default:
			r, size := utf8.DecodeRuneInString(src[j:])
			if r == utf8.RuneError && size == 1 {
				return d.syntax(j, row, "invalid UTF-8 encoding")
			}
			j += size
		}
	}
	return d.syntax(i, row, "unterminated string literal")
}

// escapeByte maps the character after a backslash to the byte it stands
// for, as the SQL lexer does. Any other character keeps its backslash.
func escapeByte(c byte) (byte, bool) {
	switch c {
	case '\\', '\'', '"':
		return c, true
	case 'n':
		return '\n', true
	case 't':
		return '\t', true
	case 'r':
		return '\r', true
	case '0':
		return 0, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	}
	return 0, false
}

// unescape resolves the escapes of a lexed string body into d.scratch.
func (d *decoder) unescape(body string) []byte {
	b := d.scratch[:0]
	for j := 0; j < len(body); j++ {
		switch c := body[j]; c {
		case '\'': // the first of a doubled quote
			b = append(b, '\'')
			j++
		case '\\':
			if j+1 < len(body) {
				if e, ok := escapeByte(body[j+1]); ok {
					b = append(b, e)
					j++
					continue
				}
			}
			b = append(b, '\\')
		default:
			b = append(b, c)
		}
	}
	d.scratch = b
	return b
}

// text returns a string literal's value, allocating only when it holds
// escapes.
func (d *decoder) text(l *literal) string {
	if !l.esc {
		return l.body
	}
	return string(d.unescape(l.body))
}

// store converts l to the type of target k and appends it, or returns the
// conversion error.
func (d *decoder) store(k int, l *literal) *ValuesError {
	v := d.vecs[k]
	if l.kind == litNull {
		v.AppendNull()
		return nil
	}
	switch d.types[k] {
	case model.TypeInt64:
		if l.kind == litInt {
			v.Int64 = append(v.Int64, l.i)
			return nil
		}
	case model.TypeTimestamp:
		switch l.kind {
		case litInt:
			v.Int64 = append(v.Int64, l.i)
			return nil
		case litString:
			s := d.text(l)
			ts, ok := parseTimestamp(s)
			if !ok {
				return d.errAt(l.start, d.row+1, d.cols[k], fmt.Sprintf(
					"cannot read %q as a timestamp (use 2006-01-02 15:04:05[.nnnnnnnnn] or RFC 3339)", s))
			}
			v.Int64 = append(v.Int64, ts)
			return nil
		}
	case model.TypeInt32:
		if l.kind == litInt {
			if l.i < math.MinInt32 || l.i > math.MaxInt32 {
				return d.errAt(l.start, d.row+1, d.cols[k], fmt.Sprintf("value %d out of range for INT32 column", l.i))
			}
			v.Int32 = append(v.Int32, int32(l.i))
			return nil
		}
	case model.TypeFloat64:
		switch l.kind {
		case litFloat:
			v.Float64 = append(v.Float64, l.f)
			return nil
		case litInt:
			v.Float64 = append(v.Float64, float64(l.i))
			return nil
		}
	case model.TypeFloat32:
		if f := l.f; l.kind == litFloat && math.Abs(f) > math.MaxFloat32 && !math.IsInf(f, 0) {
			return d.errAt(l.start, d.row+1, d.cols[k], fmt.Sprintf("value %g out of range for FLOAT32 column", f))
		}
		switch l.kind {
		case litFloat:
			v.Float32 = append(v.Float32, float32(l.f))
			return nil
		case litInt:
			v.Float32 = append(v.Float32, float32(float64(l.i))) // via float64, as the SQL path does
			return nil
		}
	case model.TypeSymbol:
		switch l.kind {
		case litString:
			v.String = append(v.String, d.symbol(l))
			return nil
		case litInt:
			d.scratch = strconv.AppendInt(d.scratch[:0], l.i, 10)
			v.String = append(v.String, d.intern(d.scratch))
			return nil
		}
	case model.TypeString:
		if l.kind == litString {
			if l.esc {
				v.String = append(v.String, string(d.unescape(l.body)))
			} else {
				v.String = append(v.String, strings.Clone(l.body))
			}
			return nil
		}
	case model.TypeBool:
		switch {
		case l.kind == litBool:
			v.Bool = append(v.Bool, l.b)
			return nil
		case l.kind == litInt && (l.i == 0 || l.i == 1):
			v.Bool = append(v.Bool, l.i == 1)
			return nil
		}
	}
	return d.errAt(l.start, d.row+1, d.cols[k], fmt.Sprintf("cannot insert %s value %s into %v column",
		l.typeName(), d.render(l), d.types[k]))
}

// symbol returns a SYMBOL literal's text, sharing one allocation per
// distinct value. Strings are copied rather than sliced from the input so
// a stored symbol does not keep the whole statement alive.
func (d *decoder) symbol(l *literal) string {
	if l.esc {
		return d.intern(d.unescape(l.body))
	}
	return d.internString(l.body)
}

func (d *decoder) internString(body string) string {
	// A direct-mapped cache in front of the map: symbols are short and
	// few, so a multiplicative hash and one compare usually settle it.
	h := uint(len(body))
	for i := 0; i < len(body); i++ {
		h = h*31 + uint(body[i])
	}
	slot := &d.recent[h%uint(len(d.recent))]
	if *slot == body {
		return *slot
	}
	s, ok := d.syms[body]
	if !ok {
		s = strings.Clone(body)
		if len(d.syms) < maxInterned {
			d.syms[s] = s
		}
	}
	*slot = s
	return s
}

func (d *decoder) intern(b []byte) string {
	if s, ok := d.syms[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if len(d.syms) < maxInterned {
		d.syms[s] = s
	}
	return s
}

// render writes a literal as the SQL parser prints it in error messages.
func (d *decoder) render(l *literal) string {
	switch l.kind {
	case litInt, litFloat:
		if l.sign != 0 {
			return string(l.sign) + d.src[l.tok:l.end]
		}
		return d.src[l.tok:l.end]
	case litString:
		return quoteString(d.text(l))
	case litBool:
		if l.b {
			return "TRUE"
		}
		return "FALSE"
	}
	return "NULL"
}

var stringEscaper = strings.NewReplacer(`'`, `''`, `\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`, "\x00", `\0`)

// quoteString quotes s as the SQL parser's QuoteString does.
func quoteString(s string) string { return "'" + stringEscaper.Replace(s) + "'" }

var timestampLayouts = [...]string{
	time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02",
	"2006.01.02D15:04:05.999999999",
}

// parseTimestamp reads text as a UTC timestamp in nanoseconds, trying the
// layouts of the SQL path in its order.
func parseTimestamp(s string) (int64, bool) {
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

// skip moves past white space and comments; the common case of none is
// kept small enough to inline.
func (d *decoder) skip() *ValuesError {
	if d.off < len(d.src) && !mayStartSpace[d.src[d.off]] {
		return nil
	}
	return d.space()
}

// mayStartSpace marks the bytes that start white space or a comment.
var mayStartSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\f': true, '\v': true, '-': true, '/': true}

// space skips white space, -- line comments and /* block */ comments (which
// do not nest), failing like the SQL lexer on an unterminated comment or
// invalid UTF-8 inside one.
func (d *decoder) space() *ValuesError {
	src := d.src
	i := d.off
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src)
			} else {
				end += i
			}
			if bad := invalidUTF8(src[i:end]); bad >= 0 {
				return d.syntax(i+bad, d.inRow, "invalid UTF-8 encoding")
			}
			i = end
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			body := src[i+2:]
			if end >= 0 {
				body = body[:end]
			}
			if bad := invalidUTF8(body); bad >= 0 {
				return d.syntax(i+2+bad, d.inRow, "invalid UTF-8 encoding")
			}
			if end < 0 {
				return d.syntax(i, d.inRow, "unterminated comment")
			}
			i += 2 + end + 2
			continue
		}
		break
	}
	d.off = i
	return nil
}

// invalidUTF8 returns the offset of the first invalid UTF-8 byte in s, or -1.
func invalidUTF8(s string) int {
	if utf8.ValidString(s) {
		return -1
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isIdentStart(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || isDigit(c) }

// errAt builds an error positioned at byte offset off.
func (d *decoder) errAt(off, row int, col, msg string) *ValuesError {
	line, c := position(d.src, off)
	return &ValuesError{Row: row, Column: col, Line: line, Col: c, Msg: msg}
}

// syntax builds a syntax error at off inside row (0: outside any row).
func (d *decoder) syntax(off, row int, msg string) *ValuesError {
	return d.errAt(off, row, "", msg)
}

// expected reports finding something other than what at off.
func (d *decoder) expected(off, row int, what string) *ValuesError {
	if off >= len(d.src) {
		return d.syntax(off, row, "unexpected end of input, expected "+what)
	}
	return d.syntax(off, row, fmt.Sprintf("expected %s, found %s", what, d.describe(off)))
}

// describe quotes the token-like text at off for an error message,
// shortened as the parser does.
func (d *decoder) describe(off int) string {
	src := d.src
	if off >= len(src) {
		return "end of input"
	}
	end := off + 1
	switch c := src[off]; {
	case isIdentChar(c) || c == '.':
		for end < len(src) && (isIdentChar(src[end]) || src[end] == '.') {
			end++
		}
	case c == '\'':
		for end < len(src) && src[end] != '\'' {
			end++
		}
		end = min(end+1, len(src))
	case c >= utf8.RuneSelf:
		_, size := utf8.DecodeRuneInString(src[off:])
		end = off + size
	}
	s := src[off:end]
	const maxLen = 40
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strconv.Quote(s)
}
