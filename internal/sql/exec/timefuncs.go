package exec

import (
	"math"
	"strings"
	"time"
	_ "time/tzdata" // time zones work without the system's zoneinfo

	"github.com/zeptodb/zeptodb/internal/model"
)

// truncUnits are the units date_trunc accepts, with their fixed width in
// nanoseconds (0 for calendar units).
var truncUnits = map[string]int64{
	"nanosecond": 1, "microsecond": int64(time.Microsecond), "millisecond": int64(time.Millisecond),
	"second": int64(time.Second), "minute": int64(time.Minute), "hour": int64(time.Hour),
	"day": 0, "week": 0, "month": 0, "quarter": 0, "year": 0,
}

// normalizeUnit accepts plurals and a few abbreviations.
func normalizeUnit(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	switch u {
	case "ns":
		return "nanosecond"
	case "us":
		return "microsecond"
	case "ms":
		return "millisecond"
	case "s", "sec":
		return "second"
	case "m", "min":
		return "minute"
	case "h":
		return "hour"
	case "d":
		return "day"
	}
	return strings.TrimSuffix(u, "s")
}

// dateTrunc is date_trunc(unit, ts[, zone]): the start of the unit that
// holds ts, in the given zone (UTC by default), so that days, weeks and
// months begin at local midnight across DST changes. Weeks start on
// Monday, as in DuckDB.
type dateTrunc struct {
	unit  string
	width int64 // > 0 for fixed-width units
	x     expr
	loc   *time.Location
}

func (d *dateTrunc) typ() model.ColumnType { return model.TypeTimestamp }

func (d *dateTrunc) eval(b *batch) (*vec, error) {
	in, err := d.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeTimestamp, b.n)
	out.nulls = unionNulls(b.n, in)
	for i := range out.i64 {
		out.i64[i] = d.trunc(in.i64[in.phys(i)])
	}
	return out, nil
}

func (d *dateTrunc) trunc(ts int64) int64 {
	if d.width > 0 && d.loc == time.UTC {
		return floorMul(ts, d.width)
	}
	t := time.Unix(0, ts).In(d.loc)
	y, mo, day := t.Date()
	switch d.unit {
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, d.loc).UnixNano()
	case "quarter":
		return time.Date(y, (mo-1)/3*3+1, 1, 0, 0, 0, 0, d.loc).UnixNano()
	case "month":
		return time.Date(y, mo, 1, 0, 0, 0, 0, d.loc).UnixNano()
	case "week":
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, mo, day-back, 0, 0, 0, 0, d.loc).UnixNano()
	case "day":
		return time.Date(y, mo, day, 0, 0, 0, 0, d.loc).UnixNano()
	}
	// A fixed unit in a zone: truncate the local wall clock.
	_, off := t.Zone()
	local := ts + int64(off)*int64(time.Second)
	return floorMul(local, d.width) - int64(off)*int64(time.Second)
}

// datePart is date_part('unit', ts) / extract: a field of the UTC time.
type datePart struct {
	unit string
	x    expr
}

var dateParts = map[string]bool{
	"year": true, "quarter": true, "month": true, "day": true, "hour": true, "minute": true, "second": true,
	"millisecond": true, "microsecond": true, "nanosecond": true, "dow": true, "isodow": true, "doy": true,
	"week": true, "epoch": true,
}

func (d *datePart) typ() model.ColumnType {
	if d.unit == "epoch" {
		return model.TypeFloat64
	}
	return model.TypeInt64
}

func (d *datePart) eval(b *batch) (*vec, error) {
	in, err := d.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(d.typ(), b.n)
	out.nulls = unionNulls(b.n, in)
	for i := 0; i < b.n; i++ {
		ts := in.i64[in.phys(i)]
		if d.unit == "epoch" {
			out.f64[i] = float64(ts) / 1e9
			continue
		}
		out.i64[i] = datePartOf(d.unit, ts)
	}
	return out, nil
}

func datePartOf(unit string, ts int64) int64 {
	t := time.Unix(0, ts).UTC()
	switch unit {
	case "year":
		return int64(t.Year())
	case "quarter":
		return int64(t.Month()-1)/3 + 1
	case "month":
		return int64(t.Month())
	case "day":
		return int64(t.Day())
	case "hour":
		return int64(t.Hour())
	case "minute":
		return int64(t.Minute())
	case "second":
		return int64(t.Second())
	case "millisecond": // seconds included, as DuckDB
		return int64(t.Second())*1000 + int64(t.Nanosecond())/1e6
	case "microsecond":
		return int64(t.Second())*1e6 + int64(t.Nanosecond())/1e3
	case "nanosecond":
		return int64(t.Second())*1e9 + int64(t.Nanosecond())
	case "dow":
		return int64(t.Weekday())
	case "isodow":
		return int64((t.Weekday()+6)%7) + 1
	case "doy":
		return int64(t.YearDay())
	case "week":
		_, w := t.ISOWeek()
		return int64(w)
	}
	return 0
}

// epochOf converts a timestamp to whole units since the epoch, rounding
// down (epoch_s, epoch_ms, epoch_us, epoch_ns, toUnixTimestamp).
type epochOf struct {
	x    expr
	unit int64
}

func (e *epochOf) typ() model.ColumnType { return model.TypeInt64 }

func (e *epochOf) eval(b *batch) (*vec, error) {
	in, err := e.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeInt64, b.n)
	out.nulls = unionNulls(b.n, in)
	for i := range out.i64 {
		out.i64[i] = floorMul(in.i64[in.phys(i)], e.unit) / e.unit
	}
	return out, nil
}

// toTimestamp turns seconds since the epoch (integer or fractional) or
// timestamp text into a TIMESTAMP (to_timestamp, toDateTime64).
type toTimestamp struct{ x expr }

func (t *toTimestamp) typ() model.ColumnType { return model.TypeTimestamp }

func (t *toTimestamp) eval(b *batch) (*vec, error) {
	in, err := t.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeTimestamp, b.n)
	out.nulls = unionNulls(b.n, in)
	for i := range out.i64 {
		if in.isNull(i) {
			continue
		}
		switch {
		case in.typ == model.TypeTimestamp:
			out.i64[i] = in.i64[in.phys(i)]
		case in.typ.IsText():
			ts, err := parseTimestamp(strings.TrimSpace(in.text(i)))
			if err != nil {
				return nil, err
			}
			out.i64[i] = ts
		default:
			ns, ok := secondsToNanos(in, i)
			if !ok {
				return nil, &Error{Code: CodeOverflow, Msg: "seconds out of range for a TIMESTAMP"}
			}
			out.i64[i] = ns
		}
	}
	return out, nil
}

// secondsToNanos converts row i of a number of seconds to nanoseconds.
// Whole seconds and the fraction are converted apart: 1793611800.25 * 1e9
// in one float product would lose the last digits.
func secondsToNanos(in *vec, i int) (int64, bool) {
	if in.typ != model.TypeFloat64 {
		s := in.i64[in.phys(i)]
		if s > math.MaxInt64/int64(1e9) || s < math.MinInt64/int64(1e9) {
			return 0, false
		}
		return s * 1e9, true
	}
	f := in.f64[in.phys(i)]
	whole := math.Floor(f)
	if math.IsNaN(f) || whole >= 9.2e9 || whole <= -9.2e9 {
		return 0, false
	}
	return int64(whole)*1e9 + int64(math.Round((f-whole)*1e9)), true
}
