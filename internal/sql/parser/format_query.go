package parser

import (
	"fmt"
	"strconv"
	"strings"
)

// Statements, queries and FROM clauses render as SQL text that parses back
// to the same rendering. Optional words are left out (INNER, OUTER, ASC,
// UNION DISTINCT), aliases always get AS, and clauses come in one fixed
// order, so the text is canonical rather than as written.

// writer is implemented by every node that renders itself, among them
// every Query and TableExpr.
type writer interface{ writeTo(b *strings.Builder) }

func renderNode(w writer) string {
	var b strings.Builder
	w.writeTo(&b)
	return b.String()
}

func (s *Select) String() string      { return renderNode(s) }
func (s *SetOp) String() string       { return renderNode(s) }
func (s *CreateTable) String() string { return renderNode(s) }
func (s *DropTable) String() string   { return renderNode(s) }
func (s *Insert) String() string      { return renderNode(s) }
func (s *ShowTables) String() string {
	out := "SHOW TABLES"
	if s.Database != "" {
		out += " FROM " + QuoteIdent(s.Database)
	}
	return out + formatSuffix(s.Format)
}
func (s *ShowDatabases) String() string { return "SHOW DATABASES" + formatSuffix(s.Format) }
func (s *Copy) String() string {
	dir := " TO "
	if s.From {
		dir = " FROM "
	}
	return "COPY " + QuoteIdent(s.Table) + dir + QuoteString(s.Path) + formatSuffix(s.Format)
}
func (s *KillQuery) String() string {
	var b strings.Builder
	b.WriteString("KILL QUERY WHERE ")
	writeExpr(&b, s.Where, 0)
	if s.Test {
		b.WriteString(" TEST")
	}
	b.WriteString(formatSuffix(s.Format))
	return b.String()
}
func (s *Exists) String() string {
	return "EXISTS TABLE " + QuoteIdent(s.Table) + formatSuffix(s.Format)
}

func formatSuffix(f string) string {
	if f == "" {
		return ""
	}
	return " FORMAT " + formatName(f)
}
func (s *Describe) String() string    { return "DESCRIBE " + QuoteIdent(s.Table) + formatSuffix(s.Format) }
func (s *Explain) String() string     { return renderNode(s) }
func (s *Update) String() string      { return renderNode(s) }
func (s *Delete) String() string      { return renderNode(s) }
func (s *Truncate) String() string    { return "TRUNCATE TABLE " + QuoteIdent(s.Table) }
func (s *AlterTable) String() string  { return renderNode(s) }
func (t *TableRef) String() string    { return renderNode(t) }
func (t *SubqueryRef) String() string { return renderNode(t) }
func (t *Join) String() string        { return renderNode(t) }

