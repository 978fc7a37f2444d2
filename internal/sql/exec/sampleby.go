package exec

import (
	"math"
	"sort"
	"strings"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// samplePlan is what SAMPLE BY adds to an aggregation: which key is the
// time bucket, its width, and how empty buckets are filled.
type samplePlan struct {
	bucketKey int   // index of the bucket among the aggregation keys
	every     int64 // bucket width, ns
	fills     []string
	values    []*vec // constants of FILL(value), by aggregate
	from, to  int64  // [from, to) when given
	hasFrom   bool
	hasTo     bool
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
	if sb.Every.Nanos <= 0 {
		return nil, nil, errAt(CodeNotSupported, sb.Every.At, "SAMPLE BY %d%s: calendar months and years are not supported yet", sb.Every.Value, sb.Every.Suffix)
	}
	if sb.TimeZone != nil || sb.Offset != nil {
		return nil, nil, errAt(CodeNotSupported, sb.At, "SAMPLE BY ... TIME ZONE / WITH OFFSET is not supported yet (date_trunc with a zone is)")
	}
	if sb.Align == "FIRST OBSERVATION" {
		return nil, nil, errAt(CodeNotSupported, sb.At, "ALIGN TO FIRST OBSERVATION is not supported yet")
	}
	tsName := t.Schema.Columns[t.Schema.TimestampCol].Name
	out := *s
	out.SampleBy = nil
	out.Items = append([]parser.SelectItem(nil), s.Items...)
	bucket := &parser.FuncCall{At: sb.At, Name: "xbar", Args: []parser.Expr{
		&parser.ColumnRef{At: sb.At, Name: tsName},
		&parser.IntLit{At: sb.At, Value: sb.Every.Nanos, Text: ""},
	}}
	sp := &samplePlan{every: sb.Every.Nanos, bucketKey: -1}
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
		sp.from = floorMul(sp.from, sp.every)
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
		hi = floorMul(sp.to-1, sp.every)
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
	for b := lo; b <= hi; b += sp.every {
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
		if b > math.MaxInt64-sp.every {
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
