package parser

import "strings"

// Node is implemented by every AST node. Pos is the position of the token
// that introduces the construct: the first keyword of a statement, the
// operator of an operation, the name of a function or column, the literal.
type Node interface {
	Pos() Pos
}

// Statement is a complete SQL statement. String renders it as SQL text
// that parses back to a statement with the same rendering.
type Statement interface {
	Node
	String() string
	statementNode()
}

// Expr is a scalar expression. String renders it as SQL text that parses
// back to the same tree; the engine uses it to name result columns.
type Expr interface {
	Node
	String() string
	// writeTo renders the expression; it is unexported to keep the set of
	// expression types closed, so consumers can switch over all of them.
	writeTo(b *strings.Builder)
}

// ---- Statements ----

// Select is
//
//	[WITH ...] SELECT [DISTINCT] items [FROM source [SAMPLE k [OFFSET m]]]
//	[WHERE ...] [LATEST ON ...] [SAMPLE BY ...] [GROUP BY ...] [HAVING ...]
//	[WINDOW ...] [QUALIFY ...] [ORDER BY ...] [LIMIT n BY ...] [LIMIT ...]
//	[OFFSET ...] [FORMAT name] [SETTINGS k = v, ...]
//
// Source holds whatever follows FROM; From is the same *TableRef when that
// is a single table, and nil otherwise (a join, a subquery, or no FROM), so
// code that only handles one table keeps working by looking at From alone.
// A Select inside a set operation has no ORDER BY, LIMIT, FORMAT or
// SETTINGS of its own unless it was parenthesized. FORMAT and SETTINGS
// only occur on the outermost query of a statement.
type Select struct {
	At       Pos // the SELECT keyword, also when a WITH clause precedes it
	Distinct bool
	Items    []SelectItem
	From     *TableRef // nil unless the FROM clause is a single table
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	OrderBy  []OrderItem
	Limit    Expr // nil if absent
	Offset   Expr // nil if absent
	Format   string
	Settings []Setting

	With         []CTE
	Source       TableExpr     // nil for SELECT without FROM
	Sample       Expr          // ClickHouse SAMPLE k: a number or a ratio n / m
	SampleOffset Expr          // ClickHouse SAMPLE k OFFSET m
	LatestOn     *LatestOn     // QuestDB LATEST ON ts PARTITION BY ...
	SampleBy     *SampleBy     // QuestDB SAMPLE BY ...
	Windows      []NamedWindow // WINDOW w AS (...), ...
	Qualify      Expr
	LimitBy      *LimitBy // ClickHouse LIMIT n BY ...; Limit is the plain LIMIT
}

// SelectItem is one entry of the select list: `*`, `t.*`, or an expression
// with an optional alias.
type SelectItem struct {
	At        Pos
	Expr      Expr // nil when Star is set
	Alias     string
	Star      bool
	StarTable string // "t" for t.*; "" for a bare *
}

// TableRef names a table in FROM.
type TableRef struct {
	At    Pos
	Name  string
	Alias string
}

// OrderItem is one ORDER BY key. NullsFirst is nil unless NULLS FIRST or
// NULLS LAST was written, leaving the default to the engine.
type OrderItem struct {
	Expr       Expr
	Desc       bool
	NullsFirst *bool
}

// Setting is one `name = value` of a SETTINGS clause.
type Setting struct {
	At    Pos
	Name  string
	Value Expr
}

// CreateTable is CREATE TABLE [IF NOT EXISTS] name (columns)
// [TIMESTAMP(col)] [PARTITION BY unit] [ENGINE [=] name], or with AS query
// at the end, in which case the column list is optional. The table options
// may also follow a parenthesized query, as QuestDB writes them.
type CreateTable struct {
	At              Pos
	Name            string
	IfNotExists     bool
	Columns         []ColumnDef // nil for CREATE TABLE t AS query without a column list
	TimestampColumn string      // "" if no TIMESTAMP clause
	PartitionBy     string      // HOUR, DAY, MONTH, NONE or "" if absent
	Engine          string      // accepted for ClickHouse compatibility, not interpreted
	OrderBy         []string    // ClickHouse's ORDER BY sorting key; nil if absent
	Settings        []Setting   // ClickHouse's table SETTINGS, accepted and not interpreted
	Query           Query       // CREATE TABLE ... AS query; nil otherwise
}

// ColumnDef declares one column. Type is upper-cased ("DOUBLE",
// "DOUBLE PRECISION", "VARCHAR"); TypeArgs holds parenthesized parameters
// as written, upper-cased (VARCHAR(32) → ["32"], LowCardinality(String) →
// ["STRING"]).
type ColumnDef struct {
	At       Pos
	Name     string
	Type     string
	TypeArgs []string
	NotNull  bool
}

// DropTable is DROP TABLE [IF EXISTS] name.
type DropTable struct {
	At       Pos
	Name     string
	IfExists bool
}

