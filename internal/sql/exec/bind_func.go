package exec

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

var floatFuncs = map[string]func(float64) float64{
	"floor": math.Floor, "ceil": math.Ceil, "ceiling": math.Ceil, "sqrt": math.Sqrt,
	"exp": math.Exp, "ln": math.Log, "log": math.Log, "log10": math.Log10, "log2": math.Log2,
	"abs": math.Abs, "sign": func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return x
	},
}

// textFuncs take text first: a bare NULL there is a NULL text, as in
// DuckDB (length(NULL) is NULL, not a type error).
var textFuncs = map[string]bool{"lower": true, "upper": true, "length": true, "substr": true, "substring": true}

// nullAsText types a bare NULL as STRING.
func nullAsText(x expr) expr {
	if c, ok := x.(*constExpr); ok && c.bare {
		return scalarNull(model.TypeString)
	}
	return x
}

// bindFunc binds a scalar function call. Aggregates reach here only where
// they are not allowed (WHERE, GROUP BY, inside another aggregate).
func (s *scope) bindFunc(e *parser.FuncCall) (expr, error) {
	name := strings.ToLower(e.Name)
	if _, ok := aggregateNames[name]; ok {
		return nil, errAt(CodeGroupBy, e.Pos(), "aggregate function %s is not allowed here", e.String())
	}
	args := make([]expr, len(e.Args))
	for i, a := range e.Args {
		x, err := s.bind(a)
		if err != nil {
			return nil, err
		}
		args[i] = x
	}
	want := func(n int) error {
		if len(args) != n {
			return errAt(CodeBadArguments, e.Pos(), "%s takes %d argument(s), got %d", name, n, len(args))
		}
		return nil
	}
	if textFuncs[name] && len(args) > 0 {
		args[0] = nullAsText(args[0])
	}
	if e, ok, err := s.bindTimeFunc(e, name, args); ok {
		return e, err
	}
	if x, ok := serverFunc(name); ok {
		if err := want(0); err != nil {
			return nil, err
		}
		return x, nil
	}
	switch name {
	case sampleBucketFunc:
		return bindSampleBucket(e, args)
	case "coalesce", "ifnull", "nullif", "if":
		return s.bindConditional(e, name, args)
	case "substr", "substring":
		return bindSubstr(e, args)
	case "concat":
		for _, a := range args {
			if a.typ() == model.TypeBool {
				return nil, errAt(CodeTypeMismatch, e.Pos(), "concat takes text and numbers, got BOOL")
			}
		}
		return foldAll(&concatFunc{args: args}, args...)
	case "pow", "power":
		if err := want(2); err != nil {
			return nil, err
		}
		if !args[0].typ().IsNumeric() || !args[1].typ().IsNumeric() {
			return nil, errAt(CodeTypeMismatch, e.Pos(), "%s needs numbers", name)
		}
		return foldAll(&powFunc{x: args[0], y: args[1]}, args...)
	case "xbar":
		if err := want(2); err != nil {
			return nil, err
		}
		return bindXbar(e, args[0], args[1])
	case "round":
		if len(args) == 1 {
			args = append(args, scalarInt(model.TypeInt64, 0))
		}
		if err := want(2); err != nil {
			return nil, err
		}
		d, ok := args[1].(*constExpr)
		if !ok || !args[0].typ().IsNumeric() || d.v.typ != model.TypeInt64 {
			return nil, errAt(CodeBadArguments, e.Pos(), "round takes a number and a constant digit count")
		}
		return fold(&roundFunc{x: args[0], digits: int(d.v.i64[0])})
	case "lower", "upper", "length":
		if err := want(1); err != nil {
			return nil, err
		}
		if !args[0].typ().IsText() {
			return nil, errAt(CodeTypeMismatch, e.Pos(), "%s needs text, got %s", name, args[0].typ())
		}
		return fold(&textFunc{x: args[0], name: name})
	}
	f, ok := floatFuncs[name]
	if !ok {
		return nil, errAt(CodeUnknownFunc, e.Pos(), "unknown function %s", e.Name)
	}
	if err := want(1); err != nil {
		return nil, err
	}
	if !args[0].typ().IsNumeric() {
		return nil, errAt(CodeTypeMismatch, e.Pos(), "%s needs a number, got %s", name, args[0].typ())
	}
	t := model.TypeFloat64
	if (name == "abs" && args[0].typ() != model.TypeFloat64) || name == "sign" {
		t = model.TypeInt64
	}
	return fold(&mathFunc{name: name, x: args[0], f: f, t: t})
}

