package exec

import (
	"math"
	"sort"
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
func rewriteSampleBy(s *parser.Select, t *rdb.Table) (*parser.Select, *samplePlan, error) {
	sb := s.SampleBy
	if t == nil || t.Schema.TimestampCol < 0 {
		return nil, nil, errAt(CodeBadArguments, sb.At, "SAMPLE BY needs a table with a designated timestamp")
	}
	if len(s.GroupBy) > 0 {
		return nil, nil, errAt(CodeBadArguments, sb.At, "SAMPLE BY already groups: drop the GROUP BY")
	}
	if sb.Offset != nil {
		return nil, nil, errAt(CodeNotSupported, sb.At, "SAMPLE BY ... WITH OFFSET is not supported yet")
	}
	if sb.Align == "FIRST OBSERVATION" {
		return nil, nil, errAt(CodeNotSupported, sb.At, "ALIGN TO FIRST OBSERVATION is not supported yet")
	}
	tsName := t.Schema.Columns[t.Schema.TimestampCol].Name
	out := *s
	out.SampleBy = nil
	out.Items = append([]parser.SelectItem(nil), s.Items...)
	sp := &samplePlan{every: sb.Every.Nanos, bucketKey: -1}
	bucket, err := sp.bucketExpr(sb, tsName)
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
	return &out, sp, sp.bindRange(sb, &out)
}

// bindRange reads FROM/TO. TO also limits the scan; FROM limits it too
// unless FILL(PREV) needs the value from before the range.
func (sp *samplePlan) bindRange(sb *parser.SampleBy, s *parser.Select) error {
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
			s.Where = andWhere(s.Where, &parser.BinaryExpr{At: sb.From.Pos(), Op: ">=", L: &parser.ColumnRef{Name: tsColName(s)}, R: sb.From})
		}
		sp.from = sp.start(sp.from)
	}
	if sb.To != nil {
		if sp.to, err = read(sb.To); err != nil {
			return err
		}
		sp.hasTo = true
		s.Where = andWhere(s.Where, &parser.BinaryExpr{At: sb.To.Pos(), Op: "<", L: &parser.ColumnRef{Name: tsColName(s)}, R: sb.To})
	}
	return nil
}

func tsColName(s *parser.Select) string {
	return s.GroupBy[0].(*parser.FuncCall).Args[0].(*parser.ColumnRef).Name
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

// calendarUnits are the SAMPLE BY units that become date_trunc buckets
// when a time zone is given or their length varies.
var calendarUnits = map[string]bool{"DAY": true, "WEEK": true, "MONTH": true, "YEAR": true, "HOUR": true, "MINUTE": true, "SECOND": true}

// bucketExpr returns the bucket of ts: xbar for fixed widths in UTC,
// date_trunc for one calendar unit (in a zone, DST-correct).
func (sp *samplePlan) bucketExpr(sb *parser.SampleBy, tsName string) (parser.Expr, error) {
	ts := &parser.ColumnRef{At: sb.At, Name: tsName}
	unit := strings.ToUpper(sb.Every.Unit)
	zone := ""
	if sb.TimeZone != nil {
		z, ok := sb.TimeZone.(*parser.StringLit)
		if !ok {
			return nil, errAt(CodeBadArguments, sb.At, "TIME ZONE needs a string")
		}
		zone = z.Value
	}
	if sb.Every.Nanos > 0 && zone == "" {
		return &parser.FuncCall{At: sb.At, Name: "xbar", Args: []parser.Expr{ts, &parser.IntLit{At: sb.At, Value: sb.Every.Nanos}}}, nil
	}
	if sb.Every.Value != 1 || !calendarUnits[unit] {
		return nil, errAt(CodeNotSupported, sb.Every.At, "SAMPLE BY %d %s with a time zone or calendar length: only one calendar unit (1d, 1M, 1y, 1h ...) is supported yet", sb.Every.Value, strings.ToLower(unit))
	}
	loc := time.UTC
	if zone != "" {
		var err error
		if loc, err = time.LoadLocation(zone); err != nil {
			return nil, errAt(CodeBadArguments, sb.At, "unknown time zone %q", zone)
		}
	}
	trunc := &dateTrunc{unit: strings.ToLower(unit), width: truncUnits[strings.ToLower(unit)], loc: loc}
	sp.every = 0
	sp.align = trunc.trunc
	sp.next = func(b int64) int64 {
		t := time.Unix(0, b).In(loc)
		switch unit {
		case "YEAR":
			t = t.AddDate(1, 0, 0)
		case "MONTH":
			t = t.AddDate(0, 1, 0)
		case "WEEK":
			t = t.AddDate(0, 0, 7)
		case "DAY":
			t = t.AddDate(0, 0, 1)
		default:
			return trunc.trunc(b + trunc.width) // the next wall-clock unit, also across a DST change
		}
		return trunc.trunc(t.UnixNano())
	}
	args := []parser.Expr{&parser.StringLit{At: sb.At, Value: strings.ToLower(unit)}, ts}
	if zone != "" {
		args = append(args, &parser.StringLit{At: sb.At, Value: zone})
	}
	return &parser.FuncCall{At: sb.At, Name: "date_trunc", Args: args}, nil
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