// Insert is INSERT INTO t [(cols)] VALUES (...), ..., INSERT INTO t
// [(cols)] query, or, ClickHouse style, INSERT INTO t [(cols)] FORMAT name
// <data>. In the FORMAT case Rows is nil and Data holds the raw text after
// the format name, minus one separating space or line break. In the query
// case Rows is nil and Query is set. Exactly one of Rows, Format and Query
// is set.
type Insert struct {
	At      Pos
	Table   string
	Columns []string // nil if no column list was given
	Rows    [][]Expr
	Format  string
	Data    string
	Query   Query
}

// ShowTables is SHOW TABLES [FROM db].
type ShowTables struct {
	At       Pos
	Database string // lower-cased; "" for the default
	Format   string // FORMAT clause, "" if none
}

// ShowDatabases is SHOW DATABASES.
type ShowDatabases struct {
	At     Pos
	Format string
}

// Copy is COPY t TO 'file' or COPY t FROM 'file', with an optional
// FORMAT (else the file's extension decides).
type Copy struct {
	At     Pos
	Table  string
	From   bool
	Path   string
	Format string
}

// KillQuery is KILL QUERY WHERE cond: cancel the running statements of
// system.processes that cond selects (TEST: only list them).
type KillQuery struct {
	At     Pos
	Where  Expr
	Test   bool
	Format string
}

// Exists is EXISTS [TABLE] t: 1 if the table exists, else 0.
type Exists struct {
	At     Pos
	Table  string
	Format string
}

// Describe is DESCRIBE [TABLE] t or DESC [TABLE] t.
type Describe struct {
	At     Pos
	Table  string
	Format string
}

// Explain is EXPLAIN [ANALYZE] <statement>.
type Explain struct {
	At      Pos
	Stmt    Statement
	Analyze bool
}

// ---- Expressions ----

// ColumnRef is a column name, optionally qualified by a table name or
// alias. Quoted records that Name was written as a quoted identifier.
type ColumnRef struct {
	At     Pos
	Table  string
	Name   string
	Quoted bool
}

// IntLit is an integer literal. Text is the literal as written, including
// a folded leading minus sign.
type IntLit struct {
	At    Pos
	Value int64
	Text  string
}

// FloatLit is a floating-point literal. Text is the literal as written,
// including a folded leading minus sign.
type FloatLit struct {
	At    Pos
	Value float64
	Text  string
}

// StringLit is a string literal with escapes resolved.
type StringLit struct {
	At    Pos
	Value string
}

// BoolLit is TRUE or FALSE.
type BoolLit struct {
	At    Pos
	Value bool
}

// NullLit is NULL.
type NullLit struct {
	At Pos
}

// Star is the `*` in count(*). It exists as a node so an argument list
// keeps its shape and `sum(*)` can be rejected with a position.
type Star struct {
	At Pos
}

// FuncCall is name(args). Name is as written. For name(*) Star is set and
// Args holds a single *Star; Distinct marks name(DISTINCT args).
//
// ClickHouse parametric aggregates, quantiles(0.1, 0.9)(x), put the first
// list in Params and the second in Args; Params is nil for an ordinary call
// and non-nil (possibly empty) for a parametric one. Filter is the
// condition of FILTER (WHERE cond); Over is the window of f(...) OVER ...
// and nil for a call that is not a window function.
//
// EXTRACT(unit FROM x) is a FuncCall too: Name "extract" as written, Args
// the unit as a *StringLit (as written, not case-folded) and x. It is the
// same tree as extract('unit', x), and date_part('unit', x) is an ordinary
// call, so the binder handles one shape.
type FuncCall struct {
	At       Pos
	Name     string
	Args     []Expr
	Star     bool
	Distinct bool
	Params   []Expr
	Filter   Expr
	Over     *WindowSpec
}

// UnaryExpr is -X, +X or NOT X. A minus directly before a numeric literal
// is folded into the literal instead.
type UnaryExpr struct {
	At Pos
	Op string // "-", "+" or "NOT"
	X  Expr
}

// BinaryExpr is L Op R. Op is one of + - * / % = != < <= > >= AND OR ||;
// == is normalized to = and <> to !=.
type BinaryExpr struct {
	At Pos
	Op string
	L  Expr
	R  Expr
}

// BetweenExpr is X [NOT] BETWEEN Lo AND Hi.
type BetweenExpr struct {
	At  Pos
	X   Expr
	Lo  Expr
	Hi  Expr
	Not bool
}

// InExpr is X [NOT] IN (List...).
type InExpr struct {
	At   Pos
	X    Expr
	List []Expr
	Not  bool
}

// InSubqueryExpr is X [NOT] IN (query). It is a node of its own, not an
// InExpr with a query, so code that only knows value lists cannot mistake
// it for an empty list.
type InSubqueryExpr struct {
	At    Pos
	X     Expr
	Query Query
	Not   bool
}