func bindXbar(e *parser.FuncCall, x, bucket expr) (expr, error) {
	c, ok := bucket.(*constExpr)
	if !ok || c.v.isNull(0) || !c.v.typ.IsNumeric() {
		return nil, errAt(CodeBadArguments, e.Pos(), "xbar needs a constant bucket size")
	}
	if x.typ() == model.TypeInt64 && c.v.typ == model.TypeFloat64 {
		x = &cast{x: x, to: model.TypeFloat64} // a fractional bucket makes float bars
	}
	switch x.typ() {
	case model.TypeInt64, model.TypeTimestamp:
		if c.v.typ != model.TypeInt64 || c.v.i64[0] <= 0 {
			return nil, errAt(CodeBadArguments, e.Pos(), "xbar bucket for %s must be a positive integer", x.typ())
		}
		return fold(&xbar{x: x, bucket: c.v.i64[0]})
	case model.TypeFloat64:
		if f := c.v.float(0); f > 0 {
			return fold(&xbar{x: x, fb: f})
		}
		return nil, errAt(CodeBadArguments, e.Pos(), "xbar bucket must be positive")
	}
	return nil, errAt(CodeTypeMismatch, e.Pos(), "xbar needs a number or timestamp, got %s", x.typ())
}

func bindSubstr(e *parser.FuncCall, args []expr) (expr, error) {
	if len(args) != 2 && len(args) != 3 {
		return nil, errAt(CodeBadArguments, e.Pos(), "substr takes 2 or 3 arguments (text, start[, length]), got %d", len(args))
	}
	if !args[0].typ().IsText() {
		return nil, errAt(CodeTypeMismatch, e.Pos(), "substr needs text, got %s", args[0].typ())
	}
	for _, a := range args[1:] {
		if !a.typ().IsInteger() {
			return nil, errAt(CodeTypeMismatch, e.Pos(), "substr positions must be integers, got %s", a.typ())
		}
	}
	f := &substrFunc{x: args[0], start: args[1]}
	if len(args) == 3 {
		f.length = args[2]
	}
	return foldAll(f, args...)
}

// startOfUnits maps ClickHouse's toStartOf... functions to date_trunc units.
var startOfUnits = map[string]string{
	"tostartofsecond": "second", "tostartofminute": "minute", "tostartofhour": "hour",
	"tostartofday": "day", "tomonday": "week", "tostartofmonth": "month",
	"tostartofquarter": "quarter", "tostartofyear": "year",
}

var startOfMinutes = map[string]int64{"tostartoffiveminutes": 5, "tostartoffiveminute": 5, "tostartoftenminutes": 10, "tostartoffifteenminutes": 15}

var epochUnits = map[string]int64{"epoch_s": 1e9, "epoch_ms": 1e6, "epoch_us": 1e3, "epoch_ns": 1, "tounixtimestamp": 1e9,
	"tounixtimestamp64milli": 1e6, "tounixtimestamp64micro": 1e3, "tounixtimestamp64nano": 1}

// fromUnixUnits are ClickHouse's fromUnixTimestamp64*: an integer count of
// units since the epoch as a timestamp (Grafana's $__timeFilter_ms).
var fromUnixUnits = map[string]int64{"fromunixtimestamp64milli": 1e6, "fromunixtimestamp64micro": 1e3, "fromunixtimestamp64nano": 1}

