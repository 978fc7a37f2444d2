package parser

import "strings"

// parseCreateTable parses CREATE TABLE with a column list, AS query, or
// both. The table options may come before AS or, QuestDB style, after a
// parenthesized query; after an unparenthesized one they would read as
// part of it.
func (p *parser) parseCreateTable() *CreateTable {
	ct := &CreateTable{At: p.expect("CREATE").pos}
	p.expect("TABLE")
	ct.IfNotExists = p.acceptIfNotExists()
	ct.Name = p.tableName().text
	if p.acceptOp("(") {
		ct.Columns = []ColumnDef{p.parseColumnDef()}
		for p.acceptOp(",") {
			ct.Columns = append(ct.Columns, p.parseColumnDef())
		}
		p.expectOp(")")
	}
	p.parseTableOptions(ct)
	switch {
	case p.accept("AS"):
		ct.Query = p.parseQuery(false)
		p.parseTableOptions(ct)
	case ct.Columns == nil:
		panic(p.expected(`"(" or AS`))
	}
	return ct
}

// acceptIfNotExists consumes IF NOT EXISTS. IF is not reserved, but a table
// name is never followed by NOT, so looking one token ahead is enough.
func (p *parser) acceptIfNotExists() bool {
	if !p.peek().is("IF") || !p.peekAt(1).is("NOT") {
		return false
	}
	p.next()
	p.next()
	p.expect("EXISTS")
	return true
}

func (p *parser) parseColumnDef() ColumnDef {
	tok := p.name("column name")
	cd := ColumnDef{At: tok.pos, Name: tok.text}
	cd.Type, cd.TypeArgs = p.parseTypeName()
	if p.accept("NOT") {
		p.expect("NULL")
		cd.NotNull = true
	} else {
		p.accept("NULL")
	}
	return cd
}

// parseTypeName parses a type such as DOUBLE, DOUBLE PRECISION,
// VARCHAR(32) or LowCardinality(String), upper-cased. Validating the name is
// the binder's job: the parser only knows the shape.
func (p *parser) parseTypeName() (string, []string) {
	tok := p.peek()
	if tok.kind != tokIdent {
		panic(p.expected("type name"))
	}
	p.next()
	name := strings.ToUpper(tok.text)
	if name == "DOUBLE" && p.accept("PRECISION") {
		name = "DOUBLE PRECISION"
	}
	if !p.acceptOp("(") {
		return name, nil
	}
	p.enter() // types nest: Nullable(LowCardinality(String))
	defer p.leave()
	args := []string{p.parseTypeArg()}
	for p.acceptOp(",") {
		args = append(args, p.parseTypeArg())
	}
	p.expectOp(")")
	return name, args
}

// parseTypeArg parses one type parameter: an unsigned integer or a type.
func (p *parser) parseTypeArg() string {
	if tok := p.peek(); tok.kind == tokInt {
		return p.next().text
	}
	if tok := p.peek(); tok.kind == tokString { // DateTime64(9, 'UTC')
		return quoteLiteral(p.next().text)
	}
	if p.peek().kind != tokIdent {
		panic(p.expected("type parameter"))
	}
	return typeString(p.parseTypeName())
}

// parseTableOptions parses the clauses after the column list, in any
// order, each at most once.
func (p *parser) parseTableOptions(ct *CreateTable) {
	p.follow = []string{"TIMESTAMP", "PARTITION BY", "ENGINE", "ORDER BY", "PRIMARY KEY", "SETTINGS"}
	for {
		tok := p.peek()
		switch {
		case tok.is("TIMESTAMP"):
			p.once(tok, ct.TimestampColumn)
			p.expectOp("(")
			ct.TimestampColumn = p.name("column name").text
			p.expectOp(")")
		case tok.is("PARTITION"):
			p.once(tok, ct.PartitionBy)
			p.expect("BY")
			ct.PartitionBy = p.parsePartitionBy()
		case tok.is("ENGINE"):
			p.once(tok, ct.Engine)
			p.parseEngine(ct)
		case tok.is("ORDER") && ct.OrderBy == nil:
			p.next()
			p.expect("BY")
			ct.OrderBy = p.parseKeyColumns()
		case tok.is("PRIMARY") && p.peekAt(1).is("KEY"):
			p.next()
			p.next()
			p.parseKeyColumns() // ClickHouse's sparse index: the ORDER BY prefix, nothing to keep here
		case tok.is("SETTINGS"):
			p.next()
			ct.Settings = p.parseSettings()
		default:
			return
		}
	}
}

// parseKeyColumns parses a ClickHouse sorting key: a column, a
// parenthesized list of them, or tuple() for none.
func (p *parser) parseKeyColumns() []string {
	keys := []string{}
	if p.peek().is("tuple") && p.peekAt(1).isOp("(") {
		p.next()
		p.next()
		p.expectOp(")")
		return keys
	}
	if !p.acceptOp("(") {
		return append(keys, p.name("column name").text)
	}
	if p.acceptOp(")") {
		return keys
	}
	for {
		keys = append(keys, p.name("column name").text)
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")")
	return keys
}

