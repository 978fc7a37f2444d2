package exec

import (
	"context"

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
	case *parser.CreateTable, *parser.DropTable, *parser.AlterTable, *parser.Truncate:
		return ClassDDL
	case *parser.Explain:
		return ClassOf(s.Stmt)
	}
	return ClassWrite
}

type authorizeKey struct{}

// WithAuthorize returns a context under which ExecuteText asks allow
// before it runs a statement, whether parsed, answered from the cache or
// inserted on the fast path; an error from allow refuses the statement
// and is returned as it is.
func WithAuthorize(ctx context.Context, allow func(Class) error) context.Context {
	return context.WithValue(ctx, authorizeKey{}, allow)
}

func authorize(ctx context.Context, c Class) error {
	if allow, ok := ctx.Value(authorizeKey{}).(func(Class) error); ok {
		return allow(c)
	}
	return nil
}