// bindTimeFunc binds the time functions; ok is false for other names.
func (s *scope) bindTimeFunc(e *parser.FuncCall, name string, args []expr) (expr, bool, error) {
	switch name {
	case "now", "current_timestamp":
		if len(args) != 0 {
			return nil, true, errAt(CodeBadArguments, e.Pos(), "%s takes no arguments", name)
		}
		s.volatile = true
		return scalarInt(model.TypeTimestamp, s.clock()), true, nil
	case "date_trunc", "datetrunc":
		ex, err := s.bindDateTrunc(e, args)
		return ex, true, err
	case "date_part", "datepart", "extract":
		if len(args) != 2 {
			return nil, true, errAt(CodeBadArguments, e.Pos(), "%s takes a unit and a timestamp", name)
		}
		unit, ok := constString(args[0])
		if unit = normalizeUnit(unit); !ok || !dateParts[unit] {
			return nil, true, errAt(CodeBadArguments, e.Pos(), "%s: unknown unit %q", name, unit)
		}
		ts, err := timestampArg(e, args[1])
		if err != nil {
			return nil, true, err
		}
		ex, err := foldAll(&datePart{unit: unit, x: ts}, ts)
		return ex, true, err
	case "epoch":
		ts, err := oneTimestamp(e, args)
		if err != nil {
			return nil, true, err
		}
		ex, err := foldAll(&datePart{unit: "epoch", x: ts}, ts)
		return ex, true, err
	case "to_timestamp", "todatetime64", "todatetime":
		if len(args) < 1 || len(args) > 3 || (!args[0].typ().IsNumeric() && !args[0].typ().IsText()) {
			return nil, true, errAt(CodeBadArguments, e.Pos(), "%s takes seconds since the epoch or timestamp text", name)
		}
		ex, err := foldAll(&toTimestamp{x: args[0]}, args[0])
		return ex, true, err
	case "tostartofinterval":
		if len(args) != 2 {
			return nil, true, errAt(CodeBadArguments, e.Pos(), "toStartOfInterval takes a timestamp and an INTERVAL")
		}
		ts, err := timestampArg(e, args[0])
		if err != nil {
			return nil, true, err
		}
		ex, err := bindXbar(e, ts, args[1])
		return ex, true, err
	}
	if unit, ok := fromUnixUnits[name]; ok {
		if len(e.Args) != 1 || !args[0].typ().IsInteger() || args[0].typ() == model.TypeTimestamp {
			return nil, true, errAt(CodeBadArguments, e.Pos(), "%s takes an integer count since the epoch", e.Name)
		}
		// CAST(x * unit AS TIMESTAMP), checked for overflow like any product.
		ex, err := s.bind(&parser.CastExpr{At: e.At, Type: "TIMESTAMP",
			X: &parser.BinaryExpr{At: e.At, Op: "*", L: e.Args[0], R: &parser.IntLit{At: e.At, Value: unit, Text: strconv.FormatInt(unit, 10)}}})
		return ex, true, err
	}
	if unit, ok := epochUnits[name]; ok {
		ts, err := oneTimestamp(e, args)
		if err != nil {
			return nil, true, err
		}
		ex, err := foldAll(&epochOf{x: ts, unit: unit}, ts)
		return ex, true, err
	}
	if unit, ok := startOfUnits[name]; ok {
		ts, err := oneTimestamp(e, args)
		if err != nil {
			return nil, true, err
		}
		ex, err := foldAll(&dateTrunc{unit: unit, width: truncUnits[unit], x: ts, loc: time.UTC}, ts)
		return ex, true, err
	}
	if mins, ok := startOfMinutes[name]; ok {
		ts, err := oneTimestamp(e, args)
		if err != nil {
			return nil, true, err
		}
		ex, err := fold(&xbar{x: ts, bucket: mins * int64(time.Minute)})
		return ex, true, err
	}
	return nil, false, nil
}

func (s *scope) bindDateTrunc(e *parser.FuncCall, args []expr) (expr, error) {
	if len(args) != 2 && len(args) != 3 {
		return nil, errAt(CodeBadArguments, e.Pos(), "date_trunc takes a unit, a timestamp and an optional time zone")
	}
	unit, ok := constString(args[0])
	width, known := truncUnits[normalizeUnit(unit)]
	if !ok || !known {
		return nil, errAt(CodeBadArguments, e.Pos(), "date_trunc: unknown unit %q (nanosecond ... week, month, quarter, year)", unit)
	}
	ts, err := timestampArg(e, args[1])
	if err != nil {
		return nil, err
	}
	loc := time.UTC
	if len(args) == 3 {
		zone, ok := constString(args[2])
		if !ok {
			return nil, errAt(CodeBadArguments, e.Pos(), "date_trunc: the time zone must be a string constant")
		}
		if loc, err = time.LoadLocation(zone); err != nil {
			return nil, errAt(CodeBadArguments, e.Pos(), "date_trunc: unknown time zone %q", zone)
		}
	}
	return foldAll(&dateTrunc{unit: normalizeUnit(unit), width: width, x: ts, loc: loc}, ts)
}

func oneTimestamp(e *parser.FuncCall, args []expr) (expr, error) {
	if len(args) != 1 {
		return nil, errAt(CodeBadArguments, e.Pos(), "%s takes one timestamp", e.Name)
	}
	return timestampArg(e, args[0])
}

// timestampArg accepts a TIMESTAMP, or text constant read as one.
func timestampArg(e *parser.FuncCall, x expr) (expr, error) {
	if x.typ() == model.TypeTimestamp {
		return x, nil
	}
	if c, ok := x.(*constExpr); ok && c.v.typ == model.TypeString && !c.v.isNull(0) {
		ts, err := parseTimestamp(c.v.s[0])
		if err != nil {
			return nil, errAt(CodeTypeMismatch, e.Pos(), "%v", err)
		}
		return scalarInt(model.TypeTimestamp, ts), nil
	}
	if isNullConst(x) {
		return scalarNull(model.TypeTimestamp), nil
	}
	return nil, errAt(CodeTypeMismatch, e.Pos(), "%s needs a TIMESTAMP, got %s", e.Name, x.typ())
}

func constString(x expr) (string, bool) {
	c, ok := x.(*constExpr)
	if !ok || c.v.typ != model.TypeString || c.v.isNull(0) {
		return "", false
	}
	return c.v.s[0], true
}