// partitionFunctions maps ClickHouse's partitioning expressions onto our
// time partitions: PARTITION BY toYYYYMMDD(ts) is daily partitions.
var partitionFunctions = map[string]string{
	"TOYYYYMMDD": "DAY", "TODATE": "DAY", "TOSTARTOFDAY": "DAY", "TOYYYYMM": "MONTH", "TOSTARTOFMONTH": "MONTH",
	"TOSTARTOFHOUR": "HOUR",
}

// parsePartitionBy parses a unit (HOUR, DAY, MONTH, NONE) or one of
// ClickHouse's time-partitioning expressions of a column.
func (p *parser) parsePartitionBy() string {
	tok := p.peek()
	if unit, ok := partitionFunctions[strings.ToUpper(tok.text)]; ok && tok.kind == tokIdent && p.peekAt(1).isOp("(") {
		p.next()
		p.next()
		p.name("column name")
		p.expectOp(")")
		return unit
	}
	if tok.is("tuple") && p.peekAt(1).isOp("(") {
		p.next()
		p.next()
		p.expectOp(")")
		return "NONE"
	}
	return p.parsePartitionUnit()
}

// once consumes the keyword of a table option, refusing a repeated one.
func (p *parser) once(tok token, current string) {
	p.notTwice(tok, current != "")
	p.next()
}

var partitionUnits = []string{"HOUR", "DAY", "MONTH", "NONE"}

func (p *parser) parsePartitionUnit() string {
	for _, u := range partitionUnits {
		if p.accept(u) {
			return u
		}
	}
	panic(p.expected(joinOr(partitionUnits)))
}

// parseEngine accepts ClickHouse's ENGINE [=] Name [()] so DDL copied from
// ClickHouse works; the engine is recorded but means nothing here.
func (p *parser) parseEngine(ct *CreateTable) {
	p.acceptOp("=")
	ct.Engine = p.name("engine name").text
	if p.acceptOp("(") {
		p.expectOp(")")
	}
}

func (p *parser) parseDropTable() *DropTable {
	dt := &DropTable{At: p.expect("DROP").pos}
	p.expect("TABLE")
	dt.IfExists = p.acceptIfExists()
	dt.Name = p.tableName().text
	return dt
}

// acceptIfExists consumes IF EXISTS; like IF NOT EXISTS it needs only one
// token of lookahead to tell IF from a name.
func (p *parser) acceptIfExists() bool {
	if !p.peek().is("IF") || !p.peekAt(1).is("EXISTS") {
		return false
	}
	p.next()
	p.next()
	return true
}

// parseShow parses SHOW TABLES [FROM|IN db] and SHOW DATABASES.
func (p *parser) parseShow() Statement {
	at := p.expect("SHOW").pos
	if p.accept("DATABASES") {
		return &ShowDatabases{At: at, Format: p.parseFormatClause()}
	}
	p.expect("TABLES")
	st := &ShowTables{At: at}
	if p.accept("FROM") || p.accept("IN") {
		st.Database = strings.ToLower(p.name("database name").text)
	}
	st.Format = p.parseFormatClause()
	return st
}

// parseFormatClause parses an optional trailing FORMAT name.
func (p *parser) parseFormatClause() string {
	if p.accept("FORMAT") {
		return p.parseFormatName()
	}
	return ""
}

// parseCopy parses COPY t TO 'file' [FORMAT name] and COPY t FROM 'file'
// [FORMAT name].
func (p *parser) parseCopy() *Copy {
	c := &Copy{At: p.expect("COPY").pos, Table: p.tableName().text}
	switch {
	case p.accept("TO"):
	case p.accept("FROM"):
		c.From = true
	default:
		panic(p.expected("TO or FROM"))
	}
	tok := p.peek()
	if tok.kind != tokString {
		panic(p.expected("a file name in quotes"))
	}
	c.Path = p.next().text
	c.Format = p.parseFormatClause()
	return c
}

// parseKillQuery parses KILL QUERY WHERE cond [SYNC | ASYNC | TEST].
func (p *parser) parseKillQuery() *KillQuery {
	at := p.expect("KILL").pos
	p.expect("QUERY")
	p.expect("WHERE")
	k := &KillQuery{At: at, Where: p.parseExpr()}
	switch {
	case p.accept("SYNC"), p.accept("ASYNC"):
	case p.accept("TEST"):
		k.Test = true
	}
	k.Format = p.parseFormatClause()
	return k
}

// parseExistsTable parses EXISTS [TABLE] t.
func (p *parser) parseExistsTable() *Exists {
	at := p.expect("EXISTS").pos
	p.accept("TABLE")
	return &Exists{At: at, Table: p.tableName().text, Format: p.parseFormatClause()}
}

// parseDescribe parses DESCRIBE [TABLE] t or its abbreviation DESC.
func (p *parser) parseDescribe() *Describe {
	at := p.next().pos
	p.accept("TABLE")
	return &Describe{At: at, Table: p.tableName().text, Format: p.parseFormatClause()}
}