func (s *Select) writeTo(b *strings.Builder) {
	writeWith(b, s.With)
	b.WriteString("SELECT ")
	if s.Distinct {
		b.WriteString("DISTINCT ")
	}
	for i, it := range s.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		writeItem(b, it)
	}
	s.writeFrom(b)
	writeClause(b, " WHERE ", s.Where)
	if s.LatestOn != nil {
		b.WriteString(" LATEST ON ")
		b.WriteString(QuoteIdent(s.LatestOn.Timestamp))
		b.WriteString(" PARTITION BY ")
		writeNames(b, s.LatestOn.PartitionBy)
	}
	if s.SampleBy != nil {
		s.SampleBy.writeTo(b)
	}
	if len(s.GroupBy) > 0 {
		b.WriteString(" GROUP BY ")
		writeList(b, s.GroupBy)
	}
	writeClause(b, " HAVING ", s.Having)
	for i, w := range s.Windows {
		if i == 0 {
			b.WriteString(" WINDOW ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(QuoteIdent(w.Name))
		b.WriteString(" AS (")
		w.Spec.writeBody(b)
		b.WriteByte(')')
	}
	writeClause(b, " QUALIFY ", s.Qualify)
	if s.offsetReadsAsSample() {
		writeTail(b, s.OrderBy, s.LimitBy, s.Limit, nil, "", nil)
		b.WriteString(" OFFSET (")
		writeExpr(b, s.Offset, 0)
		b.WriteByte(')')
		writeTail(b, nil, nil, nil, nil, s.Format, s.Settings)
		return
	}
	writeTail(b, s.OrderBy, s.LimitBy, s.Limit, s.Offset, s.Format, s.Settings)
}

// offsetReadsAsSample reports whether the OFFSET clause would directly
// follow SAMPLE k and start with a number, so that it would read back as
// SAMPLE's offset. Parentheses keep it the query's.
func (s *Select) offsetReadsAsSample() bool {
	if s.Sample == nil || s.SampleOffset != nil || s.Offset == nil || s.Where != nil ||
		s.LatestOn != nil || s.SampleBy != nil || len(s.GroupBy) > 0 || s.Having != nil ||
		len(s.Windows) > 0 || s.Qualify != nil || len(s.OrderBy) > 0 || s.LimitBy != nil || s.Limit != nil {
		return false
	}
	text := s.Offset.String()
	return isDigit(text[0]) || text[0] == '.'
}

// writeFrom renders FROM and SAMPLE. A Select built with only From set
// (no Source) still renders its table.
func (s *Select) writeFrom(b *strings.Builder) {
	src := s.Source
	if src == nil && s.From != nil {
		src = s.From
	}
	if src == nil {
		return
	}
	b.WriteString(" FROM ")
	src.(writer).writeTo(b)
	if s.Sample != nil {
		writeClause(b, " SAMPLE ", s.Sample)
		writeClause(b, " OFFSET ", s.SampleOffset)
	}
}

func writeItem(b *strings.Builder, it SelectItem) {
	switch {
	case it.Star && it.StarTable != "":
		b.WriteString(QuoteIdent(it.StarTable))
		b.WriteString(".*")
	case it.Star:
		b.WriteByte('*')
	default:
		writeExpr(b, it.Expr, 0)
		writeAlias(b, it.Alias)
	}
}

func writeAlias(b *strings.Builder, alias string) {
	if alias != "" {
		b.WriteString(" AS ")
		b.WriteString(QuoteIdent(alias))
	}
}

// writeClause writes keyword and e, if e is set.
func writeClause(b *strings.Builder, keyword string, e Expr) {
	if e != nil {
		b.WriteString(keyword)
		writeExpr(b, e, 0)
	}
}

func writeNames(b *strings.Builder, names []string) {
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(QuoteIdent(n))
	}
}

