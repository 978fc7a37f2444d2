package exec

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zeptodb/zeptodb/internal/model"
)

// xbar rounds x down to a multiple of a positive constant bucket, as kdb+'s
// xbar: for timestamps it makes bars (xbar(ts, 300000000000) is 5 minutes).
type xbar struct {
	x      expr
	bucket int64   // integer input
	fb     float64 // float input
}

func (x *xbar) typ() model.ColumnType { return x.x.typ() }

func (x *xbar) eval(b *batch) (*vec, error) {
	in, err := x.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(in.typ, b.n)
	out.nulls = unionNulls(b.n, in)
	if in.typ == model.TypeFloat64 {
		for i := range out.f64 {
			out.f64[i] = math.Floor(in.f64[in.phys(i)]/x.fb) * x.fb
		}
		return out, nil
	}
	n := x.bucket
	if in.sel == nil && !in.constant {
		xbarRun(in.i64[:b.n], n, out.i64)
		return out, nil
	}
	for i := range out.i64 {
		out.i64[i] = floorMul(in.i64[in.phys(i)], n)
	}
	return out, nil
}

// xbarRun buckets values that mostly arrive in order: a value inside the
// previous bucket costs two compares instead of a division.
func xbarRun(in []int64, n int64, out []int64) {
	lo, hi := int64(1), int64(0) // an empty bucket
	for i, v := range in {
		if v < lo || v >= hi {
			lo = floorMul(v, n)
			hi = lo + n
			if hi < lo { // the last bucket before MaxInt64
				hi = math.MaxInt64
			}
		}
		out[i] = lo
	}
}

func floorMul(v, n int64) int64 {
	q := v / n
	if v%n != 0 && v < 0 {
		q--
	}
	return q * n
}

// mathFunc applies a float function (sqrt, floor, ...) or abs.
type mathFunc struct {
	name string
	x    expr
	f    func(float64) float64
	t    model.ColumnType
}

func (m *mathFunc) typ() model.ColumnType { return m.t }

func (m *mathFunc) eval(b *batch) (*vec, error) {
	in, err := m.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(m.t, b.n)
	out.nulls = unionNulls(b.n, in)
	if m.name == "sign" {
		for i := range out.i64 {
			if f := m.f(in.float(i)); f == f {
				out.i64[i] = int64(f)
			} else {
				out.setNull(i) // NaN has no sign
			}
		}
		return out, nil
	}
	if m.t != model.TypeFloat64 { // abs of an integer
		for i := range out.i64 {
			v := in.i64[in.phys(i)]
			if v == math.MinInt64 {
				return nil, ErrOverflow
			}
			if v < 0 {
				v = -v
			}
			out.i64[i] = v
		}
		return out, nil
	}
	checked := m.name == "sqrt" || m.name == "ln" || strings.HasPrefix(m.name, "log")
	for i := range out.f64 {
		x := in.float(i)
		if checked && x <= 0 && !in.isNull(i) {
			if err := m.domain(x); err != nil {
				return nil, err
			}
		}
		out.f64[i] = m.f(x)
	}
	return out, nil
}

// domain refuses arguments outside a function's domain, as DuckDB does,
// rather than answering NaN or -Inf.
func (m *mathFunc) domain(x float64) error {
	switch {
	case m.name == "sqrt" && x < 0:
		return &Error{Code: CodeBadArguments, Msg: fmt.Sprintf("cannot take the square root of a negative number (%g)", x)}
	case strings.HasPrefix(m.name, "ln") || strings.HasPrefix(m.name, "log"):
		if x == 0 {
			return &Error{Code: CodeBadArguments, Msg: "cannot take the logarithm of zero"}
		}
		if x < 0 {
			return &Error{Code: CodeBadArguments, Msg: fmt.Sprintf("cannot take the logarithm of a negative number (%g)", x)}
		}
	}
	return nil
}

// roundFunc is round(x, digits) with a constant digit count. Integers
// stay integers (negative digits round to tens, hundreds, ...), as in
// DuckDB; halves round away from zero.
type roundFunc struct {
	x      expr
	digits int
}

