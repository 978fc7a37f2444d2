package exec

import (
	"context"
	"fmt"
	"strings"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// Class is what a statement does, for authorization.
type Class int

// The classes.
const (
	ClassRead  Class = iota // SELECT, SHOW, DESCRIBE, EXPLAIN (without ANALYZE of a write)
	ClassWrite              // INSERT, UPDATE, DELETE
	ClassDDL                // CREATE, DROP, ALTER, TRUNCATE, SET/REMOVE TTL
)

// ClassOf returns the class of stmt.
func ClassOf(stmt parser.Statement) Class {
	if ReadOnly(stmt) {
		return ClassRead
	}
	switch s := stmt.(type) {
	case *parser.CreateTable, *parser.DropTable, *parser.AlterTable, *parser.Truncate, *parser.KillQuery, *parser.Copy:
		return ClassDDL // KILL QUERY stops others' statements: the admin's
	case *parser.Explain:
		return ClassOf(s.Stmt)
	}
	return ClassWrite
}

type authorizeKey struct{}

// Authorizer decides what the statements of a request may do.
type Authorizer struct {
	// Class refuses a statement by what it does; nil allows all.
	Class func(Class) error
	// Table refuses a table by name; nil allows all. A table refused for
	// reading or writing is reported exactly like one that does not
	// exist; a refused CREATE TABLE gets Table's error.
	Table func(name string) error
}

// WithAuthorizer returns a context under which ExecuteText checks every
// statement with a before it runs, whether parsed, answered from the
// cache or inserted on the fast path; a refusal is returned as it is.
func WithAuthorizer(ctx context.Context, a Authorizer) context.Context {
	return context.WithValue(ctx, authorizeKey{}, a)
}

func authorizerOf(ctx context.Context) Authorizer {
	a, _ := ctx.Value(authorizeKey{}).(Authorizer)
	return a
}

func authorize(ctx context.Context, c Class) error {
	if a := authorizerOf(ctx); a.Class != nil {
		return a.Class(c)
	}
	return nil
}

// tableAllowed reports whether the request may use table name.
func tableAllowed(ctx context.Context, name string) bool {
	a := authorizerOf(ctx)
	return a.Table == nil || a.Table(name) == nil
}

// catalogTable resolves a table of the catalog for a request: one it may
// not use is as unknown as one that does not exist.
func (x *Executor) catalogTable(ctx context.Context, name string) (*rdb.Table, error) {
	if db, _, ok := strings.Cut(name, "."); ok && strings.EqualFold(db, SystemDatabase) {
		return x.systemTable(ctx, name) // views of what the request may see
	}
	if !tableAllowed(ctx, name) {
		return nil, fmt.Errorf("%w: %s", engine.ErrTableNotFound, name)
	}
	return x.eng.Table(name)
}

// checkTarget checks the table a statement defines or changes.
func checkTarget(ctx context.Context, stmt parser.Statement) error {
	a := authorizerOf(ctx)
	if a.Table == nil {
		return nil
	}
	var name string
	var at parser.Pos
	switch s := stmt.(type) {
	case *parser.CreateTable:
		return a.Table(s.Name) // creating reveals nothing: say why
	case *parser.DropTable:
		name, at = s.Name, s.At
	case *parser.Insert:
		name, at = s.Table, s.At
	case *parser.Update:
		name, at = s.Table, s.At
	case *parser.Delete:
		name, at = s.Table, s.At
	case *parser.Truncate:
		name, at = s.Table, s.At
	case *parser.AlterTable:
		name, at = s.Table, s.At
	case *parser.Describe:
		name, at = s.Table, s.At
	case *parser.Copy:
		name, at = s.Table, s.At
	case *parser.Explain:
		return checkTarget(ctx, s.Stmt)
	default:
		return nil
	}
	if a.Table(name) != nil {
		return errAt(CodeUnknownTable, at, "unknown table %s", name)
	}
	return nil
}
