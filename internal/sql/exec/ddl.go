package exec

import (
	"context"
	"strings"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

func (x *Executor) execCreate(s *parser.CreateTable) (*Result, error) {
	cols := make([]model.Column, len(s.Columns))
	for i, c := range s.Columns {
		t, err := model.ParseTypeArgs(c.Type, c.TypeArgs)
		if err != nil {
			return nil, errAt(CodeTypeMismatch, c.At, "column %s: %v", c.Name, err)
		}
		cols[i] = model.Column{Name: c.Name, Type: t, NotNull: c.NotNull}
	}
	part, err := model.ParsePartitionBy(s.PartitionBy)
	if err != nil {
		return nil, errAt(CodeBadArguments, s.At, "%v", err)
	}
	schema, err := model.NewSchema(s.Name, cols, designatedTimestamp(s, cols), part)
	if err != nil {
		return nil, errAt(CodeBadArguments, s.At, "%v", err)
	}
	if err := x.eng.CreateTable(schema, s.IfNotExists); err != nil {
		return nil, mapEngineError(err)
	}
	return &Result{}, nil
}

func (x *Executor) execDrop(s *parser.DropTable) (*Result, error) {
	if err := x.eng.DropTable(s.Name, s.IfExists); err != nil {
		return nil, mapEngineError(err)
	}
	return &Result{}, nil
}

func textColumn(name string, values []string) ResultColumn {
	return ResultColumn{Name: name, Type: model.TypeString, Data: &column.Vector{Type: model.TypeString, String: values}}
}

func (x *Executor) execShowTables(ctx context.Context, s *parser.ShowTables) (*Result, error) {
	var names []string
	switch s.Database {
	case "", DefaultDatabase:
		names = x.tableNames(ctx)
	case SystemDatabase:
		names = systemTableNames()
	default:
		return nil, errAt(CodeUnknownDatabase, s.At, "unknown database %s: there are %s and %s", s.Database, DefaultDatabase, SystemDatabase)
	}
	return &Result{Columns: []ResultColumn{textColumn("name", names)}, Rows: len(names)}, nil
}

// tableNames lists the tables a request may see.
func (x *Executor) tableNames(ctx context.Context) []string {
	var names []string
	for _, name := range x.eng.TableNames() {
		if tableAllowed(ctx, name) {
			names = append(names, name)
		}
	}
	return names
}

func (x *Executor) execExists(ctx context.Context, s *parser.Exists) *Result {
	found := int64(0)
	if _, err := x.catalogTable(ctx, s.Table); err == nil {
		found = 1
	}
	return &Result{Columns: []ResultColumn{int64Column("result", found)}, Rows: 1}
}

// execDescribe lists columns in ClickHouse's seven-column shape (name,
// type, default_type, default_expression, comment, codec_expression,
// ttl_expression), types by ClickHouse's names, the designations in the
// comment.
func (x *Executor) execDescribe(ctx context.Context, s *parser.Describe) (*Result, error) {
	t, err := x.catalogTable(ctx, s.Table)
	if err != nil {
		return nil, mapTableError(err, s.At, s.Table)
	}
	var names, types, notes []string
	for i, c := range t.Schema.Columns {
		names = append(names, c.Name)
		types = append(types, c.Type.ClickHouseName())
		var n []string
		if i == t.Schema.TimestampCol {
			n = append(n, "designated timestamp")
		}
		if i == t.Schema.SymbolCol {
			n = append(n, "designated symbol")
		}
		if c.NotNull {
			n = append(n, "not null")
		}
		notes = append(notes, strings.Join(n, ", "))
	}
	empty := make([]string, len(names))
	cols := []ResultColumn{textColumn("name", names), textColumn("type", types), textColumn("default_type", empty),
		textColumn("default_expression", empty), textColumn("comment", notes), textColumn("codec_expression", empty), textColumn("ttl_expression", empty)}
	return &Result{Columns: cols, Rows: len(names)}, nil
}

// designatedTimestamp is the TIMESTAMP(col) clause's column, else the
// first timestamp column of a ClickHouse ORDER BY key (ORDER BY (sym, ts)
// sorts by ts within each symbol, which is what our series are), else ""
// for the schema's default.
func designatedTimestamp(s *parser.CreateTable, cols []model.Column) string {
	if s.TimestampColumn != "" {
		return s.TimestampColumn
	}
	for _, k := range s.OrderBy {
		for _, c := range cols {
			if strings.EqualFold(c.Name, k) && c.Type == model.TypeTimestamp {
				return c.Name
			}
		}
	}
	return ""
}