func (r *roundFunc) typ() model.ColumnType {
	if r.x.typ() == model.TypeFloat64 {
		return model.TypeFloat64
	}
	return model.TypeInt64
}

func (r *roundFunc) eval(b *batch) (*vec, error) {
	in, err := r.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(r.typ(), b.n)
	out.nulls = unionNulls(b.n, in)
	if out.typ == model.TypeInt64 {
		return out, roundInts(in, out, r.digits)
	}
	scale := math.Pow(10, float64(r.digits))
	for i := range out.f64 {
		out.f64[i] = math.Round(in.float(i)*scale) / scale
	}
	return out, nil
}

func roundInts(in, out *vec, digits int) error {
	if digits >= 0 {
		for i := range out.i64 {
			out.i64[i] = in.i64[in.phys(i)]
		}
		return nil
	}
	if digits < -18 {
		return nil // every int64 rounds to 0
	}
	p := int64(math.Pow10(-digits))
	for i := range out.i64 {
		v := in.i64[in.phys(i)]
		q, rem := v/p, v%p
		if 2*abs64(rem) >= p {
			if v < 0 {
				q--
			} else {
				q++
			}
		}
		if q > math.MaxInt64/p || q < math.MinInt64/p {
			return ErrOverflow
		}
		out.i64[i] = q * p
	}
	return nil
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// textFunc maps text to text or to an integer (lower, upper, length).
type textFunc struct {
	x    expr
	name string
}

func (t *textFunc) typ() model.ColumnType {
	if t.name == "length" {
		return model.TypeInt64
	}
	return model.TypeString
}

func (t *textFunc) eval(b *batch) (*vec, error) {
	in, err := t.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(t.typ(), b.n)
	out.nulls = unionNulls(b.n, in)
	for i := 0; i < b.n; i++ {
		s := in.text(i)
		switch t.name {
		case "lower":
			out.s[i] = strings.ToLower(s)
		case "upper":
			out.s[i] = strings.ToUpper(s)
		case "length":
			out.i64[i] = int64(utf8.RuneCountInString(s))
		}
	}
	return out, nil
}

// like matches text against a LIKE pattern compiled to a regexp.
type like struct {
	x      expr
	re     *regexp.Regexp
	negate bool
}

func likeRegexp(pattern string, fold bool) (*regexp.Regexp, error) {
	var sb strings.Builder
	if fold {
		sb.WriteString("(?is)^")
	} else {
		sb.WriteString("(?s)^")
	}
	escaped := false
	for _, r := range pattern {
		switch {
		case escaped:
			sb.WriteString(regexp.QuoteMeta(string(r)))
			escaped = false
		case r == '\\':
			escaped = true
		case r == '%':
			sb.WriteString(".*")
		case r == '_':
			sb.WriteString(".")
		default:
			sb.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	sb.WriteString("$")
	return regexp.Compile(sb.String())
}

func (l *like) typ() model.ColumnType { return model.TypeBool }

func (l *like) eval(b *batch) (*vec, error) {
	in, err := l.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeBool, b.n)
	out.nulls = unionNulls(b.n, in)
	for i := range out.b {
		out.b[i] = l.re.MatchString(in.text(i)) != l.negate
	}
	return out, nil
}

// cast converts between execution types.
type cast struct {
	x  expr
	to model.ColumnType
}

func (c *cast) typ() model.ColumnType { return execType(c.to) }

func (c *cast) eval(b *batch) (*vec, error) {
	in, err := c.x.eval(b)
	if err != nil {
		return nil, err
	}
	to := c.typ()
	if to == model.TypeSymbol {
		to = model.TypeString
	}
	out := newVec(to, b.n)
	out.nulls = unionNulls(b.n, in)
	for i := 0; i < b.n; i++ {
		if in.isNull(i) {
			continue
		}
		if err := castRow(in, i, out); err != nil {
			return nil, err
		}
		if err := checkNarrow(c.to, out, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkNarrow rejects values that do not fit the 32-bit target of a cast.
func checkNarrow(to model.ColumnType, out *vec, i int) error {
	switch to {
	case model.TypeInt32:
		if v := out.i64[i]; v < math.MinInt32 || v > math.MaxInt32 {
			return &Error{Code: CodeOverflow, Msg: "value " + strconv.FormatInt(v, 10) + " out of range for INT32"}
		}
	case model.TypeFloat32:
		if f := out.f64[i]; !math.IsInf(f, 0) && math.Abs(f) > math.MaxFloat32 {
			return &Error{Code: CodeOverflow, Msg: "value " + strconv.FormatFloat(f, 'g', -1, 64) + " out of range for FLOAT32"}
		}
		out.f64[i] = float64(float32(out.f64[i]))
	}
	return nil
}

func castRow(in *vec, i int, out *vec) error {
	p := in.phys(i)
	switch out.typ {
	case model.TypeInt64, model.TypeTimestamp:
		switch in.typ {
		case model.TypeFloat64:
			f := math.RoundToEven(in.f64[p]) // as DuckDB: halves go to the even neighbour
			if math.IsNaN(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
				return &Error{Code: CodeOverflow, Msg: "value " + strconv.FormatFloat(in.f64[p], 'g', -1, 64) + " out of range for " + out.typ.String()}
			}
			out.i64[i] = int64(f)
		case model.TypeBool:
			out.i64[i] = b2i(in.b[p])
		case model.TypeString, model.TypeSymbol:
			if out.typ == model.TypeTimestamp {
				ts, err := parseTimestamp(strings.TrimSpace(in.text(i)))
				if err != nil {
					return err
				}
				out.i64[i] = ts
				return nil
			}
			v, err := strconv.ParseInt(strings.TrimSpace(in.text(i)), 10, 64)
			if err != nil {
				return &Error{Code: CodeTypeMismatch, Msg: "cannot cast " + strconv.Quote(in.text(i)) + " to " + out.typ.String()}
			}
			out.i64[i] = v
		default:
			out.i64[i] = in.i64[p]
		}
	case model.TypeFloat64:
		if in.typ.IsText() {
			v, err := strconv.ParseFloat(strings.TrimSpace(in.text(i)), 64)
			if err != nil {
				return &Error{Code: CodeTypeMismatch, Msg: "cannot cast " + strconv.Quote(in.text(i)) + " to FLOAT64"}
			}
			out.f64[i] = v
		} else if in.typ == model.TypeBool {
			out.f64[i] = float64(b2i(in.b[p]))
		} else {
			out.f64[i] = in.float(i)
		}
	case model.TypeString:
		out.s[i] = formatValue(in, i)
	case model.TypeBool:
		switch {
		case in.typ == model.TypeBool:
			out.b[i] = in.b[p]
		case in.typ.IsText():
			v, err := strconv.ParseBool(in.text(i))
			if err != nil {
				return &Error{Code: CodeTypeMismatch, Msg: "cannot cast " + strconv.Quote(in.text(i)) + " to BOOL"}
			}
			out.b[i] = v
		default:
			out.b[i] = in.float(i) != 0
		}
	}
	return nil
}

// formatValue renders one row as text (CAST to STRING, concatenation).
func formatValue(v *vec, i int) string {
	p := v.phys(i)
	switch v.typ {
	case model.TypeInt64, model.TypeTimestamp:
		return strconv.FormatInt(v.i64[p], 10)
	case model.TypeFloat64:
		return formatFloat(v.f64[p])
	case model.TypeBool:
		return strconv.FormatBool(v.b[p])
	}
	return v.text(i)
}

// formatFloat renders a float as DuckDB casts one to text: the shortest
// exact form, with ".0" on whole numbers so that the text still reads as
// a float.
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if strings.ContainsAny(s, ".eEnN") { // fraction, exponent, NaN, Inf
		return s
	}
	return s + ".0"
}

// concat is the || operator.
type concat struct{ l, r expr }

func (c *concat) typ() model.ColumnType { return model.TypeString }

func (c *concat) eval(b *batch) (*vec, error) {
	l, r, err := evalBoth(b, c.l, c.r)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeString, b.n)
	out.nulls = unionNulls(b.n, l, r)
	for i := range out.s {
		out.s[i] = formatValue(l, i) + formatValue(r, i)
	}
	return out, nil
}
