package exec

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// samplePlan is what SAMPLE BY adds to an aggregation: which key is the
// time bucket, its width, and how empty buckets are filled.
type samplePlan struct {
	bucketKey int   // index of the bucket among the aggregation keys
	every     int64 // bucket width, ns; 0 for calendar buckets
	// align and next place calendar buckets (a zone's days, months,
	// years): the start of the bucket holding ts, and the bucket after b.
	align    func(ts int64) int64
	next     func(b int64) int64
	fills    []string
	values   []*vec // constants of FILL(value), by aggregate
	from, to int64  // [from, to) when given
	hasFrom  bool
	hasTo    bool
}

// rewriteSampleBy turns SAMPLE BY into the GROUP BY it means, QuestDB's
// way: the designated timestamp in the select list becomes the bucket,
// every other plain column becomes a key, and rows are ordered by bucket
// unless ORDER BY says otherwise. It returns the rewritten statement and
// the fill plan (keys are resolved later, by position).
// firstTS returns the first designated timestamp the query's WHERE keeps,
// for ALIGN TO FIRST OBSERVATION; it is called only then.
func rewriteSampleBy(s *parser.Select, t *rdb.Table, firstTS func() (int64, error)) (*parser.Select, *samplePlan, error) {
	sb := s.SampleBy
	if t == nil || t.Schema.TimestampCol < 0 {
		return nil, nil, errAt(CodeBadArguments, sb.At, "SAMPLE BY needs a table with a designated timestamp")
	}
	if len(s.GroupBy) > 0 {
		return nil, nil, errAt(CodeBadArguments, sb.At, "SAMPLE BY already groups: drop the GROUP BY")
	}
	tsName := t.Schema.Columns[t.Schema.TimestampCol].Name
	out := *s
	out.SampleBy = nil
	out.Items = append([]parser.SelectItem(nil), s.Items...)
	sp := &samplePlan{every: sb.Every.Nanos, bucketKey: -1}
	bucket, err := sp.bucketExpr(sb, tsName, firstTS)
	if err != nil {
		return nil, nil, err
	}
	for i, it := range out.Items {
		if it.Star {
			return nil, nil, errAt(CodeBadArguments, it.At, "SAMPLE BY needs explicit columns and aggregates, not *")
		}
		if anyAggregate([]parser.Expr{it.Expr}) {
			continue
		}
		if c, ok := it.Expr.(*parser.ColumnRef); ok && strings.EqualFold(c.Name, tsName) {
			alias := it.Alias
			if alias == "" {
				alias = c.Name
			}
			out.Items[i] = parser.SelectItem{At: it.At, Expr: bucket, Alias: alias}
			sp.bucketKey = len(out.GroupBy)
			out.GroupBy = append(out.GroupBy, bucket)
			continue
		}
		out.GroupBy = append(out.GroupBy, it.Expr)
	}
	if sp.bucketKey < 0 {
		sp.bucketKey = len(out.GroupBy)
		out.GroupBy = append(out.GroupBy, bucket)
	}
	if len(out.OrderBy) == 0 {
		out.OrderBy = []parser.OrderItem{{Expr: bucket}}
	}
	if err := sp.bindFills(sb); err != nil {
		return nil, nil, err
	}
	return &out, sp, sp.bindRange(sb, &out, tsName)
}

// firstTimestamp returns the first designated timestamp of s's table
// that s's WHERE keeps (0 when none does).
func (x *Executor) firstTimestamp(ctx context.Context, s *parser.Select, t *rdb.Table, env *queryEnv) (int64, error) {
	ts := &parser.ColumnRef{At: s.At, Name: t.Schema.Columns[t.Schema.TimestampCol].Name}
	q := &parser.Select{At: s.At, From: s.From, Source: s.Source, Where: s.Where,
		Items: []parser.SelectItem{{At: s.At, Expr: &parser.FuncCall{At: s.At, Name: "min", Args: []parser.Expr{ts}}}}}
	res, err := x.runQuery(ctx, q, env)
	if err != nil || res.Rows != 1 || res.Columns[0].Data.IsNull(0) {
		return 0, err
	}
	return res.Columns[0].Data.Int64[0], nil
}

