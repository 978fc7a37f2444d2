package parser

// Update is UPDATE t SET col = expr, ... [WHERE cond].
type Update struct {
	At    Pos
	Table string
	Set   []Assignment
	Where Expr
}

// Assignment is one `col = expr` of UPDATE ... SET.
type Assignment struct {
	At     Pos
	Column string
	Value  Expr
}

// Delete is DELETE FROM t [WHERE cond].
type Delete struct {
	At    Pos
	Table string
	Where Expr
}

// Truncate is TRUNCATE [TABLE] t.
type Truncate struct {
	At    Pos
	Table string
}

// AlterTable is ALTER TABLE t action [, action ...].
type AlterTable struct {
	At      Pos
	Table   string
	Actions []AlterAction
}

// AlterAction is one change of ALTER TABLE: *AddColumn, *DropColumn or
// *RenameColumn.
type AlterAction interface {
	Node
	alterActionNode()
}

// AddColumn is ADD COLUMN [IF NOT EXISTS] name type [[NOT] NULL].
type AddColumn struct {
	At          Pos
	Column      ColumnDef
	IfNotExists bool
}

// DropColumn is DROP COLUMN [IF EXISTS] name.
type DropColumn struct {
	At       Pos
	Name     string
	IfExists bool
}

// RenameColumn is RENAME COLUMN old TO new.
type RenameColumn struct {
	At       Pos
	Old, New string
}

// SetTTL is SET TTL n HOURS|DAYS|WEEKS|MONTHS: partitions whose whole
// time range is older than that are dropped. Unit is the singular upper
// case name.
type SetTTL struct {
	At    Pos
	Value int64
	Unit  string
}

// RemoveTTL is REMOVE TTL.
type RemoveTTL struct {
	At Pos
}

func (*SetTTL) alterActionNode()       {}
func (*RemoveTTL) alterActionNode()    {}
func (*AddColumn) alterActionNode()    {}
func (*DropColumn) alterActionNode()   {}
func (*RenameColumn) alterActionNode() {}

func (n *Update) Pos() Pos       { return n.At }
func (n *Delete) Pos() Pos       { return n.At }
func (n *Truncate) Pos() Pos     { return n.At }
func (n *AlterTable) Pos() Pos   { return n.At }
func (n *AddColumn) Pos() Pos    { return n.At }
func (n *DropColumn) Pos() Pos   { return n.At }
func (n *RenameColumn) Pos() Pos { return n.At }
func (n *SetTTL) Pos() Pos       { return n.At }
func (n *RemoveTTL) Pos() Pos    { return n.At }
