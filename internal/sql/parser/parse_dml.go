package parser

import (
	"strconv"
	"strings"
)

// parseUpdate parses UPDATE t SET col = expr, ... [WHERE cond].
func (p *parser) parseUpdate() *Update {
	u := &Update{At: p.expect("UPDATE").pos}
	u.Table = p.tableName().text
	p.expect("SET")
	u.Set = []Assignment{p.parseAssignment()}
	for p.acceptOp(",") {
		u.Set = append(u.Set, p.parseAssignment())
	}
	p.follow = []string{"WHERE"}
	if p.accept("WHERE") {
		u.Where = p.parseExpr()
		p.follow = nil
	}
	return u
}

func (p *parser) parseAssignment() Assignment {
	tok := p.name("column name")
	p.expectOp("=")
	return Assignment{At: tok.pos, Column: tok.text, Value: p.parseExpr()}
}

// parseDelete parses DELETE FROM t [WHERE cond].
func (p *parser) parseDelete() *Delete {
	d := &Delete{At: p.expect("DELETE").pos}
	p.expect("FROM")
	d.Table = p.tableName().text
	p.follow = []string{"WHERE"}
	if p.accept("WHERE") {
		d.Where = p.parseExpr()
		p.follow = nil
	}
	return d
}

// parseTruncate parses TRUNCATE [TABLE] t.
func (p *parser) parseTruncate() *Truncate {
	at := p.expect("TRUNCATE").pos
	p.accept("TABLE")
	return &Truncate{At: at, Table: p.tableName().text}
}

// parseAlterTable parses ALTER TABLE t action, ....
func (p *parser) parseAlterTable() *AlterTable {
	at := p.expect("ALTER").pos
	p.expect("TABLE")
	a := &AlterTable{At: at, Table: p.tableName().text}
	a.Actions = []AlterAction{p.parseAlterAction()}
	for p.acceptOp(",") {
		a.Actions = append(a.Actions, p.parseAlterAction())
	}
	return a
}

// parseAlterAction parses ADD COLUMN, DROP COLUMN or RENAME COLUMN.
// COLUMN is required, as in ClickHouse, so that ADD column INT cannot be
// read two ways.
func (p *parser) parseAlterAction() AlterAction {
	tok := p.peek()
	switch {
	case tok.is("ADD"):
		p.next()
		p.expect("COLUMN")
		ifNotExists := p.acceptIfNotExists()
		return &AddColumn{At: tok.pos, IfNotExists: ifNotExists, Column: p.parseColumnDef()}
	case tok.is("DROP"):
		p.next()
		p.expect("COLUMN")
		ifExists := p.acceptIfExists()
		return &DropColumn{At: tok.pos, IfExists: ifExists, Name: p.name("column name").text}
	case tok.is("RENAME"):
		p.next()
		p.expect("COLUMN")
		old := p.name("column name").text
		p.expect("TO")
		return &RenameColumn{At: tok.pos, Old: old, New: p.name("column name").text}
	case tok.is("SET"):
		p.next()
		p.expect("TTL")
		return p.parseTTL(tok.pos)
	case tok.is("REMOVE"):
		p.next()
		p.expect("TTL")
		return &RemoveTTL{At: tok.pos}
	}
	panic(p.expected("ADD COLUMN, DROP COLUMN, RENAME COLUMN, SET TTL or REMOVE TTL"))
}

// ttlUnits are the units of SET TTL, by every accepted spelling.
var ttlUnits = map[string]string{"HOUR": "HOUR", "HOURS": "HOUR", "DAY": "DAY", "DAYS": "DAY",
	"WEEK": "WEEK", "WEEKS": "WEEK", "MONTH": "MONTH", "MONTHS": "MONTH"}

// parseTTL parses the n UNIT of SET TTL (also INTERVAL n UNIT).
func (p *parser) parseTTL(at Pos) *SetTTL {
	p.accept("INTERVAL")
	n := p.next()
	if n.kind != tokInt {
		panic(p.errorf(n.pos, "SET TTL needs a whole number of HOURS, DAYS, WEEKS or MONTHS, found %s", p.describe(n)))
	}
	v, err := strconv.ParseInt(n.text, 10, 64)
	if err != nil || v <= 0 {
		panic(p.errorf(n.pos, "SET TTL needs a positive count, found %s", n.text))
	}
	u := p.peek()
	unit, ok := ttlUnits[strings.ToUpper(u.text)]
	if u.kind != tokIdent || !ok {
		panic(p.expected("HOURS, DAYS, WEEKS or MONTHS (the TTL unit)"))
	}
	p.next()
	return &SetTTL{At: at, Value: v, Unit: unit}
}