// bindRange reads FROM/TO. TO also limits the scan; FROM limits it too
// unless FILL(PREV) needs the value from before the range.
func (sp *samplePlan) bindRange(sb *parser.SampleBy, s *parser.Select, tsName string) error {
	read := func(e parser.Expr) (int64, error) {
		ts, ok := literalTimestamp(e)
		if !ok {
			return 0, errAt(CodeBadArguments, e.Pos(), "SAMPLE BY FROM/TO need timestamp constants")
		}
		return ts, nil
	}
	var err error
	if sb.From != nil {
		if sp.from, err = read(sb.From); err != nil {
			return err
		}
		sp.hasFrom = true
		if !sp.needsHistory() {
			s.Where = andWhere(s.Where, &parser.BinaryExpr{At: sb.From.Pos(), Op: ">=", L: &parser.ColumnRef{Name: tsName}, R: sb.From})
		}
		sp.from = sp.start(sp.from)
	}
	if sb.To != nil {
		if sp.to, err = read(sb.To); err != nil {
			return err
		}
		sp.hasTo = true
		s.Where = andWhere(s.Where, &parser.BinaryExpr{At: sb.To.Pos(), Op: "<", L: &parser.ColumnRef{Name: tsName}, R: sb.To})
	}
	return nil
}

func andWhere(w, term parser.Expr) parser.Expr {
	if w == nil {
		return term
	}
	return &parser.BinaryExpr{At: term.Pos(), Op: "AND", L: w, R: term}
}

// needsHistory reports FILL(PREV): the first buckets may need the value
// of the last bucket before FROM, so the scan must not stop at FROM.
func (sp *samplePlan) needsHistory() bool {
	for _, m := range sp.fills {
		if m == parser.FillPrev {
			return true
		}
	}
	return false
}

func (sp *samplePlan) bindFills(sb *parser.SampleBy) error {
	none := 0
	for _, f := range sb.Fill {
		if f.Mode == parser.FillNone {
			none++
		}
	}
	switch {
	case none == len(sb.Fill):
		return nil // FILL(NONE): empty buckets stay absent
	case none > 0:
		return errAt(CodeBadArguments, sb.At, "FILL(NONE) cannot be mixed with other fills")
	}
	for _, f := range sb.Fill {
		mode := f.Mode
		if mode == parser.FillConst {
			v, err := literalValue(&scope{}, f.Value)
			if err != nil {
				return err
			}
			sp.values = append(sp.values, v)
		} else {
			sp.values = append(sp.values, nil)
		}
		sp.fills = append(sp.fills, mode)
	}
	return nil
}

// fillFor returns the fill mode and constant of aggregate column a.
func (sp *samplePlan) fillFor(a int) (string, *vec) {
	switch {
	case len(sp.fills) == 0:
		return parser.FillNone, nil
	case a < len(sp.fills):
		return sp.fills[a], sp.values[a]
	}
	last := len(sp.fills) - 1 // a single FILL applies to every aggregate
	return sp.fills[last], sp.values[last]
}

// fill adds the empty buckets of every key between the first and last
// bucket (or FROM and TO) and fills their aggregates; then it drops
// buckets before FROM. cols are the aggregation's output: keys, then
// aggregates.
func (sp *samplePlan) fill(cols []*vec, n, nkeys int) ([]*vec, int) {
	if len(sp.fills) == 0 || n == 0 && !(sp.hasFrom && sp.hasTo) {
		return sp.cut(cols, n)
	}
	bucket := cols[sp.bucketKey]
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for i := 0; i < n; i++ {
		lo, hi = min(lo, bucket.i64[i]), max(hi, bucket.i64[i])
	}
	if sp.hasFrom {
		lo = min(lo, sp.from)
	}
	if sp.hasTo {
		hi = sp.start(sp.to - 1)
	}
	groups := sp.groupRows(cols, n, nkeys)
	out := make([]*vec, len(cols))
	for j, c := range cols {
		out[j] = newVec(c.typ, 0)
		out[j].dict = c.dict
	}
	rows := 0
	for _, g := range groups {
		rows += sp.fillGroup(cols, out, g, nkeys, lo, hi)
	}
	for _, c := range out {
		c.n = rows
	}
	return sp.cut(out, rows)
}

