package exec

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// sampleGrid places the buckets of SAMPLE BY n units: fixed widths on a
// grid through origin (the epoch, or the first observation), shifted by
// offset; calendar units (weeks, which start on Monday, months, years,
// and any unit in a zone) counted on the local calendar from 1970-01-01,
// local midnight plus offset. Units below a day in a zone restart at every local
// midnight, so a 23- or 25-hour day ends with a shorter or longer bucket
// rather than drifting across days.
type sampleGrid struct {
	n      int64
	unit   string // YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND; "" for fixed widths
	width  int64  // fixed widths: the bucket length in ns
	loc    *time.Location
	offset int64 // ns
	origin int64 // fixed widths: a bucket starts at origin + offset
}

// sampleBucketFunc is the internal function SAMPLE BY groups by when xbar
// does not do: _zsample_bucket(ts, n, unit, zone, offset_ns, origin_ns).
const sampleBucketFunc = "_zsample_bucket"

var unitSeconds = map[string]int64{"HOUR": 3600, "MINUTE": 60, "SECOND": 1}

// newSampleGrid checks a grid's parameters.
func newSampleGrid(n int64, unit string, every int64, zone string, offset, origin int64) (*sampleGrid, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		return nil, fmt.Errorf("unknown time zone %q", zone)
	}
	g := &sampleGrid{n: n, loc: loc, offset: offset, origin: origin}
	calendar := unit == "MONTH" || unit == "YEAR" || unit == "WEEK" || (loc != time.UTC && (unit == "DAY" || unitSeconds[unit] > 0))
	switch {
	case n <= 0:
		return nil, fmt.Errorf("SAMPLE BY needs a positive bucket count")
	case calendar && origin != 0:
		return nil, fmt.Errorf("ALIGN TO FIRST OBSERVATION needs a fixed bucket width, not %d %s in %s", n, strings.ToLower(unit), zone)
	case calendar:
		g.unit = unit
	case every <= 0:
		return nil, fmt.Errorf("SAMPLE BY %d %s has no fixed width", n, strings.ToLower(unit))
	default:
		g.width = every
	}
	return g, nil
}

// sampleBucketCall returns the expression of ts's bucket on g.
func sampleBucketCall(at parser.Pos, ts parser.Expr, g *sampleGrid, unit, zone string) *parser.FuncCall {
	return &parser.FuncCall{At: at, Name: sampleBucketFunc, Args: []parser.Expr{ts,
		&parser.IntLit{At: at, Value: g.n, Text: strconv.FormatInt(g.n, 10)},
		&parser.StringLit{At: at, Value: unit}, &parser.StringLit{At: at, Value: zone},
		&parser.IntLit{At: at, Value: g.offset, Text: strconv.FormatInt(g.offset, 10)},
		&parser.IntLit{At: at, Value: g.origin, Text: strconv.FormatInt(g.origin, 10)},
		&parser.IntLit{At: at, Value: g.width, Text: strconv.FormatInt(g.width, 10)}}}
}

// start returns the start of the bucket holding ts.
func (g *sampleGrid) start(ts int64) int64 {
	if g.unit == "" {
		base := g.origin + g.offset
		return floorMul(ts-base, g.width) + base
	}
	t := time.Unix(0, ts).In(g.loc)
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	// Undo the offset on the wall clock, find the calendar bucket, redo it.
	t = time.Date(y, mo, d, h, mi, s, t.Nanosecond()-int(g.offset), g.loc)
	y, mo, d = t.Date()
	off := int(g.offset)
	switch g.unit {
	case "YEAR":
		return time.Date(1970+int(floorDiv(int64(y-1970), g.n)*g.n), 1, 1, 0, 0, 0, off, g.loc).UnixNano()
	case "MONTH":
		k := floorDiv(int64(y-1970)*12+int64(mo-1), g.n) * g.n
		return time.Date(1970, time.Month(1+k), 1, 0, 0, 0, off, g.loc).UnixNano()
	case "WEEK": // weeks start on Monday; 1970-01-05 was one
		k := floorDiv(civilDay(y, mo, d)-4, 7*g.n)*7*g.n + 4
		return time.Date(1970, 1, 1+int(k), 0, 0, 0, off, g.loc).UnixNano()
	case "DAY":
		k := floorDiv(civilDay(y, mo, d), g.n) * g.n
		return time.Date(1970, 1, 1+int(k), 0, 0, 0, off, g.loc).UnixNano()
	}
	h, mi, s = t.Clock()
	step := g.n * unitSeconds[g.unit]
	k := floorDiv(int64(h*3600+mi*60+s), step) * step
	return time.Date(y, mo, d, 0, 0, int(k), off, g.loc).UnixNano()
}

// next returns the bucket after the one starting at b.
func (g *sampleGrid) next(b int64) int64 {
	if g.unit == "" {
		return b + g.width
	}
	t := time.Unix(0, b).In(g.loc)
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	n := int(g.n)
	switch g.unit {
	case "YEAR":
		y += n
	case "MONTH":
		mo += time.Month(n)
	case "WEEK":
		d += 7 * n
	case "DAY":
		d += n
	default:
		s += n * int(unitSeconds[g.unit])
	}
	return g.start(time.Date(y, mo, d, h, mi, s, t.Nanosecond(), g.loc).UnixNano())
}

// civilDay numbers the calendar day y-mo-d: 0 is 1970-01-01.
func civilDay(y int, mo time.Month, d int) int64 {
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// bucketOnGrid evaluates _zsample_bucket.
type bucketOnGrid struct {
	g *sampleGrid
	x expr
}

func (b *bucketOnGrid) typ() model.ColumnType { return model.TypeTimestamp }

func (b *bucketOnGrid) eval(bt *batch) (*vec, error) {
	in, err := b.x.eval(bt)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeTimestamp, bt.n)
	out.nulls = unionNulls(bt.n, in)
	for i := range out.i64 {
		out.i64[i] = b.g.start(in.i64[in.phys(i)])
	}
	return out, nil
}

// bindSampleBucket binds _zsample_bucket(ts, n, unit, zone, offset, origin, width).
func bindSampleBucket(e *parser.FuncCall, args []expr) (expr, error) {
	bad := errAt(CodeBadArguments, e.Pos(), "%s is internal to SAMPLE BY", sampleBucketFunc)
	if len(args) != 7 {
		return nil, bad
	}
	var ints [4]int64
	for i, a := range []expr{args[1], args[4], args[5], args[6]} {
		c, ok := a.(*constExpr)
		if !ok || c.v.typ != model.TypeInt64 {
			return nil, bad
		}
		ints[i] = c.v.i64[0]
	}
	unit, ok1 := constString(args[2])
	zone, ok2 := constString(args[3])
	if !ok1 || !ok2 {
		return nil, bad
	}
	g, err := newSampleGrid(ints[0], unit, ints[3], zone, ints[1], ints[2])
	if err != nil {
		return nil, errAt(CodeBadArguments, e.Pos(), "%v", err)
	}
	ts, err := timestampArg(e, args[0])
	if err != nil {
		return nil, err
	}
	return foldAll(&bucketOnGrid{g: g, x: ts}, ts)
}
