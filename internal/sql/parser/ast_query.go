package parser

// Query is a statement that produces rows: *Select or *SetOp. Queries also
// appear inside other nodes: WITH, FROM (...), IN (...), EXISTS (...),
// scalar subqueries, INSERT ... query and CREATE TABLE ... AS query.
type Query interface {
	Statement
	queryNode()
}

func (*Select) queryNode() {}
func (*SetOp) queryNode()  {}

// SetOp is L UNION [ALL] R, L INTERSECT [ALL] R or L EXCEPT [ALL] R.
// INTERSECT binds tighter than UNION and EXCEPT, which are left-associative
// at the same level. ORDER BY, LIMIT, OFFSET, FORMAT and SETTINGS written
// after the last operand apply to the whole result and are kept here; a
// WITH clause before the first operand is kept here too. UNION DISTINCT is
// UNION with All false.
type SetOp struct {
	At       Pos    // the operator keyword
	Op       string // UNION, INTERSECT or EXCEPT
	All      bool
	L, R     Query
	With     []CTE
	OrderBy  []OrderItem
	Limit    Expr
	Offset   Expr
	Format   string
	Settings []Setting
}

// CTE is one `name [(columns)] AS (query)` of a WITH clause.
type CTE struct {
	At      Pos
	Name    string
	Columns []string // nil if no column list was given
	Query   Query
}

// TableExpr is what FROM reads: *TableRef, *SubqueryRef or *Join.
type TableExpr interface {
	Node
	String() string
	tableExprNode()
}

func (*TableRef) tableExprNode()    {}
func (*SubqueryRef) tableExprNode() {}
func (*Join) tableExprNode()        {}

// SubqueryRef is (query) [AS] alias in FROM. The alias is optional.
type SubqueryRef struct {
	At    Pos // the opening parenthesis
	Query Query
	Alias string
}

// Join kinds. A plain JOIN is JoinInner.
const (
	JoinInner    = "INNER"
	JoinLeft     = "LEFT"
	JoinRight    = "RIGHT"
	JoinFull     = "FULL"
	JoinCross    = "CROSS"
	JoinAsof     = "ASOF"
	JoinAsofLeft = "ASOF LEFT"
	JoinWindow   = "WINDOW"
)

// Join is Left <kind> JOIN Right [ON cond | USING (cols)]. Joins are
// left-deep: a JOIN b JOIN c is Join{Join{a, b}, c}.
//
// ASOF joins match each left row with the nearest right row; which side
// of it (at or before, at or after) is not recorded here: it comes from
// the inequality in On (t.ts >= q.ts looks backwards), and Nearest asks for
// the closest row in either direction. Tolerance bounds how far the match
// may be (TOLERANCE INTERVAL 1 SECOND; QuestDB's TOLERANCE 1s gives the same
// IntervalLit). ON is optional for ASOF joins, as in QuestDB, where the
// timestamps are implied.
//
// WINDOW joins pair each left row with all right rows whose time falls in a
// window given by a BETWEEN in On; IncludePrevailing also takes the last
// right row before the window.
type Join struct {
	At                Pos // the first keyword of the join
	Kind              string
	Left, Right       TableExpr
	On                Expr     // nil if absent
	Using             []string // nil if absent
	Tolerance         Expr     // ASOF only; nil if absent
	IncludePrevailing bool     // WINDOW only
	Nearest           bool     // ASOF only
}

// LatestOn is QuestDB's LATEST ON ts PARTITION BY col, ...: the last row
// by Timestamp for each distinct combination of the PartitionBy columns.
type LatestOn struct {
	At          Pos
	Timestamp   string
	PartitionBy []string
}

// SampleBy is QuestDB's
//
//	SAMPLE BY every [FILL(...)] [FROM lo] [TO hi]
//	[ALIGN TO CALENDAR [TIME ZONE 'tz'] [WITH OFFSET 'hh:mm'] | ALIGN TO FIRST OBSERVATION]
//
// FILL, FROM/TO and ALIGN are accepted in any order. Align is "" when no
// ALIGN clause was written, leaving the default to the engine.
type SampleBy struct {
	At       Pos
	Every    Duration
	Fill     []FillValue // nil without FILL
	From, To Expr        // nil if absent
	Align    string      // "", "CALENDAR" or "FIRST OBSERVATION"
	TimeZone Expr        // a *StringLit; ALIGN TO CALENDAR only
	Offset   Expr        // a *StringLit; ALIGN TO CALENDAR only
}

// Duration is a SAMPLE BY bucket width: QuestDB's 5m, 100ms, 1M, or an
// INTERVAL 5 MINUTE. Unit is the canonical singular unit name, as in
// IntervalLit plus MONTH and YEAR; Nanos is the length, 0 for MONTH and
// YEAR, whose length varies. Suffix is the QuestDB unit as written (case
// matters: m is minutes, M months), "" for the INTERVAL form.
type Duration struct {
	At     Pos
	Value  int64
	Unit   string
	Nanos  int64
	Suffix string
}

// Fill modes of FillValue.
const (
	FillNull   = "NULL"
	FillPrev   = "PREV"
	FillLinear = "LINEAR"
	FillNone   = "NONE"
	FillConst  = "VALUE" // a constant, in FillValue.Value
)

// FillValue is one entry of FILL(...): a mode, or a constant Value.
type FillValue struct {
	At    Pos
	Mode  string
	Value Expr // set when Mode is VALUE
}

// LimitBy is ClickHouse's LIMIT n [OFFSET m] BY exprs: at most n rows
// (after skipping m) for each distinct value of By.
type LimitBy struct {
	At     Pos
	Limit  Expr
	Offset Expr // nil if absent
	By     []Expr
}

// NamedWindow is one `name AS (spec)` of a WINDOW clause.
type NamedWindow struct {
	At   Pos
	Name string
	Spec *WindowSpec
}

// WindowSpec is the window of OVER: OVER name, or OVER ([name] [PARTITION
// BY ...] [ORDER BY ...] [frame]). Name refers to a window of the WINDOW
// clause, which the rest refines.
type WindowSpec struct {
	At          Pos // the OVER keyword, or the window's name in a WINDOW clause
	Name        string
	PartitionBy []Expr
	OrderBy     []OrderItem
	Frame       *WindowFrame // nil if no frame was written
}

// WindowFrame is ROWS|RANGE BETWEEN Start AND End, or ROWS|RANGE Start, in
// which case End is nil (the frame ends at the current row).
type WindowFrame struct {
	At    Pos
	Unit  string // ROWS or RANGE
	Start FrameBound
	End   *FrameBound
}

// Frame bound kinds. PRECEDING and FOLLOWING carry an Offset: a count of
// rows, or for RANGE a value such as INTERVAL '5 minutes'.
const (
	BoundUnboundedPreceding = "UNBOUNDED PRECEDING"
	BoundPreceding          = "PRECEDING"
	BoundCurrentRow         = "CURRENT ROW"
	BoundFollowing          = "FOLLOWING"
	BoundUnboundedFollowing = "UNBOUNDED FOLLOWING"
)

// FrameBound is one end of a window frame.
type FrameBound struct {
	At     Pos
	Kind   string
	Offset Expr // PRECEDING and FOLLOWING only
}

func (n *SetOp) Pos() Pos       { return n.At }
func (n *SubqueryRef) Pos() Pos { return n.At }
func (n *Join) Pos() Pos        { return n.At }