// groupRows splits result rows by their non-bucket keys, each group's rows
// sorted by bucket.
func (sp *samplePlan) groupRows(cols []*vec, n, nkeys int) [][]int {
	index := map[string]int{}
	var groups [][]int
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.Reset()
		for k := 0; k < nkeys; k++ {
			if k != sp.bucketKey {
				sb.WriteString(formatKey(cols[k], i))
				sb.WriteByte(0)
			}
		}
		g, ok := index[sb.String()]
		if !ok {
			g = len(groups)
			index[sb.String()] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	bucket := cols[sp.bucketKey]
	for _, g := range groups {
		sort.Slice(g, func(a, b int) bool { return bucket.i64[g[a]] < bucket.i64[g[b]] })
	}
	return groups
}

func formatKey(v *vec, i int) string {
	if v.isNull(i) {
		return "\x01NULL"
	}
	return formatValue(v, i)
}

// fillGroup writes one key's rows, with every bucket from lo to hi.
func (sp *samplePlan) fillGroup(cols, out []*vec, rows []int, nkeys int, lo, hi int64) int {
	bucket := cols[sp.bucketKey]
	written, next := 0, 0
	var prev = -1 // previous real row of this key
	for b := lo; b <= hi; b = sp.after(b) {
		for next < len(rows) && bucket.i64[rows[next]] < b {
			prev, next = rows[next], next+1 // rows before lo only feed PREV
		}
		if next < len(rows) && bucket.i64[rows[next]] == b {
			for j := range cols {
				appendValue(out[j], cols[j], rows[next])
			}
			prev, next = rows[next], next+1
			written++
			continue
		}
		for j := range cols {
			if j < nkeys {
				if j == sp.bucketKey {
					out[j].i64 = append(out[j].i64, b)
					out[j].n++
				} else {
					appendValue(out[j], cols[j], rows[0])
				}
				continue
			}
			sp.fillValue(out[j], cols[j], j-nkeys, prev, nextRow(rows, next), bucket, b)
		}
		written++
		if sp.every > 0 && b > math.MaxInt64-sp.every {
			break
		}
	}
	return written
}

func nextRow(rows []int, next int) int {
	if next < len(rows) {
		return rows[next]
	}
	return -1
}

// fillValue appends the fill of aggregate a for an empty bucket b.
func (sp *samplePlan) fillValue(dst, src *vec, a, prev, next int, bucket *vec, b int64) {
	mode, constant := sp.fillFor(a)
	switch {
	case mode == parser.FillPrev && prev >= 0:
		appendValue(dst, src, prev)
		return
	case mode == parser.FillConst && constant != nil && !constant.isNull(0):
		appendConverted(dst, constant)
		return
	case mode == parser.FillLinear && prev >= 0 && next >= 0 && !src.isNull(prev) && !src.isNull(next) && src.typ.IsNumeric():
		x0, x1 := float64(bucket.i64[prev]), float64(bucket.i64[next])
		y0, y1 := src.float(prev), src.float(next)
		y := y0 + (y1-y0)*(float64(b)-x0)/(x1-x0)
		if dst.typ == model.TypeFloat64 {
			dst.f64 = append(dst.f64, y)
		} else {
			dst.i64 = append(dst.i64, int64(math.Round(y)))
		}
		dst.n++
		return
	}
	appendNullTo(dst)
}

// appendConverted appends a constant to dst, converting numbers.
func appendConverted(dst, c *vec) {
	switch {
	case dst.typ == model.TypeFloat64 && c.typ.IsNumeric():
		dst.f64 = append(dst.f64, c.float(0))
		dst.n++
	case dst.typ.IsInteger() && c.typ.IsInteger():
		dst.i64 = append(dst.i64, c.i64[0])
		dst.n++
	case dst.typ == c.typ:
		appendValue(dst, c, 0)
	default:
		appendNullTo(dst)
	}
}

func appendNullTo(dst *vec) {
	null := constVec(dst.typ, 1, true)
	appendValue(dst, null, 0)
}

// cut drops buckets before FROM (kept until now only to feed FILL(PREV)).
func (sp *samplePlan) cut(cols []*vec, n int) ([]*vec, int) {
	if !sp.hasFrom {
		return cols, n
	}
	bucket := cols[sp.bucketKey]
	keep := make([]int, 0, n)
	for i := 0; i < n; i++ {
		if bucket.i64[i] >= sp.from {
			keep = append(keep, i)
		}
	}
	if len(keep) == n {
		return cols, n
	}
	out := make([]*vec, len(cols))
	for j, c := range cols {
		out[j] = newVec(c.typ, 0)
		out[j].dict = c.dict
		for _, i := range keep {
			appendValue(out[j], c, i)
		}
	}
	return out, len(keep)
}

// bucketExpr returns the bucket of ts: xbar for fixed widths aligned to
// the epoch in UTC, else the internal grid function (calendar units, time
// zones, WITH OFFSET, ALIGN TO FIRST OBSERVATION).
func (sp *samplePlan) bucketExpr(sb *parser.SampleBy, tsName string, firstTS func() (int64, error)) (parser.Expr, error) {
	ts := &parser.ColumnRef{At: sb.At, Name: tsName}
	zone, offset, err := sampleAlignment(sb)
	if err != nil {
		return nil, err
	}
	origin := int64(0)
	if sb.Align == "FIRST OBSERVATION" {
		if origin, err = observationOrigin(sb, firstTS); err != nil {
			return nil, err
		}
	}
	unit := strings.ToUpper(sb.Every.Unit)
	if sb.Every.Nanos > 0 && zone == "UTC" && offset == 0 && origin == 0 && unit != "WEEK" {
		return &parser.FuncCall{At: sb.At, Name: "xbar", Args: []parser.Expr{ts, &parser.IntLit{At: sb.At, Value: sb.Every.Nanos}}}, nil
	}
	g, err := newSampleGrid(sb.Every.Value, unit, sb.Every.Nanos, zone, offset, origin)
	if err != nil {
		return nil, errAt(CodeBadArguments, sb.Every.At, "%v", err)
	}
	sp.every, sp.align, sp.next = 0, g.start, g.next
	return sampleBucketCall(sb.At, ts, g, unit, zone), nil
}

// sampleAlignment reads ALIGN TO CALENDAR's TIME ZONE and WITH OFFSET.
func sampleAlignment(sb *parser.SampleBy) (zone string, offset int64, err error) {
	zone = "UTC"
	if sb.TimeZone != nil {
		z, ok := sb.TimeZone.(*parser.StringLit)
		if !ok {
			return "", 0, errAt(CodeBadArguments, sb.At, "TIME ZONE needs a string")
		}
		if _, err := time.LoadLocation(z.Value); err != nil || z.Value == "" {
			return "", 0, errAt(CodeBadArguments, sb.TimeZone.Pos(), "unknown time zone %q", z.Value)
		}
		zone = z.Value
	}
	if sb.Offset != nil {
		o, ok := sb.Offset.(*parser.StringLit)
		if !ok {
			return "", 0, errAt(CodeBadArguments, sb.Offset.Pos(), "WITH OFFSET needs a string such as '09:30' or '-00:15'")
		}
		if offset, err = parseOffset(o.Value); err != nil {
			return "", 0, errAt(CodeBadArguments, o.At, "%v", err)
		}
	}
	return zone, offset, nil
}

// parseOffset reads QuestDB's WITH OFFSET '[+|-]hh:mm'.
func parseOffset(s string) (int64, error) {
	sign, body := int64(1), s
	if strings.HasPrefix(body, "-") || strings.HasPrefix(body, "+") {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	h, m, ok := strings.Cut(body, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(m) != 2 {
		return 0, fmt.Errorf("bad offset %q: want [+|-]hh:mm", s)
	}
	return sign * (int64(hh)*int64(time.Hour) + int64(mm)*int64(time.Minute)), nil
}

// observationOrigin returns where ALIGN TO FIRST OBSERVATION starts the
// grid: FROM when given, else the first timestamp the query keeps.
func observationOrigin(sb *parser.SampleBy, firstTS func() (int64, error)) (int64, error) {
	if sb.TimeZone != nil || sb.Offset != nil {
		return 0, errAt(CodeBadArguments, sb.At, "TIME ZONE and WITH OFFSET go with ALIGN TO CALENDAR, not FIRST OBSERVATION")
	}
	if sb.From != nil {
		ts, ok := literalTimestamp(sb.From)
		if !ok {
			return 0, errAt(CodeBadArguments, sb.From.Pos(), "SAMPLE BY FROM/TO need timestamp constants")
		}
		return ts, nil
	}
	return firstTS()
}

// start returns the bucket start holding ts.
func (sp *samplePlan) start(ts int64) int64 {
	if sp.align != nil {
		return sp.align(ts)
	}
	return floorMul(ts, sp.every)
}

// after returns the bucket following b.
func (sp *samplePlan) after(b int64) int64 {
	if sp.next != nil {
		return sp.next(b)
	}
	return b + sp.every
}