func writeWith(b *strings.Builder, with []CTE) {
	for i, c := range with {
		if i == 0 {
			b.WriteString("WITH ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(QuoteIdent(c.Name))
		if c.Columns != nil {
			b.WriteString(" (")
			writeNames(b, c.Columns)
			b.WriteByte(')')
		}
		b.WriteString(" AS (")
		c.Query.(writer).writeTo(b)
		b.WriteByte(')')
	}
	if len(with) > 0 {
		b.WriteByte(' ')
	}
}

// writeTail renders the clauses that end a query.
func writeTail(b *strings.Builder, orderBy []OrderItem, limitBy *LimitBy, limit, offset Expr, format string, settings []Setting) {
	if len(orderBy) > 0 {
		b.WriteString(" ORDER BY ")
		writeOrderItems(b, orderBy)
	}
	if limitBy != nil {
		writeClause(b, " LIMIT ", limitBy.Limit)
		writeClause(b, " OFFSET ", limitBy.Offset)
		b.WriteString(" BY ")
		writeList(b, limitBy.By)
	}
	writeClause(b, " LIMIT ", limit)
	writeClause(b, " OFFSET ", offset)
	if format != "" {
		b.WriteString(" FORMAT ")
		b.WriteString(formatName(format))
	}
	for i, s := range settings {
		if i == 0 {
			b.WriteString(" SETTINGS ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(QuoteIdent(s.Name))
		b.WriteString(" = ")
		writeExpr(b, s.Value, 0)
	}
}

// formatName renders a FORMAT name. Any bare word is a format name there,
// reserved or not (ClickHouse's Values), so only other names are quoted.
func formatName(name string) string {
	if isBareIdent(name) {
		return name
	}
	return quoteAlways(name)
}

func writeOrderItems(b *strings.Builder, items []OrderItem) {
	for i, o := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		writeExpr(b, o.Expr, 0)
		if o.Desc {
			b.WriteString(" DESC")
		}
		if o.NullsFirst != nil {
			if *o.NullsFirst {
				b.WriteString(" NULLS FIRST")
			} else {
				b.WriteString(" NULLS LAST")
			}
		}
	}
}

func (s *SetOp) writeTo(b *strings.Builder) {
	writeWith(b, s.With)
	s.writeOperand(b, s.L, false)
	b.WriteByte(' ')
	b.WriteString(s.Op)
	if s.All {
		b.WriteString(" ALL")
	}
	b.WriteByte(' ')
	s.writeOperand(b, s.R, true)
	writeTail(b, s.OrderBy, nil, s.Limit, s.Offset, s.Format, s.Settings)
}

// writeOperand renders an operand, parenthesized when it has clauses of
// its own or binds less tightly than its place requires.
func (s *SetOp) writeOperand(b *strings.Builder, q Query, right bool) {
	if !s.operandNeedsParens(q, right) {
		q.(writer).writeTo(b)
		return
	}
	b.WriteByte('(')
	q.(writer).writeTo(b)
	b.WriteByte(')')
}

func (s *SetOp) operandNeedsParens(q Query, right bool) bool {
	switch q := q.(type) {
	case *Select:
		return q.With != nil || q.OrderBy != nil || q.LimitBy != nil || q.Limit != nil || q.Offset != nil ||
			q.Format != "" || q.Settings != nil
	case *SetOp:
		if q.With != nil || q.OrderBy != nil || q.Limit != nil || q.Offset != nil || q.Format != "" || q.Settings != nil {
			return true
		}
		child, parent := setOpPrec(q.Op), setOpPrec(s.Op)
		return child < parent || right && child == parent
	}
	return true
}

// setOpPrec mirrors the parser: INTERSECT binds tighter than UNION and
// EXCEPT.
func setOpPrec(op string) int {
	if op == "INTERSECT" {
		return 2
	}
	return 1
}

func (t *TableRef) writeTo(b *strings.Builder) {
	b.WriteString(QuoteIdent(t.Name))
	writeAlias(b, t.Alias)
}

func (t *SubqueryRef) writeTo(b *strings.Builder) {
	b.WriteByte('(')
	t.Query.(writer).writeTo(b)
	b.WriteByte(')')
	writeAlias(b, t.Alias)
}

func (j *Join) writeTo(b *strings.Builder) {
	j.Left.(writer).writeTo(b)
	b.WriteByte(' ')
	b.WriteString(j.keywords())
	b.WriteByte(' ')
	j.Right.(writer).writeTo(b)
	switch {
	case j.On != nil:
		writeClause(b, " ON ", j.On)
	case j.Using != nil:
		b.WriteString(" USING (")
		writeNames(b, j.Using)
		b.WriteByte(')')
	}
	if j.Tolerance != nil {
		b.WriteString(" TOLERANCE ")
		writeExpr(b, j.Tolerance, precConcat)
	}
	if j.IncludePrevailing {
		b.WriteString(" INCLUDE PREVAILING")
	}
}

// keywords returns the words that introduce the join.
func (j *Join) keywords() string {
	kind := j.Kind
	switch {
	case kind == JoinInner:
		return "JOIN"
	case j.Nearest:
		kind += " NEAREST"
	}
	return kind + " JOIN"
}

func (sb *SampleBy) writeTo(b *strings.Builder) {
	b.WriteString(" SAMPLE BY ")
	b.WriteString(sb.Every.String())
	for i, f := range sb.Fill {
		if i == 0 {
			b.WriteString(" FILL(")
		} else {
			b.WriteString(", ")
		}
		f.writeTo(b)
	}
	if sb.Fill != nil {
		b.WriteByte(')')
	}
	writeClause(b, " FROM ", sb.From)
	writeClause(b, " TO ", sb.To)
	if sb.Align != "" {
		b.WriteString(" ALIGN TO ")
		b.WriteString(sb.Align)
	}
	writeClause(b, " TIME ZONE ", sb.TimeZone)
	writeClause(b, " WITH OFFSET ", sb.Offset)
}

// writeTo renders a fill entry. A constant that is a bare column named
// like a mode (written (prev)) keeps parentheses, or it would read back as
// the mode.
func (f FillValue) writeTo(b *strings.Builder) {
	if f.Mode != FillConst {
		b.WriteString(f.Mode)
		return
	}
	if c, ok := f.Value.(*ColumnRef); ok && isBareWordRef(c) && isFillMode(token{kind: tokIdent, text: c.Name}) {
		b.WriteByte('(')
		c.writeTo(b)
		b.WriteByte(')')
		return
	}
	writeExpr(b, f.Value, 0)
}

// isBareWordRef reports whether c renders as a single unquoted word.
func isBareWordRef(c *ColumnRef) bool {
	return c.Table == "" && !c.Quoted && isBareIdent(c.Name) && !isReserved(c.Name)
}

// String renders the duration as written: 5m, or INTERVAL 5 MINUTE.
// Months and years have no INTERVAL spelling and always use a suffix.
func (d Duration) String() string {
	if d.Suffix != "" {
		return strconv.FormatInt(d.Value, 10) + d.Suffix
	}
	if s, ok := durationSuffixes[d.Unit]; ok {
		return strconv.FormatInt(d.Value, 10) + s
	}
	return (&IntervalLit{Value: d.Value, Unit: d.Unit}).String()
}

// writeRef renders the window after OVER: a bare name, or the
// specification in parentheses.
func (w *WindowSpec) writeRef(b *strings.Builder) {
	if w.Name != "" && w.PartitionBy == nil && w.OrderBy == nil && w.Frame == nil {
		b.WriteString(QuoteIdent(w.Name))
		return
	}
	b.WriteByte('(')
	w.writeBody(b)
	b.WriteByte(')')
}

// writeBody renders what goes inside a window's parentheses. A base window
// named like a clause word is quoted, or it would start the clause.
func (w *WindowSpec) writeBody(b *strings.Builder) {
	var parts []string
	if w.Name != "" {
		name := QuoteIdent(w.Name)
		if strings.EqualFold(w.Name, "PARTITION") || strings.EqualFold(w.Name, "ROWS") || strings.EqualFold(w.Name, "RANGE") {
			name = quoteAlways(w.Name)
		}
		parts = append(parts, name)
	}
	if len(w.PartitionBy) > 0 {
		var p strings.Builder
		p.WriteString("PARTITION BY ")
		writeList(&p, w.PartitionBy)
		parts = append(parts, p.String())
	}
	if len(w.OrderBy) > 0 {
		var o strings.Builder
		o.WriteString("ORDER BY ")
		writeOrderItems(&o, w.OrderBy)
		parts = append(parts, o.String())
	}
	if w.Frame != nil {
		var f strings.Builder
		w.Frame.writeTo(&f)
		parts = append(parts, f.String())
	}
	b.WriteString(strings.Join(parts, " "))
}

func (f *WindowFrame) writeTo(b *strings.Builder) {
	b.WriteString(f.Unit)
	b.WriteByte(' ')
	if f.End == nil {
		f.Start.writeTo(b)
		return
	}
	b.WriteString("BETWEEN ")
	f.Start.writeTo(b)
	b.WriteString(" AND ")
	f.End.writeTo(b)
}

// writeTo renders a frame bound. A bare column named unbounded as the
// offset keeps parentheses, or it would read back as UNBOUNDED.
func (fb FrameBound) writeTo(b *strings.Builder) {
	if fb.Offset == nil {
		b.WriteString(fb.Kind)
		return
	}
	if c, ok := fb.Offset.(*ColumnRef); ok && isBareWordRef(c) && strings.EqualFold(c.Name, "UNBOUNDED") {
		b.WriteByte('(')
		c.writeTo(b)
		b.WriteByte(')')
	} else {
		writeExpr(b, fb.Offset, precConcat)
	}
	b.WriteByte(' ')
	b.WriteString(fb.Kind)
}

func (s *CreateTable) writeTo(b *strings.Builder) {
	b.WriteString("CREATE TABLE ")
	if s.IfNotExists {
		b.WriteString("IF NOT EXISTS ")
	}
	b.WriteString(QuoteIdent(s.Name))
	for i, c := range s.Columns {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		c.writeTo(b)
	}
	if s.Columns != nil {
		b.WriteByte(')')
	}
	if s.TimestampColumn != "" {
		b.WriteString(" TIMESTAMP(")
		b.WriteString(QuoteIdent(s.TimestampColumn))
		b.WriteByte(')')
	}
	if s.PartitionBy != "" {
		b.WriteString(" PARTITION BY ")
		b.WriteString(s.PartitionBy)
	}
	if s.Engine != "" {
		b.WriteString(" ENGINE = ")
		b.WriteString(QuoteIdent(s.Engine))
	}
	if s.OrderBy != nil {
		b.WriteString(" ORDER BY (")
		for i, k := range s.OrderBy {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(QuoteIdent(k))
		}
		b.WriteByte(')')
	}
	writeTail(b, nil, nil, nil, nil, "", s.Settings)
	if s.Query != nil {
		b.WriteString(" AS ")
		s.Query.(writer).writeTo(b)
	}
}

func (c ColumnDef) writeTo(b *strings.Builder) {
	b.WriteString(QuoteIdent(c.Name))
	b.WriteByte(' ')
	b.WriteString(typeString(c.Type, c.TypeArgs))
	if c.NotNull {
		b.WriteString(" NOT NULL")
	}
}

func (s *DropTable) writeTo(b *strings.Builder) {
	b.WriteString("DROP TABLE ")
	if s.IfExists {
		b.WriteString("IF EXISTS ")
	}
	b.WriteString(QuoteIdent(s.Name))
}

// writeTo renders INSERT. The data of INSERT ... FORMAT follows the format
// name after a line break, which the parser drops again.
func (s *Insert) writeTo(b *strings.Builder) {
	b.WriteString("INSERT INTO ")
	b.WriteString(QuoteIdent(s.Table))
	if s.Columns != nil {
		b.WriteString(" (")
		writeNames(b, s.Columns)
		b.WriteByte(')')
	}
	switch {
	case s.Query != nil:
		b.WriteByte(' ')
		s.Query.(writer).writeTo(b)
	case s.Format != "":
		b.WriteString(" FORMAT ")
		b.WriteString(formatName(s.Format))
		if s.Data != "" {
			b.WriteByte('\n')
			b.WriteString(s.Data)
		}
	default:
		b.WriteString(" VALUES ")
		for i, row := range s.Rows {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			writeList(b, row)
			b.WriteByte(')')
		}
	}
}

func (s *Explain) writeTo(b *strings.Builder) {
	b.WriteString("EXPLAIN ")
	if s.Analyze {
		b.WriteString("ANALYZE ")
	}
	b.WriteString(s.Stmt.String())
}

func (s *Update) writeTo(b *strings.Builder) {
	b.WriteString("UPDATE ")
	b.WriteString(QuoteIdent(s.Table))
	b.WriteString(" SET ")
	for i, a := range s.Set {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(QuoteIdent(a.Column))
		b.WriteString(" = ")
		writeExpr(b, a.Value, 0)
	}
	writeClause(b, " WHERE ", s.Where)
}

func (s *Delete) writeTo(b *strings.Builder) {
	b.WriteString("DELETE FROM ")
	b.WriteString(QuoteIdent(s.Table))
	writeClause(b, " WHERE ", s.Where)
}

func (s *AlterTable) writeTo(b *strings.Builder) {
	b.WriteString("ALTER TABLE ")
	b.WriteString(QuoteIdent(s.Table))
	for i, a := range s.Actions {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte(' ')
		switch a := a.(type) {
		case *AddColumn:
			b.WriteString("ADD COLUMN ")
			if a.IfNotExists {
				b.WriteString("IF NOT EXISTS ")
			}
			a.Column.writeTo(b)
		case *DropColumn:
			b.WriteString("DROP COLUMN ")
			if a.IfExists {
				b.WriteString("IF EXISTS ")
			}
			b.WriteString(QuoteIdent(a.Name))
		case *RenameColumn:
			b.WriteString("RENAME COLUMN ")
			b.WriteString(QuoteIdent(a.Old))
			b.WriteString(" TO ")
			b.WriteString(QuoteIdent(a.New))
		case *SetTTL:
			fmt.Fprintf(b, "SET TTL %d %sS", a.Value, a.Unit)
		case *RemoveTTL:
			b.WriteString("REMOVE TTL")
		}
	}
}