// SubqueryExpr is a scalar subquery, (query), used as a value.
type SubqueryExpr struct {
	At    Pos // the opening parenthesis
	Query Query
}

// ExistsExpr is EXISTS (query). NOT EXISTS is a NOT UnaryExpr around it.
type ExistsExpr struct {
	At    Pos
	Query Query
}

// IsDistinctExpr is X IS [NOT] DISTINCT FROM Y, the comparison that treats
// two NULLs as equal.
type IsDistinctExpr struct {
	At  Pos // the IS keyword
	X   Expr
	Y   Expr
	Not bool
}

// IsNullExpr is X IS [NOT] NULL.
type IsNullExpr struct {
	At  Pos
	X   Expr
	Not bool
}

// LikeExpr is X [NOT] LIKE Pattern, or ILIKE when CaseInsensitive.
type LikeExpr struct {
	At              Pos
	X               Expr
	Pattern         Expr
	Not             bool
	CaseInsensitive bool
}

// CastExpr is CAST(X AS Type), X::Type, or a typed literal such as
// TIMESTAMP '2024-01-02 09:30:00'. Type and TypeArgs are as in ColumnDef.
type CastExpr struct {
	At       Pos
	X        Expr
	Type     string
	TypeArgs []string
}

// CaseExpr is CASE [Operand] WHEN ... THEN ... [ELSE ...] END. With an
// Operand each WhenClause.Cond is a value compared to it; without one each
// Cond is a boolean condition.
type CaseExpr struct {
	At      Pos
	Operand Expr // nil for the searched form
	Whens   []WhenClause
	Else    Expr // nil if absent
}

// WhenClause is one WHEN Cond THEN Result arm.
type WhenClause struct {
	Cond   Expr
	Result Expr
}

// IntervalLit is INTERVAL n UNIT or INTERVAL 'n [unit]' [UNIT]. Unit is the
// singular upper-case unit name; Nanos is the length in nanoseconds.
type IntervalLit struct {
	At    Pos
	Value int64
	Unit  string
	Nanos int64
}

func (n *Select) Pos() Pos        { return n.At }
func (n *TableRef) Pos() Pos      { return n.At }
func (n *CreateTable) Pos() Pos   { return n.At }
func (n *DropTable) Pos() Pos     { return n.At }
func (n *Insert) Pos() Pos        { return n.At }
func (n *ShowTables) Pos() Pos    { return n.At }
func (n *ShowDatabases) Pos() Pos { return n.At }
func (n *Exists) Pos() Pos        { return n.At }
func (n *KillQuery) Pos() Pos     { return n.At }
func (n *Copy) Pos() Pos          { return n.At }
func (n *Describe) Pos() Pos      { return n.At }
func (n *Explain) Pos() Pos       { return n.At }

func (*Select) statementNode()        {}
func (*CreateTable) statementNode()   {}
func (*DropTable) statementNode()     {}
func (*Insert) statementNode()        {}
func (*ShowTables) statementNode()    {}
func (*ShowDatabases) statementNode() {}
func (*Exists) statementNode()        {}
func (*KillQuery) statementNode()     {}
func (*Copy) statementNode()          {}
func (*Describe) statementNode()      {}
func (*Explain) statementNode()       {}
func (*SetOp) statementNode()         {}
func (*Update) statementNode()        {}
func (*Delete) statementNode()        {}
func (*AlterTable) statementNode()    {}
func (*Truncate) statementNode()      {}

func (n *ColumnRef) Pos() Pos   { return n.At }
func (n *IntLit) Pos() Pos      { return n.At }
func (n *FloatLit) Pos() Pos    { return n.At }
func (n *StringLit) Pos() Pos   { return n.At }
func (n *BoolLit) Pos() Pos     { return n.At }
func (n *NullLit) Pos() Pos     { return n.At }
func (n *Star) Pos() Pos        { return n.At }
func (n *FuncCall) Pos() Pos    { return n.At }
func (n *UnaryExpr) Pos() Pos   { return n.At }
func (n *BinaryExpr) Pos() Pos  { return n.At }
func (n *BetweenExpr) Pos() Pos { return n.At }
func (n *InExpr) Pos() Pos      { return n.At }
func (n *IsNullExpr) Pos() Pos  { return n.At }
func (n *LikeExpr) Pos() Pos    { return n.At }
func (n *CastExpr) Pos() Pos    { return n.At }
func (n *CaseExpr) Pos() Pos    { return n.At }
func (n *IntervalLit) Pos() Pos { return n.At }

func (n *InSubqueryExpr) Pos() Pos { return n.At }
func (n *SubqueryExpr) Pos() Pos   { return n.At }
func (n *ExistsExpr) Pos() Pos     { return n.At }
func (n *IsDistinctExpr) Pos() Pos { return n.At }
